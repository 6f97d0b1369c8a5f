/**
 * `npm run fuzz -- --runs N [--seed S] [--only id1,id2] [--verbose]`: the registry-wide fuzz probes at any budget,
 * printing every failing probe (with its fast-check counterexample) and exiting 1 if any failed.
 */
import fc from 'fast-check';
import { entryCases, probeArbitrary, runFiniteProbe, runProbe } from './harness.js';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const runs = Number(flag('runs', '1000'));
const seed = Number(flag('seed', String(Date.now() % 2 ** 31)));
const only = flag('only', '');
const filter = only === '' ? undefined : (id: string): boolean => only.split(',').includes(id);
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write('fuzz: --runs must be a positive integer\n');
  process.exit(2);
}
let failures = 0;
const t0 = performance.now();
const verbose = process.argv.includes('--verbose');
for (const c of entryCases(filter)) {
  const name = `${c.entry.id} example ${c.exampleIndex}`;
  const tCase = performance.now();
  const a = fc.check(
    fc.property(probeArbitrary(c), (p) => {
      const problem = runProbe(p);
      if (problem !== null) throw new Error(`${p.label}: ${problem}`);
    }),
    { seed, numRuns: runs },
  );
  const b = fc.check(
    fc.property(
      fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), {
        minLength: 1,
        maxLength: 8,
      }),
      fc.boolean(),
      (us, none) => {
        const problem = runFiniteProbe(c, us, none);
        if (problem !== null) throw new Error(problem);
      },
    ),
    { seed, numRuns: Math.max(1, Math.ceil(runs / 4)) },
  );
  if (verbose)
    process.stderr.write(`${name}: ${((performance.now() - tCase) / 1000).toFixed(2)} s\n`);
  for (const r of [a, b]) {
    if (r.failed) {
      failures++;
      process.stdout.write(
        `FAIL ${name}: ${String((r.errorInstance as Error | undefined)?.message ?? r.error).split('\n')[0]}\n`,
      );
    }
  }
}
process.stdout.write(
  `fuzz: seed ${seed}, ${runs} runs per example, ${failures} failing properties, ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
);
process.exit(failures === 0 ? 0 : 1);
