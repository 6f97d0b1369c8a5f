/**
 * The built command as a user runs it: `npm run build`, then `node dist/cli/main.js` in a child
 * process (exit codes, stdout/stderr, files written, standard input), on the NumPy fixtures of
 * tools/golden/gen_npy.py.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseNpy } from './npy.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const main = join(root, 'dist/cli/main.js');
const fixtures = join(root, 'test/fixtures/npy');
const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8')) as {
  value: number;
  grad: { shape: number[]; data: number[] };
};

function losskit(
  args: string[],
  input?: string,
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, ...args], { cwd: root, input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('node dist/cli/main.js', () => {
  beforeAll(() => {
    execFileSync(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: root,
        stdio: 'pipe',
      },
    );
  }, 120_000);

  it("prints PyTorch's cross-entropy value and writes its gradient as out/input.npy", () => {
    const out = mkdtempSync(join(tmpdir(), 'losskit-spawn-'));
    const r = losskit([
      'eval',
      'crossEntropy',
      '--input',
      `input=${join(fixtures, 'logits.npy')}`,
      '--input',
      `target=${join(fixtures, 'labels.npy')}`,
      '--option',
      'labelSmoothing=0.1',
      '--grad',
      out,
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const res = JSON.parse(r.stdout) as { value: number };
    expect(Math.abs(res.value - expected.value) / expected.value).toBeLessThan(1e-13);
    const g = parseNpy(new Uint8Array(readFileSync(join(out, 'input.npy'))), 'input.npy', 1 << 20);
    expect(g.shape).toEqual(expected.grad.shape);
    const data = g.data as Float64Array;
    expected.grad.data.forEach((v, i) => expect(Math.abs(data[i] - v)).toBeLessThan(1e-15));
  });

  it('reads an input from standard input', () => {
    const r = losskit(
      ['eval', 'mse', '--input', 'input=-', '--inputs', '{"target":[0,0]}', '--json'],
      '[1, 2]',
    );
    // mean of 1² and 2² = 2.5
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ id: 'mse', value: 2.5 });
  });

  it('exits 1 with a one-line message and no stack trace for a Fortran-order file', () => {
    const r = losskit(['eval', 'mse', '--input', `input=${join(fixtures, 'fortran.npy')}`]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('fortran.npy: Fortran-order .npy arrays are not supported');
  });

  it('exits 2 for an unknown flag with a did-you-mean', () => {
    const r = losskit(['list', '--tsak', 'regression']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown option '--tsak' (did you mean '--task'?)");
  });
});
