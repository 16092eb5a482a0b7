/**
 * A tiny JSON-over-HTTP client for tests: real fetch against a real node,
 * returning status, headers and the parsed body.
 *
 * @module
 */
export interface RestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export class RestClient {
  constructor(
    readonly baseUrl: string,
    private readonly key?: string,
  ) {}

  withKey(key: string): RestClient {
    return new RestClient(this.baseUrl, key);
  }

  async request<T = any>(method: string, path: string, body?: unknown): Promise<RestResponse<T>> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (this.key !== undefined) headers.authorization = `Bearer ${this.key}`;
    const res = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text === "" ? undefined : JSON.parse(text) };
  }

  get<T = any>(path: string): Promise<RestResponse<T>> {
    return this.request<T>("GET", path);
  }

  post<T = any>(path: string, body: unknown): Promise<RestResponse<T>> {
    return this.request<T>("POST", path, body);
  }
}

/** Builds a query string from defined values. */
export function qs(params: Record<string, string | number | boolean | undefined>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined) as [string, string | number | boolean][];
  const pairs: [string, string][] = entries.map(([k, v]) => [k, String(v)]);
  return pairs.length === 0 ? "" : `?${new URLSearchParams(pairs).toString()}`;
}
