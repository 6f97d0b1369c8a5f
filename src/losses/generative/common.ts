/**
 * Shared pieces of the generative family: input specs, the plans of one-input (generator) and
 * two-input (discriminator) losses, the one kernel of the two-term discriminator losses, and the
 * per-element BCE-with-logits used by the GAN losses.
 */
import type { Plan } from '../../core/define.js';
import { fail } from '../../core/errors.js';
import type { Reduction } from '../../core/reduce.js';
import { reduceSum, unitScale } from '../../core/reduce.js';
import type { FloatArray, Tensor } from '../../core/tensor.js';
import { formatShape, shapeEquals } from '../../core/tensor.js';
import type { Elem } from '../elementwise.js';

export const REAL_SCORES = {
  name: 'real',
  role: 'scores',
  shape: '(*)',
  differentiable: true,
  kind: 'float',
  doc: 'Discriminator (critic) outputs D(x) on real samples, any shape.',
} as const;

export const FAKE_SCORES = {
  name: 'fake',
  role: 'scores',
  shape: "(*), the same as real's under reduction 'none'",
  differentiable: true,
  kind: 'float',
  doc: "Discriminator (critic) outputs D(G(z)) on generated samples, any shape (the same as real's under reduction 'none').",
} as const;

export const REAL_LOGITS = {
  ...REAL_SCORES,
  role: 'logits',
  doc: 'Discriminator logits D(x) on real samples (before the sigmoid), any shape.',
} as const;

export const FAKE_LOGITS = {
  ...FAKE_SCORES,
  role: 'logits',
  doc: "Discriminator logits D(G(z)) on generated samples (before the sigmoid), any shape (the same as real's under reduction 'none').",
} as const;

export const GENERATOR_SCORES = {
  name: 'fake',
  role: 'scores',
  shape: '(*)',
  differentiable: true,
  kind: 'float',
  doc: 'Discriminator (critic) outputs D(G(z)) on generated samples, any shape.',
} as const;

export const GENERATOR_LOGITS = {
  ...GENERATOR_SCORES,
  role: 'logits',
  doc: 'Discriminator logits D(G(z)) on generated samples (before the sigmoid), any shape.',
} as const;

/** The note every two-input discriminator loss carries: how its reductions combine the two terms. */
export const TWO_TERM_REDUCTION_NOTE =
  "Reductions: each term is reduced on its own and the two are added, as TF-GAN and the papers do. 'mean' divides the real term's sum by the number of real scores and the fake term's sum by the number of fake scores (so real and fake batches may differ in size, and an empty batch contributes 0); 'sum' is Σ real-term + Σ fake-term; 'none' needs real and fake of the same shape and returns the elementwise sum of the two terms.";

/** Elementwise one-input plan (generator losses): every element of `fake` is one unit. */
export interface ScoresPlan extends Plan {
  x: FloatArray;
}

export function prepareScores(fake: Tensor<FloatArray>): ScoresPlan {
  return { size: fake.data.length, outShape: fake.shape, x: fake.data };
}

/**
 * Two-input plan (discriminator losses). The kernel returns the reduced value itself (the divisor of
 * 'mean' is 1): Σ real-term / realDivisor + Σ fake-term / fakeDivisor, where the divisors are the
 * element counts under 'mean' and 1 under 'sum' and 'none'.
 */
export interface TwoTermPlan extends Plan {
  real: FloatArray;
  fake: FloatArray;
  realDivisor: number;
  fakeDivisor: number;
}

export function prepareTwoTerms(
  id: string,
  real: Tensor<FloatArray>,
  fake: Tensor<FloatArray>,
  reduction: Reduction,
): TwoTermPlan {
  const nr = real.data.length;
  const nf = fake.data.length;
  if (reduction === 'none' && !shapeEquals(real.shape, fake.shape)) {
    fail(
      'E_SHAPE',
      id,
      "input 'fake'",
      `the same shape as 'real' ${formatShape(real.shape)} under reduction 'none' (the output is the elementwise sum of the real and fake terms)`,
      `shape ${formatShape(fake.shape)}`,
      "Batches of different sizes need reduction 'mean' or 'sum'.",
    );
  }
  const mean = reduction === 'mean';
  return {
    size: reduction === 'none' ? nr : nr + nf,
    outShape: real.shape,
    divisors: { mean: 1 },
    real: real.data,
    fake: fake.data,
    realDivisor: mean ? nr : 1,
    fakeDivisor: mean ? nf : 1,
  };
}

/**
 * A two-term plan with each term's two coefficients (a label, a sign, or BCE's a and b; an element
 * function of one coefficient ignores the second): the real term uses (ra, rb), the fake (fa, fb).
 */
export interface CoefTwoTermPlan extends TwoTermPlan {
  ra: number;
  rb: number;
  fa: number;
  fb: number;
}

/** prepareTwoTerms plus the coefficients of the real term ([ra, rb]) and of the fake term ([fa, fb]). */
export function prepareCoefTwoTerms(
  id: string,
  real: Tensor<FloatArray>,
  fake: Tensor<FloatArray>,
  reduction: Reduction,
  realCoefs: readonly [number, number],
  fakeCoefs: readonly [number, number],
): CoefTwoTermPlan {
  return {
    ...prepareTwoTerms(id, real, fake, reduction),
    ra: realCoefs[0],
    rb: realCoefs[1],
    fa: fakeCoefs[0],
    fb: fakeCoefs[1],
  };
}

/**
 * Σ over one term's scores x of the loss at(x_i, a, b), writing c·at(x_i, a, b).g into g when given.
 * Each entry writes its own loop around its own element function: a loop shared between entries
 * calls several element functions from one site, which V8 no longer inlines (measured 1.5× to 8.8×
 * slower on 1M float32 scores), so only the driver below is shared.
 */
export type TermLoop = (
  x: FloatArray,
  a: number,
  b: number,
  g: FloatArray | null,
  c: number,
) => number;

/**
 * 'none' (real and fake of the same shape): writes unit i = real term + fake term at i into out and,
 * when gr and gf are given, c_i times each term's derivative; returns Σ_i unit i. Per entry, as TermLoop.
 */
export type NoneLoop = (
  plan: CoefTwoTermPlan,
  out: FloatArray,
  gr: FloatArray | null,
  gf: FloatArray | null,
  seed: FloatArray | null,
  scale: number,
) => number;

/**
 * The kernel of a two-term discriminator loss (contract of core/define.ts) from the entry's loops:
 * 'none' is the entry's NoneLoop; otherwise each term is summed on its own with its coefficients,
 * its gradient scaled by its divisor (the plan's divisor of 'mean' is 1), and the two reduced terms
 * are added. The loops assign every gradient element.
 */
export function twoTermKernel(
  none: NoneLoop,
  term: TermLoop,
): (
  plan: CoefTwoTermPlan,
  out: FloatArray | null,
  grads: { readonly real: FloatArray; readonly fake: FloatArray } | null,
  seed: FloatArray | null,
  scale: number,
) => number {
  return (plan, out, grads, seed, scale) => {
    const gr = grads === null ? null : grads.real;
    const gf = grads === null ? null : grads.fake;
    if (out !== null) return none(plan, out, gr, gf, seed, scale);
    const { realDivisor, fakeDivisor } = plan;
    const sr = term(plan.real, plan.ra, plan.rb, gr, unitScale(realDivisor, scale));
    const sf = term(plan.fake, plan.fa, plan.fb, gf, unitScale(fakeDivisor, scale));
    return reduceSum(sr, realDivisor) + reduceSum(sf, fakeDivisor);
  };
}

/**
 * −(a·log σ(x) + b·log σ(−x)) = a·softplus(−x) + b·softplus(x) and its derivative b·σ(x) − a·σ(−x),
 * from one e = exp(−|x|): softplus(±x) = max(±x, 0) + log1p(e), σ(|x|) = 1/(1+e), σ(−|x|) = e/(1+e).
 * BCE with logits against target t is a = t, b = 1 − t. A zero coefficient drops its term, so a logit
 * of ±∞ against a hard label gives 0 (not 0·∞ = NaN, as torch's formula gives); the coefficients are
 * the entry's constants, so the test is the same for every element. NaN propagates to both.
 */
export function bceAt(x: number, a: number, b: number): Elem {
  const e = Math.exp(-Math.abs(x));
  const lp = Math.log1p(e);
  const hi = 1 / (1 + e);
  const lo = e * hi;
  const pos = x >= 0;
  let l = 0;
  let g = 0;
  if (a !== 0) {
    l += a * (Math.max(-x, 0) + lp);
    g -= a * (pos ? lo : hi);
  }
  if (b !== 0) {
    l += b * (Math.max(x, 0) + lp);
    g += b * (pos ? hi : lo);
  }
  return { l, g };
}
