/** Catalog section 7: sequence and NLP losses (and the sentence BLEU metric). */
import { ctc } from './ctc.js';
import { minimumRisk } from './minimumRisk.js';
import { policyGradient } from './policyGradient.js';
import { perplexity, sequenceCrossEntropy } from './sequenceCrossEntropy.js';

export { ctc, sequenceCrossEntropy, perplexity, policyGradient, minimumRisk };

export const sequenceEntries = [ctc, sequenceCrossEntropy, policyGradient, minimumRisk] as const;
