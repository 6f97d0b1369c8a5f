/** Catalog section 2: classification losses. */

// --- sigmoid / binary family: bce, bceWithLogits, weightedBce, sigmoidFocal, poly1Focal, hinge,
// --- squaredHinge, softMargin, multilabelSoftMargin
export const binaryEntries = [] as const;
// --- end of sigmoid / binary family

// --- softmax / multiclass family: crossEntropy, nll, categoricalCrossentropy,
// --- sparseCategoricalCrossentropy, klDiv, softmaxFocal, poly1, categoricalHinge, multiMargin,
// --- multilabelMargin
export const multiclassEntries = [] as const;
// --- end of softmax / multiclass family

export const classificationEntries = [...binaryEntries, ...multiclassEntries] as const;
