/**
 * The built command as a user runs it: `npm run build`, then `node dist/cli/main.js` in a child
 * process (exit codes, stdout/stderr, files written, standard input), on the NumPy fixtures of
 * tools/golden/gen_npy.py.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
  env: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    // A hang is a failure (status null), not a stuck test run.
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A refusal as a user sees it: the exit code, nothing on stdout, one line, no stack frame. */
function refusedBy(
  r: { status: number | null; stdout: string; stderr: string },
  code: number,
  fragment: string,
): void {
  expect(r.status, r.stderr).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).toContain(fragment);
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

  it('exits 1 for a truncated .npy file and for a header asking for 80 GB', () => {
    const dir = mkdtempSync(join(tmpdir(), 'losskit-spawn-'));
    const full = readFileSync(join(fixtures, 'logits.npy'));
    const cut = join(dir, 'cut.npy');
    // logits.npy is 128 header bytes + 160 data bytes; 200 bytes leave 72 of the 160.
    writeFileSync(cut, full.subarray(0, 200));
    refusedBy(
      losskit(['eval', 'mse', '--input', `input=${cut}`, '--inputs', '{"target":[0]}']),
      1,
      'cut.npy: truncated .npy data: shape (4, 5) of float64 needs 160 bytes, the file has 72',
    );
    // The same 128-byte header layout, with the shape replaced by (100000, 100000): 8e10 bytes.
    const header = "{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000), }";
    const h = header + ' '.repeat(128 - 10 - header.length - 1) + '\n';
    const huge = Buffer.alloc(128 + 8);
    huge.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
    huge.writeUInt16LE(h.length, 8);
    huge.write(h, 10, 'latin1');
    const hugePath = join(dir, 'huge.npy');
    writeFileSync(hugePath, huge);
    refusedBy(
      losskit(
        ['eval', 'mse', '--input', `input=${hugePath}`, '--inputs', '{"target":[0]}'],
        undefined,
        {
          LOSSKIT_MAX_INPUT_BYTES: '1000000',
        },
      ),
      1,
      'needs 80000000000 bytes, above the limit of 1000000 bytes (LOSSKIT_MAX_INPUT_BYTES)',
    );
  });

  it('exits 1 when standard input runs past LOSSKIT_MAX_INPUT_BYTES', () => {
    refusedBy(
      losskit(
        ['eval', 'mse', '--input', 'input=-', '--inputs', '{"target":[0]}'],
        '1\n'.repeat(5000),
        {
          LOSSKIT_MAX_INPUT_BYTES: '1000',
        },
      ),
      1,
      'standard input is above the input limit of 1000 bytes',
    );
  });

  it('exits 2 for a repeated --option and a repeated --input', () => {
    const inputs = '{"input":[1,2],"target":[0,0]}';
    refusedBy(
      losskit([
        'eval',
        'mse',
        '--inputs',
        inputs,
        '--option',
        'reduction=sum',
        '--option',
        'reduction=none',
      ]),
      2,
      "option 'reduction' given twice",
    );
    const labels = join(fixtures, 'labels.npy');
    refusedBy(
      losskit(['eval', 'mse', '--input', `input=${labels}`, '--input', `input=${labels}`]),
      2,
      "input 'input' given twice",
    );
  });

  it('reads a CSV with a byte-order mark, CRLF line ends and quoted cells from standard input', () => {
    // mse of [1, 2, 3, 4] against zeros: (1 + 4 + 9 + 16) / 4 = 7.5.
    const r = losskit(
      ['eval', 'mse', '--input', 'input=-', '--inputs', '{"target":[[0,0],[0,0]]}', '--json'],
      '\uFEFF"1","2"\r\n\r\n3,"4"\r\n',
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ id: 'mse', value: 7.5 });
  });

  it.runIf(existsSync('/proc/self'))(
    "exits 1 for --grad under /proc, where Node's recursive mkdir loops forever",
    () => {
      refusedBy(
        losskit([
          'eval',
          'mse',
          '--inputs',
          '{"input":[1],"target":[0]}',
          '--grad',
          '/proc/losskit/x',
        ]),
        1,
        '/proc/losskit: cannot write (ENOENT)',
      );
    },
  );

  it('exits 2 for an unknown flag with a did-you-mean', () => {
    const r = losskit(['list', '--tsak', 'regression']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown option '--tsak' (did you mean '--task'?)");
  });
});
