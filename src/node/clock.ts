/**
 * The node's hybrid logical clock (protocol.md §5): ticked for every local
 * write, persisted in `node_meta` inside each fact transaction, and resumed
 * after a restart from max(persisted, greatest stored HLC), so local HLCs
 * never go backwards even if the wall clock does.
 *
 * @module
 */
import { formatHlc, HLC_ZERO, maxHlc, parseHlc, receive, tick, type Hlc } from "../core/hlc.js";
import type { FactStore } from "../store/fact-store.js";
import type { NodeMetaStore } from "../store/node-meta-store.js";

const META_KEY = "hlc";

export class Clock {
  private state: Hlc;

  constructor(
    private readonly meta: NodeMetaStore,
    facts: FactStore,
  ) {
    const persisted = meta.get(META_KEY);
    const stored = facts.maxHlc();
    this.state = maxHlc(
      persisted === undefined ? HLC_ZERO : parseHlc(persisted),
      stored === undefined ? HLC_ZERO : { wall: stored.w, counter: stored.c },
    );
  }

  /** Next HLC for a local event. */
  tick(nowMs: number = Date.now()): Hlc {
    this.state = tick(this.state, nowMs);
    return this.state;
  }

  /** Next HLC after receiving a remote one. */
  receive(remote: Hlc, nowMs: number = Date.now()): Hlc {
    this.state = receive(this.state, remote, nowMs);
    return this.state;
  }

  current(): Hlc {
    return this.state;
  }

  /** Writes the clock; call inside the transaction that used it. */
  persist(): void {
    this.meta.set(META_KEY, formatHlc(this.state));
  }
}
