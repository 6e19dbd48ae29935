// Every op that TensorFlow.js also has, forward and backward on the same random float32 inputs:
// an implementation written by others, so an agreement is independent evidence.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { tensorBackward } from '../../engine/autograd/tensorBackward';
import * as activations from '../../engine/ops/activations';
import * as arithmetic from '../../engine/ops/arithmetic';
import * as comparison from '../../engine/ops/comparison';
import { toDType } from '../../engine/ops/convert';
import { conv2d } from '../../engine/ops/convolution';
import { indexSelect, maskedFill, maskedSelect } from '../../engine/ops/indexing';
import { cat, repeat, split, stack, unbind } from '../../engine/ops/joins';
import * as linalg from '../../engine/ops/linalg';
import { binaryCrossEntropyWithLogits, linear, mseLoss } from '../../engine/ops/neural';
import { maxPool2d } from '../../engine/ops/pooling';
import * as reduce from '../../engine/ops/reduce';
import { type OpName, opRegistry } from '../../engine/ops/registry';
import { cumsum, flip, logSoftmax, softmax } from '../../engine/ops/scan';
import { clamp, clampMax, clampMin, maximum, minimum, where } from '../../engine/ops/selection';
import * as unary from '../../engine/ops/unaryMath';
import * as views from '../../engine/ops/views';
import { Tensor } from '../../engine/tensor/tensor';
import { seededRandom } from '../support/random';

type Comparison = {
  readonly shapes: readonly (readonly number[])[];
  readonly ours: (xs: Tensor[]) => Tensor;
  readonly tfjs: (...xs: tf.Tensor[]) => tf.Tensor;
  readonly domain?: readonly [number, number];
  /** Ops whose output is not differentiable (comparisons): forward only. */
  readonly forwardOnly?: boolean;
};

/** Why an op has no comparison: TensorFlow.js has no equivalent to check it against. */
type NoEquivalent = { readonly noTfjsEquivalent: string };

const indices = (values: number[]) => new Tensor(Float64Array.from(values), [values.length], 'int64');
const unaryCase = (ours: (a: Tensor) => Tensor, tfjs: (a: tf.Tensor) => tf.Tensor, domain?: readonly [number, number]): Comparison => ({ shapes: [[3, 4]], ours: ([a]) => ours(a), tfjs, ...(domain ? { domain } : {}) });
const binaryCase = (ours: (a: Tensor, b: Tensor) => Tensor, tfjs: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, domain?: readonly [number, number]): Comparison => ({ shapes: [[3, 4], [4]], ours: ([a, b]) => ours(a, b), tfjs, ...(domain ? { domain } : {}) });
const none = (reason: string): NoEquivalent => ({ noTfjsEquivalent: reason });
/** The same values without a gradient path (TensorFlow.js's tape has no gradient for comparisons at all). */
const outsideTape = (a: tf.Tensor) => tf.tensor(a.dataSync(), a.shape);
/** The flat positions where a tensor's values exceed a bound (tfjs has no masked_select; the gather of these is one). */
const flatIndicesWhere = (a: tf.Tensor, bound: number) => [...a.dataSync()].flatMap((value, i) => (value > bound ? [i] : []));
const nchwToNhwc = (x: tf.Tensor) => tf.transpose(x, [0, 2, 3, 1]);
const nhwcToNchw = (x: tf.Tensor) => tf.transpose(x, [0, 3, 1, 2]);

// Keyed by every op: an op added to the registry needs a comparison or a reason why there is none.
const comparisons: Record<OpName, Comparison | NoEquivalent> = {
  add: binaryCase(arithmetic.add, tf.add),
  sub: binaryCase(arithmetic.sub, tf.sub),
  addAlpha: binaryCase((a, b) => arithmetic.addWithAlpha(a, b, 2.5, false), (a, b) => tf.add(a, tf.mul(b, 2.5))),
  subAlpha: binaryCase((a, b) => arithmetic.addWithAlpha(a, b, -0.75, true), (a, b) => tf.sub(a, tf.mul(b, -0.75))),
  rsub: unaryCase((a) => arithmetic.sub(2, a), (a) => tf.sub(2, a)),
  mul: binaryCase(arithmetic.mul, tf.mul),
  div: binaryCase(arithmetic.div, tf.div, [0.5, 2]),
  // TensorFlow.js gives floorDiv the gradient of div; PyTorch defines zero (divRounded) or none (floorDivide).
  divRounded: { ...binaryCase((a, b) => arithmetic.divRounded(a, b, 'floor'), tf.floorDiv, [0.5, 2]), forwardOnly: true },
  floorDivide: { ...binaryCase(arithmetic.floorDivide, tf.floorDiv, [0.5, 2]), forwardOnly: true },
  remainder: binaryCase(arithmetic.remainder, tf.mod, [0.5, 2]),
  remainderScalar: unaryCase((a) => arithmetic.remainder(a, 0.7), (a) => tf.mod(a, 0.7)),
  remainderScalarTensor: { ...unaryCase((a) => arithmetic.remainder(1.3, a), (a) => tf.mod(1.3, a), [0.5, 2]), forwardOnly: true },
  mulScalar: unaryCase((a) => arithmetic.mulScalar(a, -1.5), (a) => tf.mul(a, -1.5)),
  addScalar: unaryCase((a) => arithmetic.addScalar(a, 2), (a) => tf.add(a, 2)),
  divScalar: unaryCase((a) => arithmetic.divScalar(a, 0.3), (a) => tf.div(a, 0.3)),
  neg: unaryCase(arithmetic.neg, tf.neg),
  reciprocal: unaryCase(arithmetic.reciprocal, tf.reciprocal, [0.5, 2]),
  powTensorScalar: unaryCase((a) => arithmetic.pow(a, 3), (a) => tf.pow(a, 3)),
  powTensorTensor: binaryCase(arithmetic.pow, tf.pow, [0.5, 2]),
  powScalarTensor: unaryCase((a) => arithmetic.pow(1.7, a), (a) => tf.pow(tf.scalar(1.7), a)),
  exp: unaryCase(unary.exp, tf.exp),
  log: unaryCase(unary.log, tf.log, [0.2, 3]),
  log1p: unaryCase(unary.log1p, tf.log1p, [-0.5, 3]),
  sqrt: unaryCase(unary.sqrt, tf.sqrt, [0.2, 3]),
  rsqrt: unaryCase(unary.rsqrt, tf.rsqrt, [0.2, 3]),
  sin: unaryCase(unary.sin, tf.sin),
  cos: unaryCase(unary.cos, tf.cos),
  tan: unaryCase(unary.tan, tf.tan, [-1.2, 1.2]),
  tanh: unaryCase(unary.tanh, tf.tanh),
  abs: unaryCase(unary.abs, tf.abs),
  sign: unaryCase(unary.sign, tf.sign),
  sgn: unaryCase(unary.sgn, tf.sign),
  sigmoid: unaryCase(activations.sigmoid, tf.sigmoid),
  relu: unaryCase(activations.relu, tf.relu),
  leakyRelu: unaryCase((a) => activations.leakyRelu(a, 0.2), (a) => tf.leakyRelu(a, 0.2)),
  elu: unaryCase((a) => activations.elu(a), tf.elu),
  gelu: none('TensorFlow.js 4.22 has no gelu'),
  erf: unaryCase(activations.erfFunction, tf.erf),
  silu: unaryCase(activations.silu, (a) => tf.mul(a, tf.sigmoid(a))),
  softplus: unaryCase((a) => activations.softplus(a), tf.softplus),
  tanhBackward: none('a backward function: covered by gradcheck, and by the tanh comparison\'s gradient'),
  sigmoidBackward: none('a backward function: covered by gradcheck, and by the sigmoid comparison\'s gradient'),
  thresholdBackward: none('a backward function: covered by gradcheck, and by the relu comparison\'s gradient'),
  leakyReluBackward: none('a backward function: covered by gradcheck, and by the leaky_relu comparison\'s gradient'),
  eluBackward: none('a backward function: covered by gradcheck, and by the elu comparison\'s gradient'),
  geluBackward: none('a backward function: covered by gradcheck'),
  softplusBackward: none('a backward function: covered by gradcheck, and by the softplus comparison\'s gradient'),
  clamp: unaryCase((a) => clamp(a, -0.5, 0.7), (a) => tf.clipByValue(a, -0.5, 0.7)),
  clampMin: unaryCase((a) => clampMin(a, 0.3), (a) => tf.maximum(a, 0.3)),
  clampMax: unaryCase((a) => clampMax(a, -0.3), (a) => tf.minimum(a, -0.3)),
  // Same shapes: TensorFlow.js 4.22 does not reduce broadcast gradients of minimum/maximum.
  minimum: { shapes: [[3, 4], [3, 4]], ours: ([a, b]) => minimum(a, b), tfjs: tf.minimum },
  maximum: { shapes: [[3, 4], [3, 4]], ours: ([a, b]) => maximum(a, b), tfjs: tf.maximum },
  where: { shapes: [[3, 4], [3, 4]], ours: ([a, b]) => where(comparison.gt(a, 0), a, b), tfjs: (a, b) => tf.where(tf.greater(outsideTape(a), 0), a, b) },
  eq: { ...binaryCase((a, b) => comparison.eq(arithmetic.mul(a, 0), arithmetic.mul(b, 0)), (a, b) => tf.equal(tf.mul(a, 0), tf.mul(b, 0))), forwardOnly: true },
  ne: { ...binaryCase(comparison.ne, tf.notEqual), forwardOnly: true },
  lt: { ...binaryCase(comparison.lt, tf.less), forwardOnly: true },
  le: { ...binaryCase(comparison.le, tf.lessEqual), forwardOnly: true },
  gt: { ...binaryCase(comparison.gt, tf.greater), forwardOnly: true },
  ge: { ...binaryCase(comparison.ge, tf.greaterEqual), forwardOnly: true },
  logicalAnd: { ...binaryCase((a, b) => comparison.logicalAnd(comparison.gt(a, 0), comparison.gt(b, 0)), (a, b) => tf.logicalAnd(tf.greater(a, 0), tf.greater(b, 0))), forwardOnly: true },
  logicalOr: { ...binaryCase((a, b) => comparison.logicalOr(comparison.gt(a, 0), comparison.gt(b, 0)), (a, b) => tf.logicalOr(tf.greater(a, 0), tf.greater(b, 0))), forwardOnly: true },
  logicalNot: { ...unaryCase((a) => comparison.logicalNot(comparison.gt(a, 0)), (a) => tf.logicalNot(tf.greater(a, 0))), forwardOnly: true },
  sum: unaryCase((a) => reduce.sum(a), (a) => tf.sum(a)),
  sumDim: unaryCase((a) => reduce.sum(a, 1, true), (a) => tf.sum(a, 1, true)),
  mean: unaryCase((a) => reduce.mean(a), (a) => tf.mean(a)),
  meanDim: unaryCase((a) => reduce.mean(a, 0), (a) => tf.mean(a, 0)),
  prod: unaryCase((a) => reduce.prod(a), (a) => tf.prod(a), [0.5, 1.5]),
  prodDim: unaryCase((a) => reduce.prod(a, 1), (a) => tf.prod(a, 1), [0.5, 1.5]),
  amax: unaryCase((a) => reduce.amax(a, 1), (a) => tf.max(a, 1)),
  amin: unaryCase((a) => reduce.amin(a, 0), (a) => tf.min(a, 0)),
  maxAll: unaryCase(reduce.maxAll, (a) => tf.max(a)),
  minAll: unaryCase(reduce.minAll, (a) => tf.min(a)),
  maxDim: unaryCase((a) => reduce.maxAlong(a, 1), (a) => tf.max(a, 1)),
  minDim: unaryCase((a) => reduce.minAlong(a, 0), (a) => tf.min(a, 0)),
  var: unaryCase((a) => reduce.variance(a, 1, 0), (a) => tf.moments(a, 1).variance),
  std: unaryCase((a) => reduce.std(a, 1, 0), (a) => tf.sqrt(tf.moments(a, 1).variance)),
  norm: unaryCase((a) => reduce.norm(a, 2, 1), (a) => tf.norm(a, 2, 1)),
  logsumexp: unaryCase((a) => reduce.logsumexp(a, 1), (a) => tf.logSumExp(a, 1)),
  sumTo: none('an internal op (the reverse of broadcasting); tested by broadcast gradients'),
  view: unaryCase((a) => views.view(a, [4, 3]), (a) => tf.reshape(a, [4, 3])),
  clone: unaryCase(views.clone, tf.clone),
  unsqueeze: unaryCase((a) => views.unsqueeze(a, 1), (a) => tf.expandDims(a, 1)),
  squeeze: { shapes: [[3, 1, 4]], ours: ([a]) => views.squeeze(a), tfjs: (a) => tf.squeeze(a) },
  squeezeAll: unaryCase((a) => views.squeeze(views.reshape(a, [3, 1, 4])), (a) => tf.squeeze(tf.reshape(a, [3, 1, 4]))),
  squeezeDims: unaryCase((a) => views.squeeze(views.reshape(a, [1, 3, 1, 4]), [0, 2]), (a) => tf.squeeze(tf.reshape(a, [1, 3, 1, 4]), [0, 2])),
  reshapeAlias: unaryCase((a) => views.reshape(views.permute(views.reshape(a, [3, 2, 2]), [1, 0, 2]), [2, 3, 2]), (a) => tf.reshape(tf.transpose(tf.reshape(a, [3, 2, 2]), [1, 0, 2]), [2, 3, 2])),
  unsafeView: unaryCase((a) => views.reshape(views.t(a), [12]), (a) => tf.reshape(tf.transpose(a), [12])),
  alias: unaryCase(views.alias, (a) => tf.clone(a)),
  permute: { shapes: [[2, 3, 4]], ours: ([a]) => views.permute(a, [2, 0, 1]), tfjs: (a) => tf.transpose(a, [2, 0, 1]) },
  transpose: unaryCase((a) => views.transpose(a, 0, 1), (a) => tf.transpose(a)),
  t: unaryCase(views.t, (a) => tf.transpose(a)),
  expand: { shapes: [[3, 1]], ours: ([a]) => views.expand(a, [2, 3, 4]), tfjs: (a) => tf.broadcastTo(a, [2, 3, 4]) },
  select: unaryCase((a) => views.select(a, 1, 2), (a) => tf.squeeze(tf.slice(a, [0, 2], [3, 1]), [1])),
  // Step 1: TensorFlow.js has no gradient for strided slices (steps are covered by gradcheck).
  slice: unaryCase((a) => views.slice(a, 1, 1, 3), (a) => tf.slice(a, [0, 1], [3, 2])),
  selectBackward: none('an internal op (the gradient of select)'),
  sliceBackward: none('an internal op (the gradient of slice)'),
  stridedScatter: none('an internal op (how an in-place write through a view reaches its base)'),
  stridedWindow: none('an internal op (a view\'s history after an in-place write)'),
  stridedWindowBackward: none('an internal op (the gradient of as_strided)'),
  cat: binaryCase((a, b) => cat([a, views.reshape(b, [1, 4])], 0), (a, b) => tf.concat([a, tf.reshape(b, [1, 4])], 0)),
  stack: { shapes: [[3, 4], [3, 4]], ours: ([a, b]) => stack([a, b], 1), tfjs: (a, b) => tf.stack([a, b], 1) },
  // Copies before reversing: TensorFlow.js's tape keeps the very array split returns.
  split: { shapes: [[4, 3]], ours: ([a]) => cat([...split(a, 2)].reverse(), 0), tfjs: (a) => tf.concat([...tf.split(a, 2)].reverse(), 0) },
  splitWithSizes: { shapes: [[4, 3]], ours: ([a]) => cat([...split(a, [1, 3])].reverse(), 0), tfjs: (a) => tf.concat([...tf.split(a, [1, 3])].reverse(), 0) },
  unbind: { shapes: [[4, 3]], ours: ([a]) => stack([...unbind(a, 1)].reverse(), 0), tfjs: (a) => tf.stack([...tf.unstack(a, 1)].reverse(), 0) },
  repeat: unaryCase((a) => repeat(a, [2, 3]), (a) => tf.tile(a, [2, 3])),
  gather: none("TensorFlow.js's gather picks whole slices; torch.gather picks elements (covered by gradcheck)"),
  scatterAdd: none('no scatter_add in TensorFlow.js (covered by gradcheck)'),
  index: unaryCase((a) => indexSelect(a, 0, indices([2, 0, 2])), (a) => tf.gather(a, [2, 0, 2], 0)),
  indexAccumulate: none('no index_put with accumulate in TensorFlow.js (covered by gradcheck)'),
  indexPut: none('no index_put in TensorFlow.js (covered by gradcheck)'),
  indexSelect: unaryCase((a) => indexSelect(a, 1, indices([3, 0])), (a) => tf.gather(a, [3, 0], 1)),
  maskedFill: unaryCase((a) => maskedFill(a, comparison.gt(a, 0.3), 2), (a) => tf.where(tf.greater(outsideTape(a), 0.3), tf.fill(a.shape, 2), a)),
  maskedSelect: unaryCase((a) => maskedSelect(a, comparison.gt(a, 0.3)), (a) => tf.gather(tf.reshape(a, [-1]), tf.tensor1d(flatIndicesWhere(outsideTape(a), 0.3), 'int32'))),
  cumsum: unaryCase((a) => cumsum(a, 1), (a) => tf.cumsum(a, 1)),
  flip: unaryCase((a) => flip(a, [0, 1]), (a) => tf.reverse(a, [0, 1])),
  softmaxBackward: none('a backward function: covered by gradcheck, and by the softmax comparison\'s gradient'),
  logSoftmaxBackward: none('a backward function: covered by gradcheck, and by the log_softmax comparison\'s gradient'),
  softmax: unaryCase((a) => softmax(a, 1), (a) => tf.softmax(a)),
  logSoftmax: unaryCase((a) => logSoftmax(a, 1), (a) => tf.logSoftmax(a)),
  mm: { shapes: [[3, 4], [4, 5]], ours: ([a, b]) => linalg.mm(a, b), tfjs: (a, b) => tf.matMul(a, b) },
  bmm: { shapes: [[2, 3, 4], [2, 4, 5]], ours: ([a, b]) => linalg.bmm(a, b), tfjs: (a, b) => tf.matMul(a, b) },
  dot: { shapes: [[4], [4]], ours: ([a, b]) => linalg.dot(a, b), tfjs: tf.dot },
  mv: { shapes: [[3, 4], [4]], ours: ([a, b]) => linalg.mv(a, b), tfjs: (a, b) => tf.reshape(tf.matMul(a, tf.reshape(b, [4, 1])), [3]) },
  conv2d: {
    shapes: [[2, 3, 6, 5], [4, 3, 3, 3]],
    ours: ([x, w]) => conv2d(x, w, undefined, { padding: 1 }),
    tfjs: (x, w) => nhwcToNchw(tf.conv2d(nchwToNhwc(x) as tf.Tensor4D, tf.transpose(w, [2, 3, 1, 0]) as tf.Tensor4D, 1, 'same')),
  },
  convInputGrad: none('the gradient of conv2d, compared through conv2d’s backward'),
  convWeightGrad: none('the gradient of conv2d, compared through conv2d’s backward'),
  maxPool2d: { shapes: [[2, 3, 6, 4]], ours: ([x]) => maxPool2d(x, 2), tfjs: (x) => nhwcToNchw(tf.maxPool(nchwToNhwc(x) as tf.Tensor4D, 2, 2, 'valid')) },
  maxPool2dBackward: none('a backward function: covered by gradcheck, and by the max_pool2d comparison\'s gradient'),
  addmm: { shapes: [[3, 4], [5, 4], [5]], ours: ([x, w, b]) => linear(x, w, b), tfjs: (x, w, b) => tf.add(tf.matMul(x, w, false, true), b) },
  dropout: none('random by design: TensorFlow.js would draw a different mask'),
  mseLoss: binaryCase((a, b) => mseLoss(a, views.expand(b, [3, 4])), (a, b) => tf.losses.meanSquaredError(tf.broadcastTo(b, [3, 4]), a)),
  nllLoss: none('no nll_loss in TensorFlow.js (cross-entropy is covered by gradcheck)'),
  binaryCrossEntropy: none('TensorFlow.js clamps with another epsilon'),
  binaryCrossEntropyWithLogits: binaryCase(
    (x, t) => binaryCrossEntropyWithLogits(x, views.expand(activations.sigmoid(t), [3, 4])),
    (x, t) => tf.losses.sigmoidCrossEntropy(tf.broadcastTo(tf.sigmoid(t), [3, 4]), x),
  ),
  copy: none('an in-place write; covered by gradcheck through copy_'),
  copySlices: none('an in-place write through a view; covered by gradcheck'),
  zero: none('an in-place write; covered by gradcheck through zero_'),
  fill: none('an in-place write; covered by gradcheck through fill_'),
  toDType: unaryCase((a) => toDType(toDType(a, 'float64'), 'float32'), (a) => tf.cast(tf.cast(a, 'float32'), 'float32')),
};

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: ${actual.length} values, expected ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const [a, e] = [actual[i], expected[i]];
    assert.ok(Math.abs(a - e) <= 1e-4 + 1e-3 * Math.abs(e), `${what}[${i}]: ours ${a}, TensorFlow.js ${e}`);
  }
}

describe('differential: every op against TensorFlow.js (CPU backend)', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  const random = seededRandom(4242);
  for (const name of Object.keys(opRegistry) as OpName[]) {
    const entry = comparisons[name];
    if ('noTfjsEquivalent' in entry) continue;
    it(`${name} (${opRegistry[name].nodeName})`, () => {
      const [low, high] = entry.domain ?? [-2, 2];
      const data = entry.shapes.map((shape) => Float32Array.from({ length: shape.reduce((x, y) => x * y, 1) }, () => {
        const value = low + (high - low) * random();
        return Math.abs(value) < 0.05 ? value + 0.1 : value;
      }));
      const ours = data.map((values, i) => new Tensor(values.slice(), entry.shapes[i], 'float32').setRequiresGrad(!entry.forwardOnly));
      const theirs = data.map((values, i) => tf.tensor(values, [...entry.shapes[i]]));
      const output = entry.ours(ours);
      const expected = entry.tfjs(...theirs);
      close(toDType(output, 'float32').data, expected.dataSync(), 'forward');
      if (entry.forwardOnly) return;
      // ∂/∂inputs of Σ (output ⊙ cotangent), with the same cotangent on both sides
      const cotangent = Float32Array.from({ length: output.numel }, () => random() * 2 - 1);
      tensorBackward(arithmetic.mul(output, new Tensor(cotangent, output.shape, 'float32')), { gradient: new Tensor(new Float32Array(output.numel).fill(1), output.shape, 'float32') });
      const gradients = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(entry.tfjs(...xs), tf.tensor(cotangent, expected.shape))))(theirs);
      ours.forEach((input, i) => close(input.grad?.data ?? new Float32Array(input.numel), gradients[i].dataSync(), `gradient of input ${i}`));
    });
  }
});
