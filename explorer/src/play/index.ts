/** The playgrounds, in the order the header and #/play list them. */
import type { Child } from '../dom.js';
import { boxesPage } from './boxes.js';
import { confusionPage } from './confusion.js';
import { entropyPage } from './entropy.js';
import { benchPage, diouPage, focalTablePage } from './experiments.js';
import { masksPage } from './masks.js';
import { rankingPage } from './ranking.js';
import { trainPage } from './train.js';

export interface Playground {
  slug: string;
  title: string;
  blurb: string;
  page: () => Child[];
}

export const PLAYGROUNDS: Playground[] = [
  {
    slug: 'boxes',
    title: 'Boxes',
    blurb:
      'drag a predicted box against a target: IoU-family values, gradient arrows, descent steps',
    page: boxesPage,
  },
  {
    slug: 'train',
    title: 'Training',
    blurb:
      'train a classifier on imbalanced data in a Web Worker with BCE, weighted BCE or focal loss',
    page: trainPage,
  },
  {
    slug: 'confusion',
    title: 'Confusion matrix',
    blurb:
      "precision, recall, F1, accuracy, MCC and more from four counts (seed 002's tumour example)",
    page: confusionPage,
  },
  {
    slug: 'entropy',
    title: 'Entropy & KL',
    blurb:
      "entropy, cross-entropy and KL divergence of two distributions (seed 004's weather code)",
    page: entropyPage,
  },
  {
    slug: 'masks',
    title: 'Masks',
    blurb: 'paint a prediction and a target: Dice, Jaccard, Tversky, Lovász hinge and BCE',
    page: masksPage,
  },
  {
    slug: 'ranking',
    title: 'Ranking',
    blurb: 'reorder a list by dragging: NDCG and the listwise and pairwise ranking losses',
    page: rankingPage,
  },
  {
    slug: 'focal-table',
    title: 'Focal vs CE',
    blurb: "seed 003's cross-entropy against focal loss on easy and hard examples, as a live table",
    page: focalTablePage,
  },
  {
    slug: 'diou',
    title: 'DIoU simulation',
    blurb: 'the DIoU paper’s simulation curves from npm run repro:diou, both gradient modes',
    page: diouPage,
  },
  {
    slug: 'bench',
    title: 'Benchmarks',
    blurb: 'the benchmark tables written by npm run bench',
    page: benchPage,
  },
];
