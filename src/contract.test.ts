/**
 * The catalog is the contract: every id of an implemented section is registered, with the catalog's
 * input names (in order) and option names. Input and option names below are transcribed from
 * shared/CATALOG.md; the ids come from test/fixtures/catalog.json (tools/catalog/extract.mjs).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ids, list } from './registry.js';

interface CatalogFile {
  sections: { section: number; title: string; ids: string[] }[];
}

const catalog = JSON.parse(
  readFileSync(new URL('../test/fixtures/catalog.json', import.meta.url), 'utf8'),
) as CatalogFile;

/** Sections whose every id must be registered. */
export const IMPLEMENTED_SECTIONS = [1, 2, 3, 4, 5, 6, 7, 8, 9];

const II = ['input', 'target'];
const OVERLAP = [
  'mode',
  'fromLogits',
  'smooth',
  'eps',
  'ignoreIndex',
  'classes',
  'logLoss',
  'classWeights',
  'perImage',
];

/** id → [input names in order, option names besides reduction]. */
const CONTRACT: Record<string, [string[], string[]]> = {
  mse: [II, []],
  l1: [II, []],
  rmse: [II, ['eps']],
  huber: [II, ['delta']],
  smoothL1: [II, ['beta']],
  logCosh: [II, []],
  msle: [II, []],
  mape: [II, []],
  poissonNll: [II, ['logInput', 'full', 'eps']],
  gaussianNll: [
    ['input', 'target', 'var'],
    ['full', 'eps'],
  ],
  marginRanking: [['input1', 'input2', 'target'], ['margin']],
  tripletMargin: [
    ['anchor', 'positive', 'negative'],
    ['margin', 'p', 'eps', 'swap'],
  ],
  contrastive: [['input1', 'input2', 'target'], ['margin']],
  cosineEmbedding: [['input1', 'input2', 'target'], ['margin']],
  hingeEmbedding: [II, ['margin']],
  infoNce: [
    ['query', 'key'],
    ['temperature', 'normalize'],
  ],
  ntXent: [['z1', 'z2'], ['temperature']],
  listNet: [['scores', 'relevance'], ['eps']],
  listMle: [['scores', 'relevance'], ['eps']],
  approxNdcg: [
    ['scores', 'relevance'],
    ['alpha', 'eps'],
  ],
  lambdaLoss: [
    ['scores', 'relevance'],
    ['scheme', 'k', 'sigma', 'mu', 'logBase'],
  ],
  rankNet: [['scores', 'relevance'], ['weightByDiff']],
  bce: [II, ['weight', 'labelSmoothing']],
  bceWithLogits: [II, ['weight', 'posWeight', 'labelSmoothing']],
  weightedBce: [II, ['posWeight', 'negWeight', 'balanced']],
  crossEntropy: [II, ['weight', 'ignoreIndex', 'labelSmoothing']],
  nll: [II, ['weight', 'ignoreIndex']],
  categoricalCrossentropy: [II, ['fromLogits', 'labelSmoothing', 'axis']],
  sparseCategoricalCrossentropy: [II, ['fromLogits', 'ignoreClass', 'axis']],
  klDiv: [II, ['logTarget']],
  sigmoidFocal: [II, ['alpha', 'gamma']],
  softmaxFocal: [II, ['gamma', 'alpha', 'ignoreIndex']],
  poly1: [II, ['epsilon', 'labelSmoothing']],
  poly1Focal: [II, ['epsilon', 'alpha', 'gamma']],
  hinge: [II, []],
  squaredHinge: [II, []],
  categoricalHinge: [II, []],
  multiMargin: [II, ['p', 'margin', 'weight']],
  softMargin: [II, []],
  multilabelSoftMargin: [II, ['weight']],
  multilabelMargin: [II, []],
  ctc: [
    ['logProbs', 'targets', 'inputLengths', 'targetLengths'],
    ['blank', 'zeroInfinity'],
  ],
  crf: [['emissions', 'tags', 'mask', 'transitions', 'startTransitions', 'endTransitions'], []],
  sequenceCrossEntropy: [II, ['ignoreIndex', 'labelSmoothing', 'smoothingStyle']],
  policyGradient: [['logProbs', 'rewards', 'baseline', 'mask'], []],
  minimumRisk: [['sequenceLogProbs', 'costs'], ['alpha']],
  sentenceBleu: [
    ['hypothesis', 'reference'],
    ['maxOrder', 'smoothing', 'smoothValue'],
  ],
  dice: [II, OVERLAP],
  jaccard: [II, OVERLAP],
  tversky: [II, [...OVERLAP, 'alpha', 'beta', 'gamma']],
  focalTversky: [
    II,
    ['mode', 'fromLogits', 'alpha', 'beta', 'gamma', 'smooth', 'ignoreIndex', 'classes'],
  ],
  generalizedDice: [II, ['fromLogits', 'smooth', 'weightType']],
  lovaszHinge: [II, ['perImage', 'ignoreIndex']],
  lovaszSoftmax: [II, ['fromLogits', 'classes', 'perImage', 'ignoreIndex']],
  diceCrossEntropy: [
    II,
    ['lambdaDice', 'lambdaCe', 'ignoreIndex', 'weight', 'classWeights', 'smooth', 'eps'],
  ],
  diceFocal: [II, ['mode', 'lambdaDice', 'lambdaFocal', 'gamma', 'alpha', 'ignoreIndex']],
  mcc: [II, ['eps']],
  confusionMatrix: [II, ['numClasses', 'threshold', 'normalize']],
  precision: [II, ['task', 'numClasses', 'average', 'threshold', 'zeroDivision']],
  recall: [II, ['task', 'numClasses', 'average', 'threshold', 'zeroDivision']],
  f1Score: [II, ['task', 'numClasses', 'average', 'threshold', 'zeroDivision']],
  fbetaScore: [II, ['task', 'numClasses', 'average', 'beta', 'threshold', 'zeroDivision']],
  accuracy: [II, ['task', 'numClasses', 'average', 'threshold', 'zeroDivision']],
  specificity: [II, ['task', 'numClasses', 'average', 'threshold', 'zeroDivision']],
  iouScore: [II, ['task', 'numClasses', 'average', 'threshold', 'zeroDivision', 'ignoreIndex']],
  diceScore: [II, ['task', 'numClasses', 'average', 'threshold', 'zeroDivision', 'ignoreIndex']],
  entropy: [['p'], ['base', 'axis']],
  distributionCrossEntropy: [
    ['p', 'q'],
    ['base', 'axis'],
  ],
  klDivergence: [
    ['p', 'q'],
    ['base', 'axis'],
  ],
  ndcg: [
    ['scores', 'relevance'],
    ['k', 'gain'],
  ],
  lsganDiscriminator: [
    ['real', 'fake'],
    ['a', 'b'],
  ],
  lsganGenerator: [['fake'], ['c']],
  wganCritic: [['real', 'fake'], []],
  wganGenerator: [['fake'], []],
  gradientPenalty: [['gradients'], ['lambda', 'target']],
  ganDiscriminator: [['real', 'fake'], ['labelSmoothing']],
  ganGenerator: [['fake'], ['saturating']],
  hingeGanDiscriminator: [['real', 'fake'], []],
  hingeGanGenerator: [['fake'], []],
  vaeKl: [['mu', 'logVar'], []],
  gaeReconstruction: [['embeddings', 'posEdges', 'negEdges'], ['eps']],
  gaeDense: [['embeddings', 'adjacency'], []],
  vgaeKl: [['mu', 'logStd'], []],
  graphContrastive: [['z1', 'z2'], ['temperature']],
  iouLoss: [II, ['format', 'eps', 'mode']],
  giou: [II, ['format', 'eps']],
  diou: [II, ['format', 'eps']],
  ciou: [II, ['format', 'eps']],
  eiou: [II, ['format', 'eps']],
  focalEiou: [II, ['format', 'eps', 'gamma']],
  siou: [II, ['format', 'eps', 'theta']],
  wiou: [II, ['format', 'version', 'alpha', 'delta', 'iouMean']],
  alphaIou: [II, ['format', 'eps', 'alpha', 'variant']],
  nwd: [II, ['format', 'eps', 'constant']],
  cdiou: [II, ['format', 'eps', 'lambda']],
  repulsion: [
    ['input', 'target', 'gtBoxes', 'assigned'],
    ['format', 'alpha', 'beta', 'sigmaRepGt', 'sigmaRepBox'],
  ],
  boxIou: [II, ['format']],
  generalizedBoxIou: [II, ['format']],
  distanceBoxIou: [II, ['format', 'eps']],
  completeBoxIou: [II, ['format', 'eps']],
  boxConvert: [['input'], ['from', 'to']],
};

/** Scalar entries of the implemented sections (no reduction option). */
const SCALAR = new Set([
  'rmse',
  'sentenceBleu',
  'dice',
  'jaccard',
  'tversky',
  'focalTversky',
  'lovaszHinge',
  'lovaszSoftmax',
  'diceCrossEntropy',
  'diceFocal',
  'mcc',
]);

describe('the catalog contract', () => {
  const registered = new Set(ids());
  for (const s of catalog.sections.filter((x) => IMPLEMENTED_SECTIONS.includes(x.section))) {
    describe(`section ${s.section} (${s.title})`, () => {
      for (const id of s.ids) {
        it(`registers '${id}' with the catalog's input and option names`, () => {
          expect(registered.has(id), `'${id}' is registered`).toBe(true);
          const meta = list().find((m) => m.id === id)!;
          const contract = CONTRACT[id];
          expect(contract, `contract for '${id}' is transcribed`).toBeDefined();
          const [inputs, options] = contract;
          expect(meta.inputs.map((x) => x.name).slice(0, inputs.length)).toEqual(inputs);
          for (const o of options) expect(Object.keys(meta.options)).toContain(o);
          if (SCALAR.has(id)) expect(meta.reductions).toEqual([]);
        });
      }
    });
  }
});
