/** Catalog section 1: regression losses. */
import { gaussianNll } from './gaussianNll.js';
import { huber } from './huber.js';
import { l1 } from './l1.js';
import { logCosh } from './logCosh.js';
import { mape } from './mape.js';
import { mse } from './mse.js';
import { msle } from './msle.js';
import { poissonNll } from './poissonNll.js';
import { rmse } from './rmse.js';
import { smoothL1 } from './smoothL1.js';

export { mse, l1, rmse, huber, smoothL1, logCosh, msle, mape, poissonNll, gaussianNll };

export const regressionEntries = [
  mse,
  l1,
  rmse,
  huber,
  smoothL1,
  logCosh,
  msle,
  mape,
  poissonNll,
  gaussianNll,
] as const;
