/**
 * `npm run repro:diou -- --mode exact|paper [--points N] [--fix half,clampUnion,distance,aspect]
 * --out DIR`: runs the DIoU paper's simulation (see diou-simulation.ts) and writes
 * DIR/diou-<mode>.json, .md and .svg (with --fix, the ablation's name: diou-paper-half-….json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GradMode, PaperFixes } from './diou-simulation.js';
import {
  markdownTable,
  PAPER_FIXES,
  runSimulation,
  SIM_LOSSES,
  STEPS,
  svgPlot,
} from './diou-simulation.js';

function parse(argv: string[]): { mode: GradMode; points: number; out: string; fix: PaperFixes } {
  let mode: GradMode = 'exact';
  let points = 5000;
  let out = 'docs/diou-simulation';
  const fix: PaperFixes = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--mode' && (v === 'exact' || v === 'paper')) mode = v;
    else if (a === '--points' && v !== undefined) points = Number(v);
    else if (a === '--out' && v !== undefined) out = v;
    else if (a === '--fix' && v !== undefined) {
      for (const f of v.split(',')) {
        if (!(PAPER_FIXES as readonly string[]).includes(f))
          throw new Error(`unknown fix '${f}' (one of ${PAPER_FIXES.join(', ')})`);
        fix[f as keyof PaperFixes] = true;
      }
    } else
      throw new Error(
        `unknown or incomplete argument '${a}' (usage: --mode exact|paper [--points N] --out DIR)`,
      );
    i++;
  }
  return { mode, points, out, fix };
}

const { mode, points, out, fix } = parse(process.argv.slice(2));
const total = SIM_LOSSES.length * STEPS;
let done = 0;
const bar = (loss: string) => {
  const width = 40;
  const filled = Math.round((done / total) * width);
  process.stderr.write(
    `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${((100 * done) / total).toFixed(0).padStart(3)}% ${loss.padEnd(4)}`,
  );
};
const result = runSimulation(
  mode,
  points,
  (loss) => {
    done++;
    bar(loss);
  },
  fix,
);
const name = ['diou', mode, ...result.meta.fixes].join('-');
process.stderr.write(`\ndone in ${result.meta.seconds.toFixed(1)} s\n`);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, `${name}.json`), `${JSON.stringify(result, null, 1)}\n`);
writeFileSync(join(out, `${name}.md`), markdownTable(result));
writeFileSync(join(out, `${name}.svg`), svgPlot(result));
process.stdout.write(markdownTable(result));
