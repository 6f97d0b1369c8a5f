/**
 * Test support: the tfjs backends the adapter is tested on in Node (cpu, and wasm loaded from
 * node_modules with no download).
 */
import { dirname, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');

setWasmPaths(`${resolve(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist')}/`);

export const BACKENDS = ['cpu', 'wasm'] as const;

export async function useBackend(name: (typeof BACKENDS)[number]): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name)
    throw new Error(`tfjs backend '${name}' failed to initialise`);
  await tf.ready();
}
