// f32 matrix product at 256, 512 and 1024, against TensorFlow.js's CPU and WebAssembly backends.
import { mm } from '../engine/ops/linalg';
import { rand } from '../engine/tensor/factories';
import { type Figure, report, timeIt } from './measure';
import { tf, usePeer } from './peers';

export async function matmulBenchmarks(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const n of [256, 512, 1024]) {
    const a = rand([n, n]);
    const b = rand([n, n]);
    const ours = timeIt(() => mm(a, b), { rounds: n === 1024 ? 3 : 5 });
    for (const backend of ['cpu', 'wasm'] as const) {
      // tfjs-cpu at 1024 takes seconds per product: fewer rounds.
      await usePeer(backend);
      const x = tf.randomUniform([n, n]);
      const y = tf.randomUniform([n, n]);
      // dispose() rather than tf.tidy: in the WebAssembly backend tidy made each product ~15× slower.
      const peer = timeIt(
        () => {
          const product = tf.matMul(x, y);
          product.dataSync();
          product.dispose();
        },
        { rounds: backend === 'cpu' && n === 1024 ? 1 : 3, warmup: 1, minRoundMs: 100 },
      );
      x.dispose();
      y.dispose();
      figures.push(report(`matmul f32 ${n}x${n}`, ours, `tfjs-${backend}`, peer));
    }
  }
  return figures;
}
