import { defineLoss } from '../../core/define.js';
import { neumaierResult, xlogy } from '../../core/numerics.js';
import type { PairPlan } from '../elementwise.js';
import { preparePair } from '../elementwise.js';

type KlDivPlan = PairPlan<{ logTarget: boolean }>;

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
  forward(plan: KlDivPlan, out) {
    const { x, y } = plan;
    const logTarget = plan.options.logTarget;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const t = y[i];
      const l = logTarget ? Math.exp(t) * (t - x[i]) : xlogy(t, t) - t * x[i];
      if (out !== null) out[i] = l;
      const st = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - st + l : l - st + sum;
      sum = st;
    }
    return neumaierResult(sum, comp);
  },
  backward(plan: KlDivPlan, seed, scale, grads) {
    const { x, y } = plan;
    const logTarget = plan.options.logTarget;
    const g = grads.input;
    for (let i = 0; i < x.length; i++) {
      const c = seed === null ? scale : seed[i] * scale;
      g[i] = -(logTarget ? Math.exp(y[i]) : y[i]) * c;
    }
  },
  fused(plan: KlDivPlan, out, seed, scale, grads) {
    return plan.options.logTarget
      ? fusedLogTarget(plan.x, plan.y, out, seed, scale, grads.input)
      : fusedPlain(plan.x, plan.y, out, seed, scale, grads.input);
  },
});

// The fused loops take their arrays as parameters: measured on Node 20, V8 ran the same loop about
// 30% slower with the arrays read from the plan inside the kernel.

/** logTarget: one exp(target) per element gives both the loss and the gradient. */
function fusedLogTarget(
  x: Float64Array,
  y: Float64Array,
  out: Float64Array | null,
  seed: Float64Array | null,
  scale: number,
  g: Float64Array,
): number {
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < x.length; i++) {
    const t = y[i];
    const e = Math.exp(t);
    const l = e * (t - x[i]);
    g[i] = -e * (seed === null ? scale : seed[i] * scale);
    if (out !== null) out[i] = l;
    const st = sum + l;
    comp += Math.abs(sum) >= Math.abs(l) ? sum - st + l : l - st + sum;
    sum = st;
  }
  return neumaierResult(sum, comp);
}

function fusedPlain(
  x: Float64Array,
  y: Float64Array,
  out: Float64Array | null,
  seed: Float64Array | null,
  scale: number,
  g: Float64Array,
): number {
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < x.length; i++) {
    const t = y[i];
    const l = xlogy(t, t) - t * x[i];
    g[i] = -t * (seed === null ? scale : seed[i] * scale);
    if (out !== null) out[i] = l;
    const st = sum + l;
    comp += Math.abs(sum) >= Math.abs(l) ? sum - st + l : l - st + sum;
    sum = st;
  }
  return neumaierResult(sum, comp);
}
