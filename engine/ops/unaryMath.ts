// Elementwise functions of one tensor (torch.exp, Math.sin, …), with backward rules after derivatives.yaml.
import { mapUnary } from '../backends/cpu/elementwise';
import { type DType, defaultFloatDType, isFloatingPoint } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';
import { zerosLike } from '../tensor/create';
import { apply } from './apply';
import { div, mul, neg, sub } from './arithmetic';
import type { BackwardContext, GradCheckDomain, OpDefinition } from './opDefinition';

/** Floating functions of integer tensors compute in the default float dtype, as PyTorch's do. */
function floatingUnary(
  name: string,
  nodeName: string,
  kernel: (x: number) => number,
  backward: (grad: Tensor, context: BackwardContext<void>) => Tensor,
  gradCheckDomain?: GradCheckDomain,
): OpDefinition {
  return {
    name,
    nodeName,
    forward: ([a]) => {
      const dtype: DType = isFloatingPoint(a.dtype) ? a.dtype : defaultFloatDType;
      return { data: mapUnary(a, dtype, kernel), shape: a.shape, dtype };
    },
    backward: (grad, context) => [backward(grad, context)],
    gradCheckDomain,
  };
}

// d/dx e^x = e^x
export const expOp = floatingUnary('exp', 'ExpBackward0', Math.exp, (grad, c) => mul(grad, c.output()));
// d/dx ln x = 1/x
export const logOp = floatingUnary('log', 'LogBackward0', Math.log, (grad, c) => div(grad, c.input(0)), { min: 0.2, max: 3 });
// d/dx √x = 1 / (2√x)
export const sqrtOp = floatingUnary('sqrt', 'SqrtBackward0', Math.sqrt, (grad, c) => div(grad, mul(2, c.output())), { min: 0.2, max: 3 });
// d/dx sin x = cos x
export const sinOp = floatingUnary('sin', 'SinBackward0', Math.sin, (grad, c) => mul(grad, cos(c.input(0))));
// d/dx cos x = -sin x
export const cosOp = floatingUnary('cos', 'CosBackward0', Math.cos, (grad, c) => mul(grad, neg(sin(c.input(0)))));
// d/dx tanh x = 1 - tanh² x
export const tanhOp = floatingUnary('tanh', 'TanhBackward0', Math.tanh, (grad, c) =>
  mul(grad, sub(1, mul(c.output(), c.output()))),
);

export const absOp: OpDefinition = {
  name: 'abs',
  nodeName: 'AbsBackward0',
  forward: ([a]) => ({ data: mapUnary(a, a.dtype, Math.abs), shape: a.shape, dtype: a.dtype }),
  // d/dx |x| = sign x (0 at 0, as PyTorch takes it)
  backward: (grad, c) => [mul(grad, sign(c.input(0)))],
};

export const signOp: OpDefinition = {
  name: 'sign',
  nodeName: 'SignBackward0',
  forward: ([a]) => ({ data: mapUnary(a, a.dtype, (x) => (x > 0 ? 1 : x < 0 ? -1 : x)), shape: a.shape, dtype: a.dtype }),
  // sign is flat almost everywhere
  backward: (grad) => [zerosLike(grad)],
};

export const exp = (a: Tensor) => apply(expOp, [a], undefined);
export const log = (a: Tensor) => apply(logOp, [a], undefined);
export const sqrt = (a: Tensor) => apply(sqrtOp, [a], undefined);
export const sin = (a: Tensor) => apply(sinOp, [a], undefined);
export const cos = (a: Tensor) => apply(cosOp, [a], undefined);
export const tanh = (a: Tensor) => apply(tanhOp, [a], undefined);
export const abs = (a: Tensor) => apply(absOp, [a], undefined);
export const sign = (a: Tensor) => apply(signOp, [a], undefined);
