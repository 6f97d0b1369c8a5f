#!/usr/bin/env node
/**
 * The `losskit` command. Every command, help text and message is generated from the registry
 * metadata (`list()`, `getEntry()`, `evaluate()`), so a new loss or metric appears here without
 * touching this file.
 *
 *   losskit list [--task T] [--json]
 *   losskit describe <id> [--json]                      (alias: info)
 *   losskit eval <id>[,<id>...] --input name=FILE ... [--option key=value ...] [--options JSON|@file]
 *                [--upstream JSON|FILE] [--grad [DIR]] [--out FILE.npy] [--json]
 *   losskit example <id> [--grad] [--json]
 *   losskit plot <id> [--input ...] [--option ...] [--compare ids|key=v1,v2] --out FILE.svg
 *
 * Exit status (EXIT below): 0 success; 1 input error (the loss rejected its arguments, or an input
 * file is unreadable, corrupt or too large); 2 usage error (unknown command, flag, task or loss id,
 * missing argument); 3 nothing to show (`list --task` of a family with no registered entry);
 * 70 internal error (a bug: the stack trace is printed with --debug).
 */
import { mkdirSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { EntryMeta, EvalResult, Example } from '../core/define.js';
import { TASKS as CATALOG_TASKS } from '../core/define.js';
import { closest, LossError } from '../core/errors.js';
import type { OptionSpec } from '../core/options.js';
import { describeDomain } from '../core/options.js';
import type { Tensor } from '../core/tensor.js';
import { evaluate, getEntry, list } from '../registry.js';
import {
  formatDefault,
  formatReductions,
  formatValue,
  implementations,
  optionType,
  toNested,
} from '../docs/format.js';
import type { FlagSpec, Parsed } from './args.js';
import { flagHelp, parseFlags, UsageError } from './args.js';
import { isMainModule } from './entry.js';
import type { FileTensor } from './files.js';
import {
  decodeUtf8,
  jsonValueToTensor,
  maxInputBytes,
  parseJsonWithNonFinite,
  readBounded,
  readTensorFile,
  textLimit,
  textLimitName,
} from './files.js';
import { encodeNpy, InputFileError } from './npy.js';
import type { Series } from './svg.js';
import { renderSvg } from './svg.js';

/** Where the CLI writes (each call passes complete lines) and what it may read. */
export interface CliIo {
  out(s: string): void;
  err(s: string): void;
  /** Standard input, for `--input name=-`; reading may stop once more than maxBytes arrived. */
  stdin?: (maxBytes: number) => Uint8Array;
  /** Environment (LOSSKIT_MAX_INPUT_BYTES); process.env when absent. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The documented exit codes. */
export const EXIT = { ok: 0, input: 1, usage: 2, empty: 3, internal: 70 } as const;

/** A known condition that ends the command with a message and an exit code (no help, no stack). */
class Exit extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

interface Ctx {
  io: CliIo;
  debug: boolean;
}

interface Command {
  name: string;
  usage: string;
  summary: string;
  details: string[];
  flags: ReadonlyMap<string, FlagSpec>;
  run(p: Parsed, ctx: Ctx): number;
}

// ---------------------------------------------------------------------------------------------------
// Small helpers

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? 'unknown';
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function isTensor(v: unknown): v is Tensor {
  return (
    typeof v === 'object' &&
    v !== null &&
    ArrayBuffer.isView((v as Tensor).data) &&
    Array.isArray((v as Tensor).shape)
  );
}

function dtypeOf(data: ArrayBufferView): string {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  return 'float64';
}

/** JSON with tensors as { shape, dtype, data } and non-finite numbers as strings. */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
      if (isTensor(v)) return { shape: v.shape, dtype: dtypeOf(v.data), data: Array.from(v.data) };
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
        return Array.from(v as unknown as ArrayLike<number>);
      }
      return v;
    },
    indent,
  );
}

/**
 * Sets an own, enumerable data property, as Object.fromEntries does: a user key named `__proto__`
 * stays a key (which the registry then rejects as unknown) instead of replacing the prototype.
 */
function put(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
}

function columns(rows: readonly (readonly string[])[], indent = ''): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map(
    (r) =>
      indent +
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
        .join('  ')
        .trimEnd(),
  );
}

function tasksPresent(metas: readonly EntryMeta[]): string[] {
  const seen: string[] = [];
  for (const m of metas) if (!seen.includes(m.task)) seen.push(m.task);
  return seen;
}

/** getEntry with the CLI's own wording: exit 2 and a did-you-mean, pointing at `losskit list`. */
function entry(id: string): EntryMeta {
  try {
    return getEntry(id).meta;
  } catch (e) {
    if (e instanceof LossError && e.code === 'E_UNKNOWN_LOSS') {
      const hint = /Did you mean '([^']+)'\?/.exec(e.message)?.[1];
      throw new UsageError(
        `unknown loss or metric '${id}'${hint !== undefined ? ` (did you mean '${hint}'?)` : ''}; 'losskit list' shows every id`,
      );
    }
    throw e;
  }
}

function flagMap(entries: [string, FlagSpec][]): ReadonlyMap<string, FlagSpec> {
  return new Map([...entries, ['help', { kind: 'boolean', short: 'h', doc: 'this help' }]]);
}

function oneId(command: string, positionals: readonly string[]): string {
  if (positionals.length === 0) throw new UsageError(`${command} needs an entry id`, command);
  if (positionals.length > 1) {
    throw new UsageError(`unexpected argument '${positionals[1]}'`, command);
  }
  return positionals[0];
}

function str(p: Parsed, name: string): string | undefined {
  const v = p.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

function many(p: Parsed, name: string): string[] {
  const v = p.flags.get(name);
  return Array.isArray(v) ? v : [];
}

// ---------------------------------------------------------------------------------------------------
// Inputs and options from the command line

interface ReadState {
  maxBytes: number;
  stdin?: (maxBytes: number) => Uint8Array;
  stdinUsed: boolean;
}

function readerFor(io: CliIo): ReadState {
  const env = io.env ?? (typeof process !== 'undefined' ? process.env : {});
  return { maxBytes: maxInputBytes(env), stdin: io.stdin, stdinUsed: false };
}

function readFile(path: string, rs: ReadState): FileTensor {
  if (path === '-') {
    if (rs.stdinUsed) throw new UsageError("standard input ('-') can be read only once");
    rs.stdinUsed = true;
  }
  return readTensorFile(path, { maxBytes: rs.maxBytes, stdin: rs.stdin });
}

/** A JSON text, or the content of @file.json. */
function jsonArgument(text: string, flag: string, rs: ReadState): unknown {
  let source = text;
  let where = flag;
  if (text.startsWith('@')) {
    const path = text.slice(1);
    source = decodeUtf8(
      readBounded(path, textLimit(rs.maxBytes), textLimitName(rs.maxBytes)),
      path,
    );
    where = `${flag} ${path}`;
  }
  try {
    return parseJsonWithNonFinite(source);
  } catch (e) {
    throw new UsageError(`${where} is not valid JSON (${(e as Error).message})`);
  }
}

function jsonObject(text: string, flag: string, rs: ReadState): Record<string, unknown> {
  const v = jsonArgument(text, flag, rs);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new UsageError(
      `${flag} must be a JSON object of named values, e.g. '{"reduction":"sum"}'`,
    );
  }
  return v as Record<string, unknown>;
}

const FILE_LIKE = /\.(npy|json|csv|txt)$/i;

function splitPair(text: string, flag: string, example: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`${flag} expects ${example}, got '${text}'`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

/** A command-line option value converted for its spec; what cannot be converted is passed as given. */
function optionValue(spec: OptionSpec | undefined, raw: string, rs: ReadState): unknown {
  const t = raw.trim();
  if (t === 'null') return null;
  if (spec === undefined) {
    try {
      return parseJsonWithNonFinite(t);
    } catch {
      return raw;
    }
  }
  switch (spec.type) {
    case 'number': {
      const special = new Map([
        ['nan', NaN],
        ['inf', Infinity],
        ['infinity', Infinity],
        ['-inf', -Infinity],
        ['-infinity', -Infinity],
      ]).get(t.toLowerCase());
      if (special !== undefined) return special;
      const n = t === '' ? NaN : Number(t);
      return Number.isNaN(n) ? raw : n;
    }
    case 'boolean':
      return t === 'true' || t === '1' ? true : t === 'false' || t === '0' ? false : raw;
    case 'enum':
      return raw;
    case 'tensor':
    case 'intList': {
      if (spec.type === 'intList' && (spec.keywords ?? []).some((k) => k === t)) return t;
      if (FILE_LIKE.test(t) || t === '-') return tensorOf(readFile(t, rs));
      try {
        return parseJsonWithNonFinite(t);
      } catch {
        return raw;
      }
    }
  }
}

function tensorOf(f: FileTensor): { data: FileTensor['data']; shape: number[] } {
  return { data: f.data, shape: f.shape };
}

interface Gathered {
  inputs: Map<string, unknown>;
  /** Input name → the file it came from. */
  sources: Map<string, string>;
  options: Map<string, { raw: string | undefined; value: unknown }>;
}

/** Reads --inputs, --input, --options and --option for the given entries. */
function gather(p: Parsed, metas: readonly EntryMeta[], command: string, rs: ReadState): Gathered {
  const inputs = new Map<string, unknown>();
  const sources = new Map<string, string>();
  const legacy = str(p, 'inputs');
  if (legacy !== undefined) {
    for (const [k, v] of Object.entries(jsonObject(legacy, '--inputs', rs))) {
      inputs.set(k, jsonTensor(v, `--inputs "${k}"`));
      sources.set(k, '--inputs');
    }
  }
  const inputNames = new Set(metas.flatMap((m) => m.inputs.map((s) => s.name)));
  for (const item of many(p, 'input')) {
    const [name, file] = splitPair(item, '--input', 'name=FILE (e.g. input=logits.npy)');
    if (!inputNames.has(name)) {
      const hint = closest(name, inputNames);
      throw new UsageError(
        `--input '${name}': ${metas.map((m) => m.id).join(', ')} has no input '${name}'${hint !== undefined ? ` (did you mean '${hint}'?)` : ''}; inputs: ${[...inputNames].join(', ')}`,
        command,
      );
    }
    if (inputs.has(name)) throw new UsageError(`input '${name}' given twice`, command);
    const t = readFile(file, rs);
    inputs.set(name, tensorOf(t));
    sources.set(name, file === '-' ? '(stdin)' : file);
  }
  const specs = new Map<string, OptionSpec>();
  for (const m of metas) {
    for (const [k, s] of Object.entries(m.options)) if (!specs.has(k)) specs.set(k, s);
  }
  const options = new Map<string, { raw: string | undefined; value: unknown }>();
  const json = str(p, 'options');
  if (json !== undefined) {
    for (const [k, v] of Object.entries(jsonObject(json, '--options', rs))) {
      options.set(k, { raw: undefined, value: v });
    }
  }
  for (const item of many(p, 'option')) {
    const [key, raw] = splitPair(item, '--option', 'key=value (e.g. labelSmoothing=0.1)');
    const prev = options.get(key);
    if (prev !== undefined) {
      throw new UsageError(
        `option '${bounded(key, 60)}' given twice (${prev.raw === undefined ? 'in --options and as --option' : `--option ${bounded(key, 60)}=${bounded(prev.raw, 40)} and =${bounded(raw, 40)}`})`,
        command,
      );
    }
    options.set(key, { raw, value: optionValue(specs.get(key), raw, rs) });
  }
  if (metas.length > 1) {
    for (const key of options.keys()) {
      if (!specs.has(key)) {
        const hint = closest(key, specs.keys());
        throw new UsageError(
          `option '${key}' is not an option of ${metas.map((m) => m.id).join(', ')}${hint !== undefined ? ` (did you mean '${hint}'?)` : ''}`,
          command,
        );
      }
    }
  }
  return { inputs, sources, options };
}

/** A value of --inputs: `{ dtype, data, shape? }` becomes a typed tensor; anything else is kept. */
function jsonTensor(v: unknown, where: string): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.hasOwn(v, 'dtype'))
    return v;
  try {
    return tensorOf(jsonValueToTensor(v, where));
  } catch (e) {
    if (e instanceof InputFileError) throw new UsageError(e.message);
    throw e;
  }
}

/** The inputs and options an entry declares, out of what was gathered for several entries. */
function forEntry(
  meta: EntryMeta,
  g: Gathered,
  only: boolean,
): {
  inputs: Record<string, unknown>;
  options: Record<string, unknown>;
} {
  const inputs: Record<string, unknown> = {};
  for (const [k, v] of g.inputs) {
    if (only || meta.inputs.some((s) => s.name === k)) put(inputs, k, v);
  }
  const options: Record<string, unknown> = {};
  for (const [k, v] of g.options) {
    if (only || Object.hasOwn(meta.options, k)) put(options, k, v.value);
  }
  return { inputs, options };
}

/** Adds the file an input came from to a LossError's message. */
function withSource(e: unknown, g: Gathered): unknown {
  if (!(e instanceof LossError)) return e;
  for (const [name, file] of g.sources) {
    if (
      file !== '--inputs' &&
      (e.argument ?? '').includes(name) &&
      e.message.includes(`'${name}'`)
    ) {
      const out = new LossError(e.code, `${e.message} (input '${name}' read from ${file})`, {
        loss: e.loss,
        argument: e.argument,
        expected: e.expected,
        received: e.received,
      });
      return out;
    }
  }
  return e;
}

// ---------------------------------------------------------------------------------------------------
// Rendering values

const MAX_TEXT_ELEMENTS = 200;

function renderTensorText(v: Tensor): string {
  if (v.data.length > MAX_TEXT_ELEMENTS) {
    const head = Array.from(v.data.subarray(0, 8)).map(String).join(', ');
    return `[${head}, …] (${v.data.length} values; --json prints them all)`;
  }
  if (v.shape.length === 2 && v.shape[0] > 1) {
    const rows = toNested(v.data, v.shape) as number[][];
    const cells = rows.map((r) => r.map((x) => String(x)));
    return `\n${columns(cells, '  ').join('\n')}`;
  }
  return formatValue(v);
}

function valueText(v: number | Tensor): string {
  return typeof v === 'number' ? String(v) : renderTensorText(v);
}

function reductionOf(meta: EntryMeta, options: Record<string, unknown>): string {
  if (meta.reductions.length === 0) return meta.kind === 'loss' ? 'scalar' : '';
  const r = Object.hasOwn(options, 'reduction') ? options.reduction : meta.defaultReduction;
  return `reduction '${String(r)}'`;
}

// ---------------------------------------------------------------------------------------------------
// Commands

const LIST_FLAGS = flagMap([
  ['task', { kind: 'string', arg: 'TASK', doc: `only one family (${CATALOG_TASKS.join(', ')})` }],
  ['json', { kind: 'boolean', doc: 'an array of { id, kind, task, title, summary, ... }' }],
]);

function cmdList(p: Parsed, ctx: Ctx): number {
  if (p.positionals.length > 0) {
    throw new UsageError(`unexpected argument '${p.positionals[0]}'`, 'list');
  }
  let metas = list();
  const task = str(p, 'task');
  if (task !== undefined) {
    const known = [...new Set<string>([...CATALOG_TASKS, ...tasksPresent(metas)])];
    if (!known.includes(task)) {
      const hint = closest(task, known);
      throw new UsageError(
        `unknown task '${task}'${hint ? ` (did you mean '${hint}'?)` : ''}; tasks: ${known.join(', ')}`,
        'list',
      );
    }
    metas = metas.filter((m) => m.task === task);
    if (metas.length === 0) {
      throw new Exit(
        EXIT.empty,
        `no entries registered for task '${task}' yet; tasks with entries: ${tasksPresent(list()).join(', ')}`,
      );
    }
  }
  if (p.flags.has('json')) {
    const rows = metas.map((m) => ({
      id: m.id,
      kind: m.kind,
      task: m.task,
      title: m.title,
      summary: m.summary,
      whenToUse: m.whenToUse,
      aliases: m.aliases ?? [],
      reductions: m.reductions,
      defaultReduction: m.defaultReduction,
      implementations: implementations(m),
    }));
    ctx.io.out(`${toJson(rows, 2)}\n`);
    return EXIT.ok;
  }
  const rows = [
    ['ID', 'TASK', 'KIND', 'REDUCTIONS', 'TITLE'],
    ...metas.map((m) => [
      m.aliases && m.aliases.length > 0 ? `${m.id} (${m.aliases.join(', ')})` : m.id,
      m.task,
      m.kind,
      m.reductions.length > 0 ? m.reductions.join('|') : m.kind === 'loss' ? 'scalar' : '-',
      m.title,
    ]),
  ];
  const plural = metas.length === 1 ? 'entry' : 'entries';
  ctx.io.out(
    `${[...columns(rows), '', `${metas.length} ${plural}. Details: losskit describe <id>.`].join('\n')}\n`,
  );
  return EXIT.ok;
}

/** The `losskit eval` command line running an example, inputs inline. */
function exampleCommand(meta: EntryMeta, ex: Example, grad: boolean): string {
  const parts = ['losskit', 'eval', meta.id, '--inputs', shellQuote(toJson(ex.inputs))];
  for (const [k, v] of Object.entries(ex.options ?? {})) {
    parts.push('--option', shellQuote(`${k}=${typeof v === 'string' ? v : toJson(v)}`));
  }
  if (grad) parts.push('--grad');
  return parts.join(' ');
}

/** The --input / --option skeleton of an entry's eval command. */
function fileCommand(meta: EntryMeta): string {
  const parts = ['losskit', 'eval', meta.id];
  for (const s of meta.inputs) {
    parts.push(s.optional ? `[--input ${s.name}=FILE]` : `--input ${s.name}=FILE`);
  }
  if (meta.kind === 'loss') parts.push('[--grad DIR]');
  return parts.join(' ');
}

function describeLines(meta: EntryMeta): string[] {
  const facts = [meta.kind, `task ${meta.task}`];
  if (meta.aliases && meta.aliases.length > 0) facts.push(`aliases: ${meta.aliases.join(', ')}`);
  const lines = [
    `${meta.id}: ${meta.title}`,
    facts.join(' · '),
    '',
    meta.summary,
    '',
    'When to use it:',
    `  ${meta.whenToUse}`,
    '',
    'Watch for:',
    ...meta.caveats.map((c) => `  - ${c}`),
    '',
    'Formula (LaTeX):',
    `  ${meta.formula}`,
    '',
    'Inputs (--input NAME=FILE; in the order of the typed function):',
    ...columns(
      meta.inputs.map((s) => [
        s.name,
        s.role,
        s.shape,
        [s.differentiable ? 'differentiable' : '', s.optional ? 'optional' : '']
          .filter((x) => x !== '')
          .join(', ') || '-',
        s.doc,
      ]),
      '  ',
    ),
    '',
  ];
  const opts = Object.entries(meta.options);
  if (opts.length === 0) lines.push('Options: none.');
  else {
    lines.push('Options (--option KEY=VALUE):');
    lines.push(
      ...columns(
        opts.map(([name, spec]) => [
          name,
          optionType(spec),
          `default ${formatDefault(spec)}`,
          describeDomain(spec),
          spec.doc,
        ]),
        '  ',
      ),
    );
  }
  lines.push(
    '',
    `Reductions: ${meta.reductions.length > 0 ? formatReductions(meta) : meta.kind === 'loss' ? 'none (scalar loss, no reduction option)' : 'none'}`,
    '',
    'References:',
  );
  for (const r of meta.references) {
    const parts = [r.title];
    if (r.url) parts.push(`<${r.url}>`);
    if (r.implementation) parts.push(`(matches ${r.implementation})`);
    lines.push(`  - ${parts.join(' ')}`);
  }
  if (meta.notes && meta.notes.length > 0) {
    lines.push('', 'Notes:', ...meta.notes.map((n) => `  - ${n}`));
  }
  lines.push('', 'On files:', `  ${fileCommand(meta)}`);
  meta.examples.forEach((ex, i) => {
    lines.push(
      '',
      meta.examples.length > 1 ? `Example ${i + 1}: ${ex.title}` : `Example: ${ex.title}`,
      `  ${exampleCommand(meta, ex, meta.kind === 'loss')}`,
    );
  });
  return lines;
}

const DESCRIBE_FLAGS = flagMap([['json', { kind: 'boolean', doc: 'the full metadata as JSON' }]]);

function cmdDescribe(p: Parsed, ctx: Ctx): number {
  const meta = entry(oneId('describe', p.positionals));
  ctx.io.out(p.flags.has('json') ? `${toJson(meta, 2)}\n` : `${describeLines(meta).join('\n')}\n`);
  return EXIT.ok;
}

const EVAL_FLAGS = flagMap([
  [
    'input',
    {
      kind: 'repeat',
      short: 'i',
      arg: 'NAME=FILE',
      doc: 'an input from a .npy, .json or .csv file, or - for stdin (repeat per input)',
    },
  ],
  [
    'option',
    {
      kind: 'repeat',
      short: 'o',
      arg: 'KEY=VALUE',
      doc: 'an option, converted by its type (repeatable)',
    },
  ],
  [
    'options',
    { kind: 'string', arg: 'JSON|@FILE', doc: 'options as one JSON object, inline or from a file' },
  ],
  [
    'inputs',
    {
      kind: 'string',
      arg: 'JSON|@FILE',
      doc: 'inputs as one JSON object of named nested arrays (small inputs)',
    },
  ],
  [
    'upstream',
    {
      kind: 'string',
      arg: 'JSON|FILE',
      doc: "upstream gradient: a number, or a tensor shaped like the 'none' output",
    },
  ],
  [
    'grad',
    {
      kind: 'optional',
      short: 'g',
      arg: 'DIR',
      doc: 'gradients: printed, or written as DIR/<input>.npy in the input dtype',
    },
  ],
  ['json', { kind: 'boolean', doc: 'machine output: { id, value, grads | files }' }],
  [
    'out',
    {
      kind: 'string',
      arg: 'FILE.npy',
      doc: "also write the value as .npy (a 0-d array for a number; one id only), e.g. reduction 'none' losses",
    },
  ],
]);

function cmdEval(p: Parsed, ctx: Ctx): number {
  const idArg = oneId('eval', p.positionals);
  const ids = idArg.split(',').filter((s) => s !== '');
  if (ids.length === 0) throw new UsageError('eval needs an entry id', 'eval');
  const metas = ids.map(entry);
  const rs = readerFor(ctx.io);
  const g = gather(p, metas, 'eval', rs);
  if (g.inputs.size === 0) {
    const need = metas[0].inputs.filter((s) => !s.optional).map((s) => `--input ${s.name}=FILE`);
    throw new UsageError(`eval needs its inputs: ${need.join(' ')}`, 'eval');
  }
  const gradFlag = p.flags.get('grad');
  const grad = gradFlag !== undefined || p.flags.has('upstream');
  const gradDir = typeof gradFlag === 'string' && gradFlag !== '' ? gradFlag : undefined;
  const upText = str(p, 'upstream');
  const upstream =
    upText === undefined
      ? undefined
      : FILE_LIKE.test(upText) || upText === '-'
        ? tensorOf(readFile(upText, rs))
        : jsonTensor(jsonArgument(upText, '--upstream', rs), '--upstream');
  const single = metas.length === 1;
  const results: { meta: EntryMeta; res: EvalResult; options: Record<string, unknown> }[] = [];
  for (const meta of metas) {
    const { inputs, options } = forEntry(meta, g, single);
    let res: EvalResult;
    try {
      res = evaluate(meta.id, inputs, options, {
        grad: grad && meta.kind === 'loss',
        upstream: upstream as Tensor | number | undefined,
      });
    } catch (e) {
      throw withSource(e, g);
    }
    results.push({ meta, res, options });
  }
  // Gradients to files.
  const files = new Map<string, Map<string, string>>();
  if (gradDir !== undefined) {
    makeDirectory(gradDir);
    for (const { meta, res } of results) {
      const written = new Map<string, string>();
      for (const [name, t] of Object.entries(res.grads ?? {})) {
        const path = join(gradDir, single ? `${name}.npy` : `${meta.id}.${name}.npy`);
        writeFileSync(path, encodeNpy(t.data, t.shape));
        written.set(name, path);
      }
      files.set(meta.id, written);
    }
  }
  const valueOut = str(p, 'out');
  if (valueOut !== undefined) {
    if (!single) throw new UsageError('--out writes one value: give a single id', 'eval');
    const v = results[0].res.value;
    const t =
      typeof v === 'number'
        ? { data: new Float64Array([v]), shape: [] as number[] }
        : { data: v.data, shape: v.shape };
    writeFileSync(valueOut, encodeNpy(t.data, t.shape));
  }
  if (p.flags.has('json')) {
    const rows = results.map(({ meta, res }) => {
      const row: Record<string, unknown> = { id: meta.id, value: res.value };
      if (grad && meta.kind === 'loss') {
        if (gradDir !== undefined) {
          const fl = files.get(meta.id) ?? new Map<string, string>();
          row.files = Object.fromEntries(
            [...fl].map(([name, path]) => {
              const t = res.grads?.[name];
              return [name, { path, shape: t?.shape, dtype: t ? dtypeOf(t.data) : undefined }];
            }),
          );
        } else row.grads = res.grads ?? {};
      }
      if (valueOut !== undefined) row.out = valueOut;
      return row;
    });
    ctx.io.out(`${toJson(single ? rows[0] : rows)}\n`);
    return EXIT.ok;
  }
  const lines: string[] = [];
  if (single) {
    const { meta, res, options } = results[0];
    const how = reductionOf(meta, options);
    const shape = typeof res.value === 'number' ? '' : ` (shape [${res.value.shape.join(', ')}])`;
    lines.push(`${meta.id}${how ? ` (${how})` : ''}${shape} = ${valueText(res.value)}`);
    if (valueOut !== undefined) lines.push(`value: wrote ${valueOut}`);
  } else {
    const table: string[][] = [['ID', 'KIND', 'VALUE']];
    const later: string[] = [];
    for (const { meta, res } of results) {
      if (typeof res.value === 'number' || res.value.data.length === 1) {
        table.push([
          meta.id,
          meta.kind,
          String(typeof res.value === 'number' ? res.value : res.value.data[0]),
        ]);
      } else {
        table.push([meta.id, meta.kind, `shape [${res.value.shape.join(', ')}], below`]);
        later.push(
          '',
          `${meta.id} (shape [${res.value.shape.join(', ')}]):${valueText(res.value).startsWith('\n') ? '' : ' '}${valueText(res.value)}`,
        );
      }
    }
    lines.push(...columns(table), ...later);
  }
  if (grad) {
    for (const { meta, res } of results) {
      const grads = Object.entries(res.grads ?? {});
      if (meta.kind === 'metric') {
        if (single) lines.push('gradients: none (a metric has no gradient)');
        continue;
      }
      if (grads.length === 0) lines.push(`${meta.id}: no differentiable input was given`);
      for (const [name, t] of grads) {
        const label = single ? `d/d ${name}` : `${meta.id}: d/d ${name}`;
        const path = files.get(meta.id)?.get(name);
        lines.push(
          path !== undefined
            ? `${label}: wrote ${path} (${dtypeOf(t.data)}, shape [${t.shape.join(', ')}])`
            : `${label} (shape [${t.shape.join(', ')}]) = ${renderTensorText(t)}`,
        );
      }
    }
  }
  ctx.io.out(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

const EXAMPLE_FLAGS = flagMap([
  ['grad', { kind: 'boolean', short: 'g', doc: 'also print the gradients' }],
  ['json', { kind: 'boolean', doc: 'an array of { title, inputs, options, value, grads }' }],
]);

function cmdExample(p: Parsed, ctx: Ctx): number {
  const meta = entry(oneId('example', p.positionals));
  const grad = p.flags.has('grad') && meta.kind === 'loss';
  const results = meta.examples.map((ex) => ({
    ex,
    res: evaluate(meta.id, ex.inputs, ex.options ?? {}, { grad }),
  }));
  if (p.flags.has('json')) {
    const rows = results.map(({ ex, res }) => ({
      title: ex.title,
      inputs: ex.inputs,
      options: ex.options ?? {},
      value: res.value,
      ...(grad ? { grads: res.grads } : {}),
    }));
    ctx.io.out(`${toJson(rows, 2)}\n`);
    return EXIT.ok;
  }
  const blocks = results.map(({ ex, res }, i) => {
    const lines = [
      `${meta.id}, example ${i + 1}: ${ex.title}`,
      `$ ${exampleCommand(meta, ex, grad)}`,
      `${meta.id} = ${valueText(res.value)}`,
    ];
    for (const [name, t] of Object.entries(res.grads ?? {})) {
      lines.push(`d/d ${name} (shape [${t.shape.join(', ')}]) = ${renderTensorText(t)}`);
    }
    return lines.join('\n');
  });
  ctx.io.out(`${blocks.join('\n\n')}\n`);
  return EXIT.ok;
}

// ---------------------------------------------------------------------------------------------------
// plot

const PLOT_FLAGS = flagMap([
  [
    'json',
    {
      kind: 'boolean',
      doc: 'also print the curves as JSON { xs, curves: [{ label, loss, grad }] }',
    },
  ],
  ['out', { kind: 'string', arg: 'FILE.svg', doc: 'where to write the chart (- for stdout)' }],
  [
    'input',
    {
      kind: 'repeat',
      short: 'i',
      arg: 'NAME=FILE',
      doc: "inputs (default: the entry's first example)",
    },
  ],
  ['option', { kind: 'repeat', short: 'o', arg: 'KEY=VALUE', doc: 'an option (repeatable)' }],
  ['options', { kind: 'string', arg: 'JSON|@FILE', doc: 'options as one JSON object' }],
  [
    'vary',
    {
      kind: 'string',
      arg: 'NAME[INDEX]',
      doc: 'the input element on the x axis (default: the first differentiable input, element 0)',
    },
  ],
  [
    'range',
    {
      kind: 'string',
      arg: 'LO:HI',
      doc: 'x range (default: the element ± 4; (0.001, 0.999) for probabilities)',
    },
  ],
  ['points', { kind: 'string', arg: 'N', doc: 'number of points (default 201, at most 5001)' }],
  [
    'compare',
    {
      kind: 'string',
      arg: 'IDS|KEY=V1,V2',
      doc: 'more curves: other entries (a,b) or values of one option (gamma=0,1,2)',
    },
  ],
]);

interface PlotCurve {
  label: string;
  meta: EntryMeta;
  options: Record<string, unknown>;
}

function parseVary(text: string | undefined, meta: EntryMeta): { name: string; index: number } {
  if (text === undefined) {
    const s = meta.inputs.find((x) => x.differentiable) ?? meta.inputs[0];
    return { name: s.name, index: 0 };
  }
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?$/.exec(text);
  if (m === null) throw new UsageError(`--vary expects NAME or NAME[INDEX], got '${text}'`, 'plot');
  if (!meta.inputs.some((s) => s.name === m[1])) {
    throw new UsageError(
      `--vary '${m[1]}': ${meta.id} has no input '${m[1]}'; inputs: ${meta.inputs.map((s) => s.name).join(', ')}`,
      'plot',
    );
  }
  return { name: m[1], index: m[2] === undefined ? 0 : Number(m[2]) };
}

function asFloatTensor(v: unknown, where: string): { data: Float64Array; shape: number[] } {
  const t = v as { data?: ArrayLike<number | bigint>; shape?: number[] };
  if (Array.isArray(v) || typeof v === 'number') {
    const f = jsonValueToTensor(v, where);
    return { data: Float64Array.from(f.data as Float64Array), shape: f.shape };
  }
  if (t.data !== undefined && t.shape !== undefined) {
    const d = new Float64Array(t.data.length);
    for (let i = 0; i < d.length; i++) d[i] = Number(t.data[i]);
    return { data: d, shape: t.shape.slice() };
  }
  throw new UsageError(`${where}: cannot vary this input`, 'plot');
}

function sumOf(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

/** The most curves one chart draws (the plotted entry included). */
export const MAX_PLOT_CURVES = 12;

function cmdPlot(p: Parsed, ctx: Ctx): number {
  const meta = entry(oneId('plot', p.positionals));
  const out = str(p, 'out');
  if (out === undefined) throw new UsageError('plot needs --out FILE.svg', 'plot');
  const rs = readerFor(ctx.io);
  const compare = str(p, 'compare');
  const curves: PlotCurve[] = [];
  const compareIds =
    compare !== undefined && !compare.includes('=')
      ? compare
          .split(',')
          .filter((s) => s !== '')
          .map(entry)
      : [];
  const all = [meta, ...compareIds];
  const g = gather(p, all, 'plot', rs);
  const base = forEntry(meta, g, compareIds.length === 0);
  if (compare !== undefined && compare.includes('=')) {
    const [key, values] = splitPair(compare, '--compare', 'KEY=V1,V2,...');
    const spec = Object.hasOwn(meta.options, key) ? meta.options[key] : undefined;
    if (spec === undefined) {
      const hint = closest(key, Object.keys(meta.options));
      throw new UsageError(
        `--compare: ${meta.id} has no option '${key}'${hint !== undefined ? ` (did you mean '${hint}'?)` : ''}`,
        'plot',
      );
    }
    for (const v of values.split(',')) {
      curves.push({
        label: `${meta.id} ${key}=${v}`,
        meta,
        options: { ...base.options, [key]: optionValue(spec, v, rs) },
      });
    }
  } else {
    for (const m of all)
      curves.push({
        label: m.id,
        meta: m,
        options: forEntry(m, g, compareIds.length === 0).options,
      });
  }
  if (curves.length > MAX_PLOT_CURVES) {
    // Each curve is points × evaluate(): thousands of curves would run for hours, unreadably.
    throw new UsageError(
      `--compare: at most ${MAX_PLOT_CURVES} curves on one chart, got ${curves.length}`,
      'plot',
    );
  }
  // Inputs: the given files, else the first example of the plotted entry.
  const ex = meta.examples[0];
  const inputs: Record<string, unknown> = { ...(ex?.inputs ?? {}) };
  for (const [k, v] of g.inputs) put(inputs, k, v);
  const vary = parseVary(str(p, 'vary'), meta);
  const varied = asFloatTensor(inputs[vary.name], `input '${vary.name}'`);
  if (vary.index >= varied.data.length) {
    throw new UsageError(
      `--vary ${vary.name}[${vary.index}]: the input has ${varied.data.length} elements`,
      'plot',
    );
  }
  const spec = meta.inputs.find((s) => s.name === vary.name)!;
  const center = varied.data[vary.index];
  let [lo, hi] = /prob/i.test(spec.role) ? [0.001, 0.999] : [center - 4, center + 4];
  const range = str(p, 'range');
  if (range !== undefined) {
    const m = /^(-?[\d.eE+-]+):(-?[\d.eE+-]+)$/.exec(range);
    const a = m ? Number(m[1]) : NaN;
    const b = m ? Number(m[2]) : NaN;
    if (!(Number.isFinite(a) && Number.isFinite(b) && a < b)) {
      throw new UsageError(`--range expects LO:HI with LO < HI, got '${range}'`, 'plot');
    }
    [lo, hi] = [a, b];
  }
  const pointsText = str(p, 'points');
  const points = pointsText === undefined ? 201 : Number(pointsText);
  if (!Number.isInteger(points) || points < 2 || points > 5001) {
    throw new UsageError(`--points must be an integer in [2, 5001], got '${pointsText}'`, 'plot');
  }
  const xs = Array.from({ length: points }, (_, i) => lo + ((hi - lo) * i) / (points - 1));
  const lossSeries: Series[] = [];
  const gradSeries: Series[] = [];
  let firstError: string | undefined;
  for (const c of curves) {
    const ys: number[] = [];
    const gs: number[] = [];
    // The entry's first example supplies options the user did not give (e.g. dice's required mode).
    const opts: Record<string, unknown> = { ...(c.meta.examples[0]?.options ?? {}), ...c.options };
    // A summed loss, so the curve is the varied element's own loss plus a constant.
    if (c.meta.reductions.includes('sum') && !Object.hasOwn(opts, 'reduction'))
      opts.reduction = 'sum';
    for (const x of xs) {
      const data = varied.data.slice();
      data[vary.index] = x;
      const these: Record<string, unknown> = {};
      for (const s of c.meta.inputs) {
        if (Object.hasOwn(inputs, s.name)) these[s.name] = inputs[s.name];
      }
      these[vary.name] = { data, shape: varied.shape };
      try {
        const res = evaluate(c.meta.id, these, opts, { grad: c.meta.kind === 'loss' });
        const v = res.value;
        ys.push(typeof v === 'number' ? v : sumOf(v.data));
        const gv = res.grads?.[vary.name];
        gs.push(gv === undefined ? NaN : gv.data[vary.index]);
      } catch (e) {
        if (!(e instanceof LossError)) throw e;
        firstError ??= `${c.meta.id}: ${e.message}`;
        ys.push(NaN);
        gs.push(NaN);
      }
    }
    lossSeries.push({ label: c.label, ys });
    if (c.meta.kind === 'loss') gradSeries.push({ label: c.label, ys: gs });
  }
  if (lossSeries.every((s) => s.ys.every((y) => !Number.isFinite(y)))) {
    throw new Exit(EXIT.input, `nothing to plot: ${firstError ?? 'every point is non-finite'}`);
  }
  const where = varied.data.length > 1 ? `${vary.name}[${vary.index}]` : vary.name;
  const panels = [
    { title: `loss (${meta.kind === 'loss' ? "reduction 'sum'" : 'value'})`, series: lossSeries },
  ];
  if (gradSeries.length > 0)
    panels.push({ title: `gradient d loss / d ${where}`, series: gradSeries });
  const svg = renderSvg({
    title: `${curves.map((c) => c.label).join(' vs ')}, varying ${where}`,
    xLabel: `${where} (${spec.role}); other inputs ${g.inputs.size > 0 ? 'from the given files' : "from the entry's first example"}`,
    xs,
    panels,
  });
  if (p.flags.has('json')) {
    const rows = curves.map((c, i) => ({
      label: c.label,
      loss: lossSeries[i].ys,
      grad:
        c.meta.kind === 'loss' ? (gradSeries.find((s) => s.label === c.label)?.ys ?? null) : null,
    }));
    ctx.io.out(`${toJson({ out, vary: where, xs, curves: rows })}\n`);
  }
  if (out === '-') ctx.io.out(svg);
  else {
    writeFileSync(out, svg);
    if (!p.flags.has('json'))
      ctx.io.out(
        `wrote ${out}: ${curves.length} curve${curves.length > 1 ? 's' : ''}, ${points} points of ${where} in [${lo}, ${hi}]\n`,
      );
  }
  return EXIT.ok;
}

// ---------------------------------------------------------------------------------------------------
// Dispatch and help

const COMMANDS: readonly Command[] = [
  {
    name: 'list',
    usage: 'losskit list [--task TASK] [--json]',
    summary: 'the registered entries; --task keeps one family',
    details: ['Lists every entry: id (and aliases), task, kind, reductions, title.'],
    flags: LIST_FLAGS,
    run: cmdList,
  },
  {
    name: 'describe',
    usage: 'losskit describe <id> [--json]',
    summary: 'when to use it, caveats, formula, inputs, options, references, example (alias: info)',
    details: ['Describes one entry from its metadata. <id> may be an alias.'],
    flags: DESCRIBE_FLAGS,
    run: cmdDescribe,
  },
  {
    name: 'eval',
    usage:
      'losskit eval <id>[,<id>...] --input NAME=FILE ... [--option KEY=VALUE ...] [--grad [DIR]] [--json]',
    summary: 'evaluate on .npy/.json/.csv files; several ids give a table',
    details: [
      'Evaluates entries as evaluate(id, inputs, options, { grad }) does. Files: .npy (float32, float64,',
      'int32, int64, little- or big-endian, uint8, bool; C order), .json (nested arrays or { "shape",',
      '"data", "dtype"? }), .csv (rows of numbers, quoted cells allowed; one column gives a 1-D tensor),',
      '- for standard input. With several ids (f1Score,precision,recall) each entry receives the inputs',
      'and options it declares; each input and option is given once.',
      'Gradients are written as DIR/<input>.npy (DIR/<id>.<input>.npy for several ids) in the',
      "input's float dtype. Limits: input files and standard input LOSSKIT_MAX_INPUT_BYTES (default",
      '1 GiB, also the most data a .npy header may claim), .npy headers 10000 bytes, JSON and CSV',
      'text 64 MiB (use .npy for larger tensors).',
    ],
    flags: EVAL_FLAGS,
    run: cmdEval,
  },
  {
    name: 'example',
    usage: 'losskit example <id> [--grad] [--json]',
    summary: "run the entry's metadata examples",
    details: ["Runs the entry's metadata example(s) and prints the eval command line of each."],
    flags: EXAMPLE_FLAGS,
    run: cmdExample,
  },
  {
    name: 'plot',
    usage:
      'losskit plot <id> [--input ...] [--option ...] [--compare IDS|KEY=V1,V2] --out FILE.svg',
    summary: 'an SVG chart of the loss and its gradient over one input element',
    details: [
      "Draws the loss (reduction 'sum' where available) and its gradient while one element of the",
      "main input sweeps a range, other inputs fixed (the entry's first example unless files are",
      'given). --compare adds entries (--compare bceWithLogits) or option values (--compare gamma=0,2,5).',
    ],
    flags: PLOT_FLAGS,
    run: cmdPlot,
  },
];

const COMMAND_ALIASES = new Map([['info', 'describe']]);

function findCommand(name: string): Command | undefined {
  const real = COMMAND_ALIASES.get(name) ?? name;
  return COMMANDS.find((c) => c.name === real);
}

function generalHelp(): string {
  const metas = list();
  const losses = metas.filter((m) => m.kind === 'loss').length;
  const lines = [
    `losskit ${version()}: loss functions and metrics with exact values and analytic gradients.`,
    '',
    'Usage:',
    ...COMMANDS.map((c) => `  ${c.usage}`),
    '  losskit help [<command>] | --help | --version',
    '',
    'Commands:',
    ...columns(
      COMMANDS.map((c) => [c.name, c.summary]),
      '  ',
    ),
    '',
    `${metas.length} registered entries (${losses} losses, ${metas.length - losses} metrics).`,
    `Tasks: ${tasksPresent(metas).join(', ') || '(none registered)'}.`,
    `Global options: --debug (stack traces on internal errors), --help on every command.`,
  ];
  const first = metas.find((m) => m.examples.length > 0);
  if (first) {
    lines.push(
      '',
      'Example:',
      `  ${exampleCommand(first, first.examples[0], first.kind === 'loss')}`,
    );
  }
  lines.push(
    '',
    'Exit status: 0 success; 1 input error (LossError, unreadable or corrupt file); 2 usage error;',
    '3 nothing to list; 70 internal error.',
  );
  return lines.join('\n');
}

function commandHelp(c: Command, id?: string): string {
  const lines = [
    `Usage: ${c.usage}`,
    '',
    c.summary + '.',
    ...c.details,
    '',
    'Options:',
    ...flagHelp(c.flags),
  ];
  if (id !== undefined && (c.name === 'eval' || c.name === 'plot')) {
    const meta = entry(id);
    lines.push('', `${meta.id}:`, `  ${fileCommand(meta)}`, '  inputs:');
    lines.push(
      ...columns(
        meta.inputs.map((s) => [s.name, s.role, s.shape, s.doc]),
        '    ',
      ),
    );
    const opts = Object.entries(meta.options);
    if (opts.length > 0) {
      lines.push('  options:');
      lines.push(
        ...columns(
          opts.map(([k, s]) => [`${k}=${formatDefault(s)}`, describeDomain(s), s.doc]),
          '    ',
        ),
      );
    }
  }
  return lines.join('\n');
}

function dispatch(argv: readonly string[], ctx: Ctx): number {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError("missing command; 'losskit --help' lists them");
  if (first === '--help' || first === '-h') {
    ctx.io.out(`${generalHelp()}\n`);
    return EXIT.ok;
  }
  if (first === '--version' || first === '-v' || first === '-V') {
    ctx.io.out(`${version()}\n`);
    return EXIT.ok;
  }
  if (first === 'help') {
    if (rest.length === 0) {
      ctx.io.out(`${generalHelp()}\n`);
      return EXIT.ok;
    }
    const c = findCommand(rest[0]);
    if (c === undefined) throw new UsageError(unknownCommand(rest[0]));
    ctx.io.out(`${commandHelp(c, rest[1])}\n`);
    return EXIT.ok;
  }
  const c = findCommand(first);
  if (c === undefined) {
    if (first.startsWith('-')) throw new UsageError(`unknown option '${first}' before the command`);
    throw new UsageError(unknownCommand(first));
  }
  const parsed = parseFlags(c.name, rest, c.flags);
  if (parsed.flags.has('help')) {
    const id = parsed.positionals[0];
    ctx.io.out(`${commandHelp(c, id === undefined ? undefined : id.split(',')[0])}\n`);
    return EXIT.ok;
  }
  return c.run(parsed, ctx);
}

function unknownCommand(name: string): string {
  const names = [...COMMANDS.map((c) => c.name), ...COMMAND_ALIASES.keys()];
  const hint = closest(name, names);
  return `unknown command '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}; commands: ${COMMANDS.map((c) => c.name).join(', ')}`;
}

/**
 * Runs the CLI on `argv` (without `node` and the script path) and returns the exit status. Never
 * calls process.exit, so tests run it in-process. Errors are one line on stderr.
 */
export function run(argv: string[], io: CliIo): number {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  const ctx: Ctx = { io, debug };
  try {
    return dispatch(args, ctx);
  } catch (e) {
    if (e instanceof UsageError) {
      const where = e.command !== undefined ? ` ${e.command}` : '';
      const more = e.command !== undefined ? `losskit ${e.command} --help` : 'losskit --help';
      io.err(`losskit${where}: ${bounded(oneLine(e.message))} (see '${more}')\n`);
      return EXIT.usage;
    }
    if (e instanceof Exit) {
      io.err(`losskit: ${bounded(oneLine(e.message))}\n`);
      return e.code;
    }
    if (e instanceof LossError) {
      io.err(`losskit: ${e.code}: ${bounded(oneLine(e.message))}\n`);
      return EXIT.input;
    }
    if (e instanceof InputFileError) {
      io.err(`losskit: ${bounded(oneLine(e.message))}\n`);
      return EXIT.input;
    }
    const err = e as NodeJS.ErrnoException;
    if (
      err !== null &&
      typeof err === 'object' &&
      typeof err.code === 'string' &&
      typeof err.path === 'string'
    ) {
      // A file system error while writing outputs (--grad DIR, --out).
      io.err(`losskit: ${bounded(err.path)}: cannot write (${err.code})\n`);
      return EXIT.input;
    }
    const msg = e instanceof Error ? e.message : String(e);
    io.err(
      debug && e instanceof Error && e.stack
        ? `losskit: internal error: ${e.stack}\n`
        : `losskit: internal error: ${bounded(oneLine(msg))} (run with --debug for the stack trace)\n`,
    );
    return EXIT.internal;
  }
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ');
}

/**
 * mkdir -p without Node's `{ recursive: true }`, which loops forever where mkdir keeps failing
 * with ENOENT under an existing parent (e.g. '/proc/x' on Linux). Creates the missing ancestors
 * from the top, each once; the error of the last failing mkdir is thrown (exit 1 "cannot write").
 */
export function makeDirectory(dir: string): void {
  const missing: string[] = [];
  let d = resolve(dir);
  for (;;) {
    try {
      if (statSync(d).isDirectory()) break;
      // An existing non-directory: mkdir below fails with EEXIST or ENOTDIR.
      missing.push(d);
      break;
    } catch {
      missing.push(d);
      const parent = dirname(d);
      if (parent === d) break;
      d = parent;
    }
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      mkdirSync(missing[i]);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && statSync(missing[i]).isDirectory()) {
        continue;
      }
      throw e;
    }
  }
}

/** The longest message the CLI prints (a path or argument of any length is abbreviated). */
export const MAX_MESSAGE_CHARS = 400;

/** `s`, cut to `max` characters with the full length named. */
function bounded(s: string, max = MAX_MESSAGE_CHARS): string {
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length} characters)`;
}

/**
 * Reads standard input (for '-') in chunks, stopping as soon as more than maxBytes have arrived, so
 * an endless or huge stream cannot exhaust memory.
 */
function readStdin(maxBytes: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const chunk = Buffer.allocUnsafe(1 << 16);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, chunk, 0, chunk.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EOF') break;
      throw new InputFileError(`-: cannot read standard input (${code ?? (e as Error).message})`);
    }
    if (n === 0) break;
    chunks.push(Uint8Array.from(chunk.subarray(0, n)));
    total += n;
    if (total > maxBytes) {
      throw new InputFileError(
        `-: standard input is above the input limit of ${maxBytes} bytes (LOSSKIT_MAX_INPUT_BYTES)`,
      );
    }
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

if (isMainModule(import.meta.url)) {
  process.exitCode = run(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    stdin: readStdin,
  });
}
