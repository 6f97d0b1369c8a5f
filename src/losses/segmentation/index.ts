/** Catalog section 3: segmentation losses. */
import { dice } from './dice.js';
import { focalTversky } from './focalTversky.js';
import { generalizedDice } from './generalizedDice.js';
import { jaccard } from './jaccard.js';
import { mcc } from './mcc.js';
import { tversky } from './tversky.js';

export { dice, jaccard, tversky, focalTversky, generalizedDice, mcc };

export const segmentationEntries = [
  dice,
  jaccard,
  tversky,
  focalTversky,
  generalizedDice,
  mcc,
] as const;
