/**
 * The admission gate with a clock the test moves: "work" is simulated by
 * advancing the clock when a request is admitted, so the per-pass budget,
 * the in-flight cap, the queue bound and the queue timeout are exact.
 */
import { describe, expect, it } from "vitest";
import { isAppError } from "../../../src/node/app-error.js";
import { AdmissionGate, RETRY_AFTER_S, TURN_BUDGET_MS } from "../../../src/transport/admission-gate.js";

function gate(opts: Partial<{ maxInFlight: number; maxQueued: number; queueTimeoutMs: number }> = {}) {
  const clock = { t: 1_000 };
  const g = new AdmissionGate({
    maxInFlight: opts.maxInFlight ?? 100,
    maxQueued: opts.maxQueued ?? 100,
    queueTimeoutMs: opts.queueTimeoutMs ?? 60_000,
    now: () => clock.t,
  });
  return { g, clock };
}

const nextPass = () => new Promise<void>((r) => setImmediate(r));

describe("AdmissionGate", () => {
  it("admits at once while the pass has budget, then queues until the next pass", async () => {
    const { g, clock } = gate();
    await g.enter();
    clock.t += TURN_BUDGET_MS; // the first request used the whole budget
    let admitted = false;
    const second = g.enter().then(() => (admitted = true));
    await Promise.resolve();
    expect(admitted).toBe(false);
    expect(g.queued).toBe(1);
    await second;
    expect(g.active).toBe(2);
  });

  it("spreads queued work over passes, at most one budget per pass, in arrival order", async () => {
    const { g, clock } = gate();
    await g.enter();
    clock.t += TURN_BUDGET_MS;
    let pass = 0;
    let ticking = true;
    const tick = (): void => {
      pass++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const order: number[] = [];
    const passOf: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        g.enter().then(() => {
          order.push(i);
          passOf.push(pass);
          clock.t += 0.4 * TURN_BUDGET_MS; // each request works 40 % of a budget
        }),
      ),
    );
    ticking = false;
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const perPass = new Map<number, number>();
    for (const p of passOf) perPass.set(p, (perPass.get(p) ?? 0) + 1);
    // Started at 0, 40 % and 80 % of the budget, three fit in a pass; the fourth waits.
    expect(Math.max(...perPass.values())).toBe(3);
    expect(perPass.size).toBeGreaterThanOrEqual(4);
  });

  it("never has more than maxInFlight admitted; a release lets the next one in", async () => {
    const { g } = gate({ maxInFlight: 2 });
    const a = await g.enter();
    await g.enter();
    let third = false;
    const p = g.enter().then(() => (third = true));
    await nextPass();
    await nextPass();
    expect(third).toBe(false);
    a();
    a(); // a second release is ignored
    await p;
    expect(g.active).toBe(2);
  });

  it("sheds with overloaded and a retry hint when the queue is full", async () => {
    const { g } = gate({ maxInFlight: 1, maxQueued: 1 });
    await g.enter();
    void g.enter();
    const e: unknown = await g.enter().catch((x: unknown) => x);
    expect(isAppError(e) && e.code).toBe("overloaded");
    expect(isAppError(e) && e.details.retry_after).toBe(RETRY_AFTER_S);
  });

  it("sheds a request that waited longer than the queue timeout", async () => {
    const { g } = gate({ maxInFlight: 1, queueTimeoutMs: 20 });
    await g.enter();
    const e: unknown = await g.enter().catch((x: unknown) => x);
    expect(isAppError(e) && e.code).toBe("overloaded");
    expect(g.queued).toBe(0);
  });

  it("with no queue, refuses whatever cannot start now", async () => {
    const { g } = gate({ maxInFlight: 1, maxQueued: 0 });
    await g.enter();
    await expect(g.enter()).rejects.toMatchObject({ code: "overloaded" });
  });
});
