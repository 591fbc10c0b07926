/**
 * Runs `work` on every item with at most `limit` at once, in order of the items; resolves when all have
 * ended. `shouldStart` is asked before each start, so a stopped sweep leaves the rest unstarted.
 */
export async function runPool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  shouldStart: () => boolean = () => true,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length && shouldStart()) {
      const item = items[next++];
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}
