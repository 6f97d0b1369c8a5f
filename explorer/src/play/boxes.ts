/**
 * The box playground (#/play/boxes): drag a predicted box (pointer, or arrow keys on the focused box;
 * Shift + arrows resize it) against a target box. Every value and gradient is the library's
 * `evaluate(id, { input, target }, {}, { grad: true })` on the two boxes in xyxy pixels; the arrows are
 * the negative analytic gradient of the chosen loss at the box's two corners, and "step" moves the box
 * by one gradient-descent step input ← input − lr · ∂loss/∂input.
 */
import { evaluate, list } from '../../../src/index.js';
import { fmt, h, s, tex } from '../dom.js';

export const BOX_LOSSES = [
  'iouLoss',
  'giou',
  'diou',
  'ciou',
  'eiou',
  'siou',
  'wiou',
  'nwd',
] as const;
type BoxLoss = (typeof BOX_LOSSES)[number];
type Box = [number, number, number, number];

const W = 480;
const H = 320;
const MIN_SIZE = 4;

interface BoxValue {
  id: BoxLoss;
  value: number;
  grad: Box;
  error: string | null;
}

function evaluateAll(pred: Box, target: Box): BoxValue[] {
  return BOX_LOSSES.map((id) => {
    try {
      const r = evaluate(id, { input: [pred], target: [target] }, {}, { grad: true });
      const g = r.grads!.input.data;
      return { id, value: r.value as number, grad: [g[0], g[1], g[2], g[3]], error: null };
    } catch (e) {
      return { id, value: NaN, grad: [0, 0, 0, 0], error: (e as Error).message };
    }
  });
}

/** Keeps a box inside the canvas with x1 < x2, y1 < y2 and a minimum size. */
function tidy(b: Box): Box {
  let [x1, y1, x2, y2] = b;
  if (x2 < x1) [x1, x2] = [x2, x1];
  if (y2 < y1) [y1, y2] = [y2, y1];
  x2 = Math.max(x2, x1 + MIN_SIZE);
  y2 = Math.max(y2, y1 + MIN_SIZE);
  const dx = Math.min(0, W - x2) + Math.max(0, -x1);
  const dy = Math.min(0, H - y2) + Math.max(0, -y1);
  return [x1 + dx, y1 + dy, x2 + dx, y2 + dy];
}

function arrow(x: number, y: number, dx: number, dy: number, cls: string): SVGLineElement {
  return s('line', {
    x1: x,
    y1: y,
    x2: x + dx,
    y2: y + dy,
    class: cls,
    'marker-end': 'url(#arrowhead)',
  });
}

export function boxesPage(): Node[] {
  const metas = new Map(list().map((m) => [m.id, m]));
  const target: Box = [200, 110, 330, 230];
  let pred: Box = [60, 50, 160, 140];
  let chosen: BoxLoss = 'diou';
  let lr = 1000;

  const svg = s('svg', {
    viewBox: `0 0 ${W} ${H}`,
    class: 'boxes',
    role: 'group',
    'aria-label': 'Box playground: a target box and a draggable predicted box',
    'data-testid': 'box-canvas',
  });
  const defs = s('defs');
  const marker = s('marker', {
    id: 'arrowhead',
    viewBox: '0 0 10 10',
    refX: 9,
    refY: 5,
    markerWidth: 6,
    markerHeight: 6,
    orient: 'auto-start-reverse',
  });
  marker.append(s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' }));
  defs.append(marker);
  const targetRect = s('rect', { class: 'target-box' });
  const predRect = s('rect', {
    class: 'pred-box',
    tabindex: 0,
    role: 'button',
    'aria-label':
      'Predicted box: drag it, or use the arrow keys to move it and Shift + arrow keys to resize it',
    'data-testid': 'pred-box',
  });
  const handle = s('rect', { class: 'pred-handle', width: 12, height: 12, 'aria-hidden': 'true' });
  const arrows = s('g', { class: 'grad-arrows', 'data-testid': 'grad-arrows' });
  const labels = s('g', { class: 'box-labels' });
  svg.append(defs, targetRect, predRect, handle, arrows, labels);

  const coords = h('p', {
    class: 'box-coords',
    'data-testid': 'box-coords',
    'aria-live': 'polite',
  });
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'values', 'data-testid': 'box-values' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'arrows & step'),
        h('th', {}, 'loss'),
        h('th', {}, 'value'),
        h('th', {}, '∂/∂(x1, y1, x2, y2)'),
      ),
    ),
    tbody,
  );
  const about = h('div', { class: 'about-loss' });
  const note = h('p', { class: 'note', role: 'status' });

  const rows = new Map<
    BoxLoss,
    { value: HTMLElement; grad: HTMLElement; radio: HTMLInputElement }
  >();
  for (const id of BOX_LOSSES) {
    const radio = h('input', {
      type: 'radio',
      name: 'box-loss',
      value: id,
      id: `box-loss-${id}`,
      'aria-label': `use ${id} for the arrows and the step`,
    });
    radio.checked = id === chosen;
    radio.addEventListener('change', () => {
      if (radio.checked) {
        chosen = id;
        render();
      }
    });
    const value = h('td', { class: 'num', 'data-box-loss': id });
    const grad = h('td', { class: 'num grad' });
    rows.set(id, { value, grad, radio });
    tbody.append(
      h(
        'tr',
        {},
        h('td', {}, radio),
        h('td', {}, h('label', { for: `box-loss-${id}` }, h('a', { href: `#/loss/${id}` }, id))),
        value,
        grad,
      ),
    );
  }

  function render(): void {
    const [tx1, ty1, tx2, ty2] = target;
    targetRect.setAttribute('x', String(tx1));
    targetRect.setAttribute('y', String(ty1));
    targetRect.setAttribute('width', String(tx2 - tx1));
    targetRect.setAttribute('height', String(ty2 - ty1));
    const [x1, y1, x2, y2] = pred;
    predRect.setAttribute('x', String(x1));
    predRect.setAttribute('y', String(y1));
    predRect.setAttribute('width', String(x2 - x1));
    predRect.setAttribute('height', String(y2 - y1));
    handle.setAttribute('x', String(x2 - 6));
    handle.setAttribute('y', String(y2 - 6));
    labels.replaceChildren(
      Object.assign(s('text', { x: tx1 + 4, y: ty1 + 14, class: 'target-label' }), {
        textContent: 'target',
      }),
      Object.assign(s('text', { x: x1 + 4, y: y1 + 14, class: 'pred-label' }), {
        textContent: 'prediction',
      }),
    );
    const values = evaluateAll(pred, target);
    for (const v of values) {
      const row = rows.get(v.id)!;
      row.value.textContent = v.error ?? fmt(v.value);
      row.value.dataset.value = String(v.value);
      row.grad.textContent = v.grad.map(fmt).join(', ');
      row.radio.checked = v.id === chosen;
    }
    const cur = values.find((v) => v.id === chosen)!;
    const [g0, g1, g2, g3] = cur.grad;
    const longest = Math.max(Math.hypot(g0, g1), Math.hypot(g2, g3));
    arrows.replaceChildren();
    if (longest > 0 && Number.isFinite(longest)) {
      const k = 70 / longest;
      arrows.append(arrow(x1, y1, -g0 * k, -g1 * k, 'grad-arrow'));
      arrows.append(arrow(x2, y2, -g2 * k, -g3 * k, 'grad-arrow'));
      note.textContent = `Arrows: −∂${chosen}/∂(x1, y1) at the top-left corner and −∂${chosen}/∂(x2, y2) at the bottom-right corner, scaled so the longer is 70 px.`;
    } else {
      note.textContent = `The gradient of ${chosen} is zero here: a step does not move the box.`;
    }
    coords.textContent = `prediction (x1, y1, x2, y2) = (${pred.map(fmt).join(', ')}); target = (${target.join(', ')})`;
    coords.dataset.box = JSON.stringify(pred);
    coords.dataset.target = JSON.stringify(target);
    const meta = metas.get(chosen);
    about.replaceChildren(
      h('h3', {}, meta?.title ?? chosen, ' ', h('code', {}, chosen)),
      h('p', {}, meta?.summary ?? ''),
      meta ? tex(meta.formula) : '',
    );
  }

  // ---- pointer: drag the box, or its bottom-right handle to resize it
  const toSvg = (e: PointerEvent): [number, number] => {
    const m = svg.getScreenCTM();
    if (!m) return [e.clientX, e.clientY];
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());
    return [p.x, p.y];
  };
  let drag: { mode: 'move' | 'resize'; start: [number, number]; box: Box; id: number } | null =
    null;
  const begin = (mode: 'move' | 'resize') => (e: PointerEvent) => {
    e.preventDefault();
    (e.currentTarget as Element).setPointerCapture(e.pointerId);
    drag = { mode, start: toSvg(e), box: [...pred], id: e.pointerId };
    predRect.focus({ preventScroll: true });
  };
  const move = (e: PointerEvent) => {
    if (!drag || e.pointerId !== drag.id) return;
    const [x, y] = toSvg(e);
    const dx = x - drag.start[0];
    const dy = y - drag.start[1];
    const [a, b, c, d] = drag.box;
    pred =
      drag.mode === 'move'
        ? tidy([a + dx, b + dy, c + dx, d + dy])
        : tidy([a, b, Math.max(c + dx, a + MIN_SIZE), Math.max(d + dy, b + MIN_SIZE)]);
    render();
  };
  const end = () => {
    drag = null;
  };
  for (const [el, mode] of [
    [predRect, 'move'],
    [handle, 'resize'],
  ] as const) {
    el.addEventListener('pointerdown', begin(mode));
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', end);
    el.addEventListener('pointercancel', end);
  }

  // ---- keyboard: arrows move the box by 4 px, Shift + arrows resize it
  predRect.addEventListener('keydown', (e) => {
    const d: Record<string, [number, number]> = {
      ArrowLeft: [-4, 0],
      ArrowRight: [4, 0],
      ArrowUp: [0, -4],
      ArrowDown: [0, 4],
    };
    const step = Object.hasOwn(d, e.key) ? d[e.key] : null;
    if (!step) return;
    e.preventDefault();
    const [a, b, c, dd] = pred;
    pred = e.shiftKey
      ? tidy([a, b, Math.max(c + step[0], a + MIN_SIZE), Math.max(dd + step[1], b + MIN_SIZE)])
      : tidy([a + step[0], b + step[1], c + step[0], dd + step[1]]);
    render();
  });

  // ---- gradient descent
  const descend = (n: number) => {
    for (let i = 0; i < n; i += 1) {
      const r = evaluate(chosen, { input: [pred], target: [target] }, {}, { grad: true });
      const g = r.grads!.input.data;
      pred = tidy([
        pred[0] - lr * g[0],
        pred[1] - lr * g[1],
        pred[2] - lr * g[2],
        pred[3] - lr * g[3],
      ]);
    }
    render();
  };
  const lrInput = h('input', {
    type: 'number',
    id: 'box-lr',
    min: '0',
    step: 'any',
    value: String(lr),
  });
  lrInput.addEventListener('input', () => {
    const v = Number(lrInput.value);
    if (lrInput.value.trim() !== '' && Number.isFinite(v) && v >= 0) lr = v;
  });
  const stepBtn = h('button', { type: 'button', 'data-testid': 'box-step' }, 'Step');
  stepBtn.addEventListener('click', () => descend(1));
  const step10 = h('button', { type: 'button', 'data-testid': 'box-step10' }, '10 steps');
  step10.addEventListener('click', () => descend(10));
  const reset = h('button', { type: 'button' }, 'Reset');
  reset.addEventListener('click', () => {
    pred = [60, 50, 160, 140];
    render();
  });

  render();
  return [
    h('h1', {}, 'Box playground'),
    h(
      'p',
      {},
      'Drag the blue predicted box (or its corner handle to resize it), or focus it and use the arrow keys (Shift + arrows resize). Every value and arrow below is computed by losskit on the two boxes, in pixels, xyxy format.',
    ),
    h(
      'div',
      { class: 'play-row' },
      h('div', { class: 'play-canvas' }, svg, coords, note),
      h(
        'div',
        { class: 'play-side' },
        table,
        h(
          'div',
          { class: 'controls-inline' },
          h('label', { for: 'box-lr' }, 'learning rate'),
          lrInput,
          stepBtn,
          step10,
          reset,
        ),
      ),
    ),
    about,
  ];
}
