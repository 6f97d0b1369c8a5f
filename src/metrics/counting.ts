/**
 * `defineCountingMetric`: a counting metric is a defineMetric entry plus a streaming accumulator over
 * the same confusion-count state. The one-shot function is literally "new accumulator, one update,
 * compute", so batched, sharded and one-pass evaluation agree exactly.
 */
import type { EntryMeta, Example, InputSpec, MetricFunction, MetricValue } from '../core/define.js';
import { defineMetric } from '../core/define.js';
import { describe, fail } from '../core/errors.js';
import type { OptionSpecs, OptionsInput, ResolvedOptions } from '../core/options.js';
import { resolveOptions } from '../core/options.js';
import type { Tensor, TensorLike } from '../core/tensor.js';
import { toTensor } from '../core/tensor.js';
import type { ClassTask, ConfusionState, CountingConfig } from './confusion.js';
import { addCounts, CLASS_TASKS, countBatch, emptyState, layoutFromOptions } from './confusion.js';
import { AVERAGES } from './scores.js';

export const TASK_OPTION = {
  type: 'enum',
  values: CLASS_TASKS,
  default: null,
  doc: "'binary', 'multiclass' or 'multilabel'. null infers it: multiclass when the input has a class axis the target lacks or numClasses > 2, binary otherwise (multilabel is never inferred).",
} as const;

export const NUM_CLASSES_OPTION = {
  type: 'number',
  default: null,
  integer: true,
  min: 1,
  doc: 'Number of classes (multiclass) or labels (multilabel). null: 2 for binary, the size of the class axis of score inputs, the size of axis 1 for multilabel.',
} as const;

export const THRESHOLD_OPTION = {
  type: 'number',
  default: 0.5,
  doc: 'Float scores (binary, multilabel) count as positive when score > threshold. Scores are never passed through a sigmoid.',
} as const;

export const IGNORE_INDEX_OPTION = {
  type: 'number',
  default: null,
  integer: true,
  doc: 'Target value whose positions are removed; an in-range ignored class (multiclass) is also excluded from every average.',
} as const;

export const AVERAGE_OPTION = {
  type: 'enum',
  values: AVERAGES,
  default: 'macro',
  nullable: true,
  doc: "How per-class scores are combined (multiclass, multilabel): 'micro' (pooled counts), 'macro' (mean over classes, multiclass classes with tp+fp+fn = 0 dropped), 'weighted' (by support tp+fn), 'none' or null (per-class tensor). Ignored for binary.",
} as const;

export const ZERO_DIVISION_OPTION = {
  type: 'number',
  default: 0,
  allowInfinite: true,
  allowNaN: true,
  doc: 'Value of a ratio whose denominator is 0 (any number; NaN then propagates into the averages).',
} as const;

/** The options of precision, recall, f1Score, accuracy and specificity, in catalog order. */
export const SCORE_OPTIONS = {
  task: TASK_OPTION,
  numClasses: NUM_CLASSES_OPTION,
  average: AVERAGE_OPTION,
  threshold: THRESHOLD_OPTION,
  zeroDivision: ZERO_DIVISION_OPTION,
  ignoreIndex: IGNORE_INDEX_OPTION,
} as const;

/** The examples of precision, recall, f1Score, accuracy and specificity. */
export const SCORE_EXAMPLES: readonly Example[] = [
  {
    title: 'Binary scores cut at 0.5',
    inputs: { input: [0.9, 0.2, 0.7, 0.4, 0.8, 0.1], target: [1, 0, 0, 1, 1, 0] },
    options: { task: 'binary' },
  },
  {
    title: 'Three classes from class scores, macro average',
    inputs: {
      input: [
        [2.0, 0.5, 0.1],
        [0.2, 1.5, 0.3],
        [0.1, 0.4, 3.0],
        [1.0, 2.0, 0.0],
      ],
      target: [0, 1, 2, 0],
    },
    options: { task: 'multiclass', numClasses: 3, average: 'macro' },
  },
];

/** The examples of the mask overlap scores, iouScore and diceScore. */
export const MASK_EXAMPLES: readonly Example[] = [
  {
    title: 'A 2×3 binary mask against its ground truth',
    inputs: {
      input: [
        [0.9, 0.8, 0.1],
        [0.3, 0.7, 0.2],
      ],
      target: [
        [1, 1, 0],
        [1, 0, 0],
      ],
    },
    options: { task: 'binary' },
  },
  {
    title: 'A 3-class label map with an ignored void label 255',
    inputs: {
      input: [
        [0, 1, 1],
        [2, 2, 0],
      ],
      target: [
        [0, 1, 255],
        [2, 1, 0],
      ],
    },
    options: { task: 'multiclass', numClasses: 3, average: 'macro', ignoreIndex: 255 },
  },
];

/** Decisions shared by every counting metric (metadata notes). */
export const COUNTING_NOTES = [
  "Semantics of torchmetrics' functional classification API (binary_*, multiclass_*, multilabel_*), with the catalog's shared rules for section 9.",
  "task null infers 'multiclass' when the input has a class axis the target lacks or numClasses > 2, and 'binary' otherwise; 'multilabel' must be asked for. torchmetrics has no default task.",
  "Input reading: Int32Array data are labels; float data of the target's shape are scores cut at score > threshold for binary and multilabel (never sigmoided, unlike torchmetrics, which applies a sigmoid to scores outside [0, 1]) and integer labels for multiclass; an extra class axis 1, (N, C, ...), is reduced by argmax (first maximum on ties, as torch).",
  "Binary scores the positive label and ignores 'average' (torchmetrics binary_*); 'none' or null gives a per-class Float64Array for multiclass and multilabel.",
  "macro drops multiclass classes with tp + fp + fn = 0 (torchmetrics _adjust_weights_safe_divide); multilabel keeps every label; 'weighted' weighs by support tp + fn; an average with nothing to average (all weights 0) is 0, as torchmetrics.",
  "ignoreIndex removes the positions whose target equals it; for multiclass an in-range ignored class is also excluded from micro, macro and weighted (as torchmetrics jaccard_index does; torchmetrics' other multiclass metrics keep its false positives) but is still reported under average 'none'. For binary and multilabel, ignoreIndex only removes positions.",
  'A NaN score makes the value NaN (every element of a tensor value); it is not counted.',
  'Each counting metric has .accumulator(options) (and createAccumulator(id, options)) whose update/merge/compute give exactly the one-pass value: the state is integer confusion counts.',
  'Memory: multiclass metrics other than confusionMatrix keep O(C) counts (true, predicted and true-positive counts per class), so a vocabulary-sized numClasses (e.g. 50257) costs 3·C numbers; states are limited to 2^25 counters (numClasses up to 11,184,810; confusionMatrix up to 5,792) and a larger request throws E_RANGE before allocating.',
];

export const COUNTING_INPUTS = [
  {
    name: 'input',
    role: 'scoresOrLabels',
    shape: '(N, ...) labels or scores, or (N, C, ...) class scores',
    differentiable: false,
    kind: 'raw',
    doc: 'Predictions: labels (Int32Array, or integer values for multiclass), float scores cut at the threshold (binary, multilabel), or class scores with an extra class axis 1 (argmax).',
  },
  {
    name: 'target',
    role: 'classIndices',
    shape: '(N, ...)',
    differentiable: false,
    kind: 'raw',
    doc: 'True labels: class indices (multiclass) or 0/1 (binary, multilabel); ignoreIndex marks removed positions.',
  },
] as const satisfies readonly InputSpec[];

/** Counting options every counting metric has. */
interface CountingOptionValues {
  task: ClassTask | null;
  numClasses: number | null;
  threshold: number;
  ignoreIndex: number | null;
}

/** A streaming evaluator: update with batches, merge shards, compute the metric. */
export interface CountingAccumulator {
  /** Id of the metric this accumulator computes. */
  readonly id: string;
  /** The exact counts so far (null before the first update or merge). Read it, do not write it. */
  readonly state: ConfusionState | null;
  /** Counts one batch; a batch that fails validation leaves the state unchanged. */
  update(input: TensorLike, target: TensorLike): this;
  /** Adds another accumulator's counts (same layout, threshold and ignoreIndex). */
  merge(other: CountingAccumulator): this;
  /** The metric over everything counted so far (the accumulator keeps counting afterwards). */
  compute(): MetricValue;
}

type ComputeFromState<S extends OptionSpecs> = (
  state: ConfusionState,
  options: ResolvedOptions<S>,
) => MetricValue;

function configKey(c: CountingConfig): string {
  return `threshold=${c.threshold}, ignoreIndex=${String(c.ignoreIndex)}`;
}

class ConfusionAccumulator<S extends OptionSpecs> implements CountingAccumulator {
  private counts: ConfusionState | null = null;
  readonly config: CountingConfig;

  constructor(
    readonly id: string,
    private readonly options: ResolvedOptions<S>,
    private readonly fromState: ComputeFromState<S>,
    matrix: boolean,
  ) {
    const o = options as unknown as CountingOptionValues;
    this.config = {
      task: o.task,
      numClasses: o.numClasses,
      threshold: o.threshold,
      ignoreIndex: o.ignoreIndex,
      matrix,
    };
  }

  get state(): ConfusionState | null {
    return this.counts;
  }

  updateTensors(input: Tensor, target: Tensor): this {
    // countBatch validates the whole batch before it counts, so a bad batch changes nothing.
    this.counts = countBatch(this.id, this.config, this.counts, input, target);
    return this;
  }

  update(input: TensorLike, target: TensorLike): this {
    const pairs = [
      ['input', input],
      ['target', target],
    ] as const;
    for (const [name, v] of pairs) {
      if (v === undefined || v === null) {
        fail('E_INPUT', this.id, `input '${name}'`, 'a tensor', describe(v));
      }
    }
    return this.updateTensors(
      toTensor(input, this.id, 'input'),
      toTensor(target, this.id, 'target'),
    );
  }

  merge(other: CountingAccumulator): this {
    if (!(other instanceof ConfusionAccumulator)) {
      fail(
        'E_TYPE',
        this.id,
        'merge(other)',
        'an accumulator of a counting metric',
        describe(other),
      );
    }
    const o = other as ConfusionAccumulator<OptionSpecs>;
    if (configKey(o.config) !== configKey(this.config)) {
      fail(
        'E_OPTION',
        this.id,
        'merge(other)',
        `an accumulator counting with the same options (${configKey(this.config)})`,
        `an accumulator with ${configKey(o.config)}`,
      );
    }
    const src = o.state;
    if (src === null) return this;
    if (this.counts === null) {
      this.counts = emptyState(this.id, src.task, src.numClasses, this.config.matrix);
    } else if (this.counts.task !== src.task || this.counts.numClasses !== src.numClasses) {
      fail(
        'E_SHAPE',
        this.id,
        'merge(other)',
        `an accumulator of task '${this.counts.task}' with ${this.counts.numClasses} classes`,
        `task '${src.task}' with ${src.numClasses} classes`,
      );
    }
    if (!addCounts(this.counts, src)) {
      fail(
        'E_OPTION',
        this.id,
        'merge(other)',
        'an accumulator holding a full confusion matrix (another confusionMatrix accumulator)',
        `the per-class counts of '${o.id}'`,
      );
    }
    return this;
  }

  compute(): MetricValue {
    let state = this.counts;
    if (state === null) {
      const layout = layoutFromOptions(this.config);
      if (layout === null) {
        fail(
          'E_OPTION',
          this.id,
          "option 'numClasses'",
          'the number of classes to compute before any update',
          'numClasses=null',
        );
      }
      state = emptyState(this.id, layout.task, layout.numClasses, this.config.matrix);
    }
    return this.fromState(state, this.options);
  }
}

export type CountingMetric<S extends OptionSpecs> = MetricFunction<typeof COUNTING_INPUTS, S> & {
  /** A streaming accumulator of this metric with these options. */
  accumulator(options?: OptionsInput<S>): CountingAccumulator;
};

export interface CountingDefinition<S extends OptionSpecs> {
  meta: Omit<
    EntryMeta<typeof COUNTING_INPUTS, S>,
    'kind' | 'reductions' | 'defaultReduction' | 'inputs'
  >;
  fromState: ComputeFromState<S>;
  /** The metric reads the full multiclass C×C matrix (confusionMatrix); others keep O(C) counts. */
  matrix?: boolean;
}

/** Defines a counting metric: the registry entry, the typed function and `.accumulator()`. */
export function defineCountingMetric<const S extends OptionSpecs>(
  def: CountingDefinition<S>,
): CountingMetric<S> {
  const fn = defineMetric({
    meta: { ...def.meta, inputs: COUNTING_INPUTS },
    compute(inputs, options, id) {
      const acc = new ConfusionAccumulator<S>(id, options, def.fromState, def.matrix === true);
      return acc.updateTensors(inputs.input, inputs.target).compute();
    },
  });
  const accumulator = (options?: OptionsInput<S>): CountingAccumulator =>
    new ConfusionAccumulator<S>(
      fn.id,
      resolveOptions(fn.id, fn.meta.options, options),
      def.fromState,
      def.matrix === true,
    );
  Object.defineProperty(fn, 'accumulator', { value: accumulator, enumerable: true });
  return fn as CountingMetric<S>;
}
