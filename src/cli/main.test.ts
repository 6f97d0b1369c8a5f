/**
 * The `losskit` CLI, run in-process through `run(argv, io)`. Expected numbers are derived in comments
 * (mse on the example of its metadata); everything else is read from the registry, so the tests hold
 * while entries are added.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeDomain } from '../core/options.js';
import { getEntry, list } from '../registry.js';
import { run } from './main.js';

interface Outcome {
  code: number;
  out: string;
  err: string;
}

function cli(...argv: string[]): Outcome {
  let out = '';
  let err = '';
  const code = run(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

// mse on input [2.5, 0, 2], target [3, −0.5, 2]: squared residuals 0.25, 0.25, 0 → mean 0.5/3 = 1/6;
// d mean/dx_i = 2(x_i − y_i)/3 = [−1/3, 1/3, 0].
const MSE_INPUTS = '{"input":[2.5,0,2],"target":[3,-0.5,2]}';

describe('losskit --help and --version', () => {
  it('prints the usage of every command with --help and exits 0', () => {
    const r = cli('--help');
    expect(r.code).toBe(0);
    for (const c of ['list', 'info', 'eval', 'example']) expect(r.out).toContain(`losskit ${c}`);
    expect(r.out).toContain(`${list().length} registered entries`);
    expect(r.err).toBe('');
  });

  it("prints the package's version with --version", () => {
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as {
      version: string;
    };
    expect(cli('--version')).toEqual({ code: 0, out: `${pkg.version}\n`, err: '' });
  });

  it('prints the help of one command with help <command> and with <command> --help', () => {
    expect(cli('help', 'eval').out).toContain('Usage: losskit eval <id>');
    expect(cli('eval', '--help').out).toContain('--inputs <json>');
  });

  it('exits 2 with the help on stderr when no command is given', () => {
    const r = cli();
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('missing command');
    expect(r.err).toContain('Usage:');
  });

  it('exits 2 with a did-you-mean hint for an unknown command', () => {
    const r = cli('lsit');
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown command 'lsit' (did you mean 'list'?)");
  });

  it('exits 2 with the command help for an unknown flag', () => {
    const r = cli('list', '--bogus');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--bogus');
    expect(r.err).toContain('Usage: losskit list');
  });
});

describe('losskit list', () => {
  it('lists every registered id with its task and title', () => {
    const r = cli('list');
    expect(r.code).toBe(0);
    for (const m of list()) {
      const line = r.out.split('\n').find((l) => l.split(/\s+/)[0] === m.id);
      expect(line, `row of ${m.id}`).toBeDefined();
      expect(line).toContain(m.task);
      expect(line).toContain(m.title);
    }
    expect(r.out).toContain(`${list().length} entries.`);
  });

  it('prints the ids in registry order as JSON with --json', () => {
    const rows = JSON.parse(cli('list', '--json').out) as { id: string; reductions: string[] }[];
    expect(rows.map((m) => m.id)).toEqual(list().map((m) => m.id));
    expect(rows[0].reductions).toEqual([...list()[0].reductions]);
  });

  it('keeps only one family with --task', () => {
    const task = list()[0].task;
    const rows = JSON.parse(cli('list', '--task', task, '--json').out) as { task: string }[];
    expect(rows.length).toBe(list().filter((m) => m.task === task).length);
    for (const m of rows) expect(m.task).toBe(task);
  });

  it('exits 2 with a did-you-mean hint for an unknown task', () => {
    const r = cli('list', '--task', 'regresion');
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown task 'regresion' (did you mean 'regression'?)");
  });
});

describe('losskit info', () => {
  it('describes every entry: formula, inputs, options with defaults and domains, references', () => {
    for (const meta of list()) {
      const r = cli('info', meta.id);
      expect(r.code, meta.id).toBe(0);
      expect(r.out).toContain(`${meta.id}: ${meta.title}`);
      expect(r.out).toContain(meta.formula);
      for (const s of meta.inputs) expect(r.out).toContain(s.name);
      for (const [name, spec] of Object.entries(meta.options)) {
        expect(r.out).toContain(name);
        expect(r.out).toContain(describeDomain(spec));
      }
      for (const ref of meta.references) expect(r.out).toContain(ref.title);
      expect(r.out).toContain(`losskit eval ${meta.id} --inputs`);
    }
  });

  it("shows mse's reduction default and domain", () => {
    const r = cli('info', 'mse');
    expect(r.out).toContain("default 'mean'");
    expect(r.out).toContain("one of 'mean', 'sum', 'none'");
  });

  it('resolves an alias such as mae', () => {
    if (!list().some((m) => (m.aliases ?? []).includes('mae'))) return;
    const r = cli('info', 'mae');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe(`${getEntry('mae').meta.id}: ${getEntry('mae').meta.title}`);
  });

  it('prints the full metadata with --json', () => {
    const meta = JSON.parse(cli('info', 'mse', '--json').out) as { id: string; formula: string };
    expect(meta.id).toBe('mse');
    expect(meta.formula).toBe(getEntry('mse').meta.formula);
  });

  it('exits 1 with the LossError message on stderr for an unknown id', () => {
    const r = cli('info', 'msee');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain("E_UNKNOWN_LOSS: Unknown loss 'msee'. Did you mean 'mse'?");
  });

  it('exits 2 when the id is missing', () => {
    const r = cli('info');
    expect(r.code).toBe(2);
    expect(r.err).toContain('info needs an entry id');
  });
});

describe('losskit eval', () => {
  it('prints the value of a loss on named nested arrays', () => {
    const r = cli('eval', 'mse', '--inputs', MSE_INPUTS);
    expect(r).toEqual({ code: 0, out: `value = ${1 / 6}\n`, err: '' });
  });

  it('adds the gradient of every differentiable input with --grad', () => {
    const r = cli('eval', 'mse', '--inputs', MSE_INPUTS, '--grad');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`grads.input (shape [3]) = [${-1 / 3}, ${1 / 3}, 0]`);
  });

  it('prints { id, value, grads } with tensors as { shape, dtype, data } under --json', () => {
    const r = cli('eval', 'mse', '--inputs', MSE_INPUTS, '--grad', '--json');
    const res = JSON.parse(r.out) as {
      id: string;
      value: number;
      grads: { input: { shape: number[]; dtype: string; data: number[] } };
    };
    expect(res.id).toBe('mse');
    expect(res.value).toBeCloseTo(1 / 6, 15);
    expect(res.grads.input.shape).toEqual([3]);
    expect(res.grads.input.dtype).toBe('float64');
    expect(res.grads.input.data[0]).toBeCloseTo(-1 / 3, 15);
  });

  it("passes --options through, returning a shaped tensor under reduction 'none'", () => {
    // Squared residuals of [[1, 2], [3, 4]] against zeros: [[1, 4], [9, 16]].
    const r = cli(
      'eval',
      'mse',
      '--inputs',
      '{"input":[[1,2],[3,4]],"target":[[0,0],[0,0]]}',
      '--options',
      '{"reduction":"none"}',
    );
    expect(r.out).toBe('value (shape [2, 2]) = [[1, 4], [9, 16]]\n');
  });

  it('scales the gradient by --upstream', () => {
    // d(3 · mean)/dx = 3 · [−1/3, 1/3, 0] = [−1, 1, 0].
    const r = cli('eval', 'mse', '--inputs', MSE_INPUTS, '--upstream', '3', '--json');
    const res = JSON.parse(r.out) as { grads: { input: { data: number[] } } };
    expect(res.grads.input.data.map((g) => Math.round(g * 1e12) / 1e12)).toEqual([-1, 1, 0]);
  });

  it('reads "Infinity", "-Infinity" and "NaN" strings as numbers and writes them back as strings', () => {
    // (∞ − 0)² = ∞, so the mean is ∞.
    const r = cli('eval', 'mse', '--inputs', '{"input":["Infinity",1],"target":[0,1]}', '--json');
    expect(JSON.parse(r.out)).toEqual({ id: 'mse', value: 'Infinity' });
  });

  it('accepts typed tensors with a dtype, and keeps float32 in the output', () => {
    // 1.5² = 2.25 and 2² = 4, both exact in float32; 'none' follows the first input's dtype.
    const r = cli(
      'eval',
      'mse',
      '--inputs',
      '{"input":{"dtype":"float32","data":[1.5,2]},"target":{"dtype":"float64","shape":[2],"data":[0,0]}}',
      '--options',
      '{"reduction":"none"}',
      '--json',
    );
    expect(JSON.parse(r.out)).toEqual({
      id: 'mse',
      value: { shape: [2], dtype: 'float32', data: [2.25, 4] },
    });
  });

  it('exits 2 for a tensor with an unknown dtype', () => {
    const r = cli('eval', 'mse', '--inputs', '{"input":{"dtype":"int8","data":[1]},"target":[1]}');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--inputs "input": dtype must be one of float64, float32, int32');
  });

  it('accepts an id given by alias', () => {
    if (!list().some((m) => (m.aliases ?? []).includes('mae'))) return;
    // |2.5 − 3| + |0 + 0.5| + |2 − 2| = 1 → mean 1/3.
    const r = cli('eval', 'mae', '--inputs', MSE_INPUTS);
    expect(r).toEqual({ code: 0, out: `value = ${1 / 3}\n`, err: '' });
  });

  it('exits 1 with the E_OPTION message for a bad option', () => {
    const r = cli('eval', 'mse', '--inputs', MSE_INPUTS, '--options', '{"reduction":"avg"}');
    expect(r.code).toBe(1);
    expect(r.err).toContain("E_OPTION: mse: option 'reduction' must be one of");
  });

  it('exits 1 with the E_SHAPE message for mismatched shapes', () => {
    const r = cli('eval', 'mse', '--inputs', '{"input":[1,2],"target":[1]}');
    expect(r.code).toBe(1);
    expect(r.err).toContain('E_SHAPE: mse:');
  });

  it('exits 1 with the E_INPUT message for a missing input', () => {
    const r = cli('eval', 'mse', '--inputs', '{"input":[1,2]}');
    expect(r.code).toBe(1);
    expect(r.err).toContain("E_INPUT: mse: input 'target' is required");
  });

  it('exits 2 when --inputs is missing, is not JSON, or is not an object', () => {
    const missing = cli('eval', 'mse');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('eval needs --inputs, a JSON object with "input", "target"');
    const broken = cli('eval', 'mse', '--inputs', '{input:[1]}');
    expect(broken.code).toBe(2);
    expect(broken.err).toContain('--inputs is not valid JSON');
    const array = cli('eval', 'mse', '--inputs', '[1,2]');
    expect(array.code).toBe(2);
    expect(array.err).toContain('--inputs must be a JSON object');
  });
});

describe('losskit example', () => {
  it("runs mse's metadata example and prints its eval command line", () => {
    const r = cli('example', 'mse', '--grad');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`$ losskit eval mse --inputs '${MSE_INPUTS}' --grad`);
    expect(r.out).toContain(`value = ${1 / 6}`);
    expect(r.out).toContain('grads.input (shape [3])');
  });

  it('prints the examples of any entry as JSON with --json', () => {
    const meta = list()[list().length - 1];
    const rows = JSON.parse(cli('example', meta.id, '--json').out) as { title: string }[];
    expect(rows.map((x) => x.title)).toEqual(meta.examples.map((x) => x.title));
  });
});
