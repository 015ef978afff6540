// The list commands' shared part: reading pages until the items or --limit run out.

/** The page size for a list read up to `limit` items (the API allows 100 a page). */
export const pageSizeFor = (limit) => Math.min(limit ?? 100, 100);

/** The items of `items` (an async iterator over every page), at most `limit` of them. */
export async function collect(items, limit) {
  const out = [];
  for await (const item of items) {
    out.push(item);
    if (out.length === limit) break;
  }
  return out;
}
