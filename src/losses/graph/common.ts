/**
 * Shared pieces of the graph family: node-embedding and edge-index inputs with their checks, and the
 * seeded generator behind `negativeSampling`.
 */
import { fail } from '../../core/errors.js';
import { requireRank } from '../../core/shapes.js';
import type { FloatArray, Tensor } from '../../core/tensor.js';
import { formatShape } from '../../core/tensor.js';

export const NODE_EMBEDDINGS = {
  name: 'embeddings',
  role: 'embeddings',
  shape: '(N, D)',
  differentiable: true,
  kind: 'float',
  doc: 'Node embeddings Z from the encoder, one row per node.',
} as const;

/** Checks a (N, D) embedding matrix; returns N and D. */
export function embeddingRows(
  id: string,
  name: string,
  z: Tensor<FloatArray>,
): { n: number; d: number } {
  requireRank(id, name, z, [2], '(N, D)');
  return { n: z.shape[0], d: z.shape[1] };
}

/**
 * Checks an edge index of shape (2, E) with node ids in [0, numNodes) and returns E. Row 0 holds the
 * source nodes, row 1 the targets (PyG's edge_index layout).
 */
export function edgeCount(
  id: string,
  name: string,
  e: Tensor<Int32Array>,
  numNodes: number,
): number {
  if (e.shape.length !== 2 || e.shape[0] !== 2) {
    fail(
      'E_SHAPE',
      id,
      `input '${name}'`,
      'an edge index of shape (2, E): row 0 the source nodes, row 1 the target nodes',
      `shape ${formatShape(e.shape)}`,
    );
  }
  const idx = e.data;
  for (let k = 0; k < idx.length; k++) {
    const v = idx[k];
    if (v < 0 || v >= numNodes) {
      fail(
        'E_RANGE',
        id,
        `input '${name}'`,
        `node ids in [0, ${numNodes - 1}] (N = ${numNodes} rows of embeddings)`,
        `${v} at ${k < e.shape[1] ? `[0, ${k}]` : `[1, ${k - e.shape[1]}]`}`,
      );
    }
  }
  return e.shape[1];
}

/**
 * mulberry32: a small seeded 32-bit generator (public-domain construction by Tommy Ettinger).
 * `uniform53` combines two draws into a double in [0, 1) with 53 random bits.
 */
export class SeededRandom {
  private a: number;

  constructor(seed: number) {
    this.a = seed >>> 0;
  }

  next32(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  uniform53(): number {
    const hi = this.next32() >>> 5; // 27 bits
    const lo = this.next32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** An integer in [0, n) for n ≤ 2^53. */
  below(n: number): number {
    return Math.floor(this.uniform53() * n);
  }
}
