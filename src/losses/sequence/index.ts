/** Catalog section 7: sequence and NLP losses (and the sentence BLEU metric). */
import { perplexity, sequenceCrossEntropy } from './sequenceCrossEntropy.js';

export { sequenceCrossEntropy, perplexity };

export const sequenceEntries = [sequenceCrossEntropy] as const;
