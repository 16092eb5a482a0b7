/**
 * Rate limits and load shedding for Connect, gRPC and gRPC-Web calls: the
 * same checks, in the same order, as the REST gateway's (rest-plugin.ts),
 * after authentication so the caller's key is known. Refusals are
 * AppErrors, mapped by the error interceptor (`quota_exceeded` →
 * resource_exhausted, `overloaded` → unavailable, both with `retry-after`).
 *
 * @module
 */
import type { Interceptor } from "@connectrpc/connect";
import type { AdmissionGate } from "../admission-gate.js";
import type { RateLimiter } from "../rate-limiter.js";
import { connectOperationClass } from "../operation-classes.js";
import { PRINCIPAL, REMOTE_IP } from "./auth-interceptor.js";

export function limitsInterceptor(rates: RateLimiter, gate: AdmissionGate): Interceptor {
  return (next) => async (req) => {
    const limits = connectOperationClass(req.method);
    if (limits.dimension !== null) {
      rates.take(limits.dimension, req.contextValues.get(PRINCIPAL), req.contextValues.get(REMOTE_IP));
    }
    if (!limits.shed) return next(req);
    const release = await gate.enter();
    try {
      return await next(req);
    } finally {
      // A server stream keeps running after this returns; only its start was admitted.
      release();
    }
  };
}
