#!/usr/bin/env node
/**
 * The `losskit` command. Every command is generated from the registry metadata (`list()`,
 * `getEntry()`, `evaluate()`), so a new loss or metric appears here without touching this file.
 *
 *   losskit list [--task T] [--json]
 *   losskit info <id> [--json]
 *   losskit eval <id> --inputs '<json>' [--options '<json>'] [--upstream '<json>'] [--grad] [--json]
 *   losskit example <id> [--grad] [--json]
 *
 * Exit status: 0 success, 1 a LossError (its message on stderr), 2 a usage error (with help).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { EntryMeta, EvalResult, Example } from '../core/define.js';
import { TASKS as CATALOG_TASKS } from '../core/define.js';
import { closest, LossError } from '../core/errors.js';
import { describeDomain } from '../core/options.js';
import type { Tensor } from '../core/tensor.js';
import { evaluate, getEntry, list } from '../registry.js';
import {
  formatDefault,
  formatReductions,
  formatValue,
  implementations,
  optionType,
} from '../docs/format.js';
import { isMainModule } from './entry.js';

/** Where the CLI writes; each call passes complete lines, newline included. */
export interface CliIo {
  out(s: string): void;
  err(s: string): void;
}

type Command = 'list' | 'info' | 'eval' | 'example' | 'help';
const COMMANDS: readonly Command[] = ['list', 'info', 'eval', 'example', 'help'];

class UsageError extends Error {
  readonly command: Command | undefined;
  constructor(message: string, command?: Command) {
    super(message);
    this.command = command;
  }
}

// ---------------------------------------------------------------------------------------------------
// Help

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? 'unknown';
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The `losskit eval` command line that runs an example. */
function exampleCommand(meta: EntryMeta, ex: Example, grad: boolean): string {
  const parts = ['losskit', 'eval', meta.id, '--inputs', shellQuote(toJson(ex.inputs))];
  if (ex.options && Object.keys(ex.options).length > 0) {
    parts.push('--options', shellQuote(toJson(ex.options)));
  }
  if (grad) parts.push('--grad');
  return parts.join(' ');
}

const USAGE: Readonly<Record<Command, string>> = {
  list: 'losskit list [--task <task>] [--json]',
  info: 'losskit info <id> [--json]',
  eval: "losskit eval <id> --inputs '<json>' [--options '<json>'] [--upstream '<json>'] [--grad] [--json]",
  example: 'losskit example <id> [--grad] [--json]',
  help: 'losskit help [<command>]',
};

function tasksPresent(metas: readonly EntryMeta[]): string[] {
  const seen: string[] = [];
  for (const m of metas) if (!seen.includes(m.task)) seen.push(m.task);
  return seen;
}

function generalHelp(): string {
  const metas = list();
  const losses = metas.filter((m) => m.kind === 'loss').length;
  const lines = [
    `losskit ${version()}: loss functions and metrics with exact values and analytic gradients.`,
    '',
    'Usage:',
    ...COMMANDS.map((c) => `  ${USAGE[c]}`),
    '  losskit --help | --version',
    '',
    'Commands:',
    `  list     the ${metas.length} registered entries (${losses} losses, ${metas.length - losses} metrics); --task filters by family`,
    '  info     when to use it, what to watch for, formula, inputs, options, reductions, references, notes, example',
    '  eval     evaluate an entry on a JSON object of named nested arrays; --grad adds the gradients',
    "  example  run the entry's metadata example(s)",
    '',
    `Tasks: ${tasksPresent(metas).join(', ') || '(none registered)'}.`,
    'Ids may also be given by alias. Inputs are nested arrays, numbers, or typed tensors',
    '{ "shape": [...], "dtype": "float64" | "float32" | "int32", "data": [...] } (flat, row-major),',
    'which is also how --json prints tensors. Non-finite numbers are the strings "Infinity",',
    '"-Infinity" and "NaN", in --inputs, --options and --upstream as in the output.',
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
    'Exit status: 0 on success, 1 when the loss rejects its arguments (LossError), 2 on a usage error.',
  );
  return lines.join('\n');
}

function commandHelp(command: Command): string {
  const details: Record<Command, string[]> = {
    list: [
      'Lists every entry: id (and aliases), task, reductions, title.',
      `  --task <task>  only this family (${CATALOG_TASKS.join(', ')})`,
      '  --json         an array of { id, kind, task, title, summary, aliases, reductions, ... }',
    ],
    info: [
      'Describes one entry from its metadata. <id> may be an alias.',
      '  --json  the full metadata as JSON',
    ],
    eval: [
      'Evaluates an entry, as evaluate(id, inputs, options, { grad, upstream }) does.',
      '  --inputs <json>    an object of named inputs: nested arrays, numbers or',
      '                     { "shape": [...], "dtype": "int32" | "float32" | "float64", "data": [...] }',
      '  --options <json>   an object of options, e.g. \'{"reduction":"none"}\'',
      "  --upstream <json>  upstream gradient (a number, or a tensor shaped like the 'none' output)",
      '  --grad             also print the gradient of every differentiable input',
      '  --json             print { id, value, grads } as JSON (tensors as { shape, dtype, data })',
    ],
    example: [
      "Runs the entry's metadata example(s) and prints the eval command line of each.",
      '  --grad  also print the gradients',
      '  --json  print an array of { title, inputs, options, value, grads }',
    ],
    help: ['Prints help for a command.'],
  };
  return [`Usage: ${USAGE[command]}`, '', ...details[command]].join('\n');
}

function helpFor(command: Command | undefined): string {
  return command === undefined ? generalHelp() : commandHelp(command);
}

// ---------------------------------------------------------------------------------------------------
// JSON in and out

function reviveNonFinite(_key: string, value: unknown): unknown {
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  if (value === 'NaN') return NaN;
  return value;
}

function parseJsonObject(
  text: string,
  flag: string,
  command: Command,
  allow: 'object' | 'any',
): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text, reviveNonFinite);
  } catch (e) {
    throw new UsageError(`${flag} is not valid JSON (${(e as Error).message})`, command);
  }
  if (allow === 'object' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
    throw new UsageError(
      `${flag} must be a JSON object of named values, e.g. '{"input":[1,2],"target":[1,3]}'`,
      command,
    );
  }
  return value;
}

/** dtype name → array constructor; a Map, so 'constructor' or '__proto__' is no dtype. */
const DTYPES = new Map<
  string,
  Float64ArrayConstructor | Float32ArrayConstructor | Int32ArrayConstructor
>([
  ['float64', Float64Array],
  ['float32', Float32Array],
  ['int32', Int32Array],
]);

function dtypeOf(data: ArrayBufferView): string {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  return 'float64';
}

/**
 * Top-level `{ "data": [...], "dtype": "int32" | "float32" | "float64", "shape"?: [...] }` values become
 * typed tensors (shape defaults to [data.length]); anything else is passed on as parsed.
 */
function withTypedTensors(
  value: Record<string, unknown>,
  flag: string,
  command: Command,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value)) {
    out[name] = typedTensor(v, `${flag} "${name}"`, command);
  }
  return out;
}

function typedTensor(v: unknown, where: string, command: Command): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.hasOwn(v, 'dtype'))
    return v;
  const o = v as { data?: unknown; dtype?: unknown; shape?: unknown };
  const known = [...DTYPES.keys()].join(', ');
  const Ctor = typeof o.dtype === 'string' ? DTYPES.get(o.dtype) : undefined;
  if (Ctor === undefined) {
    throw new UsageError(
      `${where}: dtype must be one of ${known}. Received: ${JSON.stringify(o.dtype)}`,
      command,
    );
  }
  if (!Array.isArray(o.data)) {
    throw new UsageError(`${where}: a tensor with a dtype needs "data", a flat array`, command);
  }
  const raw = o.data as unknown[];
  const data = new Ctor(raw.length);
  for (let i = 0; i < raw.length; i++) {
    // Values may be numbers or the strings "NaN", "Infinity", "-Infinity" (as in the output).
    const x = raw[i];
    const num =
      typeof x === 'number'
        ? x
        : x === 'NaN'
          ? NaN
          : x === 'Infinity'
            ? Infinity
            : x === '-Infinity'
              ? -Infinity
              : undefined;
    if (num === undefined) {
      throw new UsageError(
        `${where}: data[${i}] must be a number (flat data; give the shape in "shape"). Received: ${JSON.stringify(x)}`,
        command,
      );
    }
    if (
      Ctor === Int32Array &&
      !(Number.isInteger(num) && num >= -2147483648 && num <= 2147483647)
    ) {
      throw new UsageError(
        `${where}: data[${i}] must be an integer in the int32 range for dtype int32. Received: ${JSON.stringify(x)}`,
        command,
      );
    }
    data[i] = num;
  }
  return { data, shape: o.shape === undefined ? [data.length] : o.shape };
}

function isTensor(v: unknown): v is Tensor {
  return (
    typeof v === 'object' &&
    v !== null &&
    ArrayBuffer.isView((v as Tensor).data) &&
    Array.isArray((v as Tensor).shape)
  );
}

/** JSON with tensors as { shape, data } and non-finite numbers as strings. */
function toJson(value: unknown, indent?: number): string {
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

// ---------------------------------------------------------------------------------------------------
// Text rendering

function pad(s: string, width: number): string {
  return s.length >= width ? s : s + ' '.repeat(width - s.length);
}

function columns(rows: readonly (readonly string[])[], indent = ''): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map(
    (r) =>
      indent +
      r
        .map((c, i) => (i === r.length - 1 ? c : pad(c, widths[i])))
        .join('  ')
        .trimEnd(),
  );
}

function renderValue(label: string, v: number | Tensor): string {
  if (typeof v === 'number') return `${label} = ${formatValue(v)}`;
  return `${label} (shape [${v.shape.join(', ')}]) = ${formatValue(v)}`;
}

function renderResult(meta: EntryMeta, res: EvalResult, grad: boolean): string[] {
  const lines = [renderValue('value', res.value)];
  if (grad) {
    const grads = Object.entries(res.grads ?? {});
    if (grads.length === 0) {
      lines.push(
        meta.kind === 'metric'
          ? 'grads: none (metrics have no gradient)'
          : 'grads: none (no differentiable input was given)',
      );
    }
    for (const [name, g] of grads) lines.push(renderValue(`grads.${name}`, g));
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------------
// Commands

interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

type OptionConfig = Record<string, { type: 'string' | 'boolean'; short?: string }>;

function parse(command: Command, args: readonly string[], options: OptionConfig): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (e) {
    throw new UsageError((e as Error).message, command);
  }
}

function oneId(command: Command, positionals: readonly string[]): string {
  if (positionals.length === 0) throw new UsageError(`${command} needs an entry id`, command);
  if (positionals.length > 1) {
    throw new UsageError(`unexpected argument '${positionals[1]}'`, command);
  }
  return positionals[0];
}

function cmdList(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parse('list', args, {
    task: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) return printHelp(io, 'list');
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument '${positionals[0]}'`, 'list');
  let metas = list();
  const task = values.task as string | undefined;
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
  }
  if (values.json) {
    const rows = metas.map((m) => ({
      id: m.id,
      kind: m.kind,
      task: m.task,
      title: m.title,
      summary: m.summary,
      aliases: m.aliases ?? [],
      reductions: m.reductions,
      defaultReduction: m.defaultReduction,
      implementations: implementations(m),
    }));
    io.out(`${toJson(rows, 2)}\n`);
    return 0;
  }
  if (metas.length === 0) {
    io.out(
      task === undefined ? 'No entries registered.\n' : `No entries for task '${task}' yet.\n`,
    );
    return 0;
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
  io.out(
    `${[...columns(rows), '', `${metas.length} ${plural}. Details: losskit info <id>.`].join('\n')}\n`,
  );
  return 0;
}

function cmdInfo(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parse('info', args, { json: { type: 'boolean' } });
  if (values.help) return printHelp(io, 'info');
  const meta = getEntry(oneId('info', positionals)).meta;
  if (values.json) {
    io.out(`${toJson(meta, 2)}\n`);
    return 0;
  }
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
    'Inputs (in the order of the typed function):',
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
    lines.push('Options:');
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
  meta.examples.forEach((ex, i) => {
    lines.push(
      '',
      meta.examples.length > 1 ? `Example ${i + 1}: ${ex.title}` : `Example: ${ex.title}`,
      `  ${exampleCommand(meta, ex, meta.kind === 'loss')}`,
    );
  });
  io.out(`${lines.join('\n')}\n`);
  return 0;
}

function cmdEval(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parse('eval', args, {
    inputs: { type: 'string', short: 'i' },
    options: { type: 'string', short: 'o' },
    upstream: { type: 'string' },
    grad: { type: 'boolean', short: 'g' },
    json: { type: 'boolean' },
  });
  if (values.help) return printHelp(io, 'eval');
  const id = oneId('eval', positionals);
  const meta = getEntry(id).meta;
  if (values.inputs === undefined) {
    const names = meta.inputs.map((s) => `"${s.name}"`).join(', ');
    throw new UsageError(`eval needs --inputs, a JSON object with ${names}`, 'eval');
  }
  const inputs = withTypedTensors(
    parseJsonObject(values.inputs as string, '--inputs', 'eval', 'object') as Record<
      string,
      unknown
    >,
    '--inputs',
    'eval',
  );
  const options =
    values.options === undefined
      ? {}
      : parseJsonObject(values.options as string, '--options', 'eval', 'object');
  const upstream =
    values.upstream === undefined
      ? undefined
      : typedTensor(
          parseJsonObject(values.upstream as string, '--upstream', 'eval', 'any'),
          '--upstream',
          'eval',
        );
  const grad = values.grad === true || upstream !== undefined;
  const res = evaluate(
    meta.id,
    inputs as Record<string, unknown>,
    options as Record<string, unknown>,
    { grad, upstream: upstream as Tensor | number | undefined },
  );
  if (values.json) {
    io.out(`${toJson({ id: meta.id, value: res.value, ...(grad ? { grads: res.grads } : {}) })}\n`);
    return 0;
  }
  io.out(`${renderResult(meta, res, grad).join('\n')}\n`);
  return 0;
}

function cmdExample(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parse('example', args, {
    grad: { type: 'boolean', short: 'g' },
    json: { type: 'boolean' },
  });
  if (values.help) return printHelp(io, 'example');
  const meta = getEntry(oneId('example', positionals)).meta;
  const grad = values.grad === true;
  const results = meta.examples.map((ex) => ({
    ex,
    res: evaluate(meta.id, ex.inputs, ex.options ?? {}, { grad }),
  }));
  if (values.json) {
    const rows = results.map(({ ex, res }) => ({
      title: ex.title,
      inputs: ex.inputs,
      options: ex.options ?? {},
      value: res.value,
      ...(grad ? { grads: res.grads } : {}),
    }));
    io.out(`${toJson(rows, 2)}\n`);
    return 0;
  }
  const blocks = results.map(({ ex, res }, i) =>
    [
      `${meta.id}, example ${i + 1}: ${ex.title}`,
      `$ ${exampleCommand(meta, ex, grad)}`,
      ...renderResult(meta, res, grad),
    ].join('\n'),
  );
  io.out(`${blocks.join('\n\n')}\n`);
  return 0;
}

function printHelp(io: CliIo, command: Command | undefined): number {
  io.out(`${helpFor(command)}\n`);
  return 0;
}

function dispatch(argv: readonly string[], io: CliIo): number {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError('missing command');
  if (first === '--help' || first === '-h') return printHelp(io, undefined);
  if (first === '--version' || first === '-v' || first === '-V') {
    io.out(`${version()}\n`);
    return 0;
  }
  switch (first) {
    case 'list':
      return cmdList(rest, io);
    case 'info':
      return cmdInfo(rest, io);
    case 'eval':
      return cmdEval(rest, io);
    case 'example':
      return cmdExample(rest, io);
    case 'help': {
      if (rest.length === 0) return printHelp(io, undefined);
      const cmd = COMMANDS.find((c) => c === rest[0]);
      if (cmd === undefined) throw new UsageError(`unknown command '${rest[0]}'`);
      return printHelp(io, cmd);
    }
    default: {
      if (first.startsWith('-')) throw new UsageError(`unknown option '${first}'`);
      const hint = closest(first, COMMANDS);
      throw new UsageError(`unknown command '${first}'${hint ? ` (did you mean '${hint}'?)` : ''}`);
    }
  }
}

/**
 * Runs the CLI on `argv` (without `node` and the script path) and returns the exit status. Never
 * calls process.exit, so tests run it in-process.
 */
export function run(argv: string[], io: CliIo): number {
  try {
    return dispatch(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`losskit: ${e.message}\n\n${helpFor(e.command)}\n`);
      return 2;
    }
    if (e instanceof LossError) {
      io.err(`losskit: ${e.code}: ${e.message}\n`);
      return 1;
    }
    io.err(
      `losskit: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    return 1;
  }
}

if (isMainModule(import.meta.url)) {
  process.exitCode = run(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  });
}
