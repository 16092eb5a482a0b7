/**
 * A Server-Sent Events reader for the tests: real fetch, frames parsed as
 * the EventSource algorithm does (id, event, data, comments), collected as
 * they arrive.
 *
 * @module
 */

export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

export interface OpenSse {
  readonly status: number;
  readonly contentType: string | null;
  readonly frames: SseFrame[];
  /** Frames that carry an event (not comments). */
  events(): SseFrame[];
  until(check: (frames: SseFrame[]) => boolean): Promise<void>;
  /** Resolves when the server ended the stream. */
  readonly ended: Promise<void>;
  stop(): void;
}

export async function openSse(url: string, key: string, lastEventId?: string): Promise<OpenSse> {
  const controller = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${key}`, accept: "text/event-stream" };
  if (lastEventId !== undefined) headers["last-event-id"] = lastEventId;
  const res = await fetch(url, { headers, signal: controller.signal });
  const frames: SseFrame[] = [];
  const waiters = new Set<() => void>();
  let done = false;
  const notify = (): void => {
    for (const w of waiters) w();
  };
  const ended = (async (): Promise<void> => {
    if (res.body === null) return;
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const frame: SseFrame = {};
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) frame.comment = line.slice(1).trim();
            else {
              const i = line.indexOf(":");
              const field = line.slice(0, i);
              const value = line.slice(i + 1).replace(/^ /, "");
              if (field === "id" || field === "event" || field === "data") frame[field] = value;
            }
          }
          frames.push(frame);
          notify();
        }
      }
    } catch {
      // Aborted by stop().
    } finally {
      done = true;
      notify();
    }
  })();
  return {
    status: res.status,
    contentType: res.headers.get("content-type"),
    frames,
    events: () => frames.filter((f) => f.event !== undefined),
    until: (check) =>
      new Promise<void>((resolve, reject) => {
        const test = (): void => {
          if (check(frames)) {
            waiters.delete(test);
            resolve();
          } else if (done) {
            waiters.delete(test);
            reject(new Error(`the stream ended first after ${JSON.stringify(frames)}`));
          }
        };
        waiters.add(test);
        test();
      }),
    ended,
    stop: () => controller.abort(),
  };
}
