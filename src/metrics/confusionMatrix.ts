import {
  COUNTING_NOTES,
  defineCountingMetric,
  IGNORE_INDEX_OPTION,
  NUM_CLASSES_OPTION,
  TASK_OPTION,
  THRESHOLD_OPTION,
} from './counting.js';
import { confusionFromState } from './scores.js';

/** Confusion matrix, rows = true class, columns = predicted (scikit-learn / torchmetrics). */
export const confusionMatrix = defineCountingMetric({
  meta: {
    id: 'confusionMatrix',
    task: 'metrics',
    title: 'Confusion matrix',
    summary:
      'Counts of (true class, predicted class) pairs: (2, 2) binary, (C, C) multiclass, (C, 2, 2) multilabel.',
    formula: 'M_{ij} = \\#\\{n : y_n = i,\\ \\hat y_n = j\\}',
    options: {
      numClasses: NUM_CLASSES_OPTION,
      threshold: THRESHOLD_OPTION,
      normalize: {
        type: 'enum',
        values: ['true', 'pred', 'all', 'none'],
        default: null,
        doc: "null or 'none': counts; 'true': rows sum to 1; 'pred': columns sum to 1; 'all': the matrix sums to 1. An empty row, column or matrix gives zeros.",
      },
      task: TASK_OPTION,
      ignoreIndex: IGNORE_INDEX_OPTION,
    },
    references: [
      {
        title: 'scikit-learn confusion_matrix',
        url: 'https://scikit-learn.org/stable/modules/generated/sklearn.metrics.confusion_matrix.html',
        implementation:
          'sklearn.metrics.confusion_matrix, sklearn.metrics.multilabel_confusion_matrix',
      },
      {
        title: 'TorchMetrics ConfusionMatrix',
        url: 'https://lightning.ai/docs/torchmetrics/stable/classification/confusion_matrix.html',
        implementation: 'torchmetrics.functional.confusion_matrix',
      },
    ],
    examples: [
      {
        title: 'Three classes from labels',
        inputs: { input: [0, 2, 1, 1, 0, 2], target: [0, 1, 1, 2, 0, 2] },
        options: { numClasses: 3 },
      },
      {
        title: 'Binary scores cut at 0.5, rows normalised',
        inputs: { input: [0.9, 0.2, 0.7, 0.4, 0.8, 0.1], target: [1, 0, 0, 1, 1, 0] },
        options: { normalize: 'true' },
      },
    ],
    whenToUse:
      "The full picture behind every counting metric: which classes are mistaken for which. Look at it before reducing to one number; precision, recall, F1 and IoU are ratios of its cells, and normalize 'true' puts the per-class recall on the diagonal, 'pred' the per-class precision.",
    caveats: [
      'Rows are true classes and columns predicted classes (scikit-learn and torchmetrics); some tools transpose it.',
      'Float scores are cut at the threshold (0.5) without a sigmoid: pass probabilities or labels, not logits.',
      'Normalised rows or columns without any sample are zeros, not NaN: tell them apart from a class that is always missed by looking at the counts.',
      'Multiclass needs numClasses² counters: at most 5,792 classes (2^25 counters, 256 MiB); more throws E_RANGE before allocating. The other counting metrics keep 3·C counters and take up to 11,184,810 classes.',
    ],
    notes: [
      ...COUNTING_NOTES.slice(1, 3),
      COUNTING_NOTES[6],
      COUNTING_NOTES[7],
      "task and ignoreIndex are options beyond the catalog's three: task 'multilabel' gives (C, 2, 2) blocks [[tn, fp], [fn, tp]] (torchmetrics multilabel_confusion_matrix); ignoreIndex removes positions (the ignored class's row is then zero).",
      "'none' is accepted as a spelling of null (torchmetrics' normalize='none').",
    ],
  },
  fromState: (state, o) => confusionFromState(state, o.normalize),
  matrix: true,
});
