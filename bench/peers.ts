// The peers measured in the same process: TensorFlow.js with its CPU backend and its WebAssembly
// backend (XNNPACK, SIMD; single-threaded under Node).
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

export { tf };

export type PeerBackend = 'cpu' | 'wasm';

let wasmPathSet = false;

export async function usePeer(backend: PeerBackend): Promise<void> {
  if (backend === 'wasm' && !wasmPathSet) {
    const require = createRequire(import.meta.url);
    setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'))}/`);
    wasmPathSet = true;
  }
  await tf.setBackend(backend);
  await tf.ready();
}
