/**
 * Test pieces hinge and squaredHinge share (their kernels are separate on purpose, their inputs
 * and the paths through each kernel are the same). Not part of the package surface.
 */
import { expect } from 'vitest';
import { evaluate } from '../registry.js';
import { checkGradFD, tensorOf } from './check.js';

/**
 * Central finite differences under every reduction at six scores whose margin 1 − y·x stays at
 * least 0.1 away from 0, against ±1 labels and the matching 0/1 labels.
 */
export function checkHingeGradFD(id: string): void {
  const input = tensorOf([2, 3], (i) => [0.3, -2, 1.7, 0.4, -0.6, 2.5][i]);
  const pm = tensorOf([2, 3], (i) => [1, -1, 1, -1, 1, 1][i]);
  const zo = tensorOf([2, 3], (i) => [1, 0, 1, 0, 1, 1][i]);
  for (const reduction of ['mean', 'sum', 'none']) {
    checkGradFD(id, { input, target: pm }, { reduction });
    checkGradFD(id, { input, target: zo }, { reduction });
  }
}

/**
 * The training path (mean, no upstream: the branch-free loop) and the general path ('none' with an
 * upstream of 1/n) give the same gradient bit for bit. Scores 3·sin(i + 0.5) include margins on
 * both sides of the kink, for ±1 and for 0/1 labels.
 */
export function expectHingePathsAlike(id: string): void {
  const n = 40;
  const input = tensorOf([n], (i) => Math.sin(i + 0.5) * 3);
  for (const target of [
    tensorOf([n], (i) => (i % 3 === 0 ? 1 : -1)),
    tensorOf([n], (i) => (i % 3 === 0 ? 1 : 0)),
  ]) {
    const fast = evaluate(id, { input, target }, {}, { grad: true });
    const general = evaluate(
      id,
      { input, target },
      { reduction: 'none' },
      { grad: true, upstream: { data: new Float64Array(n).fill(1 / n), shape: [n] } },
    );
    expect(fast.grads!.input.data).toEqual(general.grads!.input.data);
  }
}
