/** Catalog section 3: segmentation losses. */
import { dice } from './dice.js';
import { jaccard } from './jaccard.js';
import { tversky } from './tversky.js';

export { dice, jaccard, tversky };

export const segmentationEntries = [dice, jaccard, tversky] as const;
