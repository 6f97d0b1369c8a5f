/**
 * losskit: loss functions and metrics with exact values and analytic gradients.
 */
export { LossError } from './core/errors.js';
export type { LossErrorCode, LossErrorDetails } from './core/errors.js';
export type { Tensor, TensorLike, FloatArray, DataArray, NestedArray } from './core/tensor.js';
export { toTensor, numel } from './core/tensor.js';
export type { Reduction } from './core/reduce.js';
export type {
  EntryMeta,
  InputSpec,
  Reference,
  Example,
  Task,
  EvalResult,
  LossValue,
  LossFunction,
  MetricFunction,
} from './core/define.js';
export type { OptionSpec, OptionSpecs } from './core/options.js';
export { describeDomain } from './core/options.js';
export * as numerics from './core/numerics.js';
export { evaluate, list, ids, aliases, getEntry } from './registry.js';
export type { EvaluateOptions } from './registry.js';
export * from './losses/regression/index.js';
export * from './losses/classification/index.js';
export * from './losses/segmentation/index.js';
export * from './losses/boxes/index.js';
export * from './losses/ranking/index.js';
export * from './losses/generative/index.js';
export * from './losses/sequence/index.js';
export * from './losses/graph/index.js';
export * from './metrics/index.js';
export * from './wasm/index.js';
