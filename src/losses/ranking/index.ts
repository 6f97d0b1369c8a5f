/** Catalog section 5: ranking and metric-learning losses. */
import type { RegistryEntry } from '../../core/define.js';
import { contrastive } from './contrastive.js';
import { approxNdcg } from './approxNdcg.js';
import { cosineEmbedding } from './cosineEmbedding.js';
import { hingeEmbedding } from './hingeEmbedding.js';
import { infoNce } from './infoNce.js';
import { lambdaLoss } from './lambdaLoss.js';
import { listMle } from './listMle.js';
import { listNet } from './listNet.js';
import { marginRanking } from './marginRanking.js';
import { ntXent, ntXentKernel, prepareNtXent } from './ntXent.js';
import { rankNet } from './rankNet.js';
import { tripletMargin } from './tripletMargin.js';

export {
  marginRanking,
  tripletMargin,
  contrastive,
  cosineEmbedding,
  hingeEmbedding,
  infoNce,
  ntXent,
  listNet,
  listMle,
  approxNdcg,
  lambdaLoss,
  rankNet,
};
/** The NT-Xent plan builder and kernel, for entries computing the same function (graphContrastive). */
export { prepareNtXent, ntXentKernel };
export type { NtXentPlan } from './ntXent.js';

export const rankingEntries: readonly RegistryEntry[] = [
  marginRanking,
  tripletMargin,
  contrastive,
  cosineEmbedding,
  hingeEmbedding,
  infoNce,
  ntXent,
  listNet,
  listMle,
  approxNdcg,
  lambdaLoss,
  rankNet,
];
