/** The playgrounds, in the order the header and #/play list them. */
import type { Child } from '../dom.js';
import { boxesPage } from './boxes.js';
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
];
