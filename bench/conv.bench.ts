// conv2d forward and backward (batch 8, 3→16 channels, 32×32, 3×3 kernel, padding 1), gradients of
// the input, weight and bias, against TensorFlow.js's CPU backend computing the same with tf.grads.
import { tensorBackward } from '../engine/autograd/tensorBackward';
import { conv2d } from '../engine/ops/convolution';
import { sum } from '../engine/ops/reduce';
import { randn } from '../engine/tensor/factories';
import type { Tensor } from '../engine/tensor/tensor';
import { type Figure, report, timeIt } from './measure';
import { tf, usePeer } from './peers';

const [batch, inChannels, outChannels, size, kernel] = [8, 3, 16, 32, 3];

function ourStep(): () => void {
  const leaf = (t: Tensor) => {
    const l = t.detach();
    l.requiresGrad = true;
    return l;
  };
  const x = leaf(randn([batch, inChannels, size, size]));
  const w = leaf(randn([outChannels, inChannels, kernel, kernel]));
  const b = leaf(randn([outChannels]));
  return () => {
    tensorBackward(sum(conv2d(x, w, b, { padding: 1 })));
    x.grad = w.grad = b.grad = null;
  };
}

function peerStep(): () => void {
  const x = tf.randomNormal([batch, size, size, inChannels]) as tf.Tensor4D;
  const w = tf.randomNormal([kernel, kernel, inChannels, outChannels]) as tf.Tensor4D;
  const b = tf.randomNormal([outChannels]) as tf.Tensor1D;
  const gradients = tf.grads((xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.add(tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, 1, 'same'), bi)));
  return () => {
    const results = gradients([x, w, b]);
    results.forEach((g) => {
      g.dataSync();
      g.dispose();
    });
  };
}

export async function convBenchmarks(): Promise<Figure[]> {
  const ours = timeIt(ourStep(), { rounds: 5, minRoundMs: 300 });
  await usePeer('cpu');
  const peer = timeIt(peerStep(), { rounds: 3, minRoundMs: 300 });
  return [report('conv2d forward+backward, batch 8, 3→16, 32×32, 3×3', ours, 'tfjs-cpu', peer)];
}
