/**
 * The ranking playground (#/play/ranking): the items of ndcg's first metadata example, with their
 * graded relevance, in a list you reorder by dragging (pointer) or with each item's up / down buttons
 * (keyboard). The model's scores are the positions, s = L − 1 − rank (the top item scores highest), and
 * every value is a losskit entry on them: ndcg (all items and at the example's k), listNet, listMle,
 * approxNdcg, rankNet and lambdaLoss.
 */
import { evaluate, list } from '../../../src/index.js';
import type { Example } from '../../../src/index.js';
import { fmt, h } from '../dom.js';

export const RANKING_LOSSES = [
  'listNet',
  'listMle',
  'approxNdcg',
  'rankNet',
  'lambdaLoss',
] as const;

/** The items (relevance) in their starting order (by the example's scores) and the example's k. */
export function rankingStart(): { relevance: number[]; k: number | null } {
  const meta = list().find((m) => m.id === 'ndcg')!;
  const e = meta.examples[0] as Example;
  const scores = e.inputs.scores as number[];
  const relevance = e.inputs.relevance as number[];
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const k = e.options && typeof e.options.k === 'number' ? e.options.k : null;
  return { relevance: order.map((i) => relevance[i]), k };
}

/** Scores from positions: the first item gets L − 1, the last 0. */
export function positionScores(n: number): number[] {
  return Array.from({ length: n }, (_, i) => n - 1 - i);
}

export function rankingValues(
  relevance: readonly number[],
  k: number | null,
): Record<string, number> {
  const scores = positionScores(relevance.length);
  const out: Record<string, number> = {};
  out.ndcg = evaluate('ndcg', { scores, relevance: [...relevance] }).value as number;
  if (k !== null)
    out[`ndcg@${k}`] = evaluate('ndcg', { scores, relevance: [...relevance] }, { k })
      .value as number;
  for (const id of RANKING_LOSSES)
    out[id] = evaluate(id, { scores: [scores], relevance: [[...relevance]] }).value as number;
  return out;
}

export function rankingPage(): Node[] {
  const metas = new Map(list().map((m) => [m.id, m]));
  const start = rankingStart();
  // Items keep their identity (a letter) while they move.
  let items = start.relevance.map((rel, i) => ({ name: String.fromCharCode(65 + i), rel }));
  const listEl = h('ol', { class: 'rank-list', 'data-testid': 'rank-list' });
  const tbody = h('tbody');

  function render(focus?: { name: string; dir: 'up' | 'down' }): void {
    const scores = positionScores(items.length);
    listEl.dataset.relevance = JSON.stringify(items.map((it) => it.rel));
    listEl.replaceChildren(
      ...items.map((it, i) => {
        const up = h(
          'button',
          { type: 'button', 'aria-label': `move ${it.name} up`, 'data-move': 'up' },
          '↑',
        );
        const down = h(
          'button',
          { type: 'button', 'aria-label': `move ${it.name} down`, 'data-move': 'down' },
          '↓',
        );
        up.disabled = i === 0;
        down.disabled = i === items.length - 1;
        up.addEventListener('click', () => move(i, i - 1, 'up'));
        down.addEventListener('click', () => move(i, i + 1, 'down'));
        const li = h(
          'li',
          { class: 'rank-item', 'data-item': it.name },
          h('span', { class: 'grip', 'aria-hidden': 'true' }, '⠿'),
          h('span', { class: 'rank-name' }, `item ${it.name}`),
          h('span', { class: `rel rel-${Math.min(it.rel, 3)}` }, `relevance ${it.rel}`),
          h('span', { class: 'score' }, `score ${scores[i]}`),
          h('span', { class: 'moves' }, up, down),
        );
        li.addEventListener('pointerdown', (e) => beginDrag(e, li, i));
        if (focus && focus.name === it.name) {
          queueMicrotask(() => {
            const target =
              focus.dir === 'up' ? (up.disabled ? down : up) : down.disabled ? up : down;
            target.focus();
          });
        }
        return li;
      }),
    );
    const values = rankingValues(
      items.map((it) => it.rel),
      start.k,
    );
    tbody.replaceChildren(
      ...Object.entries(values).map(([name, v]) => {
        const id = name.startsWith('ndcg') ? 'ndcg' : name;
        return h(
          'tr',
          {},
          h('td', {}, h('a', { href: `#/loss/${id}` }, name)),
          h('td', { class: 'num', 'data-metric': name, 'data-value': String(v) }, fmt(v)),
          h('td', { class: 'about' }, metas.get(id)?.summary ?? ''),
        );
      }),
    );
  }

  function move(from: number, to: number, dir?: 'up' | 'down'): void {
    if (to < 0 || to >= items.length || to === from) return;
    const next = [...items];
    const [it] = next.splice(from, 1);
    next.splice(to, 0, it);
    items = next;
    render(dir ? { name: it.name, dir } : undefined);
  }

  function beginDrag(e: PointerEvent, li: HTMLElement, index: number): void {
    if ((e.target as HTMLElement).closest('button')) return;
    e.preventDefault();
    li.setPointerCapture(e.pointerId);
    li.classList.add('dragging');
    let current = index;
    const onMove = (ev: PointerEvent) => {
      const rows = [...listEl.children] as HTMLElement[];
      let to = rows.length - 1;
      for (let r = 0; r < rows.length; r += 1) {
        const box = rows[r].getBoundingClientRect();
        if (ev.clientY < box.top + box.height / 2) {
          to = r;
          break;
        }
      }
      if (to !== current) {
        // Move the element itself so the pointer capture survives; values follow on release.
        const node = rows[current];
        if (to < current) listEl.insertBefore(node, rows[to]);
        else listEl.insertBefore(node, rows[to].nextSibling);
        const next = [...items];
        const [it] = next.splice(current, 1);
        next.splice(to, 0, it);
        items = next;
        current = to;
      }
    };
    const onUp = () => {
      li.removeEventListener('pointermove', onMove);
      li.removeEventListener('pointerup', onUp);
      li.removeEventListener('pointercancel', onUp);
      render();
    };
    li.addEventListener('pointermove', onMove);
    li.addEventListener('pointerup', onUp);
    li.addEventListener('pointercancel', onUp);
  }

  const best = h('button', { type: 'button' }, 'Ideal order');
  best.addEventListener('click', () => {
    items = [...items].sort((a, b) => b.rel - a.rel);
    render();
  });
  const worst = h('button', { type: 'button' }, 'Worst order');
  worst.addEventListener('click', () => {
    items = [...items].sort((a, b) => a.rel - b.rel);
    render();
  });

  render();
  return [
    h('h1', {}, 'Ranking playground'),
    h(
      'p',
      {},
      "Reorder the list by dragging an item, or with its ↑ / ↓ buttons. The items and their relevance are ndcg's first metadata example, starting in the order of its scores; the model's score of an item is its position (top: highest). Each value is the losskit entry on those scores and relevances.",
    ),
    h(
      'div',
      { class: 'play-row' },
      h(
        'div',
        { class: 'play-canvas' },
        listEl,
        h('div', { class: 'controls-inline' }, best, worst),
      ),
      h(
        'div',
        { class: 'play-side' },
        h(
          'table',
          { class: 'values', 'data-testid': 'rank-values' },
          h(
            'thead',
            {},
            h('tr', {}, h('th', {}, 'entry'), h('th', {}, 'value'), h('th', {}, 'what it is')),
          ),
          tbody,
        ),
      ),
    ),
  ];
}
