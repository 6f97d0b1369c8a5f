import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import {
  checkGradFD,
  expectLossError,
  expectTensorClose,
  tensorOf,
} from '../../test-support/check.js';
import {
  decodeNumber,
  decodeOptions,
  decodeTensor,
  loadGolden,
} from '../../test-support/golden.js';
import type { Tensor } from '../../core/tensor.js';
import { ntXent } from '../ranking/ntXent.js';
import { graphContrastive } from './graphContrastive.js';

describe('graphContrastive', () => {
  describe('golden values (the ntXent fixture: SimCLR NT-Xent in torch, checked against GRACE)', () => {
    // tools/golden/gen_ranking.py computes these with a torch transcription of GRACE's model.py
    // loss and asserts it equals the SimCLR form; graphContrastive is that function.
    const golden = loadGolden('ntXent');
    for (const c of golden.cases) {
      if (c.error !== undefined) continue;
      it(`matches GRACE on '${c.name}'`, () => {
        const inputs: Record<string, Tensor> = {};
        for (const [k, v] of Object.entries(c.inputs)) inputs[k] = decodeTensor(v);
        const upstream =
          c.upstream === null
            ? undefined
            : typeof c.upstream === 'object'
              ? decodeTensor(c.upstream)
              : decodeNumber(c.upstream);
        const res = evaluate('graphContrastive', inputs, decodeOptions(c.options), {
          grad: true,
          upstream,
        });
        const want =
          typeof c.value === 'object'
            ? decodeTensor(c.value)
            : { data: Float64Array.of(decodeNumber(c.value)), shape: [] };
        const got =
          typeof res.value === 'number'
            ? { data: Float64Array.of(res.value), shape: [] }
            : res.value;
        expectTensorClose(got, want, { rtol: 1e-12, atol: 1e-14 }, 'value');
        for (const [k, g] of Object.entries(c.grads ?? {}))
          expectTensorClose(res.grads![k], decodeTensor(g), { rtol: 1e-12, atol: 1e-14 }, k);
      });
    }
  });

  const z1 = tensorOf([5, 4], (i) => Math.sin(0.7 * i + 0.3));
  const z2 = tensorOf([5, 4], (i) => Math.sin(0.7 * i + 0.3) + 0.5 * Math.cos(1.3 * i));

  it('equals ntXent bit for bit in value and gradient under every reduction', () => {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      const a = graphContrastive.valueAndGrad(z1, z2, { reduction, temperature: 0.4 });
      const b = ntXent.valueAndGrad(z1, z2, { reduction, temperature: 0.4 });
      expect(a.value).toEqual(b.value);
      expect(Array.from(a.grads.z1.data)).toEqual(Array.from(b.grads.z1.data));
      expect(Array.from(a.grads.z2.data)).toEqual(Array.from(b.grads.z2.data));
    }
  });

  it('matches central finite differences', () => {
    checkGradFD('graphContrastive', { z1, z2 }, { temperature: 0.7 });
  });

  it('decreases when the two views of each node agree more', () => {
    const far = graphContrastive(z1, z2);
    const near = graphContrastive(z1, z1);
    expect(near).toBeLessThan(far);
  });

  it('rejects views of different node counts (E_SHAPE) and a zero temperature (E_OPTION)', () => {
    expectLossError(
      () =>
        graphContrastive(
          z1,
          tensorOf([4, 4], () => 1),
        ),
      'E_SHAPE',
      ['graphContrastive'],
    );
    expectLossError(() => graphContrastive(z1, z2, { temperature: 0 }), 'E_OPTION', [
      'graphContrastive',
      "'temperature'",
    ]);
  });
});
