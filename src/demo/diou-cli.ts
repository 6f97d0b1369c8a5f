/**
 * `npm run repro:diou -- --mode exact|paper [--points N] --out DIR`: runs the DIoU paper's
 * simulation (see diou-simulation.ts) and writes DIR/diou-<mode>.json, .md and .svg.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GradMode } from './diou-simulation.js';
import { markdownTable, runSimulation, SIM_LOSSES, STEPS, svgPlot } from './diou-simulation.js';

function parse(argv: string[]): { mode: GradMode; points: number; out: string } {
  let mode: GradMode = 'exact';
  let points = 5000;
  let out = 'docs/diou-simulation';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--mode' && (v === 'exact' || v === 'paper')) mode = v;
    else if (a === '--points' && v !== undefined) points = Number(v);
    else if (a === '--out' && v !== undefined) out = v;
    else
      throw new Error(
        `unknown or incomplete argument '${a}' (usage: --mode exact|paper [--points N] --out DIR)`,
      );
    i++;
  }
  return { mode, points, out };
}

const { mode, points, out } = parse(process.argv.slice(2));
const total = SIM_LOSSES.length * STEPS;
let done = 0;
const bar = (loss: string) => {
  const width = 40;
  const filled = Math.round((done / total) * width);
  process.stderr.write(
    `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${((100 * done) / total).toFixed(0).padStart(3)}% ${loss.padEnd(4)}`,
  );
};
const result = runSimulation(mode, points, (loss) => {
  done++;
  bar(loss);
});
process.stderr.write(`\ndone in ${result.meta.seconds.toFixed(1)} s\n`);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, `diou-${mode}.json`), `${JSON.stringify(result, null, 1)}\n`);
writeFileSync(join(out, `diou-${mode}.md`), markdownTable(result));
writeFileSync(join(out, `diou-${mode}.svg`), svgPlot(result));
process.stdout.write(markdownTable(result));
