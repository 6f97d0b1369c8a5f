/**
 * The one error type of losskit. Every programmer error (unknown loss or option, wrong option type or
 * range, wrong input type, shape mismatch, class index out of range or not an integer) is a LossError
 * whose message names the loss, the argument, what was expected and what was received.
 * NaN or Infinity inside the data is not an error: it propagates to the value.
 */

export type LossErrorCode =
  'E_UNKNOWN_LOSS' | 'E_OPTION' | 'E_INPUT' | 'E_TYPE' | 'E_SHAPE' | 'E_RANGE';

export interface LossErrorDetails {
  /** Id of the loss or metric that raised the error (absent for registry-level errors). */
  loss?: string;
  /** Name of the offending input or option. */
  argument?: string;
  /** What was expected, in words. */
  expected?: string;
  /** What was received, rendered for humans. */
  received?: string;
  /** Extra advice for a common mistake. */
  hint?: string;
}

export class LossError extends Error {
  readonly code: LossErrorCode;
  readonly loss: string | undefined;
  readonly argument: string | undefined;
  readonly expected: string | undefined;
  readonly received: string | undefined;

  constructor(code: LossErrorCode, message: string, details: LossErrorDetails = {}) {
    super(message);
    this.name = 'LossError';
    this.code = code;
    this.loss = details.loss;
    this.argument = details.argument;
    this.expected = details.expected;
    this.received = details.received;
  }
}

const MAX_RENDER = 60;

/** Renders any value briefly for an error message ("Received: ..."). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') {
    return Object.is(value, -0) ? '-0' : String(value);
  }
  if (typeof value === 'string')
    return value.length > MAX_RENDER
      ? `${JSON.stringify(value.slice(0, MAX_RENDER))}… (${value.length} characters)`
      : JSON.stringify(value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'function') return 'a function';
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    const len = (value as unknown as { length?: number }).length ?? value.byteLength;
    return `${name}(${len})`;
  }
  if (Array.isArray(value)) return describeArray(value, 0);
  if (typeof value === 'object') {
    const o = value as { dataSync?: unknown; shape?: unknown };
    if (typeof o.dataSync === 'function' && Array.isArray(o.shape))
      return `a tf.Tensor of shape [${(o.shape as unknown[]).slice(0, 8).join(', ')}]`;
    if (value instanceof Map) return `a Map of ${value.size} entries`;
    const keys = Object.keys(value as object).map((k) =>
      k.length > 30 ? `${k.slice(0, 30)}…` : k,
    );
    return keys.length === 0
      ? '{}'
      : `an object with keys {${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}}`;
  }
  return String(value);
}

/** A short rendering of an array: at most a few elements and a few levels, never recursing deeply. */
function describeArray(a: readonly unknown[], depth: number): string {
  if (depth > 3) return a.length === 0 ? '[]' : '[…]';
  const parts: string[] = [];
  let len = 0;
  for (let i = 0; i < a.length && len < MAX_RENDER; i++) {
    const v = a[i];
    const text = Array.isArray(v)
      ? describeArray(v, depth + 1)
      : typeof v === 'number'
        ? Object.is(v, -0)
          ? '-0'
          : String(v)
        : typeof v === 'string'
          ? JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)
          : v === null
            ? 'null'
            : typeof v === 'object'
              ? '{…}'
              : String(v);
    parts.push(text);
    len += text.length + 1;
  }
  const more = parts.length < a.length ? `, … (${a.length} items)` : '';
  return `[${parts.join(',')}${more}]`;
}

/** Builds the standard message: `loss: argument 'x' must be <expected>. Received: <received>.` */
export function fail(
  code: LossErrorCode,
  loss: string | undefined,
  argument: string,
  expected: string,
  received: string,
  hint?: string,
): never {
  const where = loss ? `${loss}: ` : '';
  const message = `${where}${argument} must be ${expected}. Received: ${received}.${hint ? ` ${hint}` : ''}`;
  throw new LossError(code, message, { loss, argument, expected, received, hint });
}

/** Levenshtein distance, case-insensitive, for did-you-mean hints. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const m = s.length;
  const n = t.length;
  let prev = new Array<number>(n + 1);
  let cur = new Array<number>(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = s.charCodeAt(i - 1) === t.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[n];
}

/** The closest candidate to `name`, if it is close enough to be a plausible typo. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    const cl = c.toLowerCase();
    if (cl === lower) return c;
    let d = editDistance(name, c);
    // A candidate contained in the name (or vice versa) is a strong hint: 'softmaxCrossEntropy' → 'crossEntropy'.
    if (lower.includes(cl) || cl.includes(lower))
      d = Math.min(d, 1 + Math.abs(cl.length - lower.length) / 8);
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  return bestDist <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}
