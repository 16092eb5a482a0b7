/**
 * Walks a cursor-paged listing to its end, so callers iterate facts rather
 * than pages; shared by every transport's `facts.list`.
 *
 * @module
 */

/** Yields every item of every page, following `cursor` until it is null. */
export async function* paginate<T, P extends { cursor: string | null }>(
  fetchPage: (cursor: string | undefined) => Promise<P>,
  items: (page: P) => readonly T[],
): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield* items(page);
    cursor = page.cursor ?? undefined;
  } while (cursor !== undefined);
}
