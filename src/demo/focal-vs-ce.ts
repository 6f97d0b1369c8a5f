/**
 * `npm run demo`: focal loss against cross-entropy on easy and hard examples (seed 003; Lin et al. 2017).
 * Everything is computed through the registry (`evaluate('bceWithLogits' | 'sigmoidFocal', ...)`), and
 * the printed text is deterministic. `renderDemo()` returns it; running the module prints it.
 */
import type { Tensor } from '../core/tensor.js';
import { evaluate } from '../registry.js';
import { isMainModule } from '../cli/entry.js';
import {
  ALPHA,
  BACKGROUND_PER_POSITIVE,
  DEMO_EXAMPLES,
  GAMMA,
  PRIOR_PI,
} from './focal-examples.js';
import type { DemoExample } from './focal-examples.js';

export { ALPHA, BACKGROUND_PER_POSITIVE, DEMO_EXAMPLES, GAMMA, PRIOR_PI };
export type { DemoExample };

export interface DemoRow extends DemoExample {
  /** The logit fed to the losses, x = log(p / (1 − p)). */
  logit: number;
  /** p_t = p for y = 1, 1 − p for y = 0. */
  pt: number;
  /** bceWithLogits, i.e. −log p_t. */
  ce: number;
  /** sigmoidFocal with γ = 2 and α disabled (α = −1). */
  focal: number;
  /** sigmoidFocal with γ = 2, α = 0.25. */
  focalAlpha: number;
}

function perExample(id: string, logits: number[], targets: number[], options: object): number[] {
  const value = evaluate(
    id,
    { input: logits, target: targets },
    { ...options, reduction: 'none' },
  ).value;
  return Array.from((value as Tensor).data);
}

/** Evaluates both losses on every example (one call per loss and setting). */
export function computeDemo(examples: readonly DemoExample[] = DEMO_EXAMPLES): DemoRow[] {
  const logits = examples.map((e) => Math.log(e.p / (1 - e.p)));
  const targets = examples.map((e) => e.target);
  const ce = perExample('bceWithLogits', logits, targets, {});
  const focal = perExample('sigmoidFocal', logits, targets, { gamma: GAMMA, alpha: -1 });
  const focalAlpha = perExample('sigmoidFocal', logits, targets, { gamma: GAMMA, alpha: ALPHA });
  return examples.map((e, i) => ({
    ...e,
    logit: logits[i],
    pt: e.target === 1 ? e.p : 1 - e.p,
    ce: ce[i],
    focal: focal[i],
    focalAlpha: focalAlpha[i],
  }));
}

/** 4 significant digits, scientific notation outside [1e-3, 1e4). */
function num(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e4 ? v.toPrecision(4) : v.toExponential(2);
}

/** How many times smaller the second loss is: "100×", "1.23×". */
function factor(ce: number, other: number): string {
  const f = ce / other;
  return f >= 100 ? `${Math.round(f)}×` : `${f.toPrecision(3)}×`;
}

function percent(share: number): string {
  const pc = 100 * share;
  return pc >= 1 ? `${pc.toFixed(1)}%` : `${pc.toPrecision(2)}%`;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  const line = (r: readonly string[]): string =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
}

function shares(rows: readonly DemoRow[], weight: (r: DemoRow) => number): number[][] {
  const keys = ['ce', 'focal', 'focalAlpha'] as const;
  const totals = keys.map((k) => rows.reduce((s, r) => s + weight(r) * r[k], 0));
  return rows.map((r) => keys.map((k, j) => (weight(r) * r[k]) / totals[j]));
}

const HEADER = `Focal loss vs cross-entropy on easy and hard examples
=====================================================

Seed 003 (an interview write-up on classification losses) explains focal loss as cross-entropy
CE(p_t) = −log p_t multiplied by a modulating factor: FL(p_t) = −α_t (1 − p_t)^γ log p_t. A
well-classified ("easy") example has p_t near 1, so (1 − p_t)^γ nearly zeroes its loss; a
misclassified ("hard") one has p_t near 0 and keeps almost all of its CE. The seed's comparison table
is an image, so the examples below are chosen here: an easy and a hard example of each class, the
paper's check p_t = 0.9 (γ = 2 gives a loss 100× lower than CE; Lin et al. 2017) and a background
anchor at RetinaNet's prior π = ${PRIOR_PI}.

Computed with evaluate('bceWithLogits', ...) for CE and evaluate('sigmoidFocal', ...) for FL (γ = ${GAMMA},
with α = −1, i.e. no α weighting, and with α = ${ALPHA}) on logits x = log(p / (1 − p)), reduction
'none'. p_t = p for a positive (y = 1) and 1 − p for a negative (y = 0); α_t = α for y = 1, 1 − α
for y = 0.`;

/** The whole demo text (deterministic). */
export function renderDemo(): string {
  const rows = computeDemo();
  const perLoss = table([
    ['example', 'y', 'p', 'p_t', 'CE', 'FL γ=2', 'CE/FL', 'FL γ=2 α=.25', 'CE/FL(α)'],
    ...rows.map((r) => [
      r.name,
      String(r.target),
      String(r.p),
      String(r.target === 1 ? r.p : Number((1 - r.p).toFixed(12))),
      num(r.ce),
      num(r.focal),
      factor(r.ce, r.focal),
      num(r.focalAlpha),
      factor(r.ce, r.focalAlpha),
    ]),
  ]);
  const once = shares(rows, () => 1);
  const shareTable = table([
    ['example', 'share of CE', 'share of FL', 'share of FL(α)'],
    ...rows.map((r, i) => [r.name, ...once[i].map(percent)]),
  ]);
  const batch = rows.filter((r) => r.batchCount > 0);
  const inBatch = shares(batch, (r) => r.batchCount);
  const total = (k: 'ce' | 'focal' | 'focalAlpha'): number =>
    batch.reduce((s, r) => s + r.batchCount * r[k], 0);
  const batchTable = table([
    ['example', 'count', 'share of CE', 'share of FL', 'share of FL(α)'],
    ...batch.map((r, i) => [r.name, String(r.batchCount), ...inBatch[i].map(percent)]),
    ['total loss (sum)', '', num(total('ce')), num(total('focal')), num(total('focalAlpha'))],
  ]);
  return [
    HEADER,
    '',
    '1. Loss of each example',
    '',
    ...perLoss,
    '',
    'CE/FL is how many times smaller focal loss is: 1/(1 − p_t)² without α. Easy examples',
    '(p_t ≥ 0.9) are down-weighted 100× or more, hard ones (p_t = 0.1 to 0.3) barely at all.',
    '',
    '2. Share of the total loss, each example counted once',
    '',
    ...shareTable,
    '',
    `3. An imbalanced batch: 1 very hard positive and ${BACKGROUND_PER_POSITIVE} background anchors at the prior`,
    '',
    ...batchTable,
    '',
    'Under CE the many easy background anchors dominate the loss (and the gradient); focal loss hands',
    'almost all of it to the one hard positive, which is what lets RetinaNet train on every anchor.',
    '',
  ].join('\n');
}

if (isMainModule(import.meta.url)) process.stdout.write(renderDemo());
