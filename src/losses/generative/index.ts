/** Catalog section 6: generative (GAN and VAE) losses. */
import { lsganDiscriminator } from './lsganDiscriminator.js';
import { lsganGenerator } from './lsganGenerator.js';

export { lsganDiscriminator, lsganGenerator };

export const generativeEntries = [lsganDiscriminator, lsganGenerator] as const;
