/** Catalog section 3: segmentation losses, in catalog order. */
import type { RegistryEntry } from '../../core/define.js';
import { dice } from './dice.js';
import { diceCrossEntropy } from './diceCrossEntropy.js';
import { diceFocal } from './diceFocal.js';
import { focalTversky } from './focalTversky.js';
import { generalizedDice } from './generalizedDice.js';
import { jaccard } from './jaccard.js';
import { lovaszHinge } from './lovaszHinge.js';
import { lovaszSoftmax } from './lovaszSoftmax.js';
import { mcc } from './mcc.js';
import { tversky } from './tversky.js';

export {
  dice,
  jaccard,
  tversky,
  focalTversky,
  generalizedDice,
  lovaszHinge,
  lovaszSoftmax,
  diceCrossEntropy,
  diceFocal,
  mcc,
};

export const segmentationEntries: readonly RegistryEntry[] = [
  dice,
  jaccard,
  tversky,
  focalTversky,
  generalizedDice,
  lovaszHinge,
  lovaszSoftmax,
  diceCrossEntropy,
  diceFocal,
  mcc,
];
