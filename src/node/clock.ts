/**
 * The node's hybrid logical clock (protocol.md §5): ticked for every local
 * write, persisted in `node_meta` by every write transaction that advanced
 * it (once per group commit, just before the commit), and resumed
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
  private persisted: Hlc;

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
    this.persisted = this.state;
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

  /**
   * Writes the clock if it advanced since the last write; call inside the
   * transaction that used it. Should that transaction roll back, the next
   * one writes a later value anyway: the clock only moves forward.
   */
  persistIfAdvanced(): void {
    if (this.persisted === this.state) return;
    this.meta.set(META_KEY, formatHlc(this.state));
    this.persisted = this.state;
  }
}
