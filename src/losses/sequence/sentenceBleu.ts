import { defineMetric } from '../../core/define.js';
import { requireRank } from '../../core/shapes.js';

/** sacreBLEU's `my_log`: log with log(0) floored to −9999999999. */
function floorLog(x: number): number {
  return x === 0 ? -9999999999 : Math.log(x);
}

/** Counts of every n-gram (1 ≤ n ≤ maxOrder) of a token-id sequence, keyed by order and ids. */
function ngramCounts(tokens: Int32Array, maxOrder: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let n = 1; n <= maxOrder; n++) {
    for (let i = 0; i + n <= tokens.length; i++) {
      const key = `${n}:${tokens.subarray(i, i + n).join(',')}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** Sentence-level BLEU of a token-id hypothesis against one reference, as sacreBLEU `sentence_bleu`. */
export const sentenceBleu = defineMetric({
  meta: {
    id: 'sentenceBleu',
    task: 'sequence',
    title: 'Sentence BLEU (sacreBLEU, on token ids)',
    summary:
      "BLEU of one hypothesis against one reference on pre-tokenised integer ids: clipped n-gram precisions up to maxOrder, their geometric mean with sacreBLEU's smoothing and effective order, times the brevity penalty, in [0, 100].",
    formula:
      '\\mathrm{BLEU} = \\mathrm{BP}\\cdot\\exp\\Big(\\tfrac1{N_e}\\sum_{n=1}^{N_e} \\log p_n\\Big),\\quad p_n = 100\\,\\frac{\\sum_g \\min(c_h(g), c_r(g))}{\\sum_g c_h(g)},\\quad \\mathrm{BP} = \\min(1, e^{1 - |r|/|h|})',
    inputs: [
      {
        name: 'hypothesis',
        role: 'tokenIds',
        shape: '(L1)',
        differentiable: false,
        kind: 'index',
        doc: 'Token ids of the candidate sentence (any integers; equal ids are equal tokens).',
      },
      {
        name: 'reference',
        role: 'tokenIds',
        shape: '(L2)',
        differentiable: false,
        kind: 'index',
        doc: 'Token ids of the single reference sentence.',
      },
    ],
    options: {
      maxOrder: {
        type: 'number',
        default: 4,
        integer: true,
        min: 1,
        doc: 'Largest n-gram order (sacreBLEU max_ngram_order).',
      },
      smoothing: {
        type: 'enum',
        values: ['exp', 'none', 'floor', 'add-k'],
        default: 'exp',
        doc: "Smoothing of zero precisions (Chen & Cherry 2014): 'exp' halves successively (NIST, sacreBLEU's sentence default), 'floor' uses smoothValue/total, 'add-k' adds smoothValue to the counts of orders ≥ 2, 'none' leaves them 0.",
      },
      smoothValue: {
        type: 'number',
        default: null,
        nullable: true,
        min: 0,
        doc: "Value of the 'floor' (default 0.1) and 'add-k' (default 1) smoothing; ignored by 'exp' and 'none'.",
      },
    },
    references: [
      {
        title:
          'Papineni et al. (2002), BLEU: a Method for Automatic Evaluation of Machine Translation',
        url: 'https://aclanthology.org/P02-1040/',
      },
      {
        title: 'Post (2018), A Call for Clarity in Reporting BLEU Scores (sacreBLEU)',
        url: 'https://aclanthology.org/W18-6319/',
        implementation:
          "sacrebleu.sentence_bleu(hyp, [ref], tokenize='none', use_effective_order=True) on space-joined ids (sacreBLEU 2.x)",
      },
      {
        title:
          'Chen & Cherry (2014), A Systematic Comparison of Smoothing Techniques for Sentence-Level BLEU',
        url: 'https://aclanthology.org/W14-3346/',
      },
    ],
    examples: [
      {
        title: 'One substituted token out of six',
        inputs: { hypothesis: [4, 8, 15, 16, 23, 42], reference: [4, 8, 15, 16, 99, 42] },
      },
      {
        title: 'A short hypothesis (brevity penalty) with floor smoothing',
        inputs: { hypothesis: [1, 2, 3], reference: [1, 2, 3, 4, 5] },
        options: { smoothing: 'floor' },
      },
    ],
    whenToUse:
      'Scoring single generated sentences against a reference, e.g. as the reward of policyGradient (self-critical training) or the cost 1 − BLEU/100 of minimumRisk over sampled candidates; it is the sentence-level, smoothed form of the standard machine-translation metric.',
    caveats: [
      'BLEU is a corpus-level metric: sentence BLEU is noisy and depends on the smoothing; report corpus BLEU from a proper sacreBLEU run, not the mean of sentence scores.',
      'Values depend on the tokenisation: here the ids are the tokens (sacreBLEU tokenize="none"), so scores are comparable only for the same tokeniser and vocabulary.',
      'Not differentiable: use it as a reward or cost, never as a loss to backpropagate through.',
    ],
    notes: [
      'No n-gram match at all gives 0, whatever the smoothing (sacreBLEU issue #141).',
      'Effective order is on: orders with no hypothesis n-grams (a hypothesis shorter than maxOrder) are left out of the mean; with add-k they are counted as k/k.',
      "'none' and 'add-k' give 0 as soon as an included order has no match (log 0 floored to −9999999999 as sacreBLEU).",
      'The brevity penalty uses the reference length; an empty hypothesis or reference gives 0.',
      "smoothValue is ignored by 'exp' and 'none', as in sacreBLEU.",
    ],
  },
  compute(inputs, options, id) {
    const { hypothesis, reference } = inputs;
    requireRank(id, 'hypothesis', hypothesis, [1], '(L1)');
    requireRank(id, 'reference', reference, [1], '(L2)');
    const maxOrder = options.maxOrder;
    const method = options.smoothing;
    const smoothValue = options.smoothValue ?? (method === 'floor' ? 0.1 : 1);
    const h = hypothesis.data;
    const r = reference.data;
    const refCounts = ngramCounts(r, maxOrder);
    const correct = new Array<number>(maxOrder).fill(0);
    const total = new Array<number>(maxOrder).fill(0);
    for (const [key, count] of ngramCounts(h, maxOrder)) {
      const n = Number(key.slice(0, key.indexOf(':')));
      total[n - 1] += count;
      correct[n - 1] += Math.min(count, refCounts.get(key) ?? 0);
    }
    const hypLen = h.length;
    const refLen = r.length;
    const bp = hypLen < refLen ? (hypLen > 0 ? Math.exp(1 - refLen / hypLen) : 0) : 1;
    if (correct.every((c) => c === 0)) return 0;
    let smoothMteval = 1;
    let effOrder = maxOrder;
    const logs: number[] = [];
    for (let n = 1; n <= maxOrder; n++) {
      if (method === 'add-k' && n > 1) {
        correct[n - 1] += smoothValue;
        total[n - 1] += smoothValue;
      }
      if (total[n - 1] === 0) break;
      effOrder = n;
      let p = 0;
      if (correct[n - 1] === 0) {
        if (method === 'exp') {
          smoothMteval *= 2;
          p = 100 / (smoothMteval * total[n - 1]);
        } else if (method === 'floor') p = (100 * smoothValue) / total[n - 1];
      } else p = (100 * correct[n - 1]) / total[n - 1];
      logs.push(floorLog(p));
    }
    // sacreBLEU sums the logs of precisions[:eff_order]: with the effective order on, eff_order is the
    // last order before the first one without hypothesis n-grams, so every included order is in logs.
    let s = 0;
    for (let n = 0; n < effOrder; n++) s += logs[n];
    return bp * Math.exp(s / effOrder);
  },
});
