import { describe, fail } from '../../core/errors.js';
import type { Tensor, TensorLike } from '../../core/tensor.js';
import { asIndices, toTensor } from '../../core/tensor.js';
import { edgeCount, SeededRandom } from './common.js';

export interface NegativeSamplingOptions {
  /** How many negative edges to draw (default: as many as there are positive edges). */
  numNegSamples?: number;
  /** Seed of the generator (default 0): the same seed, edges and N give the same sample. */
  seed?: number;
}

const ID = 'negativeSampling';

/**
 * The most negative edges one call draws (2^22 = 4,194,304): the (2, K) result is then 32 MiB, the
 * sparse sampler's set of drawn pairs a few hundred MiB at most, and the dense sampler's pool of
 * non-edges (used when K is over half of them) under 2^23 numbers. Larger requests throw E_RANGE
 * before anything is allocated.
 */
export const MAX_NEGATIVE_SAMPLES = 2 ** 22;

function checkCount(name: string, v: unknown, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    fail('E_OPTION', ID, `option '${name}'`, `an integer in [0, ${max}]`, `${name}=${describe(v)}`);
  }
  return v;
}

/**
 * Seeded negative sampling for graph autoencoders (the role of PyG's `negative_sampling` in
 * `GAE.recon_loss`, made deterministic): draws distinct directed node pairs (i, j), i ≠ j, that are
 * not among the given positive edges, uniformly without replacement. Returns an Int32 edge index of
 * shape (2, K), pairs in the order drawn, with K = min(numNegSamples, number of non-edges): unlike
 * PyG's approximate three-round sampler it never returns fewer than that, and never a positive edge.
 *
 * Like PyG's default (force_undirected=False) only the pairs as given are excluded: list an undirected
 * edge in both directions to keep both (i, j) and (j, i) out of the sample.
 */
export function negativeSampling(
  posEdges: TensorLike,
  numNodes: number,
  options: NegativeSamplingOptions = {},
): Tensor<Int32Array> {
  if (options === null || typeof options !== 'object') {
    fail('E_OPTION', ID, 'options', 'an object { numNegSamples?, seed? }', describe(options));
  }
  for (const key of Object.keys(options)) {
    if (key !== 'numNegSamples' && key !== 'seed') {
      fail('E_OPTION', ID, `option '${key}'`, "one of 'numNegSamples', 'seed'", `'${key}'`);
    }
  }
  const n = checkCount('numNodes', numNodes, 94906265); // N(N − 1) stays below 2^53
  const t = toTensor(posEdges, ID, 'posEdges');
  const edges = { data: asIndices(t, ID, 'posEdges'), shape: t.shape };
  const e = edgeCount(ID, 'posEdges', edges, n);
  const requested =
    Object.hasOwn(options, 'numNegSamples') && options.numNegSamples !== undefined
      ? checkCount('numNegSamples', options.numNegSamples, Number.MAX_SAFE_INTEGER)
      : e;
  const seed = Object.hasOwn(options, 'seed') && options.seed !== undefined ? options.seed : 0;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) {
    fail('E_OPTION', ID, "option 'seed'", 'an integer', `seed=${describe(seed)}`);
  }

  const forbidden = new Set<number>();
  for (let k = 0; k < e; k++) {
    const i = edges.data[k];
    const j = edges.data[e + k];
    if (i !== j) forbidden.add(i * n + j);
  }
  const population = n * (n - 1);
  const available = population - forbidden.size;
  const count = Math.min(requested, available);
  if (count > MAX_NEGATIVE_SAMPLES) {
    fail(
      'E_RANGE',
      ID,
      "option 'numNegSamples'",
      `at most ${MAX_NEGATIVE_SAMPLES} negative edges per call`,
      `${count} (numNegSamples = ${requested}, ${available} non-edges)`,
      'Draw the negatives in several calls with different seeds.',
    );
  }
  const out = new Int32Array(2 * count);
  const rng = new SeededRandom(seed);
  if (count > available / 2) {
    // Dense case: list every non-edge, then a partial Fisher–Yates shuffle picks `count` of them.
    const pool = new Float64Array(available);
    let p = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) if (i !== j && !forbidden.has(i * n + j)) pool[p++] = i * n + j;
    for (let k = 0; k < count; k++) {
      const r = k + rng.below(available - k);
      const v = pool[r];
      pool[r] = pool[k];
      pool[k] = v;
      out[k] = Math.floor(v / n);
      out[count + k] = v % n;
    }
  } else {
    // Sparse case: rejection sampling over the N(N − 1) off-diagonal pairs (PyG's vector layout);
    // at least half the candidates are accepted, so this takes under 2·count draws on average.
    const chosen = new Set<number>();
    let k = 0;
    while (k < count) {
      const r = rng.below(population);
      const i = Math.floor(r / (n - 1));
      let j = r % (n - 1);
      if (j >= i) j++;
      const v = i * n + j;
      if (forbidden.has(v) || chosen.has(v)) continue;
      chosen.add(v);
      out[k] = i;
      out[count + k] = j;
      k++;
    }
  }
  return { data: out, shape: [2, count] };
}
