// One training step of a 784-256-10 MLP (batch 64, relu, cross-entropy, backward, SGD), against
// TensorFlow.js's CPU backend running the same step with tf.variableGrads.
import { tensorBackward } from '../engine/autograd/tensorBackward';
import { relu } from '../engine/ops/activations';
import { mul } from '../engine/ops/arithmetic';
import { crossEntropy, linear } from '../engine/ops/neural';
import { Sgd } from '../engine/optim/sgd';
import { randint, randn, zeros } from '../engine/tensor/factories';
import type { Tensor } from '../engine/tensor/tensor';
import { type Figure, report, timeIt } from './measure';
import { tf, usePeer } from './peers';

const [batch, inputs, hidden, classes] = [64, 784, 256, 10];
const learningRate = 0.01;

function ourStep(): () => void {
  const parameter = (t: Tensor) => {
    const leaf = t.detach();
    leaf.requiresGrad = true;
    return leaf;
  };
  const x = randn([batch, inputs]);
  const labels = randint(0, classes, [batch]);
  const weights = [parameter(mul(randn([hidden, inputs]), 0.05)), parameter(zeros([hidden])), parameter(mul(randn([classes, hidden]), 0.05)), parameter(zeros([classes]))];
  const [w1, b1, w2, b2] = weights;
  const sgd = new Sgd(weights, { lr: learningRate, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
  return () => {
    const loss = crossEntropy(linear(relu(linear(x, w1, b1)), w2, b2), labels);
    tensorBackward(loss);
    sgd.step();
    for (const w of weights) w.grad = null;
  };
}

function peerStep(): () => void {
  const x = tf.randomNormal([batch, inputs]);
  const labels = tf.oneHot(tf.randomUniform([batch], 0, classes, 'int32'), classes);
  const w1 = tf.variable(tf.mul(tf.randomNormal([inputs, hidden]), 0.05));
  const b1 = tf.variable(tf.zeros([hidden]));
  const w2 = tf.variable(tf.mul(tf.randomNormal([hidden, classes]), 0.05));
  const b2 = tf.variable(tf.zeros([classes]));
  const optimizer = tf.train.sgd(learningRate);
  return () => {
    const { value, grads } = tf.variableGrads(() =>
      tf.losses.softmaxCrossEntropy(labels, tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2)) as tf.Scalar,
    );
    optimizer.applyGradients(grads);
    value.dispose();
    Object.values(grads).forEach((g) => g.dispose());
  };
}

export async function mlpBenchmarks(): Promise<Figure[]> {
  const ours = timeIt(ourStep(), { rounds: 5, minRoundMs: 300 });
  await usePeer('cpu');
  const peer = timeIt(peerStep(), { rounds: 3, minRoundMs: 300 });
  return [report('MLP step 784-256-10, batch 64', ours, 'tfjs-cpu', peer)];
}
