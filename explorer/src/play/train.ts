/**
 * The live training demo (#/play/train): logistic regression on fixed features (train-core.ts) trained
 * in a Web Worker with losskit's own gradients, on a seeded imbalanced 2-D data set. The page draws the
 * points and the model's probability field with its 0.5 decision boundary on a canvas, and reports the
 * step, the loss, and minority-class recall and precision as the worker posts them.
 */
import { list } from '../../../src/index.js';
import { fmt, h } from '../dom.js';
import { DATA_SIZE, makeData, MINORITY_SHARE, probabilityAt, TRAIN_LOSSES } from '../train-core.js';
import type { TrainLoss } from '../train-core.js';
import type { FromWorker, ToWorker } from '../train.worker.js';

const STEPS = 3000;
const STEPS_PER_CHUNK = 20;
const PAUSE_MS = 50;
const SIZE = 320;
const CELL = 4;

/** The number and boolean options of a loss, from its metadata, that the demo lets the user set. */
function editableOptions(id: TrainLoss): [string, 'number' | 'boolean', unknown][] {
  const meta = list().find((m) => m.id === id)!;
  return Object.entries(meta.options)
    .filter(([, spec]) => spec.type === 'number' || spec.type === 'boolean')
    .filter(([, spec]) => spec.default !== null)
    .map(([name, spec]) => [name, spec.type as 'number' | 'boolean', spec.default]);
}

/** Starting options: the metadata defaults, except weightedBce starts balanced (else it is plain BCE). */
function startOptions(id: TrainLoss): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, , def] of editableOptions(id)) out[name] = def;
  if (id === 'weightedBce') out.balanced = true;
  return out;
}

export function trainPage(): Node[] {
  const data = makeData();
  let loss: TrainLoss = 'weightedBce';
  let options = startOptions(loss);
  let worker: Worker | null = null;
  let latest: readonly number[] | null = null;
  let frame = 0;
  const scratch = new Float64Array(8);

  const canvas = h('canvas', {
    width: String(SIZE),
    height: String(SIZE),
    class: 'train-canvas',
    'data-testid': 'train-canvas',
    role: 'img',
    'aria-label': 'Data points and the decision boundary of the model being trained',
  });
  const ctx = canvas.getContext('2d');

  const G = SIZE / CELL + 1;
  const grid = new Float64Array(G * G);

  function draw(weights: readonly number[] | null): void {
    if (!ctx) return;
    ctx.clearRect(0, 0, SIZE, SIZE);
    if (weights) {
      // Probabilities at the cell corners, then one rectangle per cell and boundary marks where the
      // probability crosses 0.5 between neighbouring corners.
      for (let gy = 0; gy < G; gy += 1)
        for (let gx = 0; gx < G; gx += 1)
          grid[gy * G + gx] = probabilityAt(
            weights,
            (2 * gx) / (G - 1) - 1,
            1 - (2 * gy) / (G - 1),
            scratch,
          );
      for (let gy = 0; gy < G - 1; gy += 1) {
        for (let gx = 0; gx < G - 1; gx += 1) {
          const p = grid[gy * G + gx];
          ctx.fillStyle =
            p > 0.5
              ? `rgba(214,39,40,${(0.12 + 0.25 * p).toFixed(2)})`
              : `rgba(31,119,180,${(0.12 + 0.25 * (1 - p)).toFixed(2)})`;
          ctx.fillRect(gx * CELL, gy * CELL, CELL, CELL);
        }
      }
      ctx.fillStyle = '#222';
      for (let gy = 0; gy < G - 1; gy += 1) {
        for (let gx = 0; gx < G - 1; gx += 1) {
          const here = grid[gy * G + gx] > 0.5;
          if (here !== grid[gy * G + gx + 1] > 0.5 || here !== grid[(gy + 1) * G + gx] > 0.5)
            ctx.fillRect(gx * CELL + 1, gy * CELL + 1, 2, 2);
        }
      }
    }
    for (let i = 0; i < data.n; i += 1) {
      const x = ((data.points[2 * i] + 1) / 2) * SIZE;
      const y = ((1 - data.points[2 * i + 1]) / 2) * SIZE;
      const pos = data.labels[i] === 1;
      ctx.beginPath();
      ctx.arc(x, y, pos ? 3.5 : 2.2, 0, 2 * Math.PI);
      ctx.fillStyle = pos ? '#d62728' : '#1f77b4';
      ctx.fill();
      if (pos) {
        ctx.strokeStyle = '#fff';
        ctx.stroke();
      }
    }
  }

  const lossSel = h(
    'select',
    { id: 'train-loss', 'data-testid': 'train-loss' },
    ...TRAIN_LOSSES.map((id) => h('option', { value: id }, id)),
  );
  lossSel.value = loss;
  const optionBox = h('div', { class: 'controls-inline', 'data-testid': 'train-options' });
  function renderOptions(): void {
    optionBox.replaceChildren(
      ...editableOptions(loss).map(([name, type]) => {
        const id = `train-opt-${name}`;
        if (type === 'boolean') {
          const box = h('input', { type: 'checkbox', id });
          box.checked = options[name] === true;
          box.addEventListener('change', () => (options[name] = box.checked));
          return h('span', {}, box, ' ', h('label', { for: id }, h('code', {}, name)));
        }
        const num = h('input', { type: 'number', id, step: 'any', value: String(options[name]) });
        num.addEventListener('input', () => {
          if (num.value.trim() !== '' && Number.isFinite(Number(num.value)))
            options[name] = Number(num.value);
        });
        return h('span', {}, h('label', { for: id }, h('code', {}, name)), ' ', num);
      }),
    );
  }
  lossSel.addEventListener('change', () => {
    loss = lossSel.value as TrainLoss;
    options = startOptions(loss);
    renderOptions();
  });
  renderOptions();

  const start = h('button', { type: 'button', 'data-testid': 'train-start' }, 'Start');
  const stop = h('button', { type: 'button', 'data-testid': 'train-stop', disabled: '' }, 'Stop');
  const progress = h('progress', {
    max: String(STEPS),
    value: '0',
    'data-testid': 'train-progress',
    'aria-label': 'training progress',
  });
  const stepOut = h('output', { 'data-testid': 'train-step' }, '0');
  const lossOut = h('output', { 'data-testid': 'train-lossvalue' }, '–');
  const recallOut = h('output', { 'data-testid': 'train-recall' }, '–');
  const precisionOut = h('output', { 'data-testid': 'train-precision' }, '–');
  const status = h(
    'p',
    { class: 'note', role: 'status', 'data-testid': 'train-status' },
    'Not started.',
  );

  const finish = () => {
    worker?.terminate();
    worker = null;
    start.disabled = false;
    stop.disabled = true;
    lossSel.disabled = false;
    optionBox.querySelectorAll('input').forEach((i) => (i.disabled = false));
  };

  start.addEventListener('click', () => {
    worker?.terminate();
    worker = new Worker(new URL('../train.worker.ts', import.meta.url), { type: 'module' });
    worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.type === 'error') {
        status.textContent = `Error: ${m.message}`;
        finish();
        return;
      }
      progress.value = m.step;
      stepOut.textContent = String(m.step);
      lossOut.textContent = fmt(m.loss);
      recallOut.textContent = fmt(m.recall);
      precisionOut.textContent = fmt(m.precision);
      latest = m.weights;
      if (frame === 0) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          draw(latest);
        });
      }
      if (m.type === 'done') {
        status.textContent = `${m.reason === 'stopped' ? 'Stopped' : 'Finished'} at step ${m.step} of ${m.steps}.`;
        status.dataset.state = m.reason;
        finish();
      } else {
        status.textContent = `Training with ${loss}…`;
        status.dataset.state = 'running';
      }
    });
    worker.addEventListener('error', (e) => {
      status.textContent = `Worker error: ${e.message}`;
      finish();
    });
    const msg: ToWorker = {
      type: 'start',
      loss,
      options: { ...options },
      steps: STEPS,
      stepsPerChunk: STEPS_PER_CHUNK,
      pauseMs: PAUSE_MS,
    };
    worker.postMessage(msg);
    start.disabled = true;
    stop.disabled = false;
    lossSel.disabled = true;
    optionBox.querySelectorAll('input').forEach((i) => (i.disabled = true));
    status.textContent = 'Starting…';
    status.dataset.state = 'starting';
    stop.focus();
  });
  stop.addEventListener('click', () => {
    const msg: ToWorker = { type: 'stop' };
    worker?.postMessage(msg);
  });

  // Stop the worker when the page is left.
  const leave = () => {
    worker?.terminate();
    worker = null;
    window.removeEventListener('hashchange', leave);
  };
  window.addEventListener('hashchange', leave);

  draw(null);
  const metaOf = (id: string) => list().find((m) => m.id === id)!;
  return [
    h('h1', {}, 'Live training demo'),
    h(
      'p',
      {},
      `A seeded data set of ${DATA_SIZE} points in which ${Math.round(MINORITY_SHARE * 100)}% belong to a minority class (red), overlapping a uniform majority class (blue). A logistic regression on the features (1, x, y, x², y², xy) is trained in a Web Worker by full-batch Adam, with the loss and its gradient computed by losskit (evaluate with grad: true into gradient buffers allocated once). Recall and precision are those of the minority class at probability 0.5, from losskit's recall and precision metrics.`,
    ),
    h(
      'div',
      { class: 'play-row' },
      h('div', { class: 'play-canvas' }, canvas),
      h(
        'div',
        { class: 'play-side' },
        h('div', { class: 'controls-inline' }, h('label', { for: 'train-loss' }, 'loss'), lossSel),
        optionBox,
        h('div', { class: 'controls-inline' }, start, stop),
        h(
          'div',
          { class: 'controls-inline' },
          progress,
          h('span', {}, 'step ', stepOut, ` / ${STEPS}`),
        ),
        h(
          'dl',
          { class: 'readout' },
          h('dt', {}, 'loss'),
          h('dd', {}, lossOut),
          h('dt', {}, 'minority recall'),
          h('dd', {}, recallOut),
          h('dt', {}, 'minority precision'),
          h('dd', {}, precisionOut),
        ),
        status,
      ),
    ),
    h(
      'section',
      {},
      h('h2', {}, 'The three losses'),
      h(
        'ul',
        {},
        ...TRAIN_LOSSES.map((id) =>
          h(
            'li',
            {},
            h('a', { href: `#/loss/${id}` }, h('code', {}, id)),
            ': ',
            metaOf(id).whenToUse,
          ),
        ),
      ),
    ),
  ];
}
