/**
 * The mask playground (#/play/masks): paint a prediction and a target on two small grids (click or
 * drag toggles cells; on the keyboard, arrow keys move between cells and Space / Enter toggles one).
 * A painted prediction cell has logit +c, an unpainted one −c (c is the confidence control), and every
 * value is a losskit entry on the (1, 1, H, W) logits or their sigmoid against the (1, H, W) target:
 * dice, jaccard and tversky (mode 'binary', from logits), lovaszHinge (logits), bce (probabilities),
 * and the diceScore / iouScore metrics of the hard masks.
 */
import { evaluate, list, numerics } from '../../../src/index.js';
import { fmt, h } from '../dom.js';

export const SIDE = 8;
export const MASK_LOSSES = ['dice', 'jaccard', 'tversky', 'lovaszHinge', 'bce'] as const;
export const MASK_METRICS = ['diceScore', 'iouScore'] as const;

/** Every value the playground shows, from the two 0/1 masks (length SIDE²) and the confidence c. */
export function maskValues(
  pred: readonly number[],
  target: readonly number[],
  c: number,
): Record<string, number> {
  const n = SIDE * SIDE;
  const logits = Float64Array.from(pred, (v) => (v === 1 ? c : -c));
  const t = Float64Array.from(target);
  const input4 = { data: logits, shape: [1, 1, SIDE, SIDE] };
  const input3 = { data: logits, shape: [1, SIDE, SIDE] };
  const target3 = { data: t, shape: [1, SIDE, SIDE] };
  const out: Record<string, number> = {};
  for (const id of ['dice', 'jaccard', 'tversky'] as const)
    out[id] = evaluate(id, { input: input4, target: target3 }, { mode: 'binary' }).value as number;
  out.lovaszHinge = evaluate('lovaszHinge', { input: input3, target: target3 }).value as number;
  out.bce = evaluate('bce', {
    input: { data: logits.map(numerics.sigmoid), shape: [n] },
    target: { data: t, shape: [n] },
  }).value as number;
  const hard = { input: Int32Array.from(pred), target: Int32Array.from(target) };
  for (const id of MASK_METRICS) out[id] = evaluate(id, hard, { task: 'binary' }).value as number;
  return out;
}

/** Seed-free starting masks: a 3×3 square target and a prediction shifted by one cell. */
function square(x0: number, y0: number, size: number): number[] {
  const m = new Array<number>(SIDE * SIDE).fill(0);
  for (let y = y0; y < y0 + size; y += 1)
    for (let x = x0; x < x0 + size; x += 1) m[y * SIDE + x] = 1;
  return m;
}

export function masksPage(): Node[] {
  const metas = new Map(list().map((m) => [m.id, m]));
  const masks = { pred: square(3, 3, 3), target: square(2, 2, 3) };
  let confidence = 2;

  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'values', 'data-testid': 'mask-values' },
    h(
      'thead',
      {},
      h('tr', {}, h('th', {}, 'entry'), h('th', {}, 'value'), h('th', {}, 'what it is')),
    ),
    tbody,
  );
  const grids: Record<'pred' | 'target', HTMLElement> = {
    pred: h('div'),
    target: h('div'),
  };

  function render(): void {
    for (const which of ['pred', 'target'] as const) {
      const g = grids[which];
      g.dataset.mask = JSON.stringify(masks[which]);
      g.querySelectorAll<HTMLButtonElement>('button.cell').forEach((b, i) => {
        const on = masks[which][i] === 1;
        b.setAttribute('aria-pressed', String(on));
        b.classList.toggle('on', on);
      });
    }
    let values: Record<string, number>;
    try {
      values = maskValues(masks.pred, masks.target, confidence);
    } catch (e) {
      tbody.replaceChildren(
        h('tr', {}, h('td', { colspan: '3', class: 'error' }, (e as Error).message)),
      );
      return;
    }
    tbody.replaceChildren(
      ...[...MASK_LOSSES, ...MASK_METRICS].map((id) =>
        h(
          'tr',
          {},
          h('td', {}, h('a', { href: `#/loss/${id}` }, id)),
          h(
            'td',
            { class: 'num', 'data-metric': id, 'data-value': String(values[id]) },
            fmt(values[id]),
          ),
          h('td', { class: 'about' }, metas.get(id)?.summary ?? ''),
        ),
      ),
    );
  }

  function grid(which: 'pred' | 'target', label: string): HTMLElement {
    const g = h('div', {
      class: `mask-grid ${which}`,
      role: 'group',
      'aria-label': `${label}: ${SIDE}×${SIDE} cells; arrow keys move, Space toggles`,
      'data-testid': `mask-${which}`,
    });
    grids[which] = g;
    let painting: number | null = null;
    const cells: HTMLButtonElement[] = [];
    const set = (i: number, v: number) => {
      if (masks[which][i] !== v) {
        masks[which][i] = v;
        render();
      }
    };
    for (let i = 0; i < SIDE * SIDE; i += 1) {
      const b = h('button', {
        type: 'button',
        class: 'cell',
        tabindex: i === 0 ? '0' : '-1',
        'aria-label': `${label} row ${Math.floor(i / SIDE) + 1} column ${(i % SIDE) + 1}`,
        'data-cell': String(i),
      });
      // Keyboard activation (Enter / Space) arrives as a click with detail 0.
      b.addEventListener('click', (e) => {
        if (e.detail === 0) set(i, 1 - masks[which][i]);
      });
      b.addEventListener('keydown', (e) => {
        const moves: Record<string, number> = {
          ArrowLeft: -1,
          ArrowRight: 1,
          ArrowUp: -SIDE,
          ArrowDown: SIDE,
        };
        if (!Object.hasOwn(moves, e.key)) return;
        e.preventDefault();
        const j = i + moves[e.key];
        if (j < 0 || j >= SIDE * SIDE) return;
        if (
          (e.key === 'ArrowLeft' || e.key === 'ArrowRight') &&
          Math.floor(j / SIDE) !== Math.floor(i / SIDE)
        )
          return;
        b.tabIndex = -1;
        cells[j].tabIndex = 0;
        cells[j].focus();
      });
      cells.push(b);
      g.append(b);
    }
    const cellAt = (e: PointerEvent): number | null => {
      const el = document.elementFromPoint(e.clientX, e.clientY);
      const cell = el instanceof HTMLElement ? el.closest<HTMLElement>('button.cell') : null;
      if (!cell || !g.contains(cell)) return null;
      return Number(cell.dataset.cell);
    };
    g.addEventListener('pointerdown', (e) => {
      const i = cellAt(e);
      if (i === null) return;
      e.preventDefault();
      painting = 1 - masks[which][i];
      set(i, painting);
    });
    g.addEventListener('pointermove', (e) => {
      if (painting === null) return;
      const i = cellAt(e);
      if (i !== null) set(i, painting);
    });
    const stop = () => (painting = null);
    g.addEventListener('pointerup', stop);
    g.addEventListener('pointercancel', stop);
    g.addEventListener('pointerleave', stop);
    return h('figure', { class: 'mask-figure' }, g, h('figcaption', {}, label));
  }

  const confInput = h('input', {
    type: 'number',
    id: 'mask-confidence',
    min: '0',
    step: 'any',
    value: String(confidence),
  });
  confInput.addEventListener('input', () => {
    const v = Number(confInput.value);
    if (confInput.value.trim() !== '' && Number.isFinite(v) && v >= 0) {
      confidence = v;
      render();
    }
  });
  const clear = h('button', { type: 'button' }, 'Clear prediction');
  clear.addEventListener('click', () => {
    masks.pred.fill(0);
    render();
  });

  const pg = grid('pred', 'prediction');
  const tg = grid('target', 'target');
  render();
  return [
    h('h1', {}, 'Mask playground'),
    h(
      'p',
      {},
      'Paint the prediction and the target: click or drag over cells to toggle them (keyboard: arrow keys move, Space toggles). Painted prediction cells have logit +c, the others −c; the losses see those logits (bce sees their sigmoid), the two scores the hard masks.',
    ),
    h(
      'div',
      { class: 'play-row' },
      h(
        'div',
        { class: 'play-canvas' },
        h('div', { class: 'mask-pair' }, pg, tg),
        h(
          'div',
          { class: 'controls-inline' },
          h('label', { for: 'mask-confidence' }, 'confidence c (|logit|)'),
          confInput,
          clear,
        ),
      ),
      h('div', { class: 'play-side' }, table),
    ),
  ];
}
