/** Catalog section 6: generative (GAN and VAE) losses. */
import type { RegistryEntry } from '../../core/define.js';
import { ganDiscriminator } from './ganDiscriminator.js';
import { ganGenerator } from './ganGenerator.js';
import { gradientPenalty } from './gradientPenalty.js';
import { hingeGanDiscriminator } from './hingeGanDiscriminator.js';
import { hingeGanGenerator } from './hingeGanGenerator.js';
import { lsganDiscriminator } from './lsganDiscriminator.js';
import { lsganGenerator } from './lsganGenerator.js';
import { vaeKl } from './vaeKl.js';
import { wganCritic } from './wganCritic.js';
import { wganGenerator } from './wganGenerator.js';

export {
  lsganDiscriminator,
  lsganGenerator,
  wganCritic,
  wganGenerator,
  gradientPenalty,
  ganDiscriminator,
  ganGenerator,
  hingeGanDiscriminator,
  hingeGanGenerator,
  vaeKl,
};

export const generativeEntries: readonly RegistryEntry[] = [
  lsganDiscriminator,
  lsganGenerator,
  wganCritic,
  wganGenerator,
  gradientPenalty,
  ganDiscriminator,
  ganGenerator,
  hingeGanDiscriminator,
  hingeGanGenerator,
  vaeKl,
];
