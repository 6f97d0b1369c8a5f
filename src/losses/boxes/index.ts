/** Catalog section 4: boxes / object detection. */
import { boxConvert } from './boxConvert.js';
import { boxIou, completeBoxIou, distanceBoxIou, generalizedBoxIou } from './boxIou.js';
import { ciou } from './ciou.js';
import { diou } from './diou.js';
import { giou } from './giou.js';
import { iouLoss } from './iouLoss.js';

export {
  iouLoss,
  giou,
  diou,
  ciou,
  boxIou,
  generalizedBoxIou,
  distanceBoxIou,
  completeBoxIou,
  boxConvert,
};

export const boxesEntries = [
  iouLoss,
  giou,
  diou,
  ciou,
  boxIou,
  generalizedBoxIou,
  distanceBoxIou,
  completeBoxIou,
  boxConvert,
] as const;
