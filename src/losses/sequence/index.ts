/** Catalog section 7: sequence and NLP losses (and the sentence BLEU metric). */
import { minimumRisk } from './minimumRisk.js';
import { policyGradient } from './policyGradient.js';
import { perplexity, sequenceCrossEntropy } from './sequenceCrossEntropy.js';

export { sequenceCrossEntropy, perplexity, policyGradient, minimumRisk };

export const sequenceEntries = [sequenceCrossEntropy, policyGradient, minimumRisk] as const;
