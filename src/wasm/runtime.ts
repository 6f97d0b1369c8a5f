/**
 * losskit's WebAssembly runtime: compiles the module of wasm/assembly (SIMD kernels on float32 data),
 * owns its memory, stages data through a fixed scratch area, allocates zero-copy tensors, and runs
 * kernels on worker threads when asked.
 *
 * Design decisions:
 * - One module, embedded as base64 (src/wasm/binary.ts): Node and browsers need no file lookup.
 *   Its memory import is patched to shared memory wherever SharedArrayBuffer is usable (Node always,
 *   browsers when the page is cross-origin isolated), so threads can start later without moving data.
 * - Compilation is synchronous on first use (Node, and browsers that allow it); where a browser
 *   refuses a synchronous compile, the JavaScript kernels run until `initWasm()` has resolved.
 * - Inputs that do not live in losskit's memory are copied through a scratch area of SCRATCH
 *   elements per array, so the extra memory is a constant (a few hundred KiB), never input-sized,
 *   and the copies stay in cache. Inputs allocated with `wasmTensor` are read where they are.
 * - Block sums: kernels store the sum of every 256 consecutive losses; this module adds the block
 *   sums in order with Neumaier compensation. The result is independent of chunking and threads.
 */
import type { CompensatedSum } from '../core/numerics.js';
import { WASM_BASE64 } from './binary.js';

/** Elements per array staged at once through the scratch area (a multiple of 256). */
export const SCRATCH = 16384;

/** Below this element count the JavaScript kernels run (a call and its setup cost ~1 µs). */
let minSize = 2048;

/** Element count from which a call with every array in losskit's memory is split over threads. */
const THREAD_MIN = 1 << 17;

const PAGE = 65536;
/** The module's maximum memory: 4 GiB (its pointers are 32-bit). */
const MAX_PAGES = 65536;

type Kernel = (...args: number[]) => void;

interface Exports {
  heapBase(): number;
  [name: string]: unknown;
}

export interface WasmStatus {
  /** WebAssembly with SIMD compiled and instantiated. */
  readonly available: boolean;
  /** Fast paths are used for float32 data (setWasm(false) turns them off). */
  readonly enabled: boolean;
  /** The memory is shared (SharedArrayBuffer), so threads are possible. */
  readonly shared: boolean;
  /** Threads a large call is split over (1: the calling thread only). */
  readonly threads: number;
  /** Bytes of WebAssembly memory in use (tensors, scratch and module data). */
  readonly memoryBytes: number;
  /** Calls the fast paths have served so far (to check that a call took one). */
  readonly calls: number;
  /** Why the fast paths are unavailable, when they are. */
  readonly reason?: string;
}

interface Job {
  fn: number;
  args: number[];
}

interface ThreadPool {
  size: number;
  /** Start job on worker w (0-based), returning at once. */
  post(w: number, job: Job): void;
  /** Block until worker w has finished its job. */
  wait(w: number): void;
  terminate(): void;
}

function decodeBase64(s: string): Uint8Array {
  const B = (globalThis as { Buffer?: { from(s: string, e: string): Uint8Array } }).Buffer;
  if (B !== undefined) return new Uint8Array(B.from(s, 'base64'));
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function readLeb(b: Uint8Array, p: number): [number, number] {
  let v = 0;
  let shift = 0;
  for (;;) {
    const byte = b[p++];
    v += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [v, p];
    shift += 7;
  }
}

/**
 * The module's bytes with its memory import marked shared (limits flag 0x01 → 0x03). It walks the
 * sections to the import section and the memory import, so nothing else can be touched.
 */
export function withSharedMemory(bytes: Uint8Array): Uint8Array {
  const b = bytes.slice();
  let p = 8;
  while (p < b.length) {
    const id = b[p++];
    let size;
    [size, p] = readLeb(b, p);
    const end = p + size;
    if (id === 2) {
      let count;
      [count, p] = readLeb(b, p);
      for (let i = 0; i < count; i++) {
        for (let k = 0; k < 2; k++) {
          let len;
          [len, p] = readLeb(b, p);
          p += len;
        }
        const kind = b[p++];
        if (kind === 2) {
          if (b[p] !== 0x01) throw new Error('losskit wasm: memory import without a maximum');
          b[p] = 0x03;
          return b;
        }
        if (kind === 0) [, p] = readLeb(b, p);
        else if (kind === 3) p += 2;
        else if (kind === 1) {
          p++;
          const flags = b[p++];
          [, p] = readLeb(b, p);
          if (flags & 1) [, p] = readLeb(b, p);
        }
      }
    }
    p = end;
  }
  throw new Error('losskit wasm: no memory import');
}

/** A first-fit allocator over the module's memory, 64-byte aligned, growing the memory on demand. */
class Heap {
  /** Free blocks [offset, size], sorted by offset, coalesced. */
  private free: [number, number][] = [];
  private top: number;

  constructor(
    private readonly memory: WebAssembly.Memory,
    base: number,
  ) {
    this.top = base;
  }

  alloc(bytes: number): number {
    const size = Math.max(64, Math.ceil(bytes / 64) * 64);
    for (let i = 0; i < this.free.length; i++) {
      const [off, sz] = this.free[i];
      if (sz >= size) {
        if (sz === size) this.free.splice(i, 1);
        else this.free[i] = [off + size, sz - size];
        return off;
      }
    }
    const off = this.top;
    const end = off + size;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      if (have / PAGE + pages > MAX_PAGES) return -1;
      try {
        this.memory.grow(pages);
      } catch {
        return -1;
      }
    }
    this.top = end;
    return off;
  }

  release(off: number, bytes: number): void {
    const size = Math.max(64, Math.ceil(bytes / 64) * 64);
    let i = 0;
    while (i < this.free.length && this.free[i][0] < off) i++;
    this.free.splice(i, 0, [off, size]);
    // Coalesce with the next and the previous block, then give the top back.
    if (i + 1 < this.free.length && this.free[i][0] + this.free[i][1] === this.free[i + 1][0]) {
      this.free[i][1] += this.free[i + 1][1];
      this.free.splice(i + 1, 1);
    }
    if (i > 0 && this.free[i - 1][0] + this.free[i - 1][1] === this.free[i][0]) {
      this.free[i - 1][1] += this.free[i][1];
      this.free.splice(i, 1);
      i--;
    }
    const last = this.free[this.free.length - 1];
    if (last !== undefined && last[0] + last[1] === this.top) {
      this.top = last[0];
      this.free.pop();
    }
  }

  get used(): number {
    let f = 0;
    for (const b of this.free) f += b[1];
    return this.top - f;
  }
}

/** The live runtime. */
export class Runtime {
  readonly kernels: Map<string, Kernel>;
  readonly kernelNames: string[];
  readonly heap: Heap;
  /** Scratch area: SCRATCH float32 slots for each staged array, and the block sums. */
  readonly scratch: number;
  private readonly knownBuffers = new WeakSet<ArrayBufferLike>();
  private f32View: Float32Array;
  private f64View: Float64Array;
  private blockSumPtr = 0;
  private blockSumCap = 0;
  pool: ThreadPool | null = null;
  /** Worker control blocks: 8 bytes of state + 16 float64 arguments each. */
  ctrl = 0;

  constructor(
    readonly module: WebAssembly.Module,
    readonly memory: WebAssembly.Memory,
    readonly shared: boolean,
  ) {
    const instance = new WebAssembly.Instance(module, {
      env: {
        memory,
        abort: () => {
          throw new Error('losskit wasm: abort');
        },
      },
    });
    const ex = instance.exports as unknown as Exports;
    this.kernelNames = WebAssembly.Module.exports(module)
      .filter((e) => e.kind === 'function')
      .map((e) => e.name)
      .sort();
    this.kernels = new Map(this.kernelNames.map((n) => [n, ex[n] as Kernel]));
    this.heap = new Heap(memory, Math.ceil(ex.heapBase() / 64) * 64 + 64);
    this.scratch = this.heap.alloc(5 * SCRATCH * 4 + (SCRATCH / 256) * 8);
    if (this.scratch < 0) throw new Error('losskit wasm: no memory for the scratch area');
    this.f32View = new Float32Array(memory.buffer);
    this.f64View = new Float64Array(memory.buffer);
    this.knownBuffers.add(memory.buffer);
  }

  /** Float32 and float64 views of the whole memory, renewed after it grew. */
  f32(): Float32Array {
    if (this.f32View.buffer !== this.memory.buffer || this.f32View.length === 0) this.refresh();
    return this.f32View;
  }

  f64(): Float64Array {
    if (this.f64View.buffer !== this.memory.buffer || this.f64View.length === 0) this.refresh();
    return this.f64View;
  }

  private refresh(): void {
    const buf = this.memory.buffer;
    this.knownBuffers.add(buf);
    this.f32View = new Float32Array(buf);
    this.f64View = new Float64Array(buf);
  }

  /** True when a is a view into losskit's memory (current or, for shared memory, earlier). */
  owns(a: ArrayBufferView): boolean {
    if (this.knownBuffers.has(a.buffer)) return true;
    if (a.buffer === this.memory.buffer) {
      this.knownBuffers.add(a.buffer);
      return true;
    }
    return false;
  }

  /** True when every array (null counts as absent) is a view into losskit's memory. */
  ownsAll(...arrays: (ArrayBufferView | null)[]): boolean {
    for (const a of arrays) if (a !== null && !this.owns(a)) return false;
    return true;
  }

  /** A float64 area for n block sums (reused, grown when needed), or -1 when memory is exhausted. */
  blockSums(n: number): number {
    if (n > this.blockSumCap) {
      if (this.blockSumCap > 0) this.heap.release(this.blockSumPtr, this.blockSumCap * 8);
      const cap = Math.max(n, 1024);
      const p = this.heap.alloc(cap * 8);
      if (p < 0) {
        this.blockSumCap = 0;
        return -1;
      }
      this.blockSumPtr = p;
      this.blockSumCap = cap;
    }
    return this.blockSumPtr;
  }

  /** Adds the n block sums at ptr into acc, in order. */
  addBlocks(acc: CompensatedSum, ptr: number, n: number): void {
    const v = this.f64();
    const base = ptr >>> 3;
    for (let i = 0; i < n; i++) acc.add(v[base + i]);
  }

  get threads(): number {
    return this.pool === null ? 1 : this.pool.size + 1;
  }
}

/** Null, or float32 data: the arrays a fast path takes (any other dtype keeps the JS kernel). */
export function isF32OrNull(a: ArrayBufferView | null): a is Float32Array | null {
  return a === null || a instanceof Float32Array;
}

/** A kernel's pointer argument: the view's byte offset in losskit's memory, or 0 for none. */
export function ptrOf(a: ArrayBufferView | null): number {
  return a === null ? 0 : a.byteOffset;
}

let runtime: Runtime | null | undefined;
/** Calls the fast paths have served since the module loaded (tests check a path was taken). */
let calls = 0;
let failure: string | undefined;
let enabled = true;
let pending: Promise<Runtime | null> | null = null;

function canShare(): boolean {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  const g = globalThis as {
    crossOriginIsolated?: boolean;
    process?: { versions?: { node?: string } };
  };
  if (g.process?.versions?.node !== undefined) return true;
  return g.crossOriginIsolated === true;
}

function makeMemory(shared: boolean): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared });
}

function instantiate(module: WebAssembly.Module, shared: boolean): Runtime {
  return new Runtime(module, makeMemory(shared), shared);
}

function moduleBytes(shared: boolean): Uint8Array {
  const bytes = decodeBase64(WASM_BASE64);
  return shared ? withSharedMemory(bytes) : bytes;
}

/**
 * The runtime, compiled synchronously on first use; null when WebAssembly SIMD is unavailable, the
 * fast paths are turned off, or a browser refused the synchronous compile (initWasm() then).
 */
export function getRuntime(): Runtime | null {
  if (!enabled) return null;
  if (runtime !== undefined) return runtime;
  if (pending !== null) return null;
  if (typeof WebAssembly !== 'object') {
    failure = 'WebAssembly is not available';
    runtime = null;
    return null;
  }
  const shared = canShare();
  try {
    runtime = instantiate(new WebAssembly.Module(moduleBytes(shared) as BufferSource), shared);
  } catch (e) {
    if (e instanceof RangeError && !shared) {
      // A browser that limits synchronous compiles on its main thread: compile asynchronously.
      void initWasm();
      return null;
    }
    failure = `WebAssembly SIMD is not available (${(e as Error).message})`;
    runtime = null;
  }
  return runtime;
}

/**
 * Compiles the module asynchronously (for browsers that refuse synchronous compiles of its size on
 * the main thread) and resolves to the status. Safe to call more than once.
 */
export async function initWasm(): Promise<WasmStatus> {
  if (runtime === undefined) {
    pending ??= (async () => {
      const shared = canShare();
      try {
        const module = await WebAssembly.compile(moduleBytes(shared) as BufferSource);
        runtime = instantiate(module, shared);
      } catch (e) {
        failure = `WebAssembly SIMD is not available (${(e as Error).message})`;
        runtime = null;
      }
      pending = null;
      return runtime;
    })();
    await pending;
  }
  return wasmStatus();
}

/** What the fast paths can do here. */
export function wasmStatus(): WasmStatus {
  const r = enabled ? getRuntime() : (runtime ?? null);
  const base = {
    available: r !== null,
    enabled: enabled && r !== null,
    shared: r?.shared ?? false,
    threads: r?.threads ?? 1,
    memoryBytes: r === null ? 0 : r.memory.buffer.byteLength,
    calls,
  };
  const reason = !enabled ? 'turned off with setWasm(false)' : failure;
  return reason !== undefined && r === null ? { ...base, reason } : base;
}

/**
 * Turns the WebAssembly fast paths on (the default) or off. Off, every entry runs its JavaScript
 * kernel, whose float32 results are the float64 results rounded once, bit for bit.
 */
export function setWasm(on: boolean): void {
  enabled = on === true;
}

/** The smallest element count the fast paths take (tests set 0 to run every case through them). */
export function setWasmMinSize(n: number): number {
  const old = minSize;
  minSize = Math.max(0, Math.floor(n));
  return old;
}

export function wasmMinSize(): number {
  return minSize;
}

export function countWasmCall(): void {
  calls++;
}

export function wasmCallCount(): number {
  return calls;
}

export { THREAD_MIN };
