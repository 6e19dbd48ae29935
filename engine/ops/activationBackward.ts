// The backward functions of the activations, each an op of its own as in PyTorch (tanh_backward,
// sigmoid_backward, threshold_backward…): a first-order gradient is one node, named as PyTorch
// names it under create_graph (TanhBackwardBackward0), and is differentiated by its own rules
// (derivatives.yaml) for second order. Inputs are (grad_output, the saved value).
import { erf } from '../backends/cpu/special';
import { zerosLike } from '../tensor/create';
import type { DType } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';
import { apply } from './apply';
import { add, addScalar, mul, mulScalar, powScalar, rsubScalar, sub } from './arithmetic';
import { binaryForward } from './elementwise';
import type { OpDefinition } from './opDefinition';
import { where } from './selection';
import { le, lt } from './comparison';
import { toDType } from './convert';
import { sigmoid } from './activations';
import { exp, tanh } from './unaryMath';

/** Rounding to a dtype after each step, as the kernel's arithmetic in that dtype rounds. */
const rounding = (dtype: DType) => (dtype === 'float32' ? Math.fround : (x: number) => x);

/** An elementwise function of (grad_output, saved value) with attributes: the forward of a backward op. */
function pointwise<Attrs>(kernel: (gradOutput: number, saved: number, attrs: Attrs, round: (x: number) => number) => number) {
  return ([gradOutput, saved]: readonly Tensor[], attrs: Attrs) =>
    binaryForward((g, v, dtype) => kernel(g, v, attrs, rounding(dtype)), 'floating')([gradOutput, saved]);
}

const bothNeeded = <A>(c: { needsInputGrad(index: number): boolean }, first: () => A, second: () => A) => [c.needsInputGrad(0) ? first() : null, c.needsInputGrad(1) ? second() : null];

// tanh_backward(g, y) = g (1 - y²); d/dg = 1 - y², d/dy = -2 y g
export const tanhBackwardOp: OpDefinition = {
  name: 'tanh_backward',
  nodeName: 'TanhBackwardBackward0',
  forward: pointwise((g, y, _attrs: void, round) => round(g * round(1 - round(y * y)))),
  backward: (grad, c) => bothNeeded(c, () => tanhBackward(grad, c.input(1)), () => mul(grad, mul(mulScalar(c.input(1), -2), c.input(0)))),
};

// sigmoid_backward(g, y) = g (1 - y) y; d/dg = (1 - y) y, d/dy = g (1 - 2y)
export const sigmoidBackwardOp: OpDefinition = {
  name: 'sigmoid_backward',
  nodeName: 'SigmoidBackwardBackward0',
  forward: pointwise((g, y, _attrs: void, round) => round(round(g * round(1 - y)) * y)),
  backward: (grad, c) => bothNeeded(c, () => sigmoidBackward(grad, c.input(1)), () => mul(mul(grad, c.input(0)), addScalar(mulScalar(c.input(1), -2), 1))),
};

export type ThresholdAttrs = { readonly threshold: number };
// threshold_backward(g, x) = g where x > threshold, else 0 (relu passes its result and 0)
export const thresholdBackwardOp: OpDefinition<ThresholdAttrs> = {
  name: 'threshold_backward',
  nodeName: 'ThresholdBackwardBackward0',
  forward: pointwise<ThresholdAttrs>((g, x, { threshold }) => (x <= threshold ? 0 : g)),
  backward: (grad, c) => bothNeeded(c, () => thresholdBackward(grad, c.input(1), c.attrs.threshold), () => zerosLike(grad)),
  describeAttrs: ({ threshold }) => `threshold=${threshold}`,
};

export type LeakyReluBackwardAttrs = { readonly negativeSlope: number };
// leaky_relu_backward(g, x) = g where x > 0, else g · slope
export const leakyReluBackwardOp: OpDefinition<LeakyReluBackwardAttrs> = {
  name: 'leaky_relu_backward',
  nodeName: 'LeakyReluBackwardBackward0',
  forward: pointwise<LeakyReluBackwardAttrs>((g, x, { negativeSlope }, round) => (x > 0 ? g : round(g * round(negativeSlope)))),
  backward: (grad, c) => bothNeeded(c, () => leakyReluBackward(grad, c.input(1), c.attrs.negativeSlope), () => zerosLike(grad)),
  describeAttrs: ({ negativeSlope }) => `negative_slope=${negativeSlope}`,
};

export type EluBackwardAttrs = { readonly alpha: number };
// elu_backward(g, x) = g where x > 0, else g α eˣ (F.elu: scale and input_scale 1, x the input)
export const eluBackwardOp: OpDefinition<EluBackwardAttrs> = {
  name: 'elu_backward',
  nodeName: 'EluBackwardBackward0',
  forward: pointwise<EluBackwardAttrs>((g, x, { alpha }, round) => (x <= 0 ? round(round(g * round(alpha)) * round(Math.exp(x))) : g)),
  // elu_double_backward: d/dx = elu_backward(grad · g, x) where x < 0
  backward: (grad, c) =>
    bothNeeded(
      c,
      () => eluBackward(grad, c.input(1), c.attrs.alpha),
      () => {
        const x = c.input(1);
        return where(le(x, 0), eluBackward(mul(grad, c.input(0)), x, c.attrs.alpha), 0);
      },
    ),
  describeAttrs: ({ alpha }) => `alpha=${alpha}`,
};

export type GeluBackwardAttrs = { readonly approximate: 'none' | 'tanh' };
const kAlpha = (2 / Math.sqrt(Math.PI)) * Math.SQRT1_2 * 0.5;
const kBeta = Math.SQRT2 * (2 / Math.sqrt(Math.PI)) * 0.5;
const kKappa = 0.044715;
// gelu_backward(g, x) = g (Φ(x) + x φ(x)); with approximate='tanh', the derivative of the tanh form
export const geluBackwardOp: OpDefinition<GeluBackwardAttrs> = {
  name: 'gelu_backward',
  nodeName: 'GeluBackwardBackward0',
  forward: pointwise<GeluBackwardAttrs>((g, x, { approximate }, round) => {
    if (approximate === 'tanh') {
      const inner = round(kBeta * round(x + round(kKappa * round(round(x * x) * x))));
      const t = round(Math.tanh(inner));
      const left = round(0.5 * x);
      const right = round(1 + t);
      const leftDerivative = round(0.5 * right);
      const rightDerivative = round(round(left * round(1 - round(t * t))) * round(kBeta * round(1 + round(3 * kKappa * round(x * x)))));
      return round(g * round(leftDerivative + rightDerivative));
    }
    const cdf = round(0.5 * round(1 + round(erf(round(x * Math.SQRT1_2)))));
    const pdf = round(kAlpha * round(Math.exp(round(round(x * x) * -0.5))));
    return round(g * round(cdf + round(x * pdf)));
  }),
  // gelu_double_backward: grad · g · d/dx gelu'(x)
  backward: (grad, c) =>
    bothNeeded(
      c,
      () => geluBackward(grad, c.input(1), c.attrs.approximate),
      () => mul(mul(grad, c.input(0)), geluSecondDerivative(c.input(1), c.attrs.approximate)),
    ),
  describeAttrs: ({ approximate }) => `approximate='${approximate}'`,
};

/**
 * gelu''(x). Exact form: d/dx (Φ + xφ) = 2φ - x²φ. Tanh form, with u = β(x + κx³), t = tanh u,
 * f = x/2, g = 1 - t², h = u': gelu' = ½(1 + t) + f g h, so gelu'' = ½gh + ½gh + f h g' + f g h'
 * where g' = -2t(1 - t²)h and h' = 6κβx.
 */
function geluSecondDerivative(x: Tensor, approximate: GeluBackwardAttrs['approximate']): Tensor {
  if (approximate === 'none') {
    const square = mul(x, x);
    const pdf = mulScalar(exp(mulScalar(square, -0.5)), kAlpha);
    return sub(mulScalar(pdf, 2), mul(square, pdf));
  }
  const t = tanh(mulScalar(add(x, mulScalar(powScalar(x, 3), kKappa)), kBeta));
  const f = mulScalar(x, 0.5);
  const g = rsubScalar(mul(t, t), 1);
  const h = mulScalar(addScalar(mulScalar(mul(x, x), 3 * kKappa), 1), kBeta);
  const halfGH = mulScalar(mul(g, h), 0.5);
  const gPrime = mul(mulScalar(mul(t, g), -2), h);
  const hPrime = mulScalar(x, 6 * kKappa * kBeta);
  return add(add(add(halfGH, halfGH), mul(mul(f, h), gPrime)), mul(mul(f, g), hPrime));
}

export type SoftplusBackwardAttrs = { readonly beta: number; readonly threshold: number };
// softplus_backward(g, x) = g σ(βx), or g above the threshold
export const softplusBackwardOp: OpDefinition<SoftplusBackwardAttrs> = {
  name: 'softplus_backward',
  nodeName: 'SoftplusBackwardBackward0',
  forward: pointwise<SoftplusBackwardAttrs>((g, x, { beta, threshold }, round) => {
    const scaled = round(x * round(beta));
    if (scaled > threshold) return g;
    const z = round(Math.exp(scaled));
    return round(round(g * z) / round(z + 1));
  }),
  // softplus_double_backward: sigmoid_backward(grad · g, σ(βx)) · (βx < threshold) · β
  backward: (grad, c) =>
    bothNeeded(
      c,
      () => softplusBackward(grad, c.input(1), c.attrs),
      () => {
        const { beta, threshold } = c.attrs;
        const x = mulScalar(c.input(1), beta);
        const below = toDType(lt(x, threshold), grad.dtype);
        return mulScalar(mul(sigmoidBackward(mul(grad, c.input(0)), sigmoid(x)), below), beta);
      },
    ),
  describeAttrs: ({ beta, threshold }) => `beta=${beta}, threshold=${threshold}`,
};

export const tanhBackward = (gradOutput: Tensor, output: Tensor): Tensor => apply(tanhBackwardOp, [gradOutput, output], undefined);
export const sigmoidBackward = (gradOutput: Tensor, output: Tensor): Tensor => apply(sigmoidBackwardOp, [gradOutput, output], undefined);
export const thresholdBackward = (gradOutput: Tensor, saved: Tensor, threshold: number): Tensor => apply(thresholdBackwardOp, [gradOutput, saved], { threshold });
export const leakyReluBackward = (gradOutput: Tensor, input: Tensor, negativeSlope: number): Tensor => apply(leakyReluBackwardOp, [gradOutput, input], { negativeSlope });
export const eluBackward = (gradOutput: Tensor, input: Tensor, alpha: number): Tensor => apply(eluBackwardOp, [gradOutput, input], { alpha });
export const geluBackward = (gradOutput: Tensor, input: Tensor, approximate: GeluBackwardAttrs['approximate']): Tensor => apply(geluBackwardOp, [gradOutput, input], { approximate });
export const softplusBackward = (gradOutput: Tensor, input: Tensor, attrs: SoftplusBackwardAttrs): Tensor => apply(softplusBackwardOp, [gradOutput, input], attrs);
