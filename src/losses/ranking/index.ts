/** Catalog section 5: ranking and metric-learning losses. */
import { contrastive } from './contrastive.js';
import { cosineEmbedding } from './cosineEmbedding.js';
import { hingeEmbedding } from './hingeEmbedding.js';
import { marginRanking } from './marginRanking.js';
import { tripletMargin } from './tripletMargin.js';

export { marginRanking, tripletMargin, contrastive, cosineEmbedding, hingeEmbedding };

export const rankingEntries = [
  marginRanking,
  tripletMargin,
  contrastive,
  cosineEmbedding,
  hingeEmbedding,
] as const;
