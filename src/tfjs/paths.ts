/**
 * Which entries run on the device and which bridge to the CPU kernels: the map the docs and the
 * README quote. The core knows nothing of it (nothing in src/core or src/losses imports tfjs).
 */
import { getEntry } from '../registry.js';
import { NATIVE } from './native.js';

/** Why an entry (or a whole family) goes through the CPU bridge. */
const BRIDGE_REASONS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    lovaszHinge: 'sorts the errors per image (Lovász extension)',
    lovaszSoftmax: 'sorts the errors per class (Lovász extension)',
    ctc: 'dynamic programming over the alignment lattice',
    crf: 'forward algorithm (dynamic programming over tags)',
    listNet: 'listwise ranking over padded slates',
    listMle: 'sorts each slate by relevance',
    approxNdcg: 'listwise ranking over padded slates',
    lambdaLoss: 'sorts each slate by score',
    rankNet: 'pairwise ranking over padded slates',
    repulsion: 'picks the highest-IoU other ground truth per box (a data-dependent argmax)',
    sequenceCrossEntropy: 'not ported to tfjs ops yet',
  }),
);

/** Families whose entries all bridge until they get device implementations. */
const FAMILY_REASON = 'not ported to tfjs ops yet (bridged to the exact CPU kernel)';

export type TfPath =
  | { readonly path: 'native'; readonly note: string }
  | { readonly path: 'bridge'; readonly reason: string };

/**
 * How `evaluateTf` computes an entry: 'native' (tfjs ops with closed-form gradients, on the device;
 * calls with options or shapes the device code does not cover still bridge) or 'bridge' (the input
 * tensors are read with `dataSync()`, which blocks until a GPU backend has finished and copies the
 * data to the CPU, the core kernel computes value and gradient in float64, and the results are
 * uploaded as tensors).
 */
export function tfPath(idOrAlias: string): TfPath {
  const id = getEntry(idOrAlias).meta.id; // E_UNKNOWN_LOSS with a did-you-mean for unknown ids
  if (NATIVE.has(id)) {
    return {
      path: 'native',
      note: `tfjs ops on the device; options outside [${NATIVE.get(id)!.handles.join(', ')}] or unusual shapes bridge`,
    };
  }
  return { path: 'bridge', reason: BRIDGE_REASONS.get(id) ?? FAMILY_REASON };
}

/** The ids that have a device implementation. */
export function nativeIds(): string[] {
  return [...NATIVE.keys()];
}
