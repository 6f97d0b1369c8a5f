/**
 * The `losskit` CLI, run in-process through `run(argv, io)`. Expected numbers come from the
 * NumPy/PyTorch fixtures of tools/golden/gen_npy.py or are derived in comments; everything else is
 * read from the registry (`list()`), so the tests hold while entries are added.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TASKS } from '../core/define.js';
import { describeDomain } from '../core/options.js';
import { getEntry, list } from '../registry.js';
import { EXIT, run } from './main.js';
import { parseNpy } from './npy.js';

interface Outcome {
  code: number;
  out: string;
  err: string;
}

function cli(argv: string[], stdin?: string, env: Record<string, string> = {}): Outcome {
  let out = '';
  let err = '';
  const code = run(argv, {
    out: (s) => (out += s),
    err: (s) => (err += s),
    stdin: stdin === undefined ? undefined : () => new TextEncoder().encode(stdin),
    env,
  });
  return { code, out, err };
}

const npyDir = new URL('../../test/fixtures/npy/', import.meta.url);
const npy = (name: string): string => new URL(name, npyDir).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'losskit-cli-'));

function tmpFile(name: string, content: string | Uint8Array): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

interface Expected {
  value: number;
  grad: { shape: number[]; data: number[] };
}
const expected = JSON.parse(readFileSync(npy('expected.json'), 'utf8')) as Expected;
const expected32 = JSON.parse(readFileSync(npy('expected32.json'), 'utf8')) as Expected;

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

/** An error outcome: the exit code, nothing on stdout, one line on stderr containing fragment. */
function expectFailure(r: Outcome, code: number, fragment: string): void {
  expect(r.code, r.err).toBe(code);
  expect(r.out).toBe('');
  expect(r.err).toContain(fragment);
  expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  expect(r.err).not.toMatch(/\n\s+at /);
}

// mse on its metadata example input [2.5, 0, 2], target [3, −0.5, 2]: squared residuals 0.25, 0.25,
// 0 → mean 1/6; d mean/dx_i = 2(x_i − y_i)/3 = [−1/3, 1/3, 0].
const MSE_INPUTS = '{"input":[2.5,0,2],"target":[3,-0.5,2]}';

describe('losskit --help, --version and usage errors', () => {
  it('prints the usage of every command with --help and exits 0', () => {
    const r = cli(['--help']);
    expect(r.code).toBe(EXIT.ok);
    for (const c of ['list', 'describe', 'eval', 'example', 'plot']) {
      expect(r.out).toContain(`losskit ${c}`);
    }
    expect(r.out).toContain(`${list().length} registered entries`);
    expect(r.out).toContain('Exit status: 0 success; 1 input error');
  });

  it("prints the package's version with --version", () => {
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as {
      version: string;
    };
    expect(cli(['--version'])).toEqual({ code: 0, out: `${pkg.version}\n`, err: '' });
  });

  it('prints help for every command with <command> --help and help <command>', () => {
    for (const c of ['list', 'describe', 'info', 'eval', 'example', 'plot']) {
      const r = cli([c, '--help']);
      expect(r.code, c).toBe(0);
      expect(r.out).toContain('Usage: losskit');
      expect(r.out).toContain('--help');
      expect(cli(['help', c]).out).toBe(r.out);
    }
  });

  it("shows an entry's inputs and options, from its metadata, in eval <id> --help", () => {
    for (const meta of list()) {
      const r = cli(['eval', meta.id, '--help']);
      expect(r.code, meta.id).toBe(0);
      for (const s of meta.inputs) expect(r.out).toContain(`--input ${s.name}=FILE`);
      for (const k of Object.keys(meta.options)) expect(r.out).toContain(`${k}=`);
    }
  });

  it('exits 2 with one line when no command is given', () => {
    expectFailure(cli([]), EXIT.usage, 'missing command');
  });

  it('exits 2 with a did-you-mean for an unknown command', () => {
    expectFailure(cli(['lsit']), EXIT.usage, "unknown command 'lsit' (did you mean 'list'?)");
  });

  it('exits 2 with a did-you-mean for a mistyped flag instead of a raw parse error', () => {
    expectFailure(
      cli(['eval', 'mse', '--inptu', 'input=x.npy']),
      EXIT.usage,
      "losskit eval: unknown option '--inptu' (did you mean '--input'?)",
    );
    expectFailure(cli(['list', '--josn']), EXIT.usage, "(did you mean '--json'?)");
  });

  it('exits 2 when a flag misses its value or is given twice', () => {
    expectFailure(cli(['list', '--task']), EXIT.usage, "option '--task' needs a value");
    expectFailure(
      cli(['eval', 'mse', '--options', '{}', '--options', '{}']),
      EXIT.usage,
      "option '--options' given twice",
    );
  });

  it('exits 2 with a did-you-mean and a pointer to losskit list for an unknown loss', () => {
    const r = cli(['describe', 'msee']);
    expectFailure(r, EXIT.usage, "unknown loss or metric 'msee' (did you mean 'mse'?)");
    expect(r.err).toContain("'losskit list' shows every id");
    expect(r.err).not.toContain('list()');
  });

  it('prints a stack trace for internal errors only with --debug', () => {
    // A non-LossError thrown from inside: an io.out that throws stands in for a bug.
    const boom = (): never => {
      throw new TypeError('boom');
    };
    let err = '';
    const io = { out: boom, err: (s: string) => (err += s) };
    expect(run(['list'], io)).toBe(EXIT.internal);
    expect(err).toBe('losskit: internal error: boom (run with --debug for the stack trace)\n');
    err = '';
    expect(run(['list', '--debug'], io)).toBe(EXIT.internal);
    expect(err).toContain('TypeError: boom\n    at ');
  });
});

describe('losskit list', () => {
  it('lists every registered id with its task and title', () => {
    const r = cli(['list']);
    expect(r.code).toBe(0);
    for (const m of list()) {
      const line = r.out.split('\n').find((l) => l.split(/\s+/)[0] === m.id);
      expect(line, `row of ${m.id}`).toBeDefined();
      expect(line).toContain(m.task);
      expect(line).toContain(m.title);
    }
  });

  it('prints every entry with its whenToUse as JSON with --json, in registry order', () => {
    const rows = JSON.parse(cli(['list', '--json']).out) as { id: string; whenToUse: string }[];
    expect(rows.map((m) => m.id)).toEqual(list().map((m) => m.id));
    expect(rows.map((m) => m.whenToUse)).toEqual(list().map((m) => m.whenToUse));
  });

  it('keeps one family with --task, for every family that has entries', () => {
    for (const task of new Set(list().map((m) => m.task))) {
      const rows = JSON.parse(cli(['list', '--task', task, '--json']).out) as { task: string }[];
      expect(rows.length).toBe(list().filter((m) => m.task === task).length);
      for (const m of rows) expect(m.task).toBe(task);
    }
  });

  it('exits 3 with a message for a catalog family with no registered entry', () => {
    const present = new Set<string>(list().map((m) => m.task));
    for (const task of TASKS) {
      const r = cli(['list', '--task', task]);
      if (present.has(task)) expect(r.code, task).toBe(EXIT.ok);
      else expectFailure(r, EXIT.empty, `no entries registered for task '${task}' yet`);
    }
  });

  it('exits 2 with a did-you-mean for an unknown task', () => {
    expectFailure(
      cli(['list', '--task', 'regresion']),
      EXIT.usage,
      "unknown task 'regresion' (did you mean 'regression'?)",
    );
  });
});

describe('losskit describe', () => {
  it('describes every entry: when to use it, caveats, formula, inputs, options, references', () => {
    for (const meta of list()) {
      const r = cli(['describe', meta.id]);
      expect(r.code, meta.id).toBe(0);
      expect(r.out).toContain(`${meta.id}: ${meta.title}`);
      expect(r.out).toContain(meta.whenToUse);
      for (const c of meta.caveats) expect(r.out).toContain(c);
      expect(r.out).toContain(meta.formula);
      for (const s of meta.inputs) expect(r.out).toContain(`--input ${s.name}=FILE`);
      for (const [name, spec] of Object.entries(meta.options)) {
        expect(r.out).toContain(name);
        expect(r.out).toContain(describeDomain(spec));
      }
      for (const ref of meta.references) expect(r.out).toContain(ref.title);
      expect(r.out).toContain(`losskit eval ${meta.id} --inputs`);
    }
  });

  it('keeps info as an alias of describe', () => {
    const meta = list()[0];
    expect(cli(['info', meta.id])).toEqual(cli(['describe', meta.id]));
  });

  it('prints the full metadata with --json', () => {
    const meta = list()[0];
    const json = JSON.parse(cli(['describe', meta.id, '--json']).out) as {
      id: string;
      whenToUse: string;
    };
    expect(json.id).toBe(meta.id);
    expect(json.whenToUse).toBe(meta.whenToUse);
  });
});

describe('losskit eval on NumPy files', () => {
  it("gives PyTorch's cross-entropy value and writes its gradient for int64 labels", () => {
    const out = join(tmp, 'ce-out');
    const r = cli([
      'eval',
      'crossEntropy',
      '--input',
      `input=${npy('logits.npy')}`,
      '--input',
      `target=${npy('labels.npy')}`,
      '--option',
      'labelSmoothing=0.1',
      '--grad',
      out,
      '--json',
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const res = JSON.parse(r.out) as {
      id: string;
      value: number;
      files: { input: { path: string; dtype: string; shape: number[] } };
    };
    expect(res.id).toBe('crossEntropy');
    expect(relErr(res.value, expected.value)).toBeLessThan(1e-13);
    expect(res.files.input).toEqual({
      path: join(out, 'input.npy'),
      dtype: 'float64',
      shape: [4, 5],
    });
    const g = parseNpy(new Uint8Array(readFileSync(res.files.input.path)), 'g', 1 << 20);
    expect(g.dtype).toBe('float64');
    expect(g.shape).toEqual(expected.grad.shape);
    const data = g.data as Float64Array;
    expected.grad.data.forEach((v, i) => expect(Math.abs(data[i] - v)).toBeLessThan(1e-15));
  });

  it('writes a float32 gradient for float32 logits', () => {
    const out = join(tmp, 'ce32');
    const r = cli([
      'eval',
      'crossEntropy',
      '-i',
      `input=${npy('logits32.npy')}`,
      '-i',
      `target=${npy('labels.npy')}`,
      '-o',
      'labelSmoothing=0.1',
      `--grad=${out}`,
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`d/d input: wrote ${join(out, 'input.npy')} (float32, shape [4, 5])`);
    const value = Number(/= (\S+)\n/.exec(r.out)?.[1]);
    expect(relErr(value, expected32.value)).toBeLessThan(1e-13);
    const g = parseNpy(new Uint8Array(readFileSync(join(out, 'input.npy'))), 'g', 1 << 20);
    expect(g.dtype).toBe('float32');
    // float64 arithmetic rounded once to float32: within one float32 rounding of torch's float64.
    const data = g.data as Float32Array;
    expected32.grad.data.forEach((v, i) =>
      expect(Math.abs(data[i] - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -24 + 1e-18),
    );
  });

  it('names the file when the loss rejects an input read from it', () => {
    // labels.npy has 4 labels; int32.npy is a (2, 3) array, which is no target for (4, 5) logits.
    const r = cli([
      'eval',
      'crossEntropy',
      '--input',
      `input=${npy('logits.npy')}`,
      '--input',
      `target=${npy('int32.npy')}`,
    ]);
    expect(r.code).toBe(EXIT.input);
    expect(r.err).toContain('crossEntropy');
    expect(r.err).toContain(`read from ${npy('int32.npy')}`);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  });

  it('exits 1 with a one-line message naming the file for corrupt or unsupported files', () => {
    const logits = readFileSync(npy('logits.npy'));
    const truncated = tmpFile('truncated.npy', logits.subarray(0, logits.length - 1));
    const cases: [string, string][] = [
      [truncated, 'truncated .npy data'],
      [npy('fortran.npy'), 'Fortran-order'],
      [npy('complex.npy'), "unsupported .npy dtype '<c16'"],
      [tmpFile('ragged.json', '[[1, 2], [3]]'), 'ragged nested arrays'],
      [tmpFile('cells.csv', '1,2\n3,abc\n'), "line 2, column 2: 'abc' is not a number"],
      [join(tmp, 'missing.npy'), 'cannot open (no such file)'],
    ];
    for (const [file, fragment] of cases) {
      const r = cli(['eval', 'mse', '--input', `input=${file}`, '--input', `target=${file}`]);
      expectFailure(r, EXIT.input, fragment);
      expect(r.err).toContain(file);
    }
  });

  it('refuses a header claiming a shape beyond the input size limit', () => {
    // A (1000, 1000) float64 header (8e6 bytes) in a tiny file, under a 4 KiB limit.
    let h = "{'descr': '<f8', 'fortran_order': False, 'shape': (1000, 1000), }";
    h += ' '.repeat((64 - ((10 + h.length + 1) % 64)) % 64) + '\n';
    const bytes = new Uint8Array(10 + h.length + 16);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    new DataView(bytes.buffer).setUint16(8, h.length, true);
    for (let i = 0; i < h.length; i++) bytes[10 + i] = h.charCodeAt(i);
    const file = tmpFile('huge-header.npy', bytes);
    const r = cli(['eval', 'mse', '-i', `input=${file}`, '-i', `target=${file}`], undefined, {
      LOSSKIT_MAX_INPUT_BYTES: '4096',
    });
    expectFailure(r, EXIT.input, 'needs 8000000 bytes, above the limit of 4096 bytes');
  });
});

describe('losskit eval on JSON, CSV and standard input', () => {
  it('reads .json and .csv inputs and labels the value with the id and reduction', () => {
    const input = tmpFile('x.json', '[2.5, 0, 2]');
    const target = tmpFile('y.csv', '3\n-0.5\n2\n');
    const r = cli(['eval', 'mse', '--input', `input=${input}`, '--input', `target=${target}`]);
    expect(r).toEqual({ code: 0, out: `mse (reduction 'mean') = ${1 / 6}\n`, err: '' });
  });

  it('reads one input from standard input with -', () => {
    const target = tmpFile('y2.json', '[3, -0.5, 2]');
    const r = cli(
      ['eval', 'mse', '-i', 'input=-', '-i', `target=${target}`, '--json'],
      '2.5\n0\n2\n',
    );
    expect(JSON.parse(r.out)).toEqual({ id: 'mse', value: 1 / 6 });
  });

  it('keeps --inputs JSON working and prints gradients with a bare --grad', () => {
    const r = cli(['eval', 'mse', '--inputs', MSE_INPUTS, '--grad']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`d/d input (shape [3]) = [${-1 / 3}, ${1 / 3}, 0]`);
  });

  it('converts --option values by their spec, and reads --options from JSON or @file', () => {
    // Squared residuals of [[1, 2], [3, 4]] against zeros: [[1, 4], [9, 16]], sum 30.
    const inputs = '{"input":[[1,2],[3,4]],"target":[[0,0],[0,0]]}';
    const none = cli(['eval', 'mse', '--inputs', inputs, '--option', 'reduction=none', '--json']);
    expect(JSON.parse(none.out)).toEqual({
      id: 'mse',
      value: { shape: [2, 2], dtype: 'float64', data: [1, 4, 9, 16] },
    });
    const file = tmpFile('opts.json', '{"reduction": "sum"}');
    expect(
      JSON.parse(cli(['eval', 'mse', '--inputs', inputs, '--options', `@${file}`, '--json']).out),
    ).toEqual({
      id: 'mse',
      value: 30,
    });
    // huber with delta = 0.5 on residual 2: 0.5·(2 − 0.25) = 0.875.
    const huber = cli([
      'eval',
      'huber',
      '--inputs',
      '{"input":[2],"target":[0]}',
      '--option',
      'delta=0.5',
      '--json',
    ]);
    expect(JSON.parse(huber.out)).toEqual({ id: 'huber', value: 0.875 });
  });

  it("writes the value with --out, a tensor under reduction 'none' and a 0-d array otherwise", () => {
    // Squared residuals of [1, 2] against [0, 0]: [1, 4], mean 2.5.
    const inputs = '{"input":[1,2],"target":[0,0]}';
    const none = join(tmp, 'none.npy');
    const r = cli(['eval', 'mse', '--inputs', inputs, '--option', 'reduction=none', '--out', none]);
    expect(r.out).toContain(`value: wrote ${none}`);
    const a = parseNpy(new Uint8Array(readFileSync(none)), 'none.npy', 1 << 20);
    expect(a.shape).toEqual([2]);
    expect(Array.from(a.data as Float64Array)).toEqual([1, 4]);
    const mean = join(tmp, 'mean.npy');
    expect(
      JSON.parse(cli(['eval', 'mse', '--inputs', inputs, '--out', mean, '--json']).out),
    ).toEqual({
      id: 'mse',
      value: 2.5,
      out: mean,
    });
    const b = parseNpy(new Uint8Array(readFileSync(mean)), 'mean.npy', 1 << 20);
    expect(b.shape).toEqual([]);
    expect(Array.from(b.data as Float64Array)).toEqual([2.5]);
    expectFailure(
      cli(['eval', 'mse,l1', '--inputs', inputs, '--out', mean]),
      EXIT.usage,
      '--out writes one value: give a single id',
    );
  });

  it('exits 1 with the LossError code for a bad option value or an unknown option', () => {
    expectFailure(
      cli(['eval', 'huber', '--inputs', MSE_INPUTS, '--option', 'delta=abc']),
      EXIT.input,
      "E_OPTION: huber: option 'delta' must be a finite number > 0",
    );
    expectFailure(
      cli(['eval', 'huber', '--inputs', MSE_INPUTS, '--option', 'detla=1']),
      EXIT.input,
      "Did you mean 'delta'?",
    );
  });

  it('exits 2 for an input name the entry does not have, with a did-you-mean', () => {
    expectFailure(
      cli(['eval', 'mse', '--input', `inptu=${npy('logits.npy')}`]),
      EXIT.usage,
      "mse has no input 'inptu' (did you mean 'input'?)",
    );
  });

  it('exits 2 when no input is given, naming the inputs to give', () => {
    expectFailure(
      cli(['eval', 'mse']),
      EXIT.usage,
      'eval needs its inputs: --input input=FILE --input target=FILE',
    );
  });
});

describe('losskit eval of several metrics at once', () => {
  // Seed 002's tumour example: 100 people, 30 with a tumour; 25 predicted positive of whom 5 are
  // healthy. So TP = 20, FP = 5, FN = 10, TN = 65: precision 20/25, recall 20/30,
  // F1 = 2·20/(2·20 + 5 + 10) = 40/55, confusion matrix [[TN, FP], [FN, TP]] = [[65, 5], [10, 20]].
  const target = [...Array<number>(30).fill(1), ...Array<number>(70).fill(0)];
  const pred = [
    ...Array<number>(20).fill(1),
    ...Array<number>(10).fill(0),
    ...Array<number>(5).fill(1),
    ...Array<number>(65).fill(0),
  ];
  const predFile = tmpFile('pred.csv', pred.join('\n'));
  const targetFile = tmpFile('target.csv', target.join('\n'));
  const args = [
    'eval',
    'f1Score,precision,recall,confusionMatrix',
    '--input',
    `input=${predFile}`,
    '--input',
    `target=${targetFile}`,
    '--option',
    'task=binary',
    '--option',
    'numClasses=2',
  ];

  it('prints a table of values and the confusion matrix below it', () => {
    const r = cli(args);
    expect(r.code, r.err).toBe(0);
    const row = (id: string): string[] | undefined =>
      r.out
        .split('\n')
        .find((l) => l.startsWith(`${id} `))
        ?.split(/\s+/);
    expect(r.out.split('\n')[0].split(/\s+/)).toEqual(['ID', 'KIND', 'VALUE']);
    expect(Number(row('f1Score')?.[2])).toBeCloseTo(40 / 55, 15);
    expect(Number(row('precision')?.[2])).toBeCloseTo(0.8, 15);
    expect(Number(row('recall')?.[2])).toBeCloseTo(2 / 3, 15);
    expect(r.out).toContain('confusionMatrix (shape [2, 2]):\n  65  5\n  10  20\n');
  });

  it('prints one { id, value } per entry with --json', () => {
    const rows = JSON.parse(cli([...args, '--json']).out) as { id: string; value: unknown }[];
    expect(rows.map((x) => x.id)).toEqual(['f1Score', 'precision', 'recall', 'confusionMatrix']);
    expect(rows[3].value).toEqual({ shape: [2, 2], dtype: 'float64', data: [65, 5, 10, 20] });
  });

  it('exits 2 for an option none of the entries has', () => {
    expectFailure(
      cli([...args, '--option', 'averag=macro']),
      EXIT.usage,
      "(did you mean 'average'?)",
    );
  });
});

describe('losskit example', () => {
  it('runs the examples of every entry', () => {
    for (const meta of list()) {
      const r = cli(['example', meta.id, '--json']);
      expect(r.code, `${meta.id}: ${r.err}`).toBe(0);
      const rows = JSON.parse(r.out) as { title: string }[];
      expect(rows.map((x) => x.title)).toEqual(meta.examples.map((x) => x.title));
    }
  });

  it("prints mse's example, its eval command line and its gradient", () => {
    const r = cli(['example', 'mse', '--grad']);
    expect(r.out).toContain(`$ losskit eval mse --inputs '${MSE_INPUTS}' --grad`);
    expect(r.out).toContain(`mse = ${1 / 6}`);
    expect(r.out).toContain('d/d input (shape [3])');
  });
});

describe('losskit plot', () => {
  interface PlotJson {
    xs: number[];
    curves: { label: string; loss: number[]; grad: number[] | null }[];
  }

  it('computes the loss and its gradient over one input element and writes an SVG', () => {
    // mse's example with input[0] = x: Σ (x_i − y_i)² = (x − 3)² + 0.25, gradient 2(x − 3).
    const out = join(tmp, 'mse.svg');
    const r = cli(['plot', 'mse', '--range', '0:4', '--points', '5', '--out', out, '--json']);
    // A negative range is a value, not a flag.
    const neg = JSON.parse(
      cli(['plot', 'mse', '--range', '-1:1', '--points', '3', '--out', out, '--json']).out,
    ) as { xs: number[] };
    expect(neg.xs).toEqual([-1, 0, 1]);
    expect(r.code, r.err).toBe(0);
    const res = JSON.parse(r.out) as PlotJson;
    expect(res.xs).toEqual([0, 1, 2, 3, 4]);
    expect(res.curves[0].loss).toEqual([9.25, 4.25, 1.25, 0.25, 1.25]);
    expect(res.curves[0].grad).toEqual([-6, -4, -2, 0, 2]);
    const svg = readFileSync(out, 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(2);
  });

  it('compares option values and entries on one chart', () => {
    const byOption = JSON.parse(
      cli(['plot', 'huber', '--compare', 'delta=0.5,1,2', '--out', join(tmp, 'h.svg'), '--json'])
        .out,
    ) as PlotJson;
    expect(byOption.curves.map((c) => c.label)).toEqual([
      'huber delta=0.5',
      'huber delta=1',
      'huber delta=2',
    ]);
    const byId = JSON.parse(
      cli(['plot', 'mse', '--compare', 'huber,l1', '--out', join(tmp, 'c.svg'), '--json']).out,
    ) as PlotJson;
    expect(byId.curves.map((c) => c.label)).toEqual(['mse', 'huber', 'l1']);
    const svg = readFileSync(join(tmp, 'c.svg'), 'utf8');
    expect(svg.match(/<path /g)).toHaveLength(6);
  });

  it('exits 2 without --out and for an option the entry does not have', () => {
    expectFailure(cli(['plot', 'mse']), EXIT.usage, 'plot needs --out FILE.svg');
    expectFailure(
      cli(['plot', 'huber', '--compare', 'detla=1,2', '--out', join(tmp, 'x.svg')]),
      EXIT.usage,
      "huber has no option 'detla' (did you mean 'delta'?)",
    );
  });

  it('plots the example of every loss without error', () => {
    for (const meta of list().filter((m) => m.kind === 'loss')) {
      const r = cli(['plot', meta.id, '--points', '9', '--out', join(tmp, `${meta.id}.svg`)]);
      expect(r.code, `${meta.id}: ${r.err}`).toBe(0);
    }
  });

  it('resolves ids given by alias', () => {
    const alias = list().find((m) => (m.aliases ?? []).length > 0);
    expect(alias, 'an entry with an alias').toBeDefined();
    const name = alias!.aliases![0];
    expect(cli(['describe', name]).out.split('\n')[0]).toBe(
      `${getEntry(name).meta.id}: ${getEntry(name).meta.title}`,
    );
  });
});
