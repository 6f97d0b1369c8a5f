import { describe, expect, it } from 'vitest';
import { expectLossError } from '../test-support/check.js';
import { goldenTests } from '../test-support/golden.js';
import { confusionMatrix } from './confusionMatrix.js';

describe('confusionMatrix', () => {
  describe('golden values (scikit-learn confusion_matrix / multilabel_confusion_matrix)', () => {
    goldenTests('confusionMatrix');
  });

  it('puts true classes in rows and predictions in columns', () => {
    // one sample of class 1 predicted as 2
    expect(confusionMatrix([2], [1], { numClasses: 3 })).toEqual({
      data: Float64Array.of(0, 0, 0, 0, 0, 1, 0, 0, 0),
      shape: [3, 3],
    });
  });

  it('gives (C, 2, 2) blocks [[tn, fp], [fn, tp]] for multilabel', () => {
    const v = confusionMatrix([[0.9, 0.1]], [[1, 1]], { task: 'multilabel' });
    expect(v).toEqual({ data: Float64Array.of(0, 0, 0, 1, 0, 0, 1, 0), shape: [2, 2, 2] });
  });

  it('normalises an empty row to zeros', () => {
    expect(confusionMatrix([0, 0], [0, 0], { numClasses: 2, normalize: 'true' })).toEqual({
      data: Float64Array.of(1, 0, 0, 0),
      shape: [2, 2],
    });
  });

  it('argmaxes class scores, keeping the first maximum on ties', () => {
    expect(confusionMatrix([[0.5, 0.5, 0.1]], [1])).toEqual({
      data: Float64Array.of(0, 0, 0, 1, 0, 0, 0, 0, 0),
      shape: [3, 3],
    });
  });

  it('gives an all-zero matrix for empty input', () => {
    const empty = { data: new Float64Array(0), shape: [0] };
    expect(confusionMatrix(empty, empty)).toEqual({ data: new Float64Array(4), shape: [2, 2] });
  });

  it('rejects an unknown normalize with a hint (E_OPTION)', () => {
    expectLossError(() => confusionMatrix([1], [1], { normalize: 'rows' as never }), 'E_OPTION', [
      "'normalize'",
    ]);
  });

  it('refuses a C×C matrix past the documented counter limit before allocating (E_RANGE)', () => {
    // 5792² = 33,547,264 ≤ 2^25 counters < 5793².
    expectLossError(() => confusionMatrix([0, 1], [1, 0], { numClasses: 5793 }), 'E_RANGE', [
      "'numClasses'",
      'at most 5792 classes',
      'numClasses=5793',
    ]);
  });
});
