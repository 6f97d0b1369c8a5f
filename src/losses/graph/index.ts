/**
 * Catalog section 8: graph losses (graphContrastive shares ntXent's plan and kernel), and the seeded
 * negativeSampling helper.
 */
import type { RegistryEntry } from '../../core/define.js';
import { gaeDense } from './gaeDense.js';
import { gaeReconstruction } from './gaeReconstruction.js';
import { graphContrastive } from './graphContrastive.js';
import { negativeSampling } from './negativeSampling.js';
import { vgaeKl } from './vgaeKl.js';

export type { NegativeSamplingOptions } from './negativeSampling.js';
export { gaeReconstruction, gaeDense, vgaeKl, graphContrastive, negativeSampling };

export const graphEntries: readonly RegistryEntry[] = [
  gaeReconstruction,
  gaeDense,
  vgaeKl,
  graphContrastive,
];
