/** Catalog section 7: sequence and NLP losses (and the sentence BLEU metric). */
import type { RegistryEntry } from '../../core/define.js';
import { crf, viterbiDecode } from './crf.js';
import type { ViterbiInputs } from './crf.js';
import { ctc } from './ctc.js';
import { minimumRisk } from './minimumRisk.js';
import { policyGradient } from './policyGradient.js';
import { sentenceBleu } from './sentenceBleu.js';
import { perplexity, sequenceCrossEntropy } from './sequenceCrossEntropy.js';

export type { ViterbiInputs };
export {
  ctc,
  crf,
  viterbiDecode,
  sequenceCrossEntropy,
  perplexity,
  policyGradient,
  minimumRisk,
  sentenceBleu,
};

export const sequenceEntries: readonly RegistryEntry[] = [
  ctc,
  crf,
  sequenceCrossEntropy,
  policyGradient,
  minimumRisk,
  sentenceBleu,
];
