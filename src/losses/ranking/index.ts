/** Catalog section 5: ranking and metric-learning losses. */
import { contrastive } from './contrastive.js';
import { cosineEmbedding } from './cosineEmbedding.js';
import { hingeEmbedding } from './hingeEmbedding.js';
import { infoNce } from './infoNce.js';
import { marginRanking } from './marginRanking.js';
import { ntXent, ntXentKernel, prepareNtXent } from './ntXent.js';
import { tripletMargin } from './tripletMargin.js';

export {
  marginRanking,
  tripletMargin,
  contrastive,
  cosineEmbedding,
  hingeEmbedding,
  infoNce,
  ntXent,
};
/** The NT-Xent plan builder and kernel, for entries computing the same function (graphContrastive). */
export { prepareNtXent, ntXentKernel };
export type { NtXentPlan } from './ntXent.js';

export const rankingEntries = [
  marginRanking,
  tripletMargin,
  contrastive,
  cosineEmbedding,
  hingeEmbedding,
  infoNce,
  ntXent,
] as const;
