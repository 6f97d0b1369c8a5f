/**
 * The training demo's model and data, shared by the Web Worker (which trains) and the page (which draws
 * the data and the decision boundary). A seeded, imbalanced 2-D data set; logistic regression on six
 * fixed features φ(x, y) = (1, x, y, x², y², xy), so the boundary can be an ellipse around the minority
 * cluster; full-batch Adam. The loss and its gradient with respect to the logits come from losskit's
 * `evaluate(id, { input, target }, options, { grad: true, into: { input: gradBuffer } })` with buffers
 * allocated once in the constructor: a step allocates no array.
 */
import { evaluate, numerics } from '../../src/index.js';

/** The losses the demo offers (registry ids; all take logits and 0/1 targets). */
export const TRAIN_LOSSES = ['bceWithLogits', 'weightedBce', 'sigmoidFocal'] as const;
export type TrainLoss = (typeof TRAIN_LOSSES)[number];

export const FEATURES = 6;

/** φ(x, y) written into `out` at `offset`. */
export function features(x: number, y: number, out: Float64Array, offset: number): void {
  out[offset] = 1;
  out[offset + 1] = x;
  out[offset + 2] = y;
  out[offset + 3] = x * x;
  out[offset + 4] = y * y;
  out[offset + 5] = x * y;
}

/** mulberry32: a small seeded generator of uniforms in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DataSet {
  /** Points as (x0, y0, x1, y1, ...), in [-1, 1]². */
  points: Float64Array;
  /** Labels 0 (majority) / 1 (minority). */
  labels: Float64Array;
  n: number;
  positives: number;
}

export const DATA_SIZE = 600;
export const MINORITY_SHARE = 0.08;
export const DATA_SEED = 15;

/**
 * The majority class (label 0) is uniform on [-1, 1]²; the minority class (label 1, a share
 * `minority` of the points) is a Gaussian blob (σ = 0.2) at (0.4, 0.3) clipped to the square, so the
 * classes overlap and an unweighted loss trades minority recall for majority accuracy.
 */
export function makeData(seed = DATA_SEED, n = DATA_SIZE, minority = MINORITY_SHARE): DataSet {
  const rand = mulberry32(seed);
  const gauss = (): number => {
    const u = 1 - rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  const points = new Float64Array(2 * n);
  const labels = new Float64Array(n);
  const positives = Math.round(n * minority);
  for (let i = 0; i < n; i += 1) {
    const pos = i < positives;
    labels[i] = pos ? 1 : 0;
    const clip = (v: number) => Math.max(-1, Math.min(1, v));
    points[2 * i] = pos ? clip(0.4 + 0.2 * gauss()) : 2 * rand() - 1;
    points[2 * i + 1] = pos ? clip(0.3 + 0.2 * gauss()) : 2 * rand() - 1;
  }
  return { points, labels, n, positives };
}

export interface Report {
  step: number;
  loss: number;
  /** Minority-class recall at probability 0.5, from losskit's `recall` metric. */
  recall: number;
  /** Minority-class precision at probability 0.5, from losskit's `precision` metric. */
  precision: number;
  weights: number[];
}

/** Logistic regression on φ trained by full-batch Adam with losskit's gradients. */
export class Trainer {
  readonly phi: Float64Array;
  readonly logits: Float64Array;
  /** ∂loss/∂logits: the caller-owned buffer `evaluate` fills on every step. */
  readonly gradLogits: Float64Array;
  readonly weights = new Float64Array(FEATURES);
  readonly gradWeights = new Float64Array(FEATURES);
  private readonly m = new Float64Array(FEATURES);
  private readonly v = new Float64Array(FEATURES);
  private readonly probs: Float64Array;
  private readonly inputs: { input: Float64Array; target: Float64Array };
  private readonly evalOptions: { grad: true; into: { input: Float64Array } };
  step = 0;
  lastLoss = NaN;

  constructor(
    readonly data: DataSet,
    readonly loss: TrainLoss,
    readonly options: Record<string, unknown>,
    readonly lr = 0.05,
  ) {
    const n = data.n;
    this.phi = new Float64Array(n * FEATURES);
    for (let i = 0; i < n; i += 1)
      features(data.points[2 * i], data.points[2 * i + 1], this.phi, i * FEATURES);
    this.logits = new Float64Array(n);
    this.gradLogits = new Float64Array(n);
    this.probs = new Float64Array(n);
    this.inputs = { input: this.logits, target: data.labels };
    this.evalOptions = { grad: true, into: { input: this.gradLogits } };
  }

  /** Writes the logits φ·w of every point. */
  forward(): void {
    const { phi, logits, weights } = this;
    for (let i = 0; i < this.data.n; i += 1) {
      let z = 0;
      for (let f = 0; f < FEATURES; f += 1) z += phi[i * FEATURES + f] * weights[f];
      logits[i] = z;
    }
  }

  /** The loss at the current weights; fills gradLogits and gradWeights = φᵀ·gradLogits. */
  lossAndGrad(): number {
    this.forward();
    const r = evaluate(this.loss, this.inputs, this.options, this.evalOptions);
    if (r.grads?.input.data !== this.gradLogits)
      throw new Error(`${this.loss}: evaluate did not fill the caller-owned gradient buffer`);
    const { phi, gradLogits, gradWeights } = this;
    gradWeights.fill(0);
    for (let i = 0; i < this.data.n; i += 1) {
      const g = gradLogits[i];
      for (let f = 0; f < FEATURES; f += 1) gradWeights[f] += phi[i * FEATURES + f] * g;
    }
    return r.value as number;
  }

  /** One Adam step (β₁ = 0.9, β₂ = 0.999); returns the loss before the step. */
  train(): number {
    const loss = this.lossAndGrad();
    this.step += 1;
    const b1 = 0.9;
    const b2 = 0.999;
    const c1 = 1 - b1 ** this.step;
    const c2 = 1 - b2 ** this.step;
    for (let f = 0; f < FEATURES; f += 1) {
      const g = this.gradWeights[f];
      this.m[f] = b1 * this.m[f] + (1 - b1) * g;
      this.v[f] = b2 * this.v[f] + (1 - b2) * g * g;
      this.weights[f] -= (this.lr * (this.m[f] / c1)) / (Math.sqrt(this.v[f] / c2) + 1e-8);
    }
    this.lastLoss = loss;
    return loss;
  }

  /** Loss, minority recall and precision (losskit's metrics at probability 0.5) and the weights. */
  report(): Report {
    this.forward();
    for (let i = 0; i < this.data.n; i += 1) this.probs[i] = numerics.sigmoid(this.logits[i]);
    const scores = { input: this.probs, target: this.data.labels };
    const metric = (id: string) => evaluate(id, scores, { task: 'binary' }).value as number;
    return {
      step: this.step,
      loss: this.lastLoss,
      recall: metric('recall'),
      precision: metric('precision'),
      weights: Array.from(this.weights),
    };
  }
}

/** The probability σ(φ(x, y)·w) of the minority class at a point. */
export function probabilityAt(
  weights: readonly number[],
  x: number,
  y: number,
  scratch: Float64Array,
): number {
  features(x, y, scratch, 0);
  let z = 0;
  for (let f = 0; f < FEATURES; f += 1) z += scratch[f] * weights[f];
  return numerics.sigmoid(z);
}
