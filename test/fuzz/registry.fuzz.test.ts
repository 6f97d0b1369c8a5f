/**
 * The registry-wide fuzz suite at its CI budget: a fixed seed, FUZZ_RUNS probes per example (default
 * 150) and 10 in-domain perturbations. Longer runs: `npm run fuzz -- --runs N` (test/fuzz/cli.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryCases, probeArbitrary, runFiniteProbe, runProbe } from './harness.js';

const SEED = 20261201;
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

describe('every registry entry under hostile and extreme input', () => {
  for (const c of entryCases()) {
    it(`${c.entry.id} example ${c.exampleIndex} returns its documented form or throws a LossError, deterministically and without mutating inputs`, () => {
      fc.assert(
        fc.property(probeArbitrary(c), (p) => {
          const problem = runProbe(p);
          if (problem !== null) throw new Error(`${p.label}: ${problem}`);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    });
    it(`${c.entry.id} example ${c.exampleIndex} gives finite values and gradients under small perturbations`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), {
            minLength: 1,
            maxLength: 8,
          }),
          fc.boolean(),
          (us, none) => {
            expect(runFiniteProbe(c, us, none)).toBeNull();
          },
        ),
        { seed: SEED, numRuns: 10, endOnFailure: true },
      );
    });
  }
});
