// Every op in the registry, forward and backward: the analytical Jacobian against central finite
// differences in float64, on random inputs, with broadcasting where the op broadcasts.
import assert from 'node:assert/strict';
import { gradcheck, gradgradcheck } from '../../engine/autograd/gradcheck';
import { tensorBackward } from '../../engine/autograd/tensorBackward';
import { add, addScalar, addWithAlpha, div, divRounded, divScalar, floorDivide, mul, mulScalar, neg, pow, reciprocal, remainder, sub } from '../../engine/ops/arithmetic';
import { toDType } from '../../engine/ops/convert';
import {
  amax,
  amin,
  logsumexp,
  maxAll,
  maxAlong,
  mean,
  minAll,
  minAlong,
  norm,
  prod,
  std,
  sum,
  sumTo,
  variance,
} from '../../engine/ops/reduce';
import {
  alias,
  clone,
  expand,
  reshape,
  permute,
  select,
  slice,
  squeeze,
  selectBackwardOp,
  sliceBackwardOp,
  stridedScatterOp,
  stridedWindowBackwardOp,
  stridedWindowOp,
  t,
  transpose,
  unsqueeze,
  view,
} from '../../engine/ops/views';
import { apply } from '../../engine/ops/apply';
import type { GradCheckDomain, OpDefinition } from '../../engine/ops/opDefinition';
import { type OpName, opRegistry } from '../../engine/ops/registry';
import { abs, cos, exp, log, log1p, rsqrt, sgn, sign, sin, sqrt, tan, tanh } from '../../engine/ops/unaryMath';
import { eluBackward, geluBackward, leakyReluBackward, sigmoidBackward, softplusBackward, tanhBackward, thresholdBackward } from '../../engine/ops/activationBackward';
import { elu, erfFunction, gelu, leakyRelu, relu, sigmoid, silu, softplus } from '../../engine/ops/activations';
import { gt } from '../../engine/ops/comparison';
import { gather, index, indexAccumulateOp, indexPut, indexSelect, maskedFill, maskedSelect, scatterAddOp } from '../../engine/ops/indexing';
import { cat, repeat, split, stack, unbind } from '../../engine/ops/joins';
import { bmm, dot, mm, mv } from '../../engine/ops/linalg';
import { cumsum, flip, logSoftmax, logSoftmaxBackwardOp, softmax, softmaxBackwardOp } from '../../engine/ops/scan';
import { tensorFromNested, type NestedScalars } from '../../engine/tensor/create';
import { conv2d, convInputGradOp, convWeightGradOp } from '../../engine/ops/convolution';
import { copyInto, fillInPlace, zeroInPlace } from '../../engine/ops/inPlace';
import { binaryCrossEntropy, binaryCrossEntropyWithLogits, crossEntropy, dropout, linear, mseLoss, nllLoss } from '../../engine/ops/neural';
import { maxPool2d, maxPool2dBackwardOp } from '../../engine/ops/pooling';
import { clamp, clampMax, clampMin, maximum, minimum, where } from '../../engine/ops/selection';
import { Tensor } from '../../engine/tensor/tensor';
import { throwsMessage } from '../support/engineErrors';
import { seededRandom } from '../support/random';
import { manualSeed } from '../../engine/tensor/random';

type Shapes = readonly (readonly number[])[];

type GradCase = {
  /** Input shapes, fixed or drawn afresh for each trial; several entries check broadcasting. */
  readonly shapes: Shapes | ((random: () => number) => Shapes);
  readonly call: (inputs: Tensor[]) => Tensor | readonly Tensor[];
};

/** Ops with bool results: no gradient flows through them (their forward is tested elsewhere). */
const boolResult = 'bool result';
/** Ops PyTorch defines no derivative for: backward raises its error, checked below. */
const noDerivative = 'no derivative';

/** A random shape of rank 0 to 3, each size 1 to 4. */
function randomShape(random: () => number): number[] {
  return Array.from({ length: Math.floor(random() * 4) }, () => 1 + Math.floor(random() * 4));
}

/**
 * Two shapes that broadcast together: the second is a suffix of the first with some sizes set to
 * 1, and either may be the longer one.
 */
function broadcastPair(random: () => number): Shapes {
  const longer = randomShape(random);
  const shorter = longer.slice(Math.floor(random() * (longer.length + 1))).map((size) => (random() < 0.3 ? 1 : size));
  return random() < 0.5 ? [longer, shorter] : [shorter, longer];
}

const unary = (op: (a: Tensor) => Tensor): GradCase => ({ shapes: (random) => [randomShape(random)], call: ([a]) => op(a) });
const binary = (op: (a: Tensor, b: Tensor) => Tensor): GradCase => ({ shapes: broadcastPair, call: ([a, b]) => op(a, b) });

// Keyed by every op name: an op added to the registry without a case here does not compile.
const cases: Record<OpName, GradCase | typeof boolResult | typeof noDerivative> = {
  add: binary(add),
  sub: binary(sub),
  addAlpha: binary((a, b) => addWithAlpha(a, b, 2.5, false)),
  subAlpha: binary((a, b) => addWithAlpha(a, b, -0.75, true)),
  rsub: { shapes: [[4]], call: ([a]) => sub(2.5, a) },
  mul: binary(mul),
  div: binary(div),
  // Step functions: zero gradients, which central differences confirm away from the steps.
  divRounded: { shapes: broadcastPair, call: ([a, b]) => add(divRounded(a, b, 'floor'), divRounded(a, b, 'trunc')) },
  remainder: { shapes: broadcastPair, call: ([a, b]) => remainder(a, b) },
  remainderScalar: unary((a) => remainder(a, 0.7)),
  remainderScalarTensor: noDerivative,
  mulScalar: unary((a) => mulScalar(a, -1.5)),
  addScalar: unary((a) => mul(addScalar(a, 2), a)),
  divScalar: unary((a) => divScalar(mul(a, a), 0.3)),
  floorDivide: noDerivative,
  neg: unary(neg),
  reciprocal: unary(reciprocal),
  powTensorScalar: { shapes: [[5]], call: ([a]) => add(pow(a, 3), pow(a, 2.5)) },
  powTensorTensor: binary(pow),
  powScalarTensor: { shapes: [[4]], call: ([a]) => pow(1.7, a) },
  exp: unary(exp),
  log: unary(log),
  sqrt: unary(sqrt),
  sin: unary(sin),
  cos: unary(cos),
  tanh: unary(tanh),
  log1p: unary(log1p),
  rsqrt: unary(rsqrt),
  tan: unary(tan),
  abs: unary(abs),
  sign: unary(sign),
  sgn: unary(sgn),
  sigmoid: unary(sigmoid),
  relu: unary(relu),
  leakyRelu: unary((a) => leakyRelu(a, 0.2)),
  elu: unary((a) => elu(a, 1.3)),
  gelu: unary((a) => add(gelu(a), gelu(mul(a, 0.7), 'tanh'))),
  erf: unary(erfFunction),
  silu: unary(silu),
  softplus: unary((a) => add(softplus(a), softplus(a, 3, 2))),
  // The activations' backward functions, each of (grad_output, saved value).
  tanhBackward: { shapes: [[3], [3]], call: ([g, y]) => tanhBackward(g, y) },
  sigmoidBackward: { shapes: [[3], [3]], call: ([g, y]) => sigmoidBackward(g, y) },
  thresholdBackward: { shapes: [[4], [4]], call: ([g, x]) => thresholdBackward(g, x, 0.2) },
  leakyReluBackward: { shapes: [[4], [4]], call: ([g, x]) => leakyReluBackward(g, x, 0.3) },
  eluBackward: { shapes: [[4], [4]], call: ([g, x]) => eluBackward(g, x, 1.3) },
  geluBackward: { shapes: [[4], [4]], call: ([g, x]) => geluBackward(g, x, 'none') },
  softplusBackward: { shapes: [[4], [4]], call: ([g, x]) => add(softplusBackward(g, x, { beta: 1, threshold: 20 }), softplusBackward(g, x, { beta: 2, threshold: 1 })) },
  clamp: unary((a) => add(clamp(a, -1, 1), add(clamp(a, 0.5, undefined), clamp(a, undefined, -0.5)))),
  clampMin: unary((a) => clampMin(a, 0.3)),
  clampMax: unary((a) => clampMax(a, -0.3)),
  minimum: binary(minimum),
  maximum: binary(maximum),
  where: { shapes: broadcastPair, call: ([a, b]) => where(gt(a, 0), a, mul(b, b)) },
  eq: boolResult,
  ne: boolResult,
  lt: boolResult,
  le: boolResult,
  gt: boolResult,
  ge: boolResult,
  logicalAnd: boolResult,
  logicalOr: boolResult,
  logicalNot: boolResult,
  sum: unary((a) => sum(a)),
  sumDim: { shapes: [[2, 3, 4]], call: ([a]) => mul(sum(a, [0, 2], true), sum(a, 1, true)) },
  mean: unary((a) => mean(a)),
  meanDim: { shapes: [[2, 3, 4]], call: ([a]) => mean(a, -1) },
  prod: unary((a) => prod(a)),
  prodDim: { shapes: [[3, 4]], call: ([a]) => prod(a, 1, true) },
  amax: { shapes: [[3, 4]], call: ([a]) => add(amax(a), amax(a, 0)) },
  amin: { shapes: [[3, 4]], call: ([a]) => amin(a, [0, 1], true) },
  maxAll: unary(maxAll),
  minAll: unary(minAll),
  maxDim: { shapes: [[3, 4]], call: ([a]) => maxAlong(a, 1) },
  minDim: { shapes: [[3, 4]], call: ([a]) => minAlong(a, 0, true) },
  var: { shapes: [[3, 4]], call: ([a]) => add(variance(a, 1), variance(a, undefined, 0)) },
  std: { shapes: [[3, 4]], call: ([a]) => add(std(a, 0), std(a, undefined)) },
  norm: { shapes: [[3, 4]], call: ([a]) => [norm(a), norm(a, 1, 1), norm(a, 3, 0), norm(a, Infinity, undefined, true)] },
  logsumexp: { shapes: [[3, 4]], call: ([a]) => logsumexp(a, 1) },
  sumTo: { shapes: [[2, 3]], call: ([a]) => sumTo(a, [1, 3]) },
  view: { shapes: [[2, 3]], call: ([a]) => mul(view(a, [3, -1]), 2) },
  clone: unary(clone),
  unsqueeze: { shapes: [[2, 3]], call: ([a]) => unsqueeze(a, -1) },
  squeeze: { shapes: [[3, 1, 2]], call: ([a]) => squeeze(a, 1) },
  squeezeAll: { shapes: [[3, 1, 2, 1]], call: ([a]) => squeeze(a) },
  squeezeDims: { shapes: [[1, 3, 1, 2]], call: ([a]) => squeeze(a, [0, 1, 2]) },
  // Reshapes that cannot view contiguously: an aliasing view, and a copy.
  reshapeAlias: { shapes: [[2, 3, 4]], call: ([a]) => reshape(permute(a, [1, 0, 2]), [3, 2, 2, 2]) },
  unsafeView: { shapes: [[2, 3]], call: ([a]) => reshape(t(a), [6]) },
  alias: { shapes: [[2, 3]], call: ([a]) => alias(a) },
  permute: { shapes: [[2, 3, 4]], call: ([a]) => mul(permute(a, [2, 0, 1]), 3) },
  transpose: { shapes: [[2, 3]], call: ([a]) => transpose(a, 0, 1) },
  t: { shapes: [[2, 3]], call: ([a]) => t(a) },
  expand: { shapes: [[3, 1]], call: ([a]) => expand(a, [2, 3, 4]) },
  select: { shapes: [[2, 3]], call: ([a]) => select(a, 1, -1) },
  slice: { shapes: [[2, 5]], call: ([a]) => add(slice(a, 1, 0, 4, 2), slice(a, 1, 1, undefined, 2)) },
  selectBackward: { shapes: [[2]], call: ([a]) => apply(selectBackwardOp, [a], { baseShape: [2, 2], window: { shape: [2], strides: [2], offset: 1 } }) },
  sliceBackward: { shapes: [[2, 2]], call: ([a]) => apply(sliceBackwardOp, [a], { baseShape: [2, 5], window: { shape: [2, 2], strides: [5, 2], offset: 1 } }) },
  stridedScatter: { shapes: [[2, 3], [2]], call: ([a, b]) => apply(stridedScatterOp, [a, b], { window: { shape: [2], strides: [3], offset: 1 } }) },
  stridedWindow: { shapes: [[2, 2]], call: ([a]) => apply(stridedWindowOp, [a], { window: { shape: [2], strides: [2], offset: 1 } }) },
  // An expanded window holds a position twice: its gradient adds both.
  stridedWindowBackward: { shapes: [[3, 2]], call: ([a]) => apply(stridedWindowBackwardOp, [a], { baseShape: [2, 2], window: { shape: [3, 2], strides: [0, 2], offset: 1 } }) },
  toDType: { shapes: [[3]], call: ([a]) => toDType(mul(toDType(a, 'float32'), 3), 'float64') },
  cat: { shapes: [[2, 3], [2, 1]], call: ([a, b]) => cat([a, b, a], 1) },
  stack: { shapes: [[2, 3], [2, 3]], call: ([a, b]) => stack([a, b], 1) },
  split: { shapes: [[5, 2]], call: ([a]) => split(a, 2) },
  unbind: { shapes: [[3, 2]], call: ([a]) => unbind(a, 1) },
  splitWithSizes: { shapes: [[2, 5]], call: ([a]) => split(a, [1, 4], 1).slice(1) },
  repeat: { shapes: [[2, 3]], call: ([a]) => repeat(a, [2, 1, 3]) },
  gather: { shapes: [[3, 4]], call: ([a]) => gather(a, 1, indices([[0, 0], [3, 1], [2, 3]])) },
  scatterAdd: { shapes: [[3, 2]], call: ([a]) => apply(scatterAddOp, [a], { dim: 1, index: indices([[0, 0], [3, 1], [2, 3]]), shape: [3, 4] }) },
  index: { shapes: [[4, 3]], call: ([a]) => index(a, [null, indices([2, 0, 2])]) },
  indexAccumulate: { shapes: [[3]], call: ([a]) => apply(indexAccumulateOp, [a], { indices: [indices([1, 1, 3])], shape: [4] }) },
  indexPut: { shapes: [[4, 3], [3]], call: ([a, b]) => indexPut(a, [indices([0, 2])], b) },
  indexSelect: { shapes: [[4, 3]], call: ([a]) => indexSelect(a, 0, indices([3, 0, 3])) },
  maskedSelect: { shapes: [[2, 3]], call: ([a]) => maskedSelect(a, gt(a, 0.5)) },
  maskedFill: { shapes: [[2, 3]], call: ([a]) => maskedFill(a, gt(a, 0.5), 2) },
  cumsum: { shapes: [[3, 4]], call: ([a]) => mul(cumsum(a, 1), cumsum(a, 0)) },
  softmax: { shapes: [[3, 4]], call: ([a]) => softmax(a, 1) },
  softmaxBackward: { shapes: [[3, 4], [3, 4]], call: ([g, a]) => apply(softmaxBackwardOp, [g, softmax(a, 0)], { dim: 0 }) },
  logSoftmaxBackward: { shapes: [[3, 4], [3, 4]], call: ([g, a]) => apply(logSoftmaxBackwardOp, [g, logSoftmax(a, 1)], { dim: 1 }) },
  flip: { shapes: [[3, 4]], call: ([a]) => mul(flip(a, [0, 1]), a) },
  logSoftmax: { shapes: [[3, 4]], call: ([a]) => logSoftmax(a, 0) },
  mm: { shapes: [[3, 4], [4, 5]], call: ([a, b]) => mm(a, b) },
  bmm: { shapes: [[2, 3, 4], [2, 4, 2]], call: ([a, b]) => bmm(a, b) },
  dot: { shapes: [[4], [4]], call: ([a, b]) => dot(a, b) },
  mv: { shapes: [[3, 4], [4]], call: ([a, b]) => mv(a, b) },
  conv2d: { shapes: [[2, 2, 5, 4], [3, 2, 3, 2], [3]], call: ([x, w, b]) => conv2d(x, w, b, { stride: [2, 1], padding: 1 }) },
  convInputGrad: { shapes: [[1, 3, 3, 3], [3, 2, 3, 3]], call: ([g, w]) => apply(convInputGradOp, [g, w], { ...convAttrs, inputShape: [1, 2, 3, 3] }) },
  convWeightGrad: { shapes: [[1, 2, 3, 3], [1, 3, 3, 3]], call: ([x, g]) => apply(convWeightGradOp, [x, g], { ...convAttrs, weightShape: [3, 2, 3, 3] }) },
  maxPool2d: { shapes: [[1, 2, 4, 5]], call: ([x]) => [maxPool2d(x, 2, { stride: [2, 1], padding: 1 }), maxPool2d(view(x, [2, 4, 5]), [3, 2], { stride: 1 })] },
  // Overlapping windows (stride 1) add up; x only chooses the positions, so its gradient is zero.
  maxPool2dBackward: { shapes: [[2, 3, 4], [2, 4, 5]], call: ([g, x]) => apply(maxPool2dBackwardOp, [g, x], { kernel: [2, 2], stride: [1, 1], padding: [0, 0], dilation: [1, 1], ceilMode: false }) },
  addmm: { shapes: [[3, 4], [4, 5], [5]], call: ([x, w, b]) => linear(x, t(w), b) },
  dropout: {
    shapes: [[3, 4]],
    call: ([x]) => {
      // Dropout draws its mask when it runs: the same seed for every evaluation keeps the function fixed.
      manualSeed(7);
      return dropout(x, 0.3);
    },
  },
  mseLoss: { shapes: [[3, 4], [3, 4]], call: ([x, y]) => [mseLoss(x, y), mseLoss(x, y, 'none')] },
  nllLoss: { shapes: [[3, 4]], call: ([x]) => [nllLoss(x, indices([1, 3, 0])), crossEntropy(x, indices([2, -100, 1]), { weight: weights, ignoreIndex: -100 })] },
  binaryCrossEntropy: { shapes: [[3, 2], [3, 2]], call: ([p, t]) => binaryCrossEntropy(p, t, 'sum') },
  binaryCrossEntropyWithLogits: { shapes: [[3, 2], [3, 2]], call: ([x, t]) => [binaryCrossEntropyWithLogits(x, t), binaryCrossEntropyWithLogits(x, t, 'sum', posWeight)] },
  copy: { shapes: [[3], [1]], call: ([a, b]) => copyInto(mul(a, 2), b) },
  // The written values replace the old ones, which get zero gradient: only y = a * a's other path remains.
  zero: { shapes: [[3]], call: ([a]) => add(zeroInPlace(mul(a, 2)), mul(a, a)) },
  fill: { shapes: [[3]], call: ([a]) => add(fillInPlace(mul(a, 2), 1.5), mul(a, a)) },
  copySlices: {
    shapes: [[2, 3], [3]],
    call: ([a, b]) => {
      const y = mul(a, a);
      copyInto(select(y, 0, 1), mul(b, 3));
      return y;
    },
  },
};

/** An int64 index tensor from nested numbers. */
const indices = (values: number | readonly unknown[]): Tensor => {
  const nest = (v: unknown): NestedScalars => (Array.isArray(v) ? v.map(nest) : { value: v as number, kind: 'int' });
  return tensorFromNested(nest(values));
};

const convAttrs = { stride: [1, 1], padding: [1, 1], dilation: [1, 1] } as const;
const weights = new Tensor(Float64Array.from([0.5, 2, 1, 3]), [4], 'float64');
const posWeight = new Tensor(Float64Array.from([2, 0.5]), [2], 'float64');

const drawShapes = (gradCase: GradCase, random: () => number): Shapes => (typeof gradCase.shapes === 'function' ? gradCase.shapes(random) : gradCase.shapes);

const defaultDomain: GradCheckDomain = { min: -2, max: 2 };

function randomInput(shape: readonly number[], domain: GradCheckDomain, random: () => number): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  // Stay away from 0, where abs and sign have no derivative and powers of negative bases are undefined.
  const data = Float64Array.from({ length: size }, () => {
    const value = domain.min + (domain.max - domain.min) * random();
    return Math.abs(value) < 0.1 ? value + 0.3 : value;
  });
  return new Tensor(data, shape, 'float64').setRequiresGrad(true);
}

describe('first and second derivatives of every op against finite differences (float64)', () => {
  const random = seededRandom(2026);
  for (const name of Object.keys(opRegistry) as OpName[]) {
    const op = opRegistry[name];
    const gradCase = cases[name];
    if (gradCase === boolResult || gradCase === noDerivative) continue;
    it(`${name} (${op.nodeName})`, () => {
      const needsPositive = name === 'powTensorTensor' || name === 'powTensorScalar';
      const domain = op.gradCheckDomain ?? (needsPositive ? { min: 0.5, max: 2 } : defaultDomain);
      for (let trial = 0; trial < 4; trial++) {
        const inputs = drawShapes(gradCase, random).map((shape) => randomInput(shape, domain, random));
        // float32 inside toDType's case is too coarse for float64 tolerances: a looser bound there.
        const options = name === 'toDType' ? { eps: 1e-3, atol: 1e-3 } : {};
        const result = gradcheck(gradCase.call, inputs, options);
        assert.ok(result.ok, result.mismatch);
      }
    });
    it(`${name} (${op.nodeName}): second derivatives`, () => {
      const needsPositive = name === 'powTensorTensor' || name === 'powTensorScalar';
      const domain = op.gradCheckDomain ?? (needsPositive ? { min: 0.5, max: 2 } : defaultDomain);
      const inputs = drawShapes(gradCase, random).map((shape) => randomInput(shape, domain, random));
      const options = name === 'toDType' ? { eps: 1e-3, atol: 1e-3 } : {};
      const result = gradgradcheck(gradCase.call, inputs, random, options);
      assert.ok(result.ok, result.mismatch);
    });
  }

  it('floor_divide has no derivative: backward raises PyTorch\'s error', () => {
    const x = randomInput([3], defaultDomain, seededRandom(4));
    throwsMessage(() => tensorBackward(sum(floorDivide(x, 0.7))), 'derivative for aten::floor_divide is not implemented');
    throwsMessage(() => tensorBackward(sum(remainder(0.7, x))), 'derivative for aten::remainder is not implemented');
  });

  it('detects a wrong gradient (the check itself can fail)', () => {
    // d/dx x² written as x instead of 2x must be caught.
    const wrongSquare: OpDefinition = {
      name: 'square',
      nodeName: 'WrongSquareBackward',
      forward: ([a]) => ({ data: a.data.map((v) => v * v), shape: a.shape, dtype: a.dtype }),
      backward: (grad, context) => [mul(grad, context.input(0))],
    };
    const result = gradcheck(([a]) => apply(wrongSquare, [a], undefined), [randomInput([3], defaultDomain, seededRandom(1))]);
    assert.equal(result.ok, false);
  });

  it('detects a backward rule that is right once but not differentiable (the second-order check can fail)', () => {
    // d/dx x² = 2x computed outside the graph: first derivatives agree, second derivatives do not.
    const opaqueSquare: OpDefinition = {
      name: 'square',
      nodeName: 'OpaqueSquareBackward',
      forward: ([a]) => ({ data: a.data.map((v) => v * v), shape: a.shape, dtype: a.dtype }),
      backward: (grad, context) => [new Tensor(context.input(0).data.map((v, i) => 2 * v * grad.data[i]), grad.shape, grad.dtype)],
    };
    const inputs = [randomInput([3], defaultDomain, seededRandom(2))];
    const square = ([a]: Tensor[]) => apply(opaqueSquare, [a], undefined);
    assert.equal(gradcheck(square, inputs).ok, true);
    assert.equal(gradgradcheck(square, inputs, seededRandom(3)).ok, false);
  });
});
