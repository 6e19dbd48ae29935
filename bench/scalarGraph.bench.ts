// A chain of a million 0-d operations (add, mul, tanh in turn), built and differentiated, against
// TensorFlow.js's scalar ops (measured per op on a shorter chain, forward and gradient), and the
// memory each graph node costs (the JS heap and the tape's array buffers).
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

/** Milliseconds to build one chain and to run backward through it. */
function timeChain(length: number): { build: number; backward: number } {
  const started = performance.now();
  const { x, y } = buildChain(length);
  const built = performance.now();
  tensorBackward(y);
  const finished = performance.now();
  if (!x.grad) throw new Error('no gradient reached the leaf');
  return { build: built - started, backward: finished - built };
}

export async function scalarGraphBenchmarks(): Promise<Figure[]> {
  // Warmed up as the peer is (timeIt's warm-up round): the first chain pays for compiling the op path.
  timeChain(peerChainLength * 50);
  // Memory per node counts the JS heap and array buffers (the scalar tape's rows are typed arrays).
  // The event loop does not turn before the chain is built, so the warm-up's rows are not yet back
  // in the pool (tapeRows.ts): the chain's rows are all new, and counted.
  const memoryInUse = () => {
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    return heapUsed + arrayBuffers;
  };
  collect();
  const memoryBefore = memoryInUse();
  const bytesPerNode = (() => {
    const { y } = buildChain(chainLength);
    collect();
    if (!y.requiresGrad) throw new Error('the chain was not recorded');
    return (memoryInUse() - memoryBefore) / chainLength;
  })();
  // The median of three chains, as the peer's figure is the median of three rounds. Each is a run
  // of its own, as the editor's runs are: the previous run's tapes are collected (see scalarTape.ts),
  // and the event loop turns, which returns their rows to the pool (tapeRows.ts).
  const runs: { build: number; backward: number }[] = [];
  for (let run = 0; run < 3; run++) {
    collect();
    await new Promise((resolve) => setImmediate(resolve));
    runs.push(timeChain(chainLength));
  }
  runs.sort((a, b) => a.build + a.backward - (b.build + b.backward));
  const { build, backward } = runs[1];
  const oursPerOp = (build + backward) / chainLength;
  console.log(JSON.stringify({ name: 'scalar graph memory per node', bytes: Math.round(bytesPerNode), limit: 200, build_ms: Math.round(build), backward_ms: Math.round(backward) }));

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
