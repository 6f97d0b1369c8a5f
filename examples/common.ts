/** Shared by the examples: a seeded generator and the registry check for entries from other families. */
import { ids } from 'losskit';

/** mulberry32: a small seeded uniform generator in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** True when every id is registered; otherwise says which are missing (the example then skips). */
export function requireEntries(example: string, wanted: readonly string[]): boolean {
  const have = new Set(ids());
  const missing = wanted.filter((id) => !have.has(id));
  if (missing.length === 0) return true;
  console.log(
    `${example}: skipped, this build has no ${missing.join(', ')} (that family is not merged into this branch yet); it runs unchanged once it is.`,
  );
  return false;
}
