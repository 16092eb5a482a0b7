/**
 * AppError → ConnectError: the stable code travels in ErrorInfo, and the
 * message is always well-formed text (gRPC percent-encodes it into a
 * trailer, which throws on an unpaired surrogate and left the response
 * unfinished).
 */
import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { ErrorInfoSchema, RetryInfoSchema } from "../../../gen/proto/google/rpc/error_details_pb.js";
import { AppError } from "../../../src/node/app-error.js";
import { toConnectError } from "../../../src/transport/connect/to-connect-error.js";

describe("toConnectError", () => {
  it("replaces unpaired surrogates echoed from input, keeping pairs", () => {
    const e = toConnectError(new AppError("invalid_scope", 'unknown scope "a\ud800b\udc00c\ud83d\ude00"'));
    expect(e.rawMessage).toBe('unknown scope "a\ufffdb\ufffdc\ud83d\ude00"');
    expect(() => encodeURIComponent(e.rawMessage)).not.toThrow();
    expect(e.findDetails(ErrorInfoSchema)[0]?.reason).toBe("invalid_scope");
  });

  it("carries a retry hint as the retry-after header", () => {
    const e = toConnectError(new AppError("quota_exceeded", "slow down", { details: { retry_after: 7 }, retryAfterS: 7 }));
    expect(e.code).toBe(Code.ResourceExhausted);
    expect(e.metadata.get("retry-after")).toBe("7");
    expect(e.findDetails(RetryInfoSchema)[0]?.retryDelay?.seconds).toBe(7n);
  });
});
