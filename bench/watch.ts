/**
 * `npm run bench:watch` — live watchers (issue 16's acceptance figures).
 * The node runs from `dist/` in its own process (auth off on loopback, no
 * embedder); this process holds the watchers (Connect, binary, h2c, spread
 * over several HTTP/2 sessions) and writes over REST.
 *
 *   (a) idle cost: 1,000 watchers are opened and left idle; the node's
 *       resident memory before and after (settled), and its CPU time over an
 *       idle window. Targets: growth < 50 MB, ~0 CPU.
 *   (b) latency: 100 watchers; single writes at 500 per second for S
 *       seconds (open loop); for each write and each watcher, the time from
 *       the write's request being sent until that watcher decoded the event.
 *       Target p99 ≤ 50 ms.
 *
 * The harness and the node share the machine: decoding 100 × 500 events/s
 * costs this process CPU too, so (b) is an upper bound of what the node adds.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { FactService } from "../gen/proto/stigmem/v1/facts_pb.js";
import { describeMachine, machineLine } from "./lib/machine.js";
import { processCpuSeconds } from "./lib/process-cpu.js";
import { runBench, textTable, verdict } from "./lib/report.js";
import { startNodeProcess } from "./lib/node-process.js";
import { writeSection } from "./lib/results.js";
import { fmtDuration, fmtInt, fmtMs, nowNs, Samples } from "./lib/stats.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const RESULTS_FILE = path.join(ROOT, "bench", "RESULTS.md");
const MEMORY_TARGET_MB = 50;
const LATENCY_TARGET_P99_MS = 50;
const STREAMS_PER_SESSION = 50;

const log = (line: string): void => void process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resident memory of `pid` in bytes (Linux `/proc`). */
function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m === null ? Number.NaN : Number(m[1]) * 1024;
}

/** Clients over enough HTTP/2 sessions for `n` streams. */
function clients(url: string, n: number): Client<typeof FactService>[] {
  return Array.from({ length: Math.ceil(n / STREAMS_PER_SESSION) }, () =>
    createClient(FactService, createConnectTransport({ baseUrl: url, httpVersion: "2", useBinaryFormat: true })),
  );
}

interface Watchers {
  /** Resolves when every watcher is live (its first heartbeat arrived). */
  live: Promise<void>;
  stop(): void;
}

/**
 * Opens `n` watchers, a wave of {@link STREAMS_PER_SESSION} at a time (a
 * thousand calls at once would overflow the node's admission queue);
 * `onEvent(value)` for each fact event (the fact's string value).
 */
async function openWatchers(url: string, n: number, relation: string, onEvent: (v: string) => void): Promise<Watchers> {
  const controller = new AbortController();
  const cs = clients(url, n);
  const lives: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const c = cs[Math.floor(i / STREAMS_PER_SESSION)]!;
    lives.push(
      new Promise<void>((resolve, reject) => {
        void (async () => {
          try {
            for await (const m of c.watchFacts({ relation }, { signal: controller.signal, timeoutMs: 0 })) {
              if (m.kind.case === "heartbeat") resolve();
              else if (m.kind.case === "factEvent") {
                const v = m.kind.value.fact?.value?.v;
                if (v?.case === "stringValue") onEvent(v.value);
              }
            }
          } catch (e) {
            if (!controller.signal.aborted) reject(e instanceof Error ? e : new Error(String(e)));
          }
        })();
      }),
    );
    if (lives.length % STREAMS_PER_SESSION === 0) await Promise.all(lives.slice(-STREAMS_PER_SESSION));
  }
  return { live: Promise.all(lives).then(() => undefined), stop: () => controller.abort() };
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      idle: { type: "string", default: "1000" },
      watchers: { type: "string", default: "100" },
      rate: { type: "string", default: "500" },
      seconds: { type: "string", default: "10" },
      results: { type: "string" },
    },
  });
  const idleN = Number(values.idle);
  const watchersN = Number(values.watchers);
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const started = Date.now();
  const machine = describeMachine(ROOT);
  const node = await startNodeProcess({ root: ROOT, logLevel: "warn", env: { STIGMEM_EMBEDDER: "none" } });
  try {
    // (a) idle watchers.
    await sleep(2_000);
    const idleWindowS = 10;
    // The node's own idle CPU without watchers, for comparison.
    const base0 = processCpuSeconds(node.pid);
    await sleep(idleWindowS * 1000);
    const baseCpuPct = ((processCpuSeconds(node.pid) - base0) / idleWindowS) * 100;
    const rssBefore = rssBytes(node.pid);
    const idle = await openWatchers(node.url, idleN, "bench:idle", () => {});
    await idle.live;
    await sleep(5_000);
    const rssAfter = rssBytes(node.pid);
    const cpu0 = processCpuSeconds(node.pid);
    await sleep(idleWindowS * 1000);
    const idleCpuPct = ((processCpuSeconds(node.pid) - cpu0) / idleWindowS) * 100;
    const growthMb = (rssAfter - rssBefore) / 1e6;
    log(`(a) ${idleN} idle watchers: RSS ${fmtInt(rssBefore / 1e6)} → ${fmtInt(rssAfter / 1e6)} MB (+${growthMb.toFixed(1)} MB), CPU ${idleCpuPct.toFixed(2)} % over ${idleWindowS} s (${baseCpuPct.toFixed(2)} % without watchers)`);
    idle.stop();
    await sleep(1_000);

    // (b) latency under load.
    const sentAt = new Map<string, number>();
    const latency = new Samples();
    const ack = new Samples();
    let received = 0;
    const watchers = await openWatchers(node.url, watchersN, "bench:lat", (v) => {
      const t = sentAt.get(v);
      if (t !== undefined) latency.add(nowNs() - t);
      received += 1;
    });
    await watchers.live;
    const total = rate * seconds;
    const intervalNs = 1e9 / rate;
    const begin = nowNs();
    const writes: Promise<void>[] = [];
    let failed = 0;
    const cpuLoad0 = processCpuSeconds(node.pid);
    for (let i = 0; i < total; i++) {
      const due = begin + i * intervalNs;
      const wait = (due - nowNs()) / 1e6;
      if (wait > 1) await sleep(wait);
      const v = `w${i}`;
      const t0 = nowNs();
      sentAt.set(v, t0);
      writes.push(
        fetch(`${node.url}/v1/facts`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ entity: `user:b${i % 1000}`, relation: "bench:lat", value: { type: "string", v }, source: "agent:bench", scope: "company" }),
        }).then(
          async (r) => {
            await r.arrayBuffer();
            ack.add(nowNs() - t0);
            if (r.status !== 201) failed += 1;
          },
          () => void (failed += 1),
        ),
      );
    }
    await Promise.all(writes);
    const achieved = total / ((nowNs() - begin) / 1e9);
    const deadline = Date.now() + 30_000;
    while (received < total * watchersN && Date.now() < deadline) await sleep(50);
    const loadCpuS = processCpuSeconds(node.pid) - cpuLoad0;
    watchers.stop();
    log(
      `(b) ${watchersN} watchers, ${fmtInt(total)} writes at ${fmtInt(achieved)}/s: delivered ${fmtInt(received)} of ${fmtInt(total * watchersN)}; p50 ${fmtMs(latency.percentileMs(50))} ms · p99 ${fmtMs(latency.percentileMs(99))} ms · max ${fmtMs(latency.percentileMs(100))} ms; write answered p50 ${fmtMs(ack.percentileMs(50))} ms · p99 ${fmtMs(ack.percentileMs(99))} ms; node CPU ${loadCpuS.toFixed(1)} s`,
    );

    const rows = [
      [
        `(a) ${fmtInt(idleN)} idle watchers (Connect, h2c): node RSS growth once settled; node CPU over ${idleWindowS} s idle`,
        `+${growthMb.toFixed(1)} MB (${fmtInt(rssBefore / 1e6)} → ${fmtInt(rssAfter / 1e6)} MB) · CPU ${idleCpuPct.toFixed(2)} % (${baseCpuPct.toFixed(2)} % with no watcher)`,
        `< ${MEMORY_TARGET_MB} MB, ~0 CPU`,
        verdict(growthMb < MEMORY_TARGET_MB && idleCpuPct - baseCpuPct < 1),
      ],
      [
        `(b) ${fmtInt(watchersN)} watchers, ${fmtInt(achieved)} single writes/s for ${seconds} s (request sent → event decoded by each watcher)`,
        `p50 ${fmtMs(latency.percentileMs(50))} ms · p95 ${fmtMs(latency.percentileMs(95))} ms · p99 ${fmtMs(latency.percentileMs(99))} ms · max ${fmtMs(latency.percentileMs(100))} ms; ${fmtInt(received)} of ${fmtInt(total * watchersN)} events delivered${failed > 0 ? `, ${failed} writes failed` : ""}`,
        `p99 ≤ ${LATENCY_TARGET_P99_MS} ms`,
        verdict(latency.percentileMs(99) <= LATENCY_TARGET_P99_MS && received === total * watchersN),
      ],
    ];
    log(`\n${textTable(["benchmark", "result", "target", ""], rows)}`);
    const body = `## Watch — \`npm run bench:watch\`

Serves the subscriptions part of issue 16. The node runs from \`dist/\` in its own process on loopback (auth off, log
level \`warn\`, \`STIGMEM_EMBEDDER=none\`); the harness holds the watchers (\`FactService.WatchFacts\`, Connect binary
over h2c, ${STREAMS_PER_SESSION} streams per HTTP/2 session) and writes over REST from one other process. The harness decodes
every event of every watcher on the same 2-core VM as the node (shared with other engineers' work), so (b) includes
its queueing too.

- **Run:** ${new Date(started).toISOString().replace(/\.\d{3}Z$/, "Z")} · commit ${machine.commit} · wall time ${fmtDuration((Date.now() - started) / 1000)}
- **Machine:** ${machineLine(machine)}

| benchmark | result | target | |
|---|---|---|---|
${rows.map((r) => `| ${r.join(" | ")} |`).join("\n")}
`;
    if ((values.results ?? "yes") === "yes") {
      writeSection(RESULTS_FILE, "watch", body);
      log(`\nwrote the watch section of ${path.relative(ROOT, RESULTS_FILE)}`);
    }
    return 0;
  } finally {
    await node.stop();
    node.remove();
  }
}

runBench("bench:watch", main);
