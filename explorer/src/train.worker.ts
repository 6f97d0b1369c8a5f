/**
 * The training demo's Web Worker: trains the demo model (train-core.ts) with losskit's gradients in
 * small paced chunks, posting a report after each chunk, until it has run `steps` steps or is told to
 * stop.
 */
import { makeData, Trainer } from './train-core.js';
import type { TrainLoss, Report } from './train-core.js';

export type ToWorker =
  | {
      type: 'start';
      loss: TrainLoss;
      options: Record<string, unknown>;
      steps: number;
      stepsPerChunk: number;
      pauseMs: number;
    }
  | { type: 'stop' };

export type FromWorker =
  | ({ type: 'progress'; steps: number } & Report)
  | ({ type: 'done'; steps: number; reason: 'finished' | 'stopped' } & Report)
  | { type: 'error'; message: string };

let stopRequested = false;
let timer: ReturnType<typeof setTimeout> | null = null;
/** The pending chunk of the current run (null when no run is under way). */
let pending: (() => void) | null = null;

function post(m: FromWorker): void {
  (self as unknown as Worker).postMessage(m);
}

function run(msg: Extract<ToWorker, { type: 'start' }>): void {
  let trainer: Trainer;
  try {
    trainer = new Trainer(makeData(), msg.loss, msg.options);
  } catch (e) {
    post({ type: 'error', message: (e as Error).message });
    return;
  }
  stopRequested = false;
  const chunk = () => {
    timer = null;
    pending = null;
    try {
      if (stopRequested) {
        post({ type: 'done', steps: msg.steps, reason: 'stopped', ...trainer.report() });
        return;
      }
      for (let i = 0; i < msg.stepsPerChunk && trainer.step < msg.steps; i += 1) trainer.train();
      if (trainer.step >= msg.steps) {
        post({ type: 'done', steps: msg.steps, reason: 'finished', ...trainer.report() });
        return;
      }
      post({ type: 'progress', steps: msg.steps, ...trainer.report() });
      pending = chunk;
      timer = setTimeout(chunk, msg.pauseMs);
    } catch (e) {
      post({ type: 'error', message: (e as Error).message });
    }
  };
  chunk();
}

self.addEventListener('message', (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  if (msg.type === 'stop') {
    stopRequested = true;
    if (timer !== null && pending !== null) {
      // Stop at once: run the pending chunk now, which reports the final state.
      clearTimeout(timer);
      pending();
    }
  } else if (msg.type === 'start') {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    pending = null;
    run(msg);
  }
});
