import { describe, expect, it } from 'vitest';
import { goldenTests } from '../test-support/golden.js';
import { distributionCrossEntropy } from './distributionCrossEntropy.js';

describe('distributionCrossEntropy', () => {
  describe('golden values (torch.special.xlogy)', () => {
    goldenTests('distributionCrossEntropy');
  });

  it('gives Infinity when q = 0 where p > 0, and ignores q where p = 0', () => {
    expect(distributionCrossEntropy([0.5, 0.5], [1, 0])).toBe(Infinity);
    expect(distributionCrossEntropy([1, 0], [1, 0])).toBe(0);
  });
});
