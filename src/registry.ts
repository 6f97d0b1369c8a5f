/**
 * The registry: an explicit list of every entry, aliases, `list()` and `evaluate()`.
 * This is the contract the catalog describes and the external conformance suite calls.
 */
import type { EntryMeta, EvalExtras, EvalResult, RegistryEntry } from './core/define.js';
import { closest, describe, LossError } from './core/errors.js';
import { boxesEntries } from './losses/boxes/index.js';
import { classificationEntries } from './losses/classification/index.js';
import { generativeEntries } from './losses/generative/index.js';
import { graphEntries } from './losses/graph/index.js';
import { rankingEntries } from './losses/ranking/index.js';
import { regressionEntries } from './losses/regression/index.js';
import { segmentationEntries } from './losses/segmentation/index.js';
import { sequenceEntries } from './losses/sequence/index.js';
import { metricEntries } from './metrics/index.js';

const ENTRIES: readonly RegistryEntry[] = [
  ...regressionEntries,
  ...classificationEntries,
  ...segmentationEntries,
  ...boxesEntries,
  ...rankingEntries,
  ...generativeEntries,
  ...sequenceEntries,
  ...graphEntries,
  ...metricEntries,
];

/** Names people reach for that are spelled differently here. */
const COMMON_SYNONYMS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    softmaxCrossEntropy: 'crossEntropy',
    categoricalCrossEntropy: 'categoricalCrossentropy',
    binaryCrossEntropy: 'bce',
    binaryCrossentropy: 'bce',
    sigmoidCrossEntropy: 'bceWithLogits',
    meanSquaredError: 'mse',
    meanAbsoluteError: 'l1',
    focal: 'sigmoidFocal',
    focalLoss: 'sigmoidFocal',
    kld: 'klDiv',
    kullbackLeibler: 'klDiv',
    huberLoss: 'huber',
  }),
);

const byId = new Map<string, RegistryEntry>();
const aliasOf = new Map<string, string>();
for (const e of ENTRIES) {
  if (byId.has(e.meta.id)) throw new Error(`losskit: duplicate registry id '${e.meta.id}'`);
  byId.set(e.meta.id, e);
  for (const a of e.meta.aliases ?? []) aliasOf.set(a, e.meta.id);
}

/** Resolves an id or alias to its entry; throws E_UNKNOWN_LOSS with a did-you-mean hint. */
export function getEntry(id: string): RegistryEntry {
  if (typeof id !== 'string') {
    throw new LossError('E_UNKNOWN_LOSS', `Loss id must be a string. Received: ${describe(id)}.`, {
      argument: 'id',
      expected: 'a string id from list()',
      received: describe(id),
    });
  }
  const entry = byId.get(id) ?? byId.get(aliasOf.get(id) ?? '');
  if (entry) return entry;
  const known = [...byId.keys(), ...aliasOf.keys()];
  const synonym = COMMON_SYNONYMS.get(id);
  const suggestion =
    (synonym !== undefined && byId.has(synonym) ? synonym : undefined) ?? closest(id, known);
  const hint = suggestion ? ` Did you mean '${aliasOf.get(suggestion) ?? suggestion}'?` : '';
  throw new LossError('E_UNKNOWN_LOSS', `Unknown loss '${id}'.${hint} See list() for every id.`, {
    argument: 'id',
    expected: 'an id from list()',
    received: id,
    hint,
  });
}

/** Every entry's metadata, in catalog order. */
export function list(): EntryMeta[] {
  return ENTRIES.map((e) => e.meta);
}

/** Every registered id (without aliases). */
export function ids(): string[] {
  return ENTRIES.map((e) => e.meta.id);
}

/** Alias → id. */
export function aliases(): Record<string, string> {
  return Object.fromEntries(aliasOf);
}

export interface EvaluateOptions extends EvalExtras {
  /** Also return gradients with respect to every differentiable input. */
  grad?: boolean;
}

/**
 * Evaluates any entry by id with inputs by name:
 * `evaluate('huber', { input, target }, { delta: 0.5 }, { grad: true })` → `{ value, grads }`.
 */
export function evaluate(
  id: string,
  inputs: Readonly<Record<string, unknown>>,
  options?: Readonly<Record<string, unknown>> | null,
  evalOptions?: EvaluateOptions | null,
): EvalResult {
  const entry = getEntry(id);
  if (evalOptions !== undefined && evalOptions !== null && typeof evalOptions !== 'object') {
    throw new LossError(
      'E_INPUT',
      `${entry.meta.id}: the fourth argument of evaluate must be an object such as { grad: true }. Received: ${describe(evalOptions)}.`,
      { loss: entry.meta.id, argument: 'evalOptions', received: describe(evalOptions) },
    );
  }
  const extras: EvaluateOptions = evalOptions ?? {};
  if (inputs === null || typeof inputs !== 'object' || Array.isArray(inputs)) {
    throw new LossError(
      'E_INPUT',
      `${entry.meta.id}: inputs must be an object of named tensors (${entry.meta.inputs
        .map((s) => `'${s.name}'`)
        .join(', ')}). Received: ${describe(inputs)}.`,
      { loss: entry.meta.id, argument: 'inputs', received: describe(inputs) },
    );
  }
  return entry.evaluateNamed(inputs, options ?? undefined, extras.grad === true, {
    upstream: extras.upstream,
    into: extras.into,
  });
}
