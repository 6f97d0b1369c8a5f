/**
 * The losskit explorer: an index of every registry entry, the "which loss?" guide, an entry page per
 * entry (formula, advice, references, option controls, a plot of the loss, its analytic gradient and
 * finite differences) and compare charts. Everything shown comes from the library (`list()`,
 * `evaluate`) or from the guide rendered at build time (`virtual:guide`).
 */
import 'katex/dist/katex.min.css';
import { intro, sections } from 'virtual:guide';
import { evaluate, list } from '../../src/index.js';
import type { EntryMeta, OptionSpec } from '../../src/index.js';
import { h, tex } from './dom.js';
import type { Child } from './dom.js';
import { chart, PALETTE } from './plot.js';
import type { Series } from './plot.js';
import { PLAYGROUNDS } from './play/index.js';
import { sweep } from './sweep.js';
import './style.css';

const ENTRIES = list();
const BY_ID = new Map(ENTRIES.map((m) => [m.id, m]));
const TASK_TITLES: Record<string, string> = {
  regression: 'Regression',
  classification: 'Classification',
  segmentation: 'Segmentation',
  boxes: 'Bounding boxes',
  ranking: 'Ranking and metric learning',
  generative: 'GANs and VAEs',
  sequence: 'Sequences',
  graph: 'Graphs',
  metrics: 'Metrics',
};

const app = document.getElementById('app')!;

// ---------------------------------------------------------------- index

function indexPage(): Node[] {
  const search = h('input', {
    type: 'search',
    placeholder: 'Search ids, titles and when-to-use advice…',
    'aria-label': 'Search entries',
    'data-testid': 'search',
  });
  const count = h('p', { class: 'count', 'aria-live': 'polite' });
  const groups = Object.keys(TASK_TITLES).map((task) => {
    const items = ENTRIES.filter((m) => m.task === task).map((m) => {
      const haystack = `${m.id} ${m.title} ${m.whenToUse}`.toLowerCase();
      const li = h(
        'li',
        {},
        h(
          'a',
          { href: `#/loss/${m.id}`, 'data-loss-id': m.id, class: 'entry' },
          h('code', {}, m.id),
          ' ',
          h('span', { class: 'title' }, m.title),
          h('span', { class: 'when' }, m.whenToUse),
        ),
      );
      return { li, haystack };
    });
    const section = h(
      'section',
      { class: 'group', 'data-task': task },
      h('h2', {}, `${TASK_TITLES[task]} `, h('small', {}, `(${items.length})`)),
      h('ul', {}, ...items.map((i) => i.li)),
    );
    return { section, items };
  });
  const apply = () => {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const g of groups) {
      let any = false;
      for (const it of g.items) {
        const ok = words.every((w) => it.haystack.includes(w));
        it.li.hidden = !ok;
        if (ok) {
          any = true;
          shown += 1;
        }
      }
      g.section.hidden = !any;
    }
    count.textContent = `${shown} of ${ENTRIES.length} entries`;
  };
  search.addEventListener('input', apply);
  apply();
  return [
    h('h1', {}, 'Every loss and metric in losskit'),
    h(
      'p',
      {},
      'Pick an entry to see its formula, when to use it, and its value and gradient drawn by the library itself. Not sure which one? See ',
      h('a', { href: '#/guide' }, 'which loss?'),
      '.',
    ),
    search,
    count,
    ...groups.map((g) => g.section),
  ];
}

// ---------------------------------------------------------------- guide

function guidePage(slug: string | undefined): Node[] {
  const nav = h(
    'ol',
    { class: 'guide-nav' },
    ...sections.map((s) =>
      h(
        'li',
        {},
        h('a', { href: `#/guide/${s.slug}`, 'aria-current': String(s.slug === slug) }, s.title),
      ),
    ),
  );
  const body = h('article', { class: 'guide' });
  const section = sections.find((s) => s.slug === slug);
  body.innerHTML = section ? `<h2>${section.title}</h2>${section.html}` : intro;
  return [h('h1', {}, 'Which loss?'), h('p', {}, 'Choose your problem:'), nav, body];
}

// ---------------------------------------------------------------- entry page

function defaultOptions(meta: EntryMeta): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(meta.options)) {
    if (spec.type === 'tensor' || spec.type === 'intList') continue;
    // Plot a reduced loss where the entry offers one; pairwise entries only have 'none'.
    if (
      name === 'reduction' &&
      spec.default === 'none' &&
      spec.type === 'enum' &&
      spec.values.includes('mean')
    )
      out[name] = 'mean';
    else if (spec.default !== null) out[name] = spec.default;
  }
  return out;
}

function control(
  name: string,
  spec: OptionSpec,
  value: unknown,
  set: (v: unknown) => void,
): HTMLElement | null {
  const id = `opt-${name}`;
  const label = h('label', { for: id }, h('code', {}, name));
  const doc = h('span', { class: 'doc' }, spec.doc);
  if (spec.type === 'boolean') {
    const box = h('input', { type: 'checkbox', id });
    box.checked = value === true;
    box.addEventListener('change', () => set(box.checked));
    return h('div', { class: 'control' }, label, box, doc);
  }
  if (spec.type === 'enum') {
    const reduced = spec.values.filter((v) => v !== 'none');
    const values = name === 'reduction' && reduced.length > 0 ? reduced : spec.values;
    const sel = h('select', { id }, ...values.map((v) => h('option', { value: v }, v)));
    if (spec.nullable === true || spec.default === null)
      sel.prepend(h('option', { value: '' }, '(none)'));
    sel.value = value === null || value === undefined ? '' : String(value);
    sel.addEventListener('change', () => set(sel.value === '' ? null : sel.value));
    return h('div', { class: 'control' }, label, sel, doc);
  }
  if (spec.type === 'number') {
    const num = h('input', { type: 'number', id, step: spec.integer === true ? '1' : 'any' });
    if (spec.min !== undefined) num.min = String(spec.min);
    if (spec.max !== undefined) num.max = String(spec.max);
    num.value = typeof value === 'number' ? String(value) : '';
    const def = typeof spec.default === 'number' ? spec.default : 1;
    const lo = spec.min ?? (def >= 0 ? 0 : 2 * def);
    const hi = spec.max ?? Math.max(1, 4 * Math.abs(def), lo + 1);
    const slider = h('input', {
      type: 'range',
      min: String(lo),
      max: String(hi),
      step: spec.integer === true ? '1' : String((hi - lo) / 100),
      'aria-label': `${name} slider`,
    });
    slider.value = num.value === '' ? String(lo) : num.value;
    num.addEventListener('input', () => {
      const v = num.value.trim();
      if (v !== '') slider.value = v;
      set(v === '' ? null : Number(v));
    });
    slider.addEventListener('input', () => {
      num.value = slider.value;
      set(Number(slider.value));
    });
    return h('div', { class: 'control' }, label, num, slider, doc);
  }
  // Tensor and integer-list options: JSON text, empty for the default (null).
  const text = h('input', {
    type: 'text',
    id,
    placeholder: 'default (empty) or JSON, e.g. [1, 2]',
  });
  text.addEventListener('change', () => {
    const v = text.value.trim();
    if (v === '') return set(undefined);
    try {
      set(JSON.parse(v));
    } catch {
      set(v);
    }
  });
  return h('div', { class: 'control' }, label, text, doc);
}

function plotFor(meta: EntryMeta, options: Record<string, unknown>, example: number): HTMLElement {
  const s = sweep(meta, options, example);
  const figure = h('figure', { 'data-testid': 'loss-plot', class: 'plot' });
  const valueLabel = meta.kind === 'metric' ? 'metric value' : 'loss';
  figure.append(
    chart({
      title: `${meta.id}: ${valueLabel} over ${s.xLabel}`,
      xLabel: s.xLabel,
      yLabel: valueLabel,
      series: [{ label: valueLabel, xs: s.xs, ys: s.values, color: PALETTE[0], style: 'line' }],
    }),
  );
  if (s.grads !== null) {
    const series: Series[] = [
      { label: 'analytic gradient', xs: s.xs, ys: s.grads, color: PALETTE[1], style: 'line' },
    ];
    if (s.fd) {
      series.push({
        label: 'finite difference',
        xs: s.fd.xs,
        ys: s.fd.grads,
        color: PALETTE[2],
        style: 'points',
      });
    }
    figure.append(
      chart({
        title: `${meta.id}: gradient over ${s.xLabel}`,
        xLabel: s.xLabel,
        yLabel: `∂ loss / ∂ ${s.xLabel}`,
        series,
      }),
    );
  }
  const finite = s.values.filter(Number.isFinite).length;
  figure.append(
    h(
      'figcaption',
      {},
      `${meta.kind === 'metric' ? 'Value' : 'Loss and analytic gradient'} of ${meta.id} on the example "${meta.examples[example]?.title ?? ''}" as ${s.xLabel} varies (other inputs fixed)${s.fd ? '; circles: central finite differences of the value' : ''}. ${finite} of ${s.xs.length} points evaluated.`,
    ),
  );
  if (s.error !== null)
    figure.append(h('p', { class: 'error', role: 'status' }, `Some points failed: ${s.error}`));
  return figure;
}

function entryPage(id: string): Child[] {
  const meta = BY_ID.get(id);
  if (!meta)
    return [
      h('h1', {}, 'Not found'),
      h('p', {}, `No entry '${id}'.`),
      h('a', { href: '#/' }, 'Back to the index'),
    ];
  const options = defaultOptions(meta);
  let example = 0;
  const plotSlot = h('div', { class: 'plot-slot' });
  const redraw = () => plotSlot.replaceChildren(plotFor(meta, options, example));
  const controls = Object.entries(meta.options)
    .map(([name, spec]) =>
      control(name, spec, options[name], (v) => {
        options[name] = v;
        redraw();
      }),
    )
    .filter((c): c is HTMLElement => c !== null);
  const exampleSel =
    meta.examples.length > 1
      ? h(
          'div',
          { class: 'control' },
          h('label', { for: 'example' }, 'example'),
          (() => {
            const sel = h(
              'select',
              { id: 'example' },
              ...meta.examples.map((e, i) => h('option', { value: String(i) }, e.title)),
            );
            sel.addEventListener('change', () => {
              example = Number(sel.value);
              redraw();
            });
            return sel;
          })(),
        )
      : null;
  redraw();
  return [
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Index'), ` › ${TASK_TITLES[meta.task]}`),
    h('h1', {}, meta.title, ' ', h('code', {}, meta.id)),
    h('p', { class: 'summary' }, meta.summary),
    tex(meta.formula),
    h('section', {}, h('h2', {}, 'When to use it'), h('p', {}, meta.whenToUse)),
    meta.caveats.length > 0 &&
      h(
        'section',
        {},
        h('h2', {}, 'Watch for'),
        h('ul', {}, ...meta.caveats.map((c) => h('li', {}, c))),
      ),
    h(
      'section',
      {},
      h('h2', {}, 'Plot'),
      h('div', { class: 'controls' }, exampleSel, ...controls),
      plotSlot,
    ),
    h(
      'section',
      {},
      h('h2', {}, 'Inputs'),
      h(
        'ul',
        {},
        ...meta.inputs.map((i) =>
          h(
            'li',
            {},
            h('code', {}, i.name),
            ` ${i.shape}, ${i.role}${i.differentiable ? ', differentiable' : ''}: ${i.doc}`,
          ),
        ),
      ),
    ),
    (meta.notes?.length ?? 0) > 0 &&
      h(
        'section',
        {},
        h('h2', {}, 'Notes'),
        h('ul', {}, ...(meta.notes ?? []).map((n) => h('li', {}, n))),
      ),
    h(
      'section',
      {},
      h('h2', {}, 'References'),
      h(
        'ul',
        {},
        ...meta.references.map((r) =>
          h(
            'li',
            {},
            r.url ? h('a', { href: r.url, rel: 'noopener', target: '_blank' }, r.title) : r.title,
            r.implementation ? ` (matches ${r.implementation})` : '',
          ),
        ),
      ),
    ),
  ];
}

// ---------------------------------------------------------------- compare

interface Curve {
  label: string;
  xs: number[];
  values: number[];
  grads: number[];
}

function curve(
  label: string,
  id: string,
  xs: number[],
  inputs: (x: number) => Record<string, unknown>,
  options: Record<string, unknown>,
): Curve {
  const values: number[] = [];
  const grads: number[] = [];
  for (const x of xs) {
    const r = evaluate(id, inputs(x), options, { grad: true });
    values.push(r.value as number);
    grads.push(Number(r.grads!.input.data[0]));
  }
  return { label, xs, values, grads };
}

const COMPARES: Record<
  string,
  () => { title: string; text: string; xLabel: string; gLabel: string; curves: Curve[] }
> = {
  focal: () => {
    const ps = Array.from({ length: 200 }, (_, i) => 0.005 + (0.995 * i) / 199);
    const logit = (p: number) => Math.log(p / (1 - p));
    const curves = [0, 0.5, 1, 2, 5].map((gamma) =>
      curve(`γ = ${gamma}`, 'sigmoidFocal', ps, (p) => ({ input: [logit(p)], target: [1] }), {
        gamma,
        alpha: -1,
      }),
    );
    return {
      title: 'Focal loss for γ = 0, 0.5, 1, 2, 5',
      text: 'sigmoidFocal on one positive, α disabled, as the probability of the true class p_t varies (the focal-loss paper’s Figure 1; γ = 0 is cross-entropy). Larger γ shrinks the loss of well-classified examples (p_t > 0.5) much more than that of hard ones.',
      xLabel: 'p_t (probability of the true class)',
      gLabel: '∂ loss / ∂ logit',
      curves,
    };
  },
  regression: () => {
    const es = Array.from({ length: 201 }, (_, i) => -3 + (6 * i) / 200);
    const at = (e: number) => ({ input: [e], target: [0] });
    const curves = [
      curve('mse', 'mse', es, at, {}),
      curve('l1', 'l1', es, at, {}),
      curve('huber (δ = 1)', 'huber', es, at, { delta: 1 }),
      curve('smoothL1 (β = 1)', 'smoothL1', es, at, { beta: 1 }),
      curve('logCosh', 'logCosh', es, at, {}),
    ];
    return {
      title: 'MSE, MAE, Huber, smooth L1 and log-cosh',
      text: 'Each loss on one prediction as the error (prediction − target) varies, as in seed 004. MSE’s gradient grows with the error, L1’s has constant size; Huber, smooth L1 and log-cosh are quadratic near zero and linear in the tails.',
      xLabel: 'error (input − target)',
      gLabel: '∂ loss / ∂ input',
      curves,
    };
  },
};

function comparePage(name: string): Node[] {
  const make = COMPARES[name] ?? COMPARES.focal;
  const c = make();
  const series = (pick: (k: Curve) => number[]): Series[] =>
    c.curves.map((k, i) => ({
      label: k.label,
      xs: k.xs,
      ys: pick(k),
      color: PALETTE[i % PALETTE.length],
      style: 'line',
    }));
  const figure = h(
    'figure',
    { 'data-testid': 'compare-plot', class: 'plot' },
    chart({ title: c.title, xLabel: c.xLabel, yLabel: 'loss', series: series((k) => k.values) }),
    chart({
      title: `${c.title}: gradients`,
      xLabel: c.xLabel,
      yLabel: c.gLabel,
      series: series((k) => k.grads),
    }),
    h('figcaption', {}, c.text),
  );
  return [
    h('h1', {}, 'Compare: ', c.title),
    h(
      'p',
      {},
      'Other comparisons: ',
      ...Object.keys(COMPARES).flatMap((k) => [h('a', { href: `#/compare/${k}` }, k), ' ']),
    ),
    figure,
  ];
}

// ---------------------------------------------------------------- playgrounds

function playPage(name: string | undefined): Child[] {
  const found = PLAYGROUNDS.find((p) => p.slug === name);
  if (found) return found.page();
  return [
    h('h1', {}, 'Playgrounds'),
    h(
      'ul',
      { class: 'play-list' },
      ...PLAYGROUNDS.map((p) =>
        h('li', {}, h('a', { href: `#/play/${p.slug}` }, p.title), ': ', p.blurb),
      ),
    ),
  ];
}

// ---------------------------------------------------------------- router

function route(): void {
  const parts = location.hash.replace(/^#\/?/, '').split('/');
  let page: Child[];
  if (parts[0] === 'loss' && parts[1]) page = entryPage(decodeURIComponent(parts[1]));
  else if (parts[0] === 'guide') page = guidePage(parts[1]);
  else if (parts[0] === 'compare') page = comparePage(parts[1] ?? 'focal');
  else if (parts[0] === 'play') page = playPage(parts[1]);
  else page = indexPage();
  app.replaceChildren(
    ...page.filter((n): n is Node | string => n !== null && n !== undefined && n !== false),
  );
  document.title = `${(app.querySelector('h1')?.textContent ?? '').trim()} · losskit explorer`;
  window.scrollTo(0, 0);
  app.focus({ preventScroll: true });
}

// The header's playground links come from the same list as #/play.
const nav = document.querySelector('header nav');
const playSlot = h('span', { class: 'play-links' });
for (const p of PLAYGROUNDS)
  playSlot.append(h('a', { href: `#/play/${p.slug}`, 'data-play': p.slug }, p.title));
nav?.append(playSlot);

window.addEventListener('hashchange', route);
route();
