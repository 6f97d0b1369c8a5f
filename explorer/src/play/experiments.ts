/**
 * The seed experiments: seed 003's cross-entropy vs focal loss table, live (#/play/focal-table); the
 * DIoU simulation's curves in both gradient modes (#/play/diou, from `npm run repro:diou`'s files,
 * imported at build time); and the benchmark results (#/play/bench, from `npm run bench`'s file,
 * rendered at build time).
 */
import { html as benchHtml, source as benchSource } from 'virtual:benchmarks';
import { modes as diouModes, readme as diouReadme } from 'virtual:diou';
import { evaluate, list } from '../../../src/index.js';
import type { Tensor } from '../../../src/index.js';
import { ALPHA, DEMO_EXAMPLES, GAMMA } from '../../../src/demo/focal-examples.js';
import { fmt, h } from '../dom.js';
import { chart, PALETTE } from '../plot.js';

// ---------------------------------------------------------------- focal vs CE

function perExample(id: string, logits: number[], targets: number[], options: object): number[] {
  const v = evaluate(
    id,
    { input: logits, target: targets },
    { ...options, reduction: 'none' },
  ).value;
  return Array.from((v as Tensor).data);
}

export function focalTablePage(): Node[] {
  const rows = DEMO_EXAMPLES.map((e) => ({ ...e }));
  let gamma = GAMMA;
  let alpha = ALPHA;
  const tbody = h('tbody');
  const batchOut = h('tbody');

  const num = (
    id: string,
    value: number,
    set: (v: number) => void,
    attrs: Record<string, string> = {},
  ) => {
    const input = h('input', { type: 'number', id, step: 'any', value: String(value), ...attrs });
    input.addEventListener('input', () => {
      const v = Number(input.value);
      if (input.value.trim() !== '' && Number.isFinite(v)) {
        set(v);
        render();
      }
    });
    return input;
  };

  function render(): void {
    const ok = rows.every((r) => r.p > 0 && r.p < 1);
    if (!ok) return;
    const logits = rows.map((r) => Math.log(r.p / (1 - r.p)));
    const targets = rows.map((r) => r.target);
    const ce = perExample('bceWithLogits', logits, targets, {});
    const fl = perExample('sigmoidFocal', logits, targets, { gamma, alpha: -1 });
    const fla = perExample('sigmoidFocal', logits, targets, { gamma, alpha });
    tbody.replaceChildren(
      ...rows.map((r, i) => {
        const cell = (key: string, v: number) =>
          h('td', { class: 'num', 'data-col': key, 'data-value': String(v) }, fmt(v));
        return h(
          'tr',
          { 'data-row': r.name },
          h('td', {}, r.name),
          h('td', {}, String(r.target)),
          h(
            'td',
            {},
            num(
              `focal-p-${i}`,
              r.p,
              (v) => {
                if (v > 0 && v < 1) r.p = v;
              },
              { min: '0', max: '1', 'aria-label': `p of ${r.name}` },
            ),
          ),
          cell('pt', r.target === 1 ? r.p : 1 - r.p),
          cell('ce', ce[i]),
          cell('fl', fl[i]),
          cell('ratio', ce[i] / fl[i]),
          cell('fla', fla[i]),
          cell('ratioa', ce[i] / fla[i]),
        );
      }),
    );
    // The imbalanced batch: each example counted batchCount times.
    const batch = rows.map((r, i) => ({ r, i })).filter(({ r }) => r.batchCount > 0);
    const total = (v: number[]) => batch.reduce((s, { r, i }) => s + r.batchCount * v[i], 0);
    const totals = [total(ce), total(fl), total(fla)];
    batchOut.replaceChildren(
      ...batch.map(({ r, i }) =>
        h(
          'tr',
          {},
          h('td', {}, r.name),
          h('td', { class: 'num' }, String(r.batchCount)),
          ...[ce, fl, fla].map((v, k) => {
            const share = (r.batchCount * v[i]) / totals[k];
            return h(
              'td',
              { class: 'num', 'data-share': `${r.name}:${k}`, 'data-value': String(share) },
              `${fmt(100 * share)}%`,
            );
          }),
        ),
      ),
    );
  }

  render();
  const head = (...cols: string[]) =>
    h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', {}, c))));
  return [
    h('h1', {}, 'Focal loss vs cross-entropy on easy and hard examples'),
    h(
      'p',
      {},
      "Seed 003 compares cross-entropy with focal loss on easy and hard examples; its table is an image, so the rows are the examples of npm run demo (src/demo/focal-examples.ts). CE is bceWithLogits, FL(γ) is sigmoidFocal with α = −1 (no α weighting) and FL(γ, α) with α, all on the logits log(p / (1 − p)), reduction 'none'. p_t is p for y = 1 and 1 − p for y = 0. Edit p, γ and α.",
    ),
    h(
      'blockquote',
      { class: 'when' },
      h('a', { href: '#/loss/sigmoidFocal' }, h('code', {}, 'sigmoidFocal')),
      ': ',
      list().find((m) => m.id === 'sigmoidFocal')?.whenToUse ?? '',
    ),
    h(
      'div',
      { class: 'controls-inline' },
      h('label', { for: 'focal-gamma' }, 'γ'),
      num(
        'focal-gamma',
        gamma,
        (v) => {
          if (v >= 0) gamma = v;
        },
        { min: '0' },
      ),
      h('label', { for: 'focal-alpha' }, 'α'),
      num('focal-alpha', alpha, (v) => {
        alpha = v;
      }),
    ),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'values', 'data-testid': 'focal-table' },
        head('example', 'y', 'p', 'p_t', 'CE', 'FL(γ)', 'CE/FL', 'FL(γ, α)', 'CE/FL(α)'),
        tbody,
      ),
    ),
    h('h2', {}, 'Share of the loss in an imbalanced batch'),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'values', 'data-testid': 'focal-batch' },
        head('example', 'count', 'share of CE', 'share of FL(γ)', 'share of FL(γ, α)'),
        batchOut,
      ),
    ),
  ];
}

// ---------------------------------------------------------------- DIoU simulation

export function diouPage(): Node[] {
  const figures = diouModes.map((m) => {
    const names = Object.keys(m.curves);
    const series = names.map((name, i) => ({
      label: name,
      xs: m.curves[name].map((_, t) => t + 1),
      ys: m.curves[name],
      color: PALETTE[i % PALETTE.length],
      style: 'line' as const,
    }));
    const last = names.map((n) => `${n} ${fmt(m.curves[n][m.curves[n].length - 1])}`).join(', ');
    return h(
      'figure',
      { class: 'plot', 'data-testid': `diou-${m.mode}`, 'data-mode': m.mode },
      chart({
        title: `DIoU simulation, ${m.mode} gradients: summed regression error per step`,
        xLabel: 'iteration t',
        yLabel: 'Σ error e_t',
        series,
      }),
      h(
        'figcaption',
        {},
        `${m.mode} mode (${m.file}): ${m.cases.toLocaleString('en')} cases from ${m.points.toLocaleString('en')} anchor centres, ${m.steps} steps. Error after the last step: ${last}.`,
      ),
    );
  });
  const body = h('article', { class: 'guide' });
  body.innerHTML = diouReadme;
  return [
    h('h1', {}, 'The DIoU simulation, both gradient modes'),
    figures.length > 0
      ? h('div', {}, ...figures)
      : h(
          'p',
          { class: 'error' },
          'No simulation results at build time: run `npm run repro:diou`.',
        ),
    body,
  ];
}

// ---------------------------------------------------------------- benchmarks

export function benchPage(): Node[] {
  const body = h('article', { class: 'guide', 'data-testid': 'bench' });
  body.innerHTML = benchHtml;
  return [
    h('h1', {}, 'Benchmark results'),
    benchSource
      ? h(
          'p',
          { class: 'note' },
          `Rendered at build time from ${benchSource} (written by \`npm run bench\`).`,
        )
      : h('p', { class: 'error' }, 'No benchmark results at build time: run `npm run bench`.'),
    body,
  ];
}
