/**
 * The guarded discovery fetch against real HTTP servers on loopback: refused
 * without the private-address flag (the server never sees a request),
 * allowed with it, pinned to the checked address (a name the system cannot
 * resolve still connects, and the resolver runs once), no redirects, body
 * cap, JSON only, and a deadline that also closes the socket.
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { DiscoveryError, fetchDiscovery } from "../../../src/federation/fetch-discovery.js";
import { pinnedLookup, resolvePeerHost, SsrfError, type ResolvedAddress } from "../../../src/federation/ssrf-guard.js";

interface TestServer {
  port: number;
  requests: string[];
  closedSockets: () => number;
  close: () => Promise<void>;
}

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void, host = "127.0.0.1"): Promise<TestServer> {
  const requests: string[] = [];
  let closed = 0;
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  server.on("connection", (socket) => socket.on("close", () => (closed += 1)));
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const s: TestServer = {
    port: (server.address() as AddressInfo).port,
    requests,
    closedSockets: () => closed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(s);
  return s;
}

const DOC = { node_id: "stigmem:node:x", federation: "enabled", federation_pubkey: "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg" };
const json = (body: unknown) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

async function failure(p: Promise<unknown>): Promise<[string, number | undefined]> {
  try {
    await p;
    return ["fetched", undefined];
  } catch (e) {
    if (e instanceof DiscoveryError) return [e.code, e.status];
    throw e;
  }
}

describe("resolvePeerHost", () => {
  const resolver = (...addresses: ResolvedAddress[]) => {
    const calls: string[] = [];
    const fn = async (host: string) => {
      calls.push(host);
      return addresses;
    };
    return Object.assign(fn, { calls });
  };

  it("takes a public literal as it is, without DNS", async () => {
    const r = resolver();
    expect(await resolvePeerHost("93.184.216.34", { allowPrivate: false, resolve: r })).toEqual([{ address: "93.184.216.34", family: 4 }]);
    expect(await resolvePeerHost("2606:4700:4700::1111", { allowPrivate: false, resolve: r })).toEqual([{ address: "2606:4700:4700::1111", family: 6 }]);
    expect(r.calls).toEqual([]);
  });

  it.each(["127.0.0.1", "10.0.0.1", "169.254.169.254", "100.64.0.1", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "64:ff9b::a00:1"])(
    "refuses the literal %s unless private addresses are allowed",
    async (ip) => {
      await expect(resolvePeerHost(ip, { allowPrivate: false })).rejects.toMatchObject({ code: "address_not_allowed" });
      await expect(resolvePeerHost(ip, { allowPrivate: true })).resolves.toHaveLength(1);
    },
  );

  it.each(["0.0.0.0", "::", "224.0.0.1", "255.255.255.255", "ff02::1"])("refuses %s even when private addresses are allowed", async (ip) => {
    await expect(resolvePeerHost(ip, { allowPrivate: true })).rejects.toMatchObject({ code: "address_not_allowed" });
  });

  it("refuses a name when ANY of its addresses is private", async () => {
    const r = resolver({ address: "93.184.216.34", family: 4 }, { address: "10.0.0.5", family: 4 });
    const err = await resolvePeerHost("mixed.example", { allowPrivate: false, resolve: r }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SsrfError);
    expect((err as SsrfError).message).toBe("mixed.example resolves to 10.0.0.5 is a private address; peers must be public");
  });

  it("returns every address of a public name", async () => {
    const all: ResolvedAddress[] = [{ address: "93.184.216.34", family: 4 }, { address: "2606:2800:220:1::1", family: 6 }];
    expect(await resolvePeerHost("ok.example", { allowPrivate: false, resolve: resolver(...all) })).toEqual(all);
  });

  it("reports names that do not resolve", async () => {
    await expect(resolvePeerHost("empty.example", { allowPrivate: false, resolve: resolver() })).rejects.toMatchObject({ code: "dns_failed" });
    const failing = async (): Promise<ResolvedAddress[]> => {
      throw Object.assign(new Error("nope"), { code: "ENOTFOUND" });
    };
    await expect(resolvePeerHost("gone.example", { allowPrivate: false, resolve: failing })).rejects.toMatchObject({ code: "dns_failed" });
  });

  it("resolves localhost with the system resolver to loopback, refused by default", async () => {
    await expect(resolvePeerHost("localhost", { allowPrivate: false })).rejects.toMatchObject({ code: "address_not_allowed" });
    const addresses = await resolvePeerHost("localhost", { allowPrivate: true });
    expect(addresses.length).toBeGreaterThan(0);
    expect(addresses.every((a) => a.address === "::1" || a.address.startsWith("127."))).toBe(true);
  });
});

describe("pinnedLookup", () => {
  const pinned = pinnedLookup([{ address: "127.0.0.1", family: 4 }, { address: "::1", family: 6 }]);
  const call = (options: object) =>
    new Promise<unknown[]>((resolve) => pinned("anything.example", options, (...args: unknown[]) => resolve(args)));

  it("answers from the pinned list in both callback forms, by family", async () => {
    expect(await call({})).toEqual([null, "127.0.0.1", 4]);
    expect(await call({ family: 6 })).toEqual([null, "::1", 6]);
    expect(await call({ all: true })).toEqual([null, [{ address: "127.0.0.1", family: 4 }, { address: "::1", family: 6 }]]);
    expect(await call({ all: true, family: 4 })).toEqual([null, [{ address: "127.0.0.1", family: 4 }]]);
  });

  it("fails rather than resolving a family it has no address for", async () => {
    const only4 = pinnedLookup([{ address: "127.0.0.1", family: 4 }]);
    const [err] = await new Promise<unknown[]>((resolve) => only4("x", { family: 6 }, (...args: unknown[]) => resolve(args)));
    expect((err as NodeJS.ErrnoException).code).toBe("ENOTFOUND");
  });
});

describe("fetchDiscovery", () => {
  it("refuses a loopback peer without the flag, before any request", async () => {
    const s = await serve(json(DOC));
    expect(await failure(fetchDiscovery(`http://127.0.0.1:${s.port}`, { allowPrivate: false }))).toEqual(["address_not_allowed", undefined]);
    expect(await failure(fetchDiscovery(`http://localhost:${s.port}`, { allowPrivate: false }))).toEqual(["address_not_allowed", undefined]);
    expect(s.requests).toEqual([]);
  });

  it("fetches /.well-known/stigmem with the flag, by address and by name", async () => {
    const s = await serve(json(DOC));
    const byAddress = await fetchDiscovery(`http://127.0.0.1:${s.port}`, { allowPrivate: true });
    expect(byAddress).toEqual({ url: `http://127.0.0.1:${s.port}/.well-known/stigmem`, remoteAddress: "127.0.0.1", document: DOC });
    const byName = await fetchDiscovery(`http://localhost:${s.port}/`, { allowPrivate: true });
    expect(byName.document).toEqual(DOC);
    expect(s.requests).toEqual(["GET /.well-known/stigmem", "GET /.well-known/stigmem"]);
  });

  it("keeps a path prefix of the node URL", async () => {
    const s = await serve(json(DOC));
    await fetchDiscovery(`http://127.0.0.1:${s.port}/stigmem/`, { allowPrivate: true });
    expect(s.requests).toEqual(["GET /stigmem/.well-known/stigmem"]);
  });

  it("connects to the address it checked, never resolving again (no DNS rebinding)", async () => {
    const s = await serve(json(DOC));
    const calls: string[] = [];
    // The system cannot resolve this name: a second, unpinned lookup would fail with ENOTFOUND.
    const resolve = async (host: string): Promise<ResolvedAddress[]> => {
      calls.push(host);
      return [{ address: "127.0.0.1", family: 4 }];
    };
    const d = await fetchDiscovery(`http://rebind.localhost.invalid:${s.port}`, { allowPrivate: true, allowPlainHttp: true, resolve });
    expect([d.remoteAddress, calls]).toEqual(["127.0.0.1", ["rebind.localhost.invalid"]]);
  });

  it("refuses a name whose check fails even if the name would connect", async () => {
    const s = await serve(json(DOC));
    const resolve = async (): Promise<ResolvedAddress[]> => [{ address: "127.0.0.1", family: 4 }];
    const r = await failure(fetchDiscovery(`https://peer.example:${s.port}`, { allowPrivate: false, resolve }));
    expect(r).toEqual(["address_not_allowed", undefined]);
    expect(s.requests).toEqual([]);
  });

  it("does not follow redirects", async () => {
    const target = await serve(json(DOC));
    const s = await serve((_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${target.port}/.well-known/stigmem` });
      res.end();
    });
    expect(await failure(fetchDiscovery(`http://127.0.0.1:${s.port}`, { allowPrivate: true }))).toEqual(["redirect_refused", 302]);
    expect(target.requests).toEqual([]);
  });

  it.each([404, 500, 204])("reports status %d", async (status) => {
    const s = await serve((_req, res) => {
      res.writeHead(status);
      res.end();
    });
    expect(await failure(fetchDiscovery(`http://127.0.0.1:${s.port}`, { allowPrivate: true }))).toEqual(["http_status", status]);
  });

  it("caps the body, declared or streamed", async () => {
    const big = JSON.stringify({ pad: "x".repeat(2_000) });
    const declared = await serve((_req, res) => {
      res.writeHead(200, { "content-length": String(Buffer.byteLength(big)) });
      res.end(big);
    });
    const streamed = await serve((_req, res) => {
      res.writeHead(200); // chunked: no content-length
      res.write(big.slice(0, 1_000));
      res.end(big.slice(1_000));
    });
    for (const s of [declared, streamed]) {
      expect(await failure(fetchDiscovery(`http://127.0.0.1:${s.port}`, { allowPrivate: true, maxBytes: 1_024 }))).toEqual(["body_too_large", undefined]);
    }
    expect((await fetchDiscovery(`http://127.0.0.1:${streamed.port}`, { allowPrivate: true, maxBytes: 4_096 })).document).toEqual(JSON.parse(big));
  });

  it.each([["not JSON", "<html>"], ["a JSON array", "[1]"], ["invalid UTF-8", Buffer.from([0x7b, 0xff, 0x7d])]])("refuses %s", async (_name, body) => {
    const s = await serve((_req, res) => {
      res.writeHead(200);
      res.end(body);
    });
    expect(await failure(fetchDiscovery(`http://127.0.0.1:${s.port}`, { allowPrivate: true }))).toEqual(["invalid_json", undefined]);
  });

  it("gives up at the deadline and closes the connection", async () => {
    const s = await serve(() => {
      /* never answers */
    });
    expect(await failure(fetchDiscovery(`http://127.0.0.1:${s.port}`, { allowPrivate: true, timeoutMs: 200 }))).toEqual(["timeout", undefined]);
    // The abort destroyed our socket; the server sees the close (waited for, not timed).
    await expect.poll(() => s.closedSockets(), { timeout: 5_000 }).toBe(1);
  });

  it("counts DNS time against the deadline", async () => {
    const never = (): Promise<ResolvedAddress[]> => new Promise(() => undefined);
    expect(await failure(fetchDiscovery("https://slow-dns.example", { allowPrivate: false, timeoutMs: 100, resolve: never }))).toEqual(["timeout", undefined]);
  });

  it("reports a refused connection as a network error", async () => {
    const s = await serve(json(DOC));
    const port = s.port;
    await s.close();
    servers.splice(servers.indexOf(s), 1);
    expect(await failure(fetchDiscovery(`http://127.0.0.1:${port}`, { allowPrivate: true }))).toEqual(["network", undefined]);
  });

  it.each(["http://peer.example", "ftp://127.0.0.1", "not a url", "https://u:p@peer.example"])("refuses the node URL %j", async (url) => {
    expect(await failure(fetchDiscovery(url, { allowPrivate: true }))).toEqual(["invalid_node_url", undefined]);
  });
});
