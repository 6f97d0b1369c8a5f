/**
 * The examples of the focal-vs-cross-entropy demo (seed 003; Lin et al. 2017), in a module without
 * Node imports so that both `npm run demo` (focal-vs-ce.ts) and the explorer's live table read them.
 */
export interface DemoExample {
  /** Short label. */
  name: string;
  /** Label y ∈ {0, 1}. */
  target: 0 | 1;
  /** Predicted probability of the positive class, p = σ(x). */
  p: number;
  /** How many copies of this example the imbalanced batch holds. */
  batchCount: number;
}

/** RetinaNet's prior: the classifier starts at p = π for every anchor (Lin et al. §3.3, §4.1). */
export const PRIOR_PI = 0.01;
export const GAMMA = 2;
export const ALPHA = 0.25;
/** Background anchors per hard positive in the imbalanced batch (seed 003: roughly 1:1000). */
export const BACKGROUND_PER_POSITIVE = 1000;

/**
 * The examples, chosen here because the seed's comparison table is an image: an easy and a hard example
 * of each class, the paper's p_t = 0.9 check (γ = 2 → 100× lower than CE) and a background anchor at
 * the prior π = 0.01.
 */
export const DEMO_EXAMPLES: readonly DemoExample[] = [
  { name: 'easy positive', target: 1, p: 0.95, batchCount: 0 },
  { name: 'positive, p_t = 0.9', target: 1, p: 0.9, batchCount: 0 },
  { name: 'hard positive', target: 1, p: 0.3, batchCount: 0 },
  { name: 'very hard positive', target: 1, p: 0.1, batchCount: 1 },
  { name: 'easy negative', target: 0, p: 0.05, batchCount: 0 },
  { name: 'hard negative', target: 0, p: 0.9, batchCount: 0 },
  { name: 'background at prior π', target: 0, p: PRIOR_PI, batchCount: BACKGROUND_PER_POSITIVE },
];
