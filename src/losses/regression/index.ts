/** Catalog section 1: regression losses. */
import { mse } from './mse.js';

export { mse };

export const regressionEntries = [mse] as const;
