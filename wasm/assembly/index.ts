// The losskit WebAssembly module: every export is a kernel of src/wasm/, or a helper they need.
export {
  mse,
  l1,
  huber,
  smoothL1,
  bceWithLogits,
  sigmoidFocal,
  logCosh,
  bce,
  mape,
  msle,
  poissonNllLog,
  poissonNll,
  softMargin,
  hinge,
  squaredHinge,
  klDiv,
  klDivLog,
  triad,
} from './elementwise';
export { crossEntropyRows } from './softmax';
export { overlapStats, overlapGrad } from './overlap';
export { boxIouRows, ciou, atanF64 } from './boxes';

/** First byte after the module's static data: losskit's allocator starts above it. */
export function heapBase(): usize {
  return __heap_base;
}
