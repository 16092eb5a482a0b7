/**
 * A load generator run as its own process (plain JavaScript, started with
 * `node load-generator.mjs '<json options>'`): `connections` closed-loop
 * HTTP/1.1 keep-alive clients, each sending a recall or a fact write and
 * the next request as soon as the answer is in, until `durationMs` is over.
 * Prints the count of answers per kind and status as one JSON line. Its own
 * process (started with a lower CPU priority) keeps the test's event loop
 * free for exact latency probes and leaves the node the CPU it would have
 * against remote clients.
 */
import http from "node:http";

const { url, connections, durationMs, recallShare, seed } = JSON.parse(process.argv[2]);
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const WORDS = ["alice", "bob", "engineer", "berlin", "lisbon", "project", "roadmap", "manager", "design", "review"];

let state = seed >>> 0 || 1;
function random() {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 4_294_967_296;
}
const word = () => WORDS[Math.floor(random() * WORDS.length)];

function post(path, body) {
  return new Promise((resolve) => {
    const data = JSON.stringify(body);
    const req = http.request(
      { host: target.hostname, port: target.port, path, method: "POST", agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", () => resolve(0));
    req.end(data);
  });
}

const counts = {};
const deadline = Date.now() + durationMs;
let n = 0;
async function client() {
  while (Date.now() < deadline) {
    const recall = random() < recallShare;
    const status = recall
      ? await post("/v1/recall", { query: `who is ${word()} ${word()} ${word()}`, scope: "company" })
      : await post("/v1/facts", {
          entity: `user:load-${n++ % 5000}`,
          relation: `memory:${word()}`,
          value: { type: "string", v: `${word()} ${word()} ${word()}` },
          source: "agent:load",
          scope: "company",
        });
    const key = `${recall ? "recall" : "write"} ${status}`;
    counts[key] = (counts[key] ?? 0) + 1;
    // A shed client waits as it is told, like a well-behaved one.
    if (status === 503) await new Promise((r) => setTimeout(r, 100));
  }
}
await Promise.all(Array.from({ length: connections }, client));
agent.destroy();
process.stdout.write(`${JSON.stringify(counts)}\n`);
