// Activation functions (torch.sigmoid, F.relu, F.gelu, …), with backward rules after derivatives.yaml.
import { erf } from '../backends/cpu/special';
import type { Tensor } from '../tensor/tensor';
import { apply } from './apply';
import { eluBackward, geluBackward, leakyReluBackward, sigmoidBackward, softplusBackward, thresholdBackward } from './activationBackward';
import { addScalar, mul, mulScalar, neg, powScalar, rsubScalar } from './arithmetic';
import { unaryOp } from './elementwise';
import { exp } from './unaryMath';

const sigmoidOf = (x: number) => 1 / (1 + Math.exp(-x));

// d/dx σ(x) = σ(x)(1 - σ(x))
export const sigmoidOp = unaryOp({
  name: 'sigmoid',
  nodeName: 'SigmoidBackward0',
  kernel: sigmoidOf,
  backward: (g, c) => sigmoidBackward(g, c.output()),
  scalarBackward: { reads: ['output'], of: ({ g, output, round }) => round(round(g * round(1 - output)) * output) },
});

// d/dx max(x, 0) = 1 where x > 0
export const reluOp = unaryOp({
  name: 'relu',
  nodeName: 'ReluBackward0',
  kernel: (x) => (x > 0 ? x : Number.isNaN(x) ? x : 0),
  backward: (g, c) => thresholdBackward(g, c.output(), 0),
  scalarBackward: { reads: ['output'], of: ({ g, output }) => (output > 0 ? g : 0) },
  dtype: 'same',
});

export type LeakyReluAttrs = { readonly negativeSlope: number };
// d/dx leaky_relu(x) = 1 where x > 0, else the slope
export const leakyReluOp = unaryOp<LeakyReluAttrs>({
  name: 'leaky_relu',
  nodeName: 'LeakyReluBackward0',
  kernel: (x, { negativeSlope }) => (x > 0 ? x : x * negativeSlope),
  backward: (g, c) => leakyReluBackward(g, c.input(0), c.attrs.negativeSlope),
  describeAttrs: ({ negativeSlope }) => `negative_slope=${negativeSlope}`,
});

export type EluAttrs = { readonly alpha: number };
// d/dx elu(x) = 1 where x > 0, else α eˣ
export const eluOp = unaryOp<EluAttrs>({
  name: 'elu',
  nodeName: 'EluBackward0',
  kernel: (x, { alpha }) => (x > 0 ? x : alpha * Math.expm1(x)),
  backward: (g, c) => eluBackward(g, c.input(0), c.attrs.alpha),
  describeAttrs: ({ alpha }) => `alpha=${alpha}`,
});

export type GeluAttrs = { readonly approximate: 'none' | 'tanh' };
const sqrtTwoOverPi = Math.sqrt(2 / Math.PI);
const tanhInner = (x: number) => sqrtTwoOverPi * (x + 0.044715 * x * x * x);
export const geluOp = unaryOp<GeluAttrs>({
  name: 'gelu',
  nodeName: 'GeluBackward0',
  kernel: (x, { approximate }) =>
    approximate === 'tanh' ? 0.5 * x * (1 + Math.tanh(tanhInner(x))) : 0.5 * x * (1 + erf(x / Math.SQRT2)),
  backward: (g, c) => geluBackward(g, c.input(0), c.attrs.approximate),
  describeAttrs: ({ approximate }) => (approximate === 'none' ? '' : `approximate='${approximate}'`),
});

// d/dx erf(x) = 2/√π e^(-x²)
export const erfOp = unaryOp({
  name: 'erf',
  nodeName: 'ErfBackward0',
  kernel: erf,
  // 2.0 / sqrt(π) · exp(-(x²)) · grad, as derivatives.yaml writes it
  backward: (g, c) => mul(mulScalar(exp(neg(powScalar(c.input(0), 2))), 2 / Math.sqrt(Math.PI)), g),
});

// d/dx xσ(x) = σ(x)(1 + x(1 - σ(x)))
export const siluOp = unaryOp({
  name: 'silu',
  nodeName: 'SiluBackward0',
  kernel: (x) => x * sigmoidOf(x),
  // grad · σ · (1 + x (1 - σ)), in that order
  backward: (g, c) => {
    const s = sigmoid(c.input(0));
    return mul(mul(g, s), addScalar(mul(c.input(0), rsubScalar(s, 1)), 1));
  },
});

export type SoftplusAttrs = { readonly beta: number; readonly threshold: number };
// softplus(x) = log(1 + e^(βx))/β, linear above the threshold; d/dx = σ(βx)
export const softplusOp = unaryOp<SoftplusAttrs>({
  name: 'softplus',
  nodeName: 'SoftplusBackward0',
  kernel: (x, { beta, threshold }) => (x * beta > threshold ? x : Math.log1p(Math.exp(x * beta)) / beta),
  backward: (g, c) => softplusBackward(g, c.input(0), c.attrs),
  describeAttrs: ({ beta, threshold }) => (beta === 1 && threshold === 20 ? '' : `beta=${beta}, threshold=${threshold}`),
});

export const sigmoid = (a: Tensor): Tensor => apply(sigmoidOp, [a], undefined);
export const relu = (a: Tensor): Tensor => apply(reluOp, [a], undefined);
export const leakyRelu = (a: Tensor, negativeSlope = 0.01): Tensor => apply(leakyReluOp, [a], { negativeSlope });
export const elu = (a: Tensor, alpha = 1): Tensor => apply(eluOp, [a], { alpha });
export const gelu = (a: Tensor, approximate: GeluAttrs['approximate'] = 'none'): Tensor => apply(geluOp, [a], { approximate });
export const erfFunction = (a: Tensor): Tensor => apply(erfOp, [a], undefined);
export const silu = (a: Tensor): Tensor => apply(siluOp, [a], undefined);
export const softplus = (a: Tensor, beta = 1, threshold = 20): Tensor => apply(softplusOp, [a], { beta, threshold });
