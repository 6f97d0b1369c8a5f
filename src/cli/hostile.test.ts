/**
 * The CLI and its readers under hostile files and arguments, in-process (`run(argv, io)`): every
 * case ends with one line on stderr, nothing on stdout and a documented exit code (EXIT: 1 input,
 * 2 usage), never a stack trace or an internal error (70). Expected values are derived in comments.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_INPUT_BYTES,
  InputFileError,
  MAX_TEXT_INPUT_BYTES,
  parseCsv,
  parseJsonTensor,
  readTensorFile,
} from './files.js';
import { EXIT, makeDirectory, MAX_MESSAGE_CHARS, MAX_PLOT_CURVES, run } from './main.js';
import { MAX_NPY_HEADER_BYTES } from './npy.js';

interface Outcome {
  code: number;
  out: string;
  err: string;
}

function cli(
  argv: string[],
  opts: { stdin?: string | Uint8Array; env?: Record<string, string> } = {},
): Outcome {
  let out = '';
  let err = '';
  const { stdin } = opts;
  const code = run(argv, {
    out: (s) => (out += s),
    err: (s) => (err += s),
    stdin:
      stdin === undefined
        ? undefined
        : () => (typeof stdin === 'string' ? new TextEncoder().encode(stdin) : stdin),
    env: opts.env ?? {},
  });
  return { code, out, err };
}

/** Exit code, nothing on stdout, one line on stderr with the fragment, no stack frame. */
function refused(r: Outcome, code: number, fragment: string): void {
  expect(r.code, r.err).toBe(code);
  expect(r.out).toBe('');
  expect(r.err).toContain(fragment);
  expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  expect(r.err).not.toMatch(/\n\s+at /);
  expect(r.err).not.toContain('internal error');
}

function readerFails(fn: () => unknown, fragment: string): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(InputFileError);
  expect((err as Error).message).toContain(fragment);
  expect((err as Error).message).not.toContain('\n');
}

const tmp = mkdtempSync(join(tmpdir(), 'losskit-hostile-'));
function file(name: string, content: string | Uint8Array): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

const values = (t: { data: ArrayLike<number | bigint> }): (number | bigint)[] => Array.from(t.data);

describe('CSV files as spreadsheets and other tools write them', () => {
  it('reads quoted cells, "" escapes are refused as numbers, and quoted commas stay in one cell', () => {
    const t = parseCsv('"1","2.5"\n" 3 ",4\n', 'q.csv');
    expect(t.shape).toEqual([2, 2]);
    expect(values(t)).toEqual([1, 2.5, 3, 4]);
    // "1,5" is one cell holding the text 1,5: not a number (a decimal comma), not two cells.
    readerFails(() => parseCsv('"1,5",2\n', 'q.csv'), "line 1, column 1: '1,5' is not a number");
    readerFails(() => parseCsv('"a""b",2\n', 'q.csv'), `'a"b' is not a number`);
  });

  it('accepts a quoted cell that spans a line break and counts lines after it', () => {
    // The first record's second cell is "2\n" (trimmed to 2); the record after it is on line 3.
    const t = parseCsv('1,"2\n"\n3,4\n', 'q.csv');
    expect(values(t)).toEqual([1, 2, 3, 4]);
    readerFails(() => parseCsv('1,"2\n"\n3,x\n', 'q.csv'), "line 3, column 2: 'x' is not a number");
  });

  it('rejects an unterminated quote, a stray quote and text after a closing quote', () => {
    readerFails(() => parseCsv('1,2\n"3,4\n', 'q.csv'), 'line 2: unterminated quoted cell');
    readerFails(() => parseCsv('1,2"\n', 'q.csv'), `line 1: stray quote in cell '2"'`);
    readerFails(() => parseCsv('"1"x,2\n', 'q.csv'), 'line 1: unexpected "x" after a quoted cell');
  });

  it('ignores a byte-order mark and accepts LF, CRLF and lone CR line ends and blank lines', () => {
    for (const text of [
      '\uFEFF1,2\n3,4\n',
      '1,2\r\n\r\n3,4\r\n',
      '1,2\r3,4\r',
      '\n\n1,2\n  \n3,4',
    ]) {
      const t = parseCsv(text, 'e.csv');
      expect(t.shape, JSON.stringify(text)).toEqual([2, 2]);
      expect(values(t)).toEqual([1, 2, 3, 4]);
    }
    // The BOM also goes when the file is read from disk (decoded as UTF-8 first).
    const path = file('bom.csv', '\uFEFF0.5\n1.5\n');
    expect(values(readTensorFile(path, { maxBytes: 1000 }))).toEqual([0.5, 1.5]);
  });

  it('rejects ragged rows with the line number of the short row', () => {
    readerFails(() => parseCsv('1,2\n\n3\n', 'r.csv'), 'line 3 has 1 cells, the first row has 2');
    readerFails(() => parseCsv('1\n2,3\n', 'r.csv'), 'line 2 has 2 cells, the first row has 1');
  });
});

describe('JSON files with hostile structure', () => {
  it('rejects __proto__, constructor and other unknown keys of a tensor object', () => {
    for (const key of ['__proto__', 'constructor', 'toString']) {
      readerFails(
        () => parseJsonTensor(`{"${key}": {"data": [9]}, "data": [1, 2]}`, 'p.json'),
        `p.json: unknown key '${key}'`,
      );
    }
  });

  it('rejects objects inside nested arrays, even one with a __proto__ key', () => {
    readerFails(
      () => parseJsonTensor('[[1, 2], [{"__proto__": [3]}, 4]]', 'p.json'),
      'element [1][0] must be a number',
    );
  });

  it('reads 200,000 levels of nesting without recursion, and names a ragged element deep down', () => {
    const depth = 200_000;
    const t = parseJsonTensor(`${'['.repeat(depth)}7${']'.repeat(depth)}`, 'deep.json');
    expect(t.shape.length).toBe(depth);
    expect(values(t)).toEqual([7]);
    // [[1, 2], [[3], 4]]: element [1][0] is an array where a number was expected.
    readerFails(
      () => parseJsonTensor('[[1, 2], [[3], 4]]', 'r.json'),
      'element [1][0] is an array where a number was expected',
    );
  });

  it('rejects a shape of negative, fractional or unsafe dimensions and one that does not fit', () => {
    for (const shape of ['[-1]', '[1.5]', '[9007199254740992]', '"2"']) {
      readerFails(
        () => parseJsonTensor(`{"shape": ${shape}, "data": [1]}`, 's.json'),
        '"shape" must be an array of non-negative integers',
      );
    }
    // [2^26, 2^26] holds 2^52 elements, not the 1 given: refused before anything is allocated.
    readerFails(
      () => parseJsonTensor(`{"shape": [${2 ** 26}, ${2 ** 26}], "data": [1]}`, 's.json'),
      `holds ${2 ** 52} elements but "data" has 1`,
    );
  });
});

describe('input size limits', () => {
  it(`refuses JSON or CSV text above ${MAX_TEXT_INPUT_BYTES} bytes even under a larger input limit`, () => {
    // Standard input of MAX_TEXT_INPUT_BYTES + 1 spaces is recognised as CSV text, then refused.
    const big = new Uint8Array(MAX_TEXT_INPUT_BYTES + 1).fill(0x20);
    readerFails(
      () => readTensorFile('-', { maxBytes: 2 ** 30, stdin: () => big }),
      `${MAX_TEXT_INPUT_BYTES + 1} bytes is above the limit of ${MAX_TEXT_INPUT_BYTES} bytes on JSON/CSV text`,
    );
  });

  it('refuses standard input above LOSSKIT_MAX_INPUT_BYTES with exit 1', () => {
    const r = cli(['eval', 'mse', '--input', 'input=-', '--inputs', '{"target":[0]}'], {
      stdin: `[${'0,'.repeat(100)}0]`,
      env: { LOSSKIT_MAX_INPUT_BYTES: '64' },
    });
    refused(r, EXIT.input, 'standard input is above the input limit of 64 bytes');
  });

  it('refuses a JSON --options @file above the limit with exit 1', () => {
    const path = file('opts.json', `{"reduction": "sum"${' '.repeat(200)}}`);
    const r = cli(
      ['eval', 'mse', '--inputs', '{"input":[1],"target":[0]}', '--options', `@${path}`],
      {
        env: { LOSSKIT_MAX_INPUT_BYTES: '100' },
      },
    );
    refused(r, EXIT.input, 'bytes is above the input limit of 100 bytes');
  });
});

describe('repeated and conflicting flags', () => {
  const inputs = '{"input":[1,2],"target":[0,0]}';

  it('exits 2 for the same input given twice, by file or by --inputs', () => {
    const a = file('a.json', '[1, 2]');
    const b = file('b.json', '[3, 4]');
    refused(
      cli([
        'eval',
        'mse',
        '--input',
        `input=${a}`,
        '--input',
        `input=${b}`,
        '--inputs',
        '{"target":[0,0]}',
      ]),
      EXIT.usage,
      "input 'input' given twice",
    );
    refused(
      cli(['eval', 'mse', '--inputs', inputs, '--input', `input=${a}`]),
      EXIT.usage,
      "input 'input' given twice",
    );
  });

  it('exits 2 for the same option given twice, in --option or in --options and --option', () => {
    refused(
      cli([
        'eval',
        'mse',
        '--inputs',
        inputs,
        '--option',
        'reduction=sum',
        '--option',
        'reduction=mean',
      ]),
      EXIT.usage,
      "option 'reduction' given twice (--option reduction=sum and =mean)",
    );
    refused(
      cli([
        'eval',
        'mse',
        '--inputs',
        inputs,
        '--options',
        '{"reduction":"sum"}',
        '--option',
        'reduction=mean',
      ]),
      EXIT.usage,
      "option 'reduction' given twice (in --options and as --option)",
    );
  });

  it('exits 2 for a single-valued flag given twice', () => {
    const out = join(tmp, 'o.npy');
    const cases = [
      ['--inputs', inputs, '--inputs', inputs],
      ['--inputs', inputs, '--options', '{}', '--options', '{}'],
      ['--inputs', inputs, '--out', out, '--out', out],
      ['--inputs', inputs, '--grad', '--grad'],
    ];
    for (const args of cases) {
      refused(
        cli(['eval', 'mse', ...args]),
        EXIT.usage,
        `option '${args[args.length - 1].startsWith('-') ? args[args.length - 1] : args[args.length - 2]}' given twice`,
      );
    }
  });

  it('exits 2 when standard input is named for two inputs', () => {
    refused(
      cli(['eval', 'mse', '--input', 'input=-', '--input', 'target=-'], { stdin: '[1]' }),
      EXIT.usage,
      "standard input ('-') can be read only once",
    );
  });
});

describe('prototype-named keys on the command line', () => {
  const inputs = '{"input":[1,2],"target":[0,0]}';

  it('exits 1 with E_OPTION for __proto__ in --options or --option, instead of ignoring it', () => {
    refused(
      cli(['eval', 'mse', '--inputs', inputs, '--options', '{"__proto__":{"reduction":"sum"}}']),
      EXIT.input,
      "E_OPTION: mse: option '__proto__'",
    );
    refused(
      cli(['eval', 'mse', '--inputs', inputs, '--option', '__proto__=1']),
      EXIT.input,
      "E_OPTION: mse: option '__proto__'",
    );
    refused(
      cli(['eval', 'mse', '--inputs', inputs, '--option', 'constructor=1']),
      EXIT.input,
      "E_OPTION: mse: option 'constructor'",
    );
  });

  it('exits 1 with E_INPUT for a __proto__ input in --inputs', () => {
    refused(
      cli(['eval', 'mse', '--inputs', '{"input":[1,2],"target":[0,0],"__proto__":[1]}']),
      EXIT.input,
      "E_INPUT: mse: unknown input '__proto__'",
    );
  });

  it('exits 2 for a typed tensor whose dtype names an Object.prototype member', () => {
    refused(
      cli(['eval', 'mse', '--inputs', '{"input":{"dtype":"constructor","data":[1]},"target":[0]}']),
      EXIT.usage,
      '"dtype" must be one of float64, float32, int32, int64, got "constructor"',
    );
  });
});

describe('deep nesting and long arguments on the command line', () => {
  it('reads --inputs nested 100,000 deep (no reviver recursion) and reports the shape mismatch', () => {
    const depth = 100_000;
    const deep = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    const r = cli(['eval', 'mse', '--inputs', `{"input":${deep},"target":[0]}`]);
    refused(r, EXIT.input, "E_SHAPE: mse: input 'target' must be the same shape as 'input'");
    expect(r.err).toContain('(rank 100000)');
  });

  it('still reads "NaN" and "Infinity" strings in --inputs and --options as numbers', () => {
    // mse of [NaN, 1] against [0, 0] under reduction 'none' gives [NaN, 1].
    const r = cli([
      'eval',
      'mse',
      '--inputs',
      '{"input":["NaN",1],"target":[0,0]}',
      '--option',
      'reduction=none',
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).value.data).toEqual(['NaN', 1]);
    // huber's delta must be finite: the number Infinity is refused as a number (a string would be
    // described with quotes, 'delta="Infinity"').
    const h = cli([
      'eval',
      'huber',
      '--inputs',
      '{"input":[3],"target":[0]}',
      '--options',
      '{"delta":"Infinity"}',
    ]);
    refused(h, EXIT.input, 'Received: delta=Infinity.');
  });

  it('cuts a message about a 5,000-character path or argument to a bounded length', () => {
    const long = `${'x'.repeat(5000)}.npy`;
    const missing = cli(['eval', 'mse', '--input', `input=${long}`, '--inputs', '{"target":[0]}']);
    refused(missing, EXIT.input, '… (');
    const bad = cli(['eval', 'mse', '--input', long, '--inputs', '{"target":[0]}']);
    refused(bad, EXIT.usage, "--input expects name=FILE (e.g. input=logits.npy), got 'xxx");
    for (const r of [missing, bad]) expect(r.err.length).toBeLessThan(MAX_MESSAGE_CHARS + 100);
  });
});

describe('hostile .npy files through the CLI', () => {
  /** A v1.0 .npy file with the given header dictionary and data bytes. */
  function npyFile(name: string, header: string, data: Uint8Array): string {
    const h = header + ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
    const out = new Uint8Array(10 + h.length + data.length);
    out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
    new DataView(out.buffer).setUint16(8, h.length, true);
    for (let i = 0; i < h.length; i++) out[10 + i] = h.charCodeAt(i);
    out.set(data, 10 + h.length);
    return file(name, out);
  }

  const evalInput = (path: string): Outcome =>
    cli(['eval', 'mse', '--input', `input=${path}`, '--inputs', '{"target":[0]}']);

  it('exits 1 for a header asking for 80 GB, naming the limit, with a tiny file', () => {
    // (100000, 100000) float64 = 8e10 bytes, above the default 1 GiB limit (2^30 bytes).
    const p = npyFile(
      'huge.npy',
      "{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000), }",
      new Uint8Array(8),
    );
    refused(
      evalInput(p),
      EXIT.input,
      `needs 80000000000 bytes, above the limit of ${2 ** 30} bytes`,
    );
  });

  it('exits 1 for bad magic, bad version, a truncated header and trailing bytes', () => {
    refused(evalInput(file('magic.npy', 'NUMPY but not really')), EXIT.input, 'not a .npy file');
    const v = npyFile(
      'v7.npy',
      "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }",
      new Uint8Array(8),
    );
    const bytes = new Uint8Array(readFileSync(v));
    bytes[6] = 7;
    refused(evalInput(file('v7.npy', bytes)), EXIT.input, 'unsupported .npy format version 7.0');
    refused(
      evalInput(file('cut.npy', bytes.subarray(0, 30))),
      EXIT.input,
      'unsupported .npy format version 7.0',
    );
    bytes[6] = 1;
    refused(
      evalInput(file('cut1.npy', bytes.subarray(0, 30))),
      EXIT.input,
      'truncated .npy file (header claims',
    );
    const trailing = new Uint8Array(bytes.length + 5);
    trailing.set(bytes);
    refused(
      evalInput(file('trail.npy', trailing)),
      EXIT.input,
      'has 5 bytes after the data of shape (1)',
    );
  });

  it('exits 1 for fortran_order True, an object dtype and a complex dtype', () => {
    const f = npyFile(
      'f.npy',
      "{'descr': '<f8', 'fortran_order': True, 'shape': (1,), }",
      new Uint8Array(8),
    );
    refused(evalInput(f), EXIT.input, 'Fortran-order .npy arrays are not supported');
    const o = npyFile(
      'o.npy',
      "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }",
      new Uint8Array(8),
    );
    refused(evalInput(o), EXIT.input, "unsupported .npy dtype '|O'");
    const c = npyFile(
      'c.npy',
      "{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }",
      new Uint8Array(16),
    );
    refused(evalInput(c), EXIT.input, "unsupported .npy dtype '<c16'");
  });

  it('evaluates a big-endian float64 file like its little-endian twin', () => {
    // >f8 bytes of 3.0: 40 08 00 00 00 00 00 00; mse of [3] against [0] is 9.
    const p = npyFile(
      'be.npy',
      "{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }",
      new Uint8Array([0x40, 8, 0, 0, 0, 0, 0, 0]),
    );
    const r = cli(['eval', 'mse', '--input', `input=${p}`, '--inputs', '{"target":[0]}', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ id: 'mse', value: 9 });
  });
});

describe('the documented limits and exit codes', () => {
  it('states the file limits in losskit eval --help, from the constants the readers use', () => {
    const help = cli(['eval', '--help']).out.replace(/\s+/g, ' ');
    expect(help).toContain(
      `LOSSKIT_MAX_INPUT_BYTES (default ${DEFAULT_MAX_INPUT_BYTES / 2 ** 30} GiB`,
    );
    expect(help).toContain(`.npy headers ${MAX_NPY_HEADER_BYTES} bytes`);
    expect(help).toContain(`JSON and CSV text ${MAX_TEXT_INPUT_BYTES / 2 ** 20} MiB`);
  });

  it('states every exit code in losskit --help, as EXIT defines them', () => {
    const help = cli(['--help']).out.replace(/\s+/g, ' ');
    expect(help).toContain(
      `Exit status: ${EXIT.ok} success; ${EXIT.input} input error (LossError, unreadable or corrupt file); ${EXIT.usage} usage error; ${EXIT.empty} nothing to list; ${EXIT.internal} internal error.`,
    );
  });
});

describe('output directories and plots', () => {
  it('creates missing directories for --grad DIR, several levels deep, and reuses existing ones', () => {
    const dir = join(tmp, 'g', 'h', 'i');
    const r = cli(['eval', 'mse', '--inputs', '{"input":[1],"target":[0]}', '--grad', dir]);
    expect(r.code, r.err).toBe(0);
    expect(statSync(join(dir, 'input.npy')).isFile()).toBe(true);
    makeDirectory(dir);
    expect(statSync(dir).isDirectory()).toBe(true);
  });

  it('exits 1 when a file stands where --grad needs a directory', () => {
    const f = file('plain.txt', 'x');
    refused(
      cli(['eval', 'mse', '--inputs', '{"input":[1],"target":[0]}', '--grad', join(f, 'sub')]),
      EXIT.input,
      'plain.txt: cannot write (EEXIST)',
    );
  });

  it(`exits 2 for more than ${MAX_PLOT_CURVES} curves instead of running for hours`, () => {
    // 100,001 values of 'reduction' would be 100,001 curves of 201 evaluations each.
    const values = Array.from({ length: 100_001 }, () => 'sum').join(',');
    refused(
      cli(['plot', 'mse', '--compare', `reduction=${values}`, '--out', join(tmp, 'p.svg')]),
      EXIT.usage,
      `--compare: at most ${MAX_PLOT_CURVES} curves on one chart, got 100001`,
    );
  });
});
