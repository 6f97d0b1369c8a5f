/**
 * The confusion-matrix calculator (#/play/confusion): four editable counts become label arrays
 * (TP pairs (1, 1), FP (1, 0), FN (0, 1), TN (0, 0)) and every value shown is a library entry evaluated
 * on them with task 'binary': confusionMatrix, precision, recall, f1Score, fbetaScore, accuracy,
 * specificity, iouScore and diceScore, and the Matthews correlation as 1 − mcc(…, { eps: 0 }) (the
 * segmentation loss on hard 0/1 masks). It opens on seed 002's tumour example.
 */
import { evaluate, list } from '../../../src/index.js';
import type { Tensor } from '../../../src/index.js';
import { fmt, h } from '../dom.js';

/** Seed 002: 100 people, 30 with a tumour; 25 predicted positive, 5 of whom are healthy. */
export const SEED_002 = { tp: 20, fp: 5, fn: 10, tn: 65 };

export const CONFUSION_METRICS = [
  'precision',
  'recall',
  'f1Score',
  'fbetaScore',
  'accuracy',
  'specificity',
  'iouScore',
  'diceScore',
] as const;

type Counts = typeof SEED_002;

/** Label arrays holding the counts: predictions `input` and truths `target`. */
export function labelsFromCounts(c: Counts): { input: Int32Array; target: Int32Array } {
  const n = c.tp + c.fp + c.fn + c.tn;
  const input = new Int32Array(n);
  const target = new Int32Array(n);
  input.fill(1, 0, c.tp + c.fp);
  target.fill(1, 0, c.tp);
  target.fill(1, c.tp + c.fp, c.tp + c.fp + c.fn);
  return { input, target };
}

export function confusionPage(): Node[] {
  const metas = new Map(list().map((m) => [m.id, m]));
  const counts: Counts = { ...SEED_002 };
  let beta = 2;

  const field = (key: keyof Counts, label: string) => {
    const input = h('input', {
      type: 'number',
      min: '0',
      step: '1',
      id: `count-${key}`,
      'data-testid': `count-${key}`,
      value: String(counts[key]),
      'aria-label': label,
    });
    input.addEventListener('input', () => {
      const v = Number(input.value);
      if (input.value.trim() !== '' && Number.isInteger(v) && v >= 0 && v <= 1e6) {
        counts[key] = v;
        render();
      }
    });
    return h('td', {}, input, h('div', { class: 'cell-label' }, label));
  };
  const grid = h(
    'table',
    { class: 'confusion' },
    h(
      'thead',
      {},
      h('tr', {}, h('th', {}, ''), h('th', {}, 'predicted 1'), h('th', {}, 'predicted 0')),
    ),
    h(
      'tbody',
      {},
      h('tr', {}, h('th', {}, 'actual 1'), field('tp', 'TP'), field('fn', 'FN')),
      h('tr', {}, h('th', {}, 'actual 0'), field('fp', 'FP'), field('tn', 'TN')),
    ),
  );
  const betaInput = h('input', {
    type: 'number',
    id: 'fbeta-beta',
    min: '0',
    step: 'any',
    value: String(beta),
  });
  betaInput.addEventListener('input', () => {
    const v = Number(betaInput.value);
    if (betaInput.value.trim() !== '' && Number.isFinite(v) && v > 0) {
      beta = v;
      render();
    }
  });
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'values', 'data-testid': 'confusion-values' },
    h(
      'thead',
      {},
      h('tr', {}, h('th', {}, 'metric'), h('th', {}, 'value'), h('th', {}, 'what it is')),
    ),
    tbody,
  );
  const matrixOut = h('p', { class: 'note', 'data-testid': 'confusion-matrix' });

  function row(id: string, label: string, value: number, about: string): HTMLElement {
    return h(
      'tr',
      {},
      h('td', {}, h('a', { href: `#/loss/${id}` }, label)),
      h('td', { class: 'num', 'data-metric': label, 'data-value': String(value) }, fmt(value)),
      h('td', { class: 'about' }, about),
    );
  }

  function render(): void {
    const { input, target } = labelsFromCounts(counts);
    const rows: HTMLElement[] = [];
    if (input.length === 0) {
      tbody.replaceChildren(h('tr', {}, h('td', { colspan: '3' }, 'All counts are zero.')));
      matrixOut.textContent = '';
      return;
    }
    for (const id of CONFUSION_METRICS) {
      const options: Record<string, unknown> = { task: 'binary' };
      if (id === 'fbetaScore') options.beta = beta;
      const v = evaluate(id, { input, target }, options).value as number;
      rows.push(
        row(
          id,
          id === 'fbetaScore' ? `fbetaScore (β = ${beta})` : id,
          v,
          metas.get(id)?.summary ?? '',
        ),
      );
    }
    // MCC: one minus the mcc loss on the same labels as hard 0/1 masks, with no eps.
    const mccLoss = evaluate(
      'mcc',
      {
        input: { data: Float64Array.from(input), shape: [1, input.length] },
        target: { data: Float64Array.from(target), shape: [1, input.length] },
      },
      { eps: 0 },
    ).value as number;
    rows.push(
      row('mcc', 'MCC (1 − mcc loss, eps = 0)', 1 - mccLoss, metas.get('mcc')?.summary ?? ''),
    );
    tbody.replaceChildren(...rows);
    const m = evaluate('confusionMatrix', { input, target }, { task: 'binary' }).value as Tensor;
    const d = m.data;
    matrixOut.textContent = `confusionMatrix of the ${input.length} label pairs (rows: actual 0, 1; columns: predicted 0, 1): [[${d[0]}, ${d[1]}], [${d[2]}, ${d[3]}]]`;
    matrixOut.dataset.matrix = JSON.stringify(Array.from(d));
  }

  const resetBtn = h('button', { type: 'button' }, "Seed 002's tumour example");
  resetBtn.addEventListener('click', () => {
    Object.assign(counts, SEED_002);
    for (const key of Object.keys(SEED_002) as (keyof Counts)[])
      (document.getElementById(`count-${key}`) as HTMLInputElement).value = String(counts[key]);
    render();
  });

  render();
  return [
    h('h1', {}, 'Confusion-matrix calculator'),
    h(
      'p',
      {},
      "Edit the four counts. They are turned into label arrays and every value below is a losskit metric evaluated on them (task 'binary'). It opens on seed 002's example: 100 people, 30 with a tumour; the model predicts 25 positive, 5 of them healthy.",
    ),
    h(
      'div',
      { class: 'play-row' },
      h(
        'div',
        { class: 'play-canvas' },
        grid,
        h(
          'div',
          { class: 'controls-inline' },
          h('label', { for: 'fbeta-beta' }, 'β for fbetaScore'),
          betaInput,
          resetBtn,
        ),
        matrixOut,
      ),
      h('div', { class: 'play-side' }, table),
    ),
  ];
}
