import { defineLoss } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK, xlogy } from '../../core/numerics.js';
import type { Elem, PairPlan } from '../elementwise.js';
import { preparePair } from '../elementwise.js';
import { pairFast } from '../../wasm/elementwise.js';

type KlDivPlan = PairPlan<{ logTarget: boolean }>;

/**
 * torch's pointwise KL term and its derivative in x: t·log t − t·x (xlogy: 0 where t = 0) with
 * gradient −t, or with log-probability targets e^t·(t − x) with gradient −e^t (one exp for both).
 * `logTarget` is the same for every element, so its branch is perfectly predicted.
 */
function klDivAt(x: number, t: number, logTarget: boolean): Elem {
  if (logTarget) {
    const e = Math.exp(t);
    return { l: e * (t - x), g: -e };
  }
  return { l: xlogy(t, t) - t * x, g: -t };
}

/** Pointwise Kullback–Leibler divergence of log-probabilities, torch `kl_div`. */
export const klDiv = defineLoss({
  meta: {
    id: 'klDiv',
    task: 'classification',
    title: 'Kullback–Leibler divergence (torch)',
    summary:
      "Pointwise KL term t·(log t − x) of log-probability inputs against probability (or log-probability) targets; 'batchmean' gives the mathematical KL per sample.",
    formula:
      '\\ell_i = t_i(\\log t_i - x_i)\\ (0 \\text{ where } t_i = 0),\\quad \\text{logTarget: } \\ell_i = e^{t_i}(t_i - x_i)',
    inputs: [
      {
        name: 'input',
        role: 'logProbabilities',
        shape: '(N, *)',
        differentiable: true,
        kind: 'float',
        doc: 'Log-probabilities of the approximating distribution.',
      },
      {
        name: 'target',
        role: 'probabilities',
        shape: '(N, *) same as input',
        differentiable: false,
        kind: 'float',
        doc: 'Probabilities of the reference distribution (log-probabilities with logTarget: true).',
      },
    ],
    options: {
      logTarget: {
        type: 'boolean',
        default: false,
        doc: 'The target holds log-probabilities.',
      },
    },
    reductions: ['mean', 'sum', 'none', 'batchmean'],
    references: [
      {
        title: 'PyTorch KLDivLoss',
        url: 'https://pytorch.org/docs/1.13/generated/torch.nn.KLDivLoss.html',
        implementation: 'torch.nn.functional.kl_div (PyTorch 1.13)',
      },
      {
        title: 'On Information and Sufficiency (Kullback & Leibler, 1951)',
        url: 'https://doi.org/10.1214/aoms/1177729694',
      },
    ],
    examples: [
      {
        title: 'Two distributions over three classes',
        inputs: {
          input: [
            [-1.2, -0.9, -1.2],
            [-0.5, -1.5, -1.7],
          ],
          target: [
            [0.2, 0.5, 0.3],
            [0.6, 0.0, 0.4],
          ],
        },
        options: { reduction: 'batchmean' },
      },
    ],
    whenToUse:
      "Fit a predicted distribution to a reference distribution rather than to a single label: knowledge distillation (the teacher's probabilities as target), label distributions, the KL terms of variational objectives. KL = cross-entropy − entropy of the target, so against a fixed target it has cross-entropy's gradient but reaches 0 exactly when the two distributions agree. Use reduction 'batchmean' for the mathematical KL per sample.",
    caveats: [
      'The input must hold log-probabilities (a log-softmax output) and the target probabilities (log-probabilities with logTarget: true); Keras and TF.js take probabilities for both, and mixing the conventions gives wrong values without an error.',
      "'mean' divides by the number of elements (for (N, C) inputs, the per-sample KL divided by C): use 'batchmean' (torch warns about this too).",
      'KL is asymmetric: this is KL(target ‖ exp(input)), which punishes missing mass where the target has some far more than spreading mass where it has none.',
      'Targets of exactly 0 contribute 0 (xlogy convention); negative targets give NaN, as torch.',
    ],
    notes: [
      "'mean' divides by the element count (torch's default, which warns); 'batchmean' divides by input.shape[0] (the sum for a scalar input).",
      'xlogy convention: a target of exactly 0 contributes 0 (its gradient −t is 0 too).',
    ],
  },
  prepare(inputs, options, id): KlDivPlan {
    const plan = preparePair(id, inputs.input, inputs.target, { logTarget: options.logTarget });
    const shape = inputs.input.shape;
    return { ...plan, divisors: { batchmean: shape.length === 0 ? 1 : shape[0] } };
  },
  writesEveryGrad: true,
  kernel(plan: KlDivPlan, out, grads, seed, scale) {
    const { x, y, size: n } = plan;
    const logTarget = plan.options.logTarget;
    const g = grads === null ? null : grads.input;
    const fast = pairFast(logTarget ? 'klDivLog' : 'klDiv', x, y, out, g, seed, scale);
    if (fast !== undefined) return fast;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      if (g !== null && out === null && seed === null) {
        // The training path (reduced loss and its gradient) without per-element branches.
        for (let i = b; i < e; i++) {
          const r = klDivAt(x[i], y[i], logTarget);
          s += r.l;
          g[i] = r.g * scale;
        }
      } else {
        for (let i = b; i < e; i++) {
          const r = klDivAt(x[i], y[i], logTarget);
          s += r.l;
          if (out !== null) out[i] = r.l;
          if (g !== null) g[i] = r.g * (seed === null ? scale : seed[i] * scale);
        }
      }
      acc.add(s);
    }
    return acc.value();
  },
});
