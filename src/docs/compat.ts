/**
 * docs/generated/COMPAT.md: every registered entry against the libraries people port losses from.
 *
 * Two sources, kept apart in the output:
 * - the entry's own metadata (`references[].implementation`): the implementation losskit matches and
 *   tests against committed golden fixtures. Each implementation string is assigned to a library
 *   column by its prefix (`torch.nn.functional.` → PyTorch, `keras.` → Keras, ...); strings of other
 *   libraries (allRank, torchmetrics, scikit-learn, TF-GAN, PyG, mmdet, official paper code) go to the
 *   "Other (matched)" column. An entry added later appears with these cells without any change here.
 * - a curated table (KNOWN below) of the same function in the other libraries, with the difference
 *   when there is one, transcribed from the peer survey (../shared/reference/peers.md §3, §15 and
 *   the per-library sections, which read PyTorch 1.13, Keras 3, TF.js 4.22, torchvision 0.14, smp
 *   and MONAI code). These cells are read from code, not executed against losskit.
 */
import type { EntryMeta } from '../core/define.js';

export type LibraryKey = 'torch' | 'keras' | 'tfjs' | 'torchvision' | 'smp' | 'monai';

export interface Library {
  key: LibraryKey;
  name: string;
  /** Decides whether a metadata implementation string belongs to this library. */
  matches(implementation: string): boolean;
}

export const LIBRARIES: readonly Library[] = [
  {
    key: 'torch',
    name: 'PyTorch',
    matches: (s) => /(^|[^.\w])torch\.(nn|special)\./.test(s) && !s.startsWith('torchvision'),
  },
  { key: 'keras', name: 'Keras 3', matches: (s) => /^(tf\.)?keras\./.test(s) },
  { key: 'tfjs', name: 'TF.js', matches: (s) => /^tf\.(losses|metrics)\.|tfjs/.test(s) },
  { key: 'torchvision', name: 'torchvision', matches: (s) => s.startsWith('torchvision.') },
  {
    key: 'smp',
    name: 'smp',
    matches: (s) => /^(segmentation_models_pytorch|smp)\./.test(s),
  },
  { key: 'monai', name: 'MONAI', matches: (s) => s.startsWith('monai.') },
];

export interface KnownCell {
  /** The API in that library. */
  api: string;
  /** 'same': same values for what both accept; 'differs': see note; 'unchecked': exists, not compared. */
  status: 'same' | 'differs' | 'unchecked';
  note?: string;
}

type Known = Partial<Record<LibraryKey, KnownCell>>;

const same = (api: string, note?: string): KnownCell => ({ api, status: 'same', note });
const differs = (api: string, note: string): KnownCell => ({ api, status: 'differs', note });
const unchecked = (api: string): KnownCell => ({ api, status: 'unchecked' });

const KERAS_MEAN_NOTE = 'averages the last axis first (same value for the mean)';
const TFJS_ORDER_NOTE = 'labels first; default SUM_BY_NONZERO_WEIGHTS = mean without weights';

/** Counterparts in libraries an entry's metadata does not reference (peers.md, read from code). */
export const KNOWN: ReadonlyMap<string, Known> = new Map<string, Known>([
  // Regression
  [
    'mse',
    {
      keras: same('keras.losses.MeanSquaredError', KERAS_MEAN_NOTE),
      tfjs: same('tf.losses.meanSquaredError', TFJS_ORDER_NOTE),
    },
  ],
  [
    'l1',
    {
      keras: same('keras.losses.MeanAbsoluteError', KERAS_MEAN_NOTE),
      tfjs: same('tf.losses.absoluteDifference', TFJS_ORDER_NOTE),
    },
  ],
  [
    'rmse',
    {
      keras: differs(
        'keras.metrics.RootMeanSquaredError',
        'a streaming metric: no eps, no gradient',
      ),
    },
  ],
  [
    'huber',
    {
      keras: same('keras.losses.Huber', KERAS_MEAN_NOTE),
      tfjs: same('tf.losses.huberLoss', TFJS_ORDER_NOTE),
    },
  ],
  ['logCosh', { tfjs: same('tfjs-layers logcosh', 'mean over the last axis') }],
  ['msle', { tfjs: same('tfjs-layers meanSquaredLogarithmicError', 'mean over the last axis') }],
  ['mape', { tfjs: same('tfjs-layers meanAbsolutePercentageError', 'mean over the last axis') }],
  [
    'poissonNll',
    {
      keras: differs(
        'keras.losses.Poisson',
        'takes the rate (not its log): y_pred − y·log(y_pred + 1e-7)',
      ),
      tfjs: differs('tfjs-layers poisson', 'as Keras: rate input, eps inside the log'),
    },
  ],
  // Classification
  [
    'bce',
    {
      keras: differs(
        'keras.losses.BinaryCrossentropy',
        'clips p to [1e-7, 1 − 1e-7] instead of clamping the log at −100',
      ),
      tfjs: differs('tf.losses.logLoss', 'adds epsilon 1e-7 inside both logs'),
    },
  ],
  [
    'bceWithLogits',
    {
      keras: differs(
        'keras.losses.BinaryCrossentropy(from_logits=True)',
        'no posWeight or element weight tensor',
      ),
      tfjs: differs('tf.losses.sigmoidCrossEntropy', 'no posWeight; labels first'),
    },
  ],
  [
    'weightedBce',
    {
      torch: differs(
        'F.binary_cross_entropy_with_logits(pos_weight=)',
        'posWeight only: no negWeight, no balanced mode',
      ),
    },
  ],
  [
    'crossEntropy',
    {
      keras: differs(
        'keras.losses.SparseCategoricalCrossentropy(from_logits=True)',
        'no class weight; ignore_class instead of ignoreIndex; class axis last',
      ),
      tfjs: differs(
        'tf.losses.softmaxCrossEntropy',
        'one-hot labels over the last axis only; no class weight or ignoreIndex',
      ),
    },
  ],
  [
    'categoricalCrossentropy',
    {
      torch: differs(
        'F.cross_entropy (probability targets)',
        'takes logits; no renormalising or clipping of probabilities',
      ),
      tfjs: same('tfjs-layers categoricalCrossentropy', 'no label smoothing option'),
    },
  ],
  [
    'sparseCategoricalCrossentropy',
    {
      torch: differs(
        'F.cross_entropy(ignore_index=)',
        'takes logits, class axis 1, mean over non-ignored targets',
      ),
      tfjs: differs(
        'tfjs-layers sparseCategoricalCrossentropy',
        'clips the output to [1e-7, 1 − 1e-7] even from logits; no ignoreClass',
      ),
    },
  ],
  [
    'klDiv',
    {
      keras: differs(
        'keras.losses.KLDivergence',
        'probabilities (not log-probabilities), clipped, summed over the last axis',
      ),
      tfjs: differs('tfjs-layers kullbackLeiblerDivergence', 'as Keras'),
    },
  ],
  [
    'sigmoidFocal',
    {
      keras: differs(
        'keras.losses.BinaryFocalCrossentropy',
        'alpha only with apply_class_balancing=True; probabilities unless from_logits',
      ),
      smp: differs('smp.losses.FocalLoss("binary")', 'alpha defaults to None (no weighting)'),
      monai: differs('monai.losses.FocalLoss', 'alpha off by default; per-class weight option'),
    },
  ],
  [
    'softmaxFocal',
    {
      keras: differs(
        'keras.losses.CategoricalFocalCrossentropy',
        'one-hot targets, probabilities, alpha=0.25 by default',
      ),
      monai: differs(
        'monai.losses.FocalLoss(use_softmax=True)',
        'one-hot targets, MONAI reductions',
      ),
    },
  ],
  [
    'hinge',
    {
      tfjs: differs(
        'tf.losses.hingeLoss',
        'always maps labels 2y − 1 (tfjs-layers hinge never does)',
      ),
    },
  ],
  ['squaredHinge', { tfjs: differs('tfjs-layers squaredHinge', 'never maps 0/1 labels to ±1') }],
  ['categoricalHinge', { tfjs: same('tfjs-layers categoricalHinge') }],
  // Segmentation
  [
    'dice',
    {
      keras: differs(
        'keras.losses.Dice',
        'one score over the whole batch, no mode, classes or smoothing options',
      ),
      monai: differs(
        'monai.losses.DiceLoss',
        'per sample and class by default, smooth_nr = smooth_dr = 1e-5',
      ),
    },
  ],
  ['jaccard', { monai: differs('monai.losses.DiceLoss(jaccard=True)', 'as MONAI DiceLoss') }],
  [
    'tversky',
    {
      keras: differs('keras.losses.Tversky', 'one score over the batch; alpha, beta only'),
      monai: differs(
        'monai.losses.TverskyLoss',
        'per sample and class by default, MONAI smoothing',
      ),
    },
  ],
  [
    'focalTversky',
    {
      smp: differs(
        'smp.losses.TverskyLoss(gamma=)',
        'gamma applied to the class-mean loss, not per class',
      ),
      monai: unchecked('monai.losses.TverskyLoss + focal exponent (unified focal losses)'),
    },
  ],
  ['lovaszHinge', { smp: same('smp.losses.LovaszLoss("binary")', 'a port of the official code') }],
  [
    'lovaszSoftmax',
    { smp: same('smp.losses.LovaszLoss("multiclass")', 'a port of the official code') },
  ],
  [
    'diceCrossEntropy',
    { monai: differs('monai.losses.DiceCELoss', 'MONAI DiceLoss defaults in the dice term') },
  ],
  [
    'diceFocal',
    { monai: differs('monai.losses.DiceFocalLoss', 'MONAI DiceLoss and FocalLoss defaults') },
  ],
  // Boxes
  ['giou', { monai: unchecked('monai.losses.GIoULoss') }],
  // Ranking and metric learning
  ['ntXent', { monai: unchecked('monai.losses.ContrastiveLoss') }],
  [
    'contrastive',
    {
      torch: differs(
        'F.cosine_embedding_loss',
        'cosine, not Euclidean distance; hinge not squared',
      ),
    },
  ],
  // Sequence
  [
    'ctc',
    {
      keras: unchecked('keras.losses.CTC'),
    },
  ],
  [
    'sequenceCrossEntropy',
    {
      torch: differs(
        'F.cross_entropy(ignore_index=, label_smoothing=)',
        "equals 'tokenMean' with uniform smoothing; no fairseq smoothing or sentence mean",
      ),
    },
  ],
  // Metrics
  [
    'confusionMatrix',
    {
      tfjs: differs(
        'tf.math.confusionMatrix',
        'integer labels only: no threshold, argmax or normalize',
      ),
    },
  ],
  [
    'precision',
    {
      keras: differs('keras.metrics.Precision', 'binary thresholds, micro only, streaming'),
      tfjs: differs('tf.metrics.precision', 'binary only'),
    },
  ],
  [
    'recall',
    {
      keras: differs('keras.metrics.Recall', 'binary thresholds, micro only, streaming'),
      tfjs: differs('tf.metrics.recall', 'binary only'),
    },
  ],
  [
    'f1Score',
    {
      keras: differs(
        'keras.metrics.F1Score',
        'adds eps to the denominators instead of zeroDivision',
      ),
    },
  ],
  [
    'fbetaScore',
    {
      keras: differs(
        'keras.metrics.FBetaScore',
        'adds eps to the denominators instead of zeroDivision',
      ),
    },
  ],
  [
    'accuracy',
    {
      keras: unchecked('keras.metrics.Accuracy / BinaryAccuracy / CategoricalAccuracy'),
      tfjs: unchecked('tf.metrics.binaryAccuracy / categoricalAccuracy'),
    },
  ],
  [
    'iouScore',
    {
      keras: differs(
        'keras.metrics.IoU / MeanIoU',
        'classes with an empty denominator are left out of the mean',
      ),
    },
  ],
  [
    'klDivergence',
    { keras: differs('keras.metrics.KLDivergence', 'clips both distributions to [1e-7, 1]') },
  ],
]);

function code(s: string): string {
  return `\`${s.replace(/`/g, "'")}\``;
}

function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function renderKnown(k: KnownCell): string {
  const mark = k.status === 'same' ? '=' : k.status === 'differs' ? '≠' : '~';
  const tail = k.status === 'unchecked' ? ' (not compared)' : k.note ? `: ${k.note}` : '';
  return `${mark} ${code(k.api)}${tail}`;
}

/** One entry's cells: matched implementations from metadata first, curated counterparts second. */
export function compatRow(meta: EntryMeta): { cells: Map<LibraryKey, string>; other: string[] } {
  const cells = new Map<LibraryKey, string>();
  const other: string[] = [];
  for (const r of meta.references) {
    const impl = r.implementation;
    if (impl === undefined) continue;
    const lib = LIBRARIES.find((l) => l.matches(impl));
    if (lib === undefined) {
      if (!other.includes(impl)) other.push(impl);
      continue;
    }
    const text = `✓ ${code(impl)}`;
    const prev = cells.get(lib.key);
    cells.set(lib.key, prev === undefined ? text : `${prev}<br>${text}`);
  }
  const known = KNOWN.get(meta.id);
  if (known !== undefined) {
    for (const lib of LIBRARIES) {
      const k = Object.hasOwn(known, lib.key) ? known[lib.key] : undefined;
      if (k !== undefined && !cells.has(lib.key)) cells.set(lib.key, renderKnown(k));
    }
  }
  return { cells, other };
}

/** The COMPAT.md page. */
export function renderCompat(metas: readonly EntryMeta[], header: string): string {
  const head = ['Task', 'Entry', ...LIBRARIES.map((l) => l.name), 'Other (matched)'];
  const lines = [
    header,
    '',
    '# Compatibility: losskit entries against other libraries',
    '',
    `${metas.length} entries. How to read a cell:`,
    '',
    '- **✓ `api`**: the implementation this entry matches, from its metadata; its values and gradients',
    '  are tested against golden fixtures produced by that implementation (or a transcription of it',
    '  in PyTorch where the library is not installable, as the generator says).',
    '- **= `api`**: the same function exists there and gives the same values for what both accept.',
    '- **≠ `api`: difference**: a function of that name exists but computes something else in the way',
    '  stated (defaults, clipping, label conventions, reductions).',
    '- **~ `api` (not compared)**: a counterpart exists; its semantics were not compared.',
    '- **—**: no named function for this in that library (per the peer survey of PyTorch 1.13, Keras 3,',
    '  TF.js 4.22, torchvision 0.14, segmentation_models_pytorch and MONAI).',
    '',
    'The ✓ cells and the "Other" column come from each entry\'s `references`; the =, ≠ and ~ cells are',
    "read from those libraries' code (src/docs/compat.ts cites the survey) and are not executed here.",
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
  ];
  for (const m of metas) {
    const { cells, other } = compatRow(m);
    const row = [
      m.task,
      `[${code(m.id)}](${m.id}.md)`,
      ...LIBRARIES.map((l) => cells.get(l.key) ?? '—'),
      other.length > 0 ? other.map((o) => `✓ ${code(o)}`).join('<br>') : '—',
    ];
    lines.push(`| ${row.map(cell).join(' | ')} |`);
  }
  lines.push('', '[All entries](README.md)', '');
  return lines.join('\n');
}
