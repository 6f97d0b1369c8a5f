/**
 * Catalog section 8: graph losses (graphContrastive, which reuses ntXent of section 5, is registered
 * separately), and the seeded negativeSampling helper.
 */
import { gaeDense } from './gaeDense.js';
import { gaeReconstruction } from './gaeReconstruction.js';
import { negativeSampling } from './negativeSampling.js';
import { vgaeKl } from './vgaeKl.js';

export type { NegativeSamplingOptions } from './negativeSampling.js';
export { gaeReconstruction, gaeDense, vgaeKl, negativeSampling };

export const graphEntries = [gaeReconstruction, gaeDense, vgaeKl] as const;
