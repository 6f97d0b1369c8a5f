/** Catalog section 2: classification losses. */

// --- sigmoid / binary family: bce, bceWithLogits, weightedBce, sigmoidFocal, poly1Focal, hinge,
// --- squaredHinge, softMargin, multilabelSoftMargin
import { bce } from './bce.js';
import { bceWithLogits } from './bceWithLogits.js';
import { hinge } from './hinge.js';
import { multilabelSoftMargin } from './multilabelSoftMargin.js';
import { poly1Focal } from './poly1Focal.js';
import { sigmoidFocal } from './sigmoidFocal.js';
import { softMargin } from './softMargin.js';
import { squaredHinge } from './squaredHinge.js';
import { weightedBce } from './weightedBce.js';

export {
  bce,
  bceWithLogits,
  weightedBce,
  sigmoidFocal,
  poly1Focal,
  hinge,
  squaredHinge,
  softMargin,
  multilabelSoftMargin,
};

export const binaryEntries = [
  bce,
  bceWithLogits,
  weightedBce,
  sigmoidFocal,
  poly1Focal,
  hinge,
  squaredHinge,
  softMargin,
  multilabelSoftMargin,
] as const;
// --- end of sigmoid / binary family

// --- softmax / multiclass family: crossEntropy, nll, categoricalCrossentropy,
// --- sparseCategoricalCrossentropy, klDiv, softmaxFocal, poly1, categoricalHinge, multiMargin,
// --- multilabelMargin
import { categoricalCrossentropy } from './categoricalCrossentropy.js';
import { categoricalHinge } from './categoricalHinge.js';
import { crossEntropy } from './crossEntropy.js';
import { klDiv } from './klDiv.js';
import { multilabelMargin } from './multilabelMargin.js';
import { multiMargin } from './multiMargin.js';
import { nll } from './nll.js';
import { poly1 } from './poly1.js';
import { softmaxFocal } from './softmaxFocal.js';
import { sparseCategoricalCrossentropy } from './sparseCategoricalCrossentropy.js';

export {
  crossEntropy,
  nll,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
  klDiv,
  softmaxFocal,
  poly1,
  categoricalHinge,
  multiMargin,
  multilabelMargin,
};

export const multiclassEntries = [
  crossEntropy,
  nll,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
  klDiv,
  softmaxFocal,
  poly1,
  categoricalHinge,
  multiMargin,
  multilabelMargin,
] as const;
// --- end of softmax / multiclass family

export const classificationEntries = [...binaryEntries, ...multiclassEntries] as const;
