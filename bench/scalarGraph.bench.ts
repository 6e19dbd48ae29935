// A chain of a million 0-d operations (add, mul, tanh in turn), built and differentiated, against
// TensorFlow.js's scalar ops (measured per op on a shorter chain, forward and gradient), and the
// heap each graph node costs.
import { tensorBackward } from '../engine/autograd/tensorBackward';
import { add, mul } from '../engine/ops/arithmetic';
import { tanh } from '../engine/ops/unaryMath';
import { scalarTensor } from '../engine/tensor/create';
import type { Tensor } from '../engine/tensor/tensor';
import { type Figure, report, timeIt } from './measure';
import { tf, usePeer } from './peers';

const chainLength = 1_000_000;
const peerChainLength = 2_000;

function buildChain(length: number): { x: Tensor; y: Tensor } {
  const x = scalarTensor(0.5, 'float32');
  x.requiresGrad = true;
  let y = x;
  for (let i = 0; i < length; i++) {
    const step = i % 3;
    y = step === 0 ? add(y, 0.001) : step === 1 ? mul(y, 0.999) : tanh(y);
  }
  return { x, y };
}

const collect = () => (globalThis as { gc?: () => void }).gc?.();

export async function scalarGraphBenchmarks(): Promise<Figure[]> {
  // Warmed up as the peer is (timeIt's warm-up round): the first chain pays for compiling the op path.
  tensorBackward(buildChain(peerChainLength * 50).y);
  collect();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const { x, y } = buildChain(chainLength);
  const built = performance.now();
  collect();
  const bytesPerNode = (process.memoryUsage().heapUsed - heapBefore) / chainLength;
  const backwardStarted = performance.now();
  tensorBackward(y);
  const finished = performance.now();
  if (!x.grad) throw new Error('no gradient reached the leaf');
  const oursPerOp = ((built - started) + (finished - backwardStarted)) / chainLength;
  console.log(JSON.stringify({ name: 'scalar graph heap per node', bytes: Math.round(bytesPerNode), limit: 200, build_ms: Math.round(built - started), backward_ms: Math.round(finished - backwardStarted) }));

  await usePeer('cpu');
  const gradient = tf.grad((start: tf.Tensor) => {
    let value = start;
    for (let i = 0; i < peerChainLength; i++) {
      const step = i % 3;
      value = step === 0 ? tf.add(value, 0.001) : step === 1 ? tf.mul(value, 0.999) : tf.tanh(value);
    }
    return value;
  });
  const start = tf.scalar(0.5);
  const peerPerOp =
    timeIt(
      () => {
        const result = gradient(start);
        result.dataSync();
        result.dispose();
      },
      { rounds: 3, minRoundMs: 300, warmup: 1 },
    ) / peerChainLength;
  return [report('scalar graph of 1e6 ops, build+backward, per op', oursPerOp, 'tfjs-cpu scalar ops', peerPerOp)];
}
