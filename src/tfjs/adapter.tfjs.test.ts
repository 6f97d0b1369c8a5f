/**
 * evaluateTf, kerasLoss and kerasMetric beyond the registry-wide agreement: the ways tfjs
 * differentiates (variableGrads, optimizer.minimize), the device/bridge choice, Keras' argument
 * order and label shapes, tf.Tensor options, memory, and the errors. Expected numbers are derived
 * beside each test or come from the core (`evaluate`) on the same values.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LossError } from '../core/errors.js';
import { evaluate, list } from '../registry.js';
import { expectLossError } from '../test-support/check.js';
import { useBackend } from '../test-support/tfjs-backends.js';
import { evaluateTf, kerasLoss, kerasMetric, lastTfPath, nativeIds, tfPath } from './index.js';

const LOGITS = [
  [2.0, 0.5, -1.0],
  [0.1, 0.2, 3.0],
  [-0.3, 1.1, 0.4],
];

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++)
    expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i])));
}

describe('losskit/tfjs', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('runs every regression and classification loss on the device and bridges the rest', () => {
    for (const m of list()) {
      const device = m.kind === 'loss' && (m.task === 'regression' || m.task === 'classification');
      expect(tfPath(m.id).path, m.id).toBe(device ? 'native' : 'bridge');
    }
    expect(nativeIds()).toEqual(expect.arrayContaining(['mse', 'sigmoidFocal', 'crossEntropy']));
    expect(tfPath('mae').path).toBe('native'); // the alias of l1
    expectLossError(() => tfPath('focalLos'), 'E_UNKNOWN_LOSS', ['focalLos']);
  });

  it('returns a scalar for a reduced loss and the per-unit losses for reduction none', () => {
    const x = tf.tensor2d(LOGITS);
    const y = tf.tensor1d([0, 2, 1], 'int32');
    expect(evaluateTf('crossEntropy', { input: x, target: y }).shape).toEqual([]);
    const none = evaluateTf('crossEntropy', { input: x, target: y }, { reduction: 'none' });
    expect(none.shape).toEqual([3]);
    const want = evaluate(
      'crossEntropy',
      { input: LOGITS, target: [0, 2, 1] },
      { reduction: 'none' },
    ).value;
    close(none.dataSync(), (want as { data: Float64Array }).data);
  });

  it('is differentiated by tf.variableGrads with the gradient of the core', () => {
    const w = tf.variable(tf.tensor2d(LOGITS));
    const { value, grads } = tf.variableGrads(
      () =>
        evaluateTf('sigmoidFocal', {
          input: w,
          target: [
            [0, 1, 0],
            [1, 0, 0],
            [0, 0, 1],
          ],
        }) as tf.Scalar,
      [w],
    );
    const want = evaluate(
      'sigmoidFocal',
      {
        input: LOGITS,
        target: [
          [0, 1, 0],
          [1, 0, 0],
          [0, 0, 1],
        ],
      },
      {},
      { grad: true },
    );
    close(value.dataSync(), [want.value as number]);
    close(grads[w.name].dataSync(), want.grads!.input.data);
    w.dispose();
  });

  it('lets optimizer.minimize lower a loss on the device and through the bridge', () => {
    for (const path of ['auto', 'bridge'] as const) {
      const id = 'multiMargin';
      const w = tf.variable(tf.tensor2d(LOGITS));
      const target = tf.tensor1d([1, 0, 2], 'int32');
      const opt = tf.train.sgd(0.5);
      const loss = (): tf.Scalar => evaluateTf(id, { input: w, target }, {}, { path }) as tf.Scalar;
      const before = loss().dataSync()[0];
      for (let k = 0; k < 5; k++) opt.minimize(loss);
      const after = loss().dataSync()[0];
      expect(lastTfPath()).toBe(path === 'auto' ? 'native' : 'bridge');
      expect(after, path).toBeLessThan(before);
      w.dispose();
    }
  });

  it('differentiates a bridged reduction none through the upstream gradient', () => {
    const x = tf.tensor2d(LOGITS);
    const dy = tf.tensor1d([0.5, -1, 2]);
    const g = tf.grad((t: tf.Tensor) =>
      evaluateTf(
        'multiMargin',
        { input: t, target: [1, 0, 2] },
        { reduction: 'none' },
        { path: 'bridge' },
      ),
    )(x, dy);
    const want = evaluate(
      'multiMargin',
      { input: LOGITS, target: [1, 0, 2] },
      { reduction: 'none' },
      { grad: true, upstream: [0.5, -1, 2] },
    );
    close(g.dataSync(), want.grads!.input.data);
  });

  it('takes tensor options as tf.Tensors', () => {
    const v = evaluateTf(
      'crossEntropy',
      { input: tf.tensor2d(LOGITS), target: tf.tensor1d([0, 2, 1], 'int32') },
      { weight: tf.tensor1d([1, 2, 0.5]), labelSmoothing: 0.1 },
    );
    const want = evaluate(
      'crossEntropy',
      { input: LOGITS, target: [0, 2, 1] },
      { weight: [1, 2, 0.5], labelSmoothing: 0.1 },
    );
    close(v.dataSync(), [want.value as number]);
  });

  it('leaks no tensors when a gradient is taken inside tf.tidy, native or bridged', () => {
    const x = tf.tensor2d(LOGITS);
    const y = tf.tensor1d([0, 2, 1], 'int32');
    for (const path of ['auto', 'bridge'] as const) {
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const g = tf.grad((t: tf.Tensor) =>
          evaluateTf('crossEntropy', { input: t, target: y }, { labelSmoothing: 0.1 }, { path }),
        )(x);
        g.dataSync();
      });
      expect(tf.memory().numTensors, path).toBe(before);
    }
  });

  it('goes through the bridge, with the core error, when the device code does not cover a call', () => {
    // posWeight of length 2 does not broadcast on a last dim of 3: the core's E_SHAPE.
    expectLossError(
      () =>
        evaluateTf(
          'bceWithLogits',
          { input: tf.tensor2d(LOGITS), target: tf.zeros([3, 3]) },
          { posWeight: [1, 2] },
        ),
      'E_SHAPE',
      ['bceWithLogits', 'posWeight'],
    );
    expectLossError(
      () => evaluateTf('mse', { input: tf.tensor1d([1, 2]), target: tf.tensor1d([1, 2, 3]) }),
      'E_SHAPE',
      ['mse', "'target'"],
    );
  });

  it('rejects unknown ids, inputs and options, missing inputs and disposed tensors', () => {
    const x = tf.tensor1d([1, 2]);
    expectLossError(() => evaluateTf('softmaxCrossEntropy', { input: x }), 'E_UNKNOWN_LOSS', [
      "Did you mean 'crossEntropy'",
    ]);
    expectLossError(() => evaluateTf('mse', { input: x, target: x, weight: x }), 'E_INPUT', [
      "unknown input 'weight'",
    ]);
    expectLossError(() => evaluateTf('mse', { input: x }), 'E_INPUT', [
      "input 'target' is required",
    ]);
    expectLossError(() => evaluateTf('huber', { input: x, target: x }, { detla: 1 }), 'E_OPTION', [
      "Did you mean 'delta'",
    ]);
    expectLossError(() => evaluateTf('huber', { input: x, target: x }, { delta: -1 }), 'E_OPTION', [
      'delta',
    ]);
    const gone = tf.tensor1d([1, 2]);
    gone.dispose();
    expectLossError(() => evaluateTf('mse', { input: gone, target: x }), 'E_INPUT', ['disposed']);
  });
});

describe('kerasLoss and kerasMetric', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('take (yTrue, yPred), the reverse of losskit order', () => {
    // msle floors both sides at 1e-7: prediction [2, 0] against target [0, 0] gives
    // (log 3 − log1p(1e-7))²/2 ≈ 0.6035; the swapped order would give the same value, so the
    // gradient tells the order apart: ∂/∂yPred_0 = 2(log 3 − log1p(1e-7))/3/2 ≠ 0.
    const yTrue = tf.tensor1d([0, 0]);
    const yPred = tf.tensor1d([2, 0]);
    const loss = kerasLoss('msle');
    const v = loss(yTrue, yPred).dataSync()[0];
    const d = Math.log(3) - Math.log1p(1e-7);
    expect(Math.abs(v - d ** 2 / 2)).toBeLessThan(1e-6);
    const g = tf
      .grad((p: tf.Tensor) => loss(yTrue, p))(yPred)
      .dataSync();
    expect(Math.abs(g[0] - d / 3)).toBeLessThan(1e-6);
    expect(g[1]).toBe(0);
  });

  it('squeeze a sparse label column (N, 1) for class-index targets', () => {
    const v = kerasLoss('crossEntropy')(
      tf.tensor2d([[0], [2], [1]]),
      tf.tensor2d(LOGITS),
    ).dataSync()[0];
    const want = evaluate('crossEntropy', { input: LOGITS, target: [0, 2, 1] }).value as number;
    expect(Math.abs(v - want)).toBeLessThan(1e-6);
  });

  it('turn a one-hot yTrue into class indices for an index-target entry', () => {
    const oneHot = tf.tensor2d([
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
    ]);
    const v = kerasLoss('multiMargin')(oneHot, tf.tensor2d(LOGITS)).dataSync()[0];
    const want = evaluate('multiMargin', { input: LOGITS, target: [1, 0, 2] }).value as number;
    expect(Math.abs(v - want)).toBeLessThan(1e-6);
  });

  it('computes a metric from (yTrue, yPred)', () => {
    const yPred = tf.tensor1d([0.9, 0.2, 0.7, 0.4, 0.8]);
    const yTrue = tf.tensor1d([1, 0, 0, 1, 1]);
    const v = kerasMetric('f1Score', { task: 'binary' })(yTrue, yPred).dataSync()[0];
    // Thresholded at 0.5: predictions 1,0,1,0,1 → TP 2, FP 1, FN 1 → F1 = 2·2/(2·2 + 1 + 1) = 2/3.
    expect(Math.abs(v - 2 / 3)).toBeLessThan(1e-6);
  });

  it('reject metrics as losses, entries without a (prediction, target) pair and reduction none', () => {
    expectLossError(() => kerasLoss('f1Score'), 'E_INPUT', ['kerasMetric']);
    expectLossError(() => kerasLoss('gaussianNll'), 'E_INPUT', ['two required inputs']);
    expectLossError(() => kerasLoss('mse', { reduction: 'none' }), 'E_OPTION', [
      "reduction='none'",
    ]);
    expectLossError(() => kerasLoss('huber', { delta: 0 }), 'E_OPTION', ['delta']);
    expect(() => kerasLoss('mse')).not.toThrow(LossError);
  });
});
