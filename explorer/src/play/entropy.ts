/**
 * The entropy / cross-entropy / KL calculator (#/play/entropy): editable distributions p and q and a
 * logarithm base; H(p) is losskit's `entropy`, H(p, q) its `distributionCrossEntropy` and KL(p‖q) its
 * `klDivergence`. It opens on the first example of klDivergence's metadata (seed 004's weather
 * distribution and code, in bits); the other one-dimensional examples of the three entries are a
 * click away.
 */
import { evaluate, list } from '../../../src/index.js';
import type { Example } from '../../../src/index.js';
import { fmt, h } from '../dom.js';

export const DISTRIBUTION_METRICS = [
  'entropy',
  'distributionCrossEntropy',
  'klDivergence',
] as const;

interface Start {
  title: string;
  p: number[];
  q: number[];
  base: number;
}

/** The one-dimensional examples of the three entries that hold both p and q. */
function starts(): Start[] {
  const out: Start[] = [];
  const seen = new Set<string>();
  for (const id of ['klDivergence', 'distributionCrossEntropy']) {
    const meta = list().find((m) => m.id === id)!;
    for (const e of meta.examples as Example[]) {
      const p = e.inputs.p;
      const q = e.inputs.q;
      if (!Array.isArray(p) || !Array.isArray(q) || !p.every((v) => typeof v === 'number'))
        continue;
      const key = JSON.stringify([p, q]);
      if (seen.has(key)) continue;
      seen.add(key);
      const base = e.options && typeof e.options.base === 'number' ? e.options.base : Math.E;
      out.push({ title: e.title, p: p as number[], q: q as number[], base });
    }
  }
  return out;
}

export function entropyPage(): Node[] {
  const metas = new Map(list().map((m) => [m.id, m]));
  const examples = starts();
  let p: number[] = [];
  let q: number[] = [];
  let base = 2;

  const pqTable = h('table', { class: 'values dist' });
  const baseInput = h('input', {
    type: 'number',
    id: 'dist-base',
    min: '0',
    step: 'any',
    'data-testid': 'dist-base',
  });
  baseInput.addEventListener('input', () => {
    const v = Number(baseInput.value);
    if (baseInput.value.trim() !== '' && Number.isFinite(v) && v > 0 && v !== 1) {
      base = v;
      render();
    }
  });
  const exampleSel = h(
    'select',
    { id: 'dist-example', 'data-testid': 'dist-example' },
    ...examples.map((e, i) => h('option', { value: String(i) }, e.title)),
  );
  exampleSel.addEventListener('change', () => load(examples[Number(exampleSel.value)]));
  const out = h('tbody');
  const sums = h('p', { class: 'note', 'data-testid': 'dist-sums' });

  function numberCell(arr: number[], i: number, name: string): HTMLElement {
    const input = h('input', {
      type: 'number',
      min: '0',
      step: 'any',
      value: String(arr[i]),
      'data-testid': `dist-${name}-${i}`,
      'aria-label': `${name}[${i}]`,
    });
    input.addEventListener('input', () => {
      const v = Number(input.value);
      if (input.value.trim() !== '' && Number.isFinite(v)) {
        arr[i] = v;
        render();
      }
    });
    return h('td', {}, input);
  }

  function load(start: Start): void {
    p = [...start.p];
    q = [...start.q];
    base = start.base;
    baseInput.value = String(Number(base.toPrecision(12)));
    pqTable.replaceChildren(
      h(
        'thead',
        {},
        h('tr', {}, h('th', {}, 'i'), h('th', {}, 'p (true)'), h('th', {}, 'q (model / code)')),
      ),
      h(
        'tbody',
        {},
        ...p.map((_, i) =>
          h('tr', {}, h('th', {}, String(i)), numberCell(p, i, 'p'), numberCell(q, i, 'q')),
        ),
      ),
    );
    render();
  }

  function render(): void {
    const unit =
      base === 2 ? 'bits' : Math.abs(base - Math.E) < 1e-12 ? 'nats' : `log base ${fmt(base)}`;
    const rows: HTMLElement[] = [];
    const values: Record<string, number> = {};
    for (const id of DISTRIBUTION_METRICS) {
      let v = NaN;
      let err = '';
      try {
        v = evaluate(id, id === 'entropy' ? { p } : { p, q }, { base }).value as number;
      } catch (e) {
        err = (e as Error).message;
      }
      values[id] = v;
      rows.push(
        h(
          'tr',
          {},
          h('td', {}, h('a', { href: `#/loss/${id}` }, id)),
          h(
            'td',
            { class: 'num', 'data-metric': id, 'data-value': String(v) },
            err || `${fmt(v)} ${unit}`,
          ),
          h('td', { class: 'about' }, metas.get(id)?.summary ?? ''),
        ),
      );
    }
    const diff = values.distributionCrossEntropy - values.entropy;
    rows.push(
      h(
        'tr',
        {},
        h('td', {}, 'H(p, q) − H(p)'),
        h(
          'td',
          { class: 'num', 'data-metric': 'difference', 'data-value': String(diff) },
          `${fmt(diff)} ${unit}`,
        ),
        h(
          'td',
          { class: 'about' },
          'cross-entropy minus entropy, from the two values above: equals klDivergence',
        ),
      ),
    );
    out.replaceChildren(...rows);
    const sp = p.reduce((a, b) => a + b, 0);
    const sq = q.reduce((a, b) => a + b, 0);
    sums.textContent = `Σp = ${fmt(sp)}, Σq = ${fmt(sq)} (the entries use p and q as given, without normalising).`;
  }

  if (examples.length > 0) load(examples[0]);
  return [
    h('h1', {}, 'Entropy, cross-entropy and KL divergence'),
    h(
      'p',
      {},
      "Edit p, q and the logarithm base (2: bits, e: nats). It opens on klDivergence's first example, seed 004's weather distribution coded with the wrong code.",
    ),
    h(
      'div',
      { class: 'play-row' },
      h(
        'div',
        { class: 'play-canvas' },
        h(
          'div',
          { class: 'controls-inline' },
          h('label', { for: 'dist-example' }, 'start from'),
          exampleSel,
        ),
        h('div', { class: 'controls-inline' }, h('label', { for: 'dist-base' }, 'base'), baseInput),
        pqTable,
        sums,
      ),
      h(
        'div',
        { class: 'play-side' },
        h(
          'table',
          { class: 'values', 'data-testid': 'dist-values' },
          h(
            'thead',
            {},
            h('tr', {}, h('th', {}, 'entry'), h('th', {}, 'value'), h('th', {}, 'what it is')),
          ),
          out,
        ),
      ),
    ),
  ];
}
