import { describe, expect, it } from 'vitest';
import { expectClose } from '../test-support/check.js';
import { goldenTests } from '../test-support/golden.js';
import { klDivergence } from './klDivergence.js';

describe('klDivergence', () => {
  describe('golden values (scipy.special.rel_entr)', () => {
    goldenTests('klDivergence');
  });

  it('gives 0 where p = q = 0 (torch kl_div gives NaN there)', () => {
    expect(klDivergence([1, 0], [1, 0])).toBe(0);
  });

  it('stays finite for a ratio p/q that overflows', () => {
    // 0.5·ln(0.5/1e-320) computed as 0.5·(ln 0.5 − ln 1e-320); 1e-320 is subnormal
    expectClose(
      klDivergence([0.5, 0.5], [1 - 1e-320, 1e-320]) as number,
      0.5 * Math.log(0.5) + 0.5 * (Math.log(0.5) - Math.log(1e-320)),
    );
  });
});
