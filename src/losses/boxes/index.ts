/** Catalog section 4: boxes / object detection. */
import type { RegistryEntry } from '../../core/define.js';
import { alphaIou } from './alphaIou.js';
import { boxConvert } from './boxConvert.js';
import { boxIou, completeBoxIou, distanceBoxIou, generalizedBoxIou } from './boxIou.js';
import { cdiou } from './cdiou.js';
import { ciou } from './ciou.js';
import { diou } from './diou.js';
import { eiou } from './eiou.js';
import { focalEiou } from './focalEiou.js';
import { giou } from './giou.js';
import { iouLoss } from './iouLoss.js';
import { nwd } from './nwd.js';
import { repulsion } from './repulsion.js';
import { siou } from './siou.js';
import { wiou, WiouRunningMean } from './wiou.js';

export type { WiouRunningMeanOptions } from './wiou.js';
export {
  iouLoss,
  giou,
  diou,
  ciou,
  eiou,
  focalEiou,
  siou,
  wiou,
  WiouRunningMean,
  alphaIou,
  nwd,
  cdiou,
  repulsion,
  boxIou,
  generalizedBoxIou,
  distanceBoxIou,
  completeBoxIou,
  boxConvert,
};

export const boxesEntries: readonly RegistryEntry[] = [
  iouLoss,
  giou,
  diou,
  ciou,
  eiou,
  focalEiou,
  siou,
  wiou,
  alphaIou,
  nwd,
  cdiou,
  repulsion,
  boxIou,
  generalizedBoxIou,
  distanceBoxIou,
  completeBoxIou,
  boxConvert,
];
