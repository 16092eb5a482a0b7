/**
 * A small Prometheus text-format registry: request counters and latency
 * histograms per route and method, plus gauges read at scrape time. Labels
 * never include a principal (protocol.md §12): only the route pattern, the
 * method and the status class, so cardinality stays bounded.
 *
 * @module
 */

/** Upper bounds (seconds) of the latency buckets; spans sub-millisecond to slow. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

/** A gauge whose value is read when /metrics is scraped. */
export interface GaugeSource {
  readonly name: string;
  readonly help: string;
  read(): number;
}

/** Collects request metrics and renders them in the Prometheus exposition format. */
export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  private readonly gauges: GaugeSource[] = [];

  /** Records one finished request. `route` is the route pattern, never the raw URL. */
  observeRequest(route: string, method: string, status: number, seconds: number): void {
    const countKey = labels({ route, method, status: String(status) });
    this.requests.set(countKey, (this.requests.get(countKey) ?? 0) + 1);
    const histKey = labels({ route, method });
    let h = this.latency.get(histKey);
    if (h === undefined) {
      h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.latency.set(histKey, h);
    }
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) h.counts[i]!++;
    h.sum += seconds;
    h.count++;
  }

  /** Adds a gauge evaluated at scrape time (e.g. the number of stored facts). */
  addGauge(source: GaugeSource): void {
    this.gauges.push(source);
  }

  /** The exposition text, version 0.0.4. */
  render(): string {
    const out: string[] = [];
    out.push("# HELP stigmem_http_requests_total Requests served, by route pattern, method and status.");
    out.push("# TYPE stigmem_http_requests_total counter");
    for (const [key, n] of this.requests) out.push(`stigmem_http_requests_total{${key}} ${n}`);
    out.push("# HELP stigmem_http_request_duration_seconds Request latency, by route pattern and method.");
    out.push("# TYPE stigmem_http_request_duration_seconds histogram");
    for (const [key, h] of this.latency) {
      BUCKETS.forEach((le, i) => {
        out.push(`stigmem_http_request_duration_seconds_bucket{${key},le="${le}"} ${h.counts[i]}`);
      });
      out.push(`stigmem_http_request_duration_seconds_bucket{${key},le="+Inf"} ${h.count}`);
      out.push(`stigmem_http_request_duration_seconds_sum{${key}} ${h.sum}`);
      out.push(`stigmem_http_request_duration_seconds_count{${key}} ${h.count}`);
    }
    for (const g of this.gauges) {
      out.push(`# HELP ${g.name} ${g.help}`);
      out.push(`# TYPE ${g.name} gauge`);
      out.push(`${g.name} ${g.read()}`);
    }
    return out.join("\n") + "\n";
  }
}

function labels(pairs: Record<string, string>): string {
  return Object.entries(pairs)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`)
    .join(",");
}
