/** The WebAssembly fast paths' public API (see README, "Fast paths"). */
export { initWasm, setWasm, wasmStatus } from './runtime.js';
export type { WasmStatus } from './runtime.js';
export { setWasmThreads } from './threads.js';
export { wasmTensor } from './tensor.js';
export type { WasmTensor } from './tensor.js';
