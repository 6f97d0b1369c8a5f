/**
 * The CLI's flag parser: `--name value`, `--name=value`, short aliases, repeatable flags, flags whose
 * value is optional (`--grad` or `--grad DIR`), and `--` to end the flags. Unknown flags get a
 * did-you-mean among the command's own flags. Flag names are looked up in a Map only.
 */
import { closest } from '../core/errors.js';

export class UsageError extends Error {
  readonly command: string | undefined;
  constructor(message: string, command?: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

export type FlagKind = 'boolean' | 'string' | 'repeat' | 'optional';

export interface FlagSpec {
  kind: FlagKind;
  short?: string;
  /** For the help text. */
  arg?: string;
  doc: string;
}

export interface Parsed {
  /** boolean → true; string/optional → the value (optional given bare → ''); repeat → all values. */
  flags: Map<string, string | true | string[]>;
  positionals: string[];
}

export function parseFlags(
  command: string,
  args: readonly string[],
  specs: ReadonlyMap<string, FlagSpec>,
): Parsed {
  const flags = new Map<string, string | true | string[]>();
  const positionals: string[] = [];
  const shorts = new Map<string, string>();
  for (const [name, s] of specs) if (s.short !== undefined) shorts.set(s.short, name);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      positionals.push(a);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      inline = eq < 0 ? undefined : a.slice(eq + 1);
    } else {
      const long = shorts.get(a.slice(1, 2));
      if (long === undefined || (a.length > 2 && a[2] !== '=')) {
        throw new UsageError(unknownFlag(command, a, specs), command);
      }
      name = long;
      inline = a.length > 2 ? a.slice(3) : undefined;
    }
    const spec = specs.get(name);
    if (spec === undefined) throw new UsageError(unknownFlag(command, `--${name}`, specs), command);
    if (spec.kind === 'boolean') {
      if (inline !== undefined) {
        throw new UsageError(
          `option '--${name}' takes no value (got '--${name}=${inline}')`,
          command,
        );
      }
      flags.set(name, true);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = args[i + 1];
      // '-' (stdin) and negative numbers such as '-3:3' are values, not flags.
      const takesNext =
        next !== undefined && (!next.startsWith('-') || next === '-' || /^-[\d.]/.test(next));
      if (spec.kind === 'optional') {
        value = takesNext ? next : '';
        if (takesNext) i++;
      } else {
        if (next === undefined) {
          throw new UsageError(
            `option '--${name}' needs a value (${spec.arg ?? 'value'})`,
            command,
          );
        }
        value = next;
        i++;
      }
    }
    if (spec.kind === 'repeat') {
      const prev = flags.get(name);
      flags.set(name, Array.isArray(prev) ? [...prev, value] : [value]);
    } else {
      if (flags.has(name)) {
        throw new UsageError(`option '--${name}' given twice`, command);
      }
      flags.set(name, value);
    }
  }
  return { flags, positionals };
}

function unknownFlag(command: string, flag: string, specs: ReadonlyMap<string, FlagSpec>): string {
  const names = [...specs.keys()].map((n) => `--${n}`);
  const hint = closest(flag.startsWith('--') ? flag : `--${flag.replace(/^-+/, '')}`, names);
  return `unknown option '${flag}'${hint !== undefined ? ` (did you mean '${hint}'?)` : ''}`;
}

/** The help lines of a command's flags, aligned. */
export function flagHelp(specs: ReadonlyMap<string, FlagSpec>): string[] {
  const rows = [...specs].map(([name, s]) => {
    const arg = s.kind === 'boolean' ? '' : s.kind === 'optional' ? ` [${s.arg}]` : ` ${s.arg}`;
    return [`${s.short !== undefined ? `-${s.short}, ` : '    '}--${name}${arg}`, s.doc];
  });
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([a, d]) => `  ${a.padEnd(w)}  ${d}`);
}
