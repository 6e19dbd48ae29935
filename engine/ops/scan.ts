// Ops that transform each run along one dim: cumsum, softmax, log_softmax.
import { scanAlong } from '../backends/cpu/reduce';
import { defaultFloatDType, isFloatingPoint } from '../tensor/dtype';
import { normalizeDim } from '../tensor/dims';
import type { Tensor } from '../tensor/tensor';
import { apply } from './apply';
import { add, mul, sub } from './arithmetic';
import type { OpDefinition } from './opDefinition';
import { sum } from './reduce';
import { exp } from './unaryMath';
import { reshape } from './views';

export type DimAttrs = { readonly dim: number };

// The gradient of a running sum is the reversed running sum: Σⱼ≥ᵢ gⱼ = Σ g - Σⱼ<ᵢ gⱼ = Σ g - cumsum(g) + g.
export const cumsumOp: OpDefinition<DimAttrs> = {
  name: 'cumsum',
  nodeName: 'CumsumBackward0',
  forward: ([a], { dim }) => {
    const dtype = isFloatingPoint(a.dtype) ? a.dtype : 'int64';
    const data = scanAlong(a, dim, dtype, (values, out, start, length) => {
      let total = 0;
      for (let i = start; i < start + length; i++) out[i] = total += values[i];
    });
    return { data, shape: a.shape, dtype };
  },
  backward: (grad, c) => [add(sub(sum(grad, c.attrs.dim, true), cumsum(grad, c.attrs.dim)), grad)],
  describeAttrs: ({ dim }) => `dim=${dim}`,
};

function softmaxRun(log: boolean) {
  return (values: ArrayLike<number>, out: { [i: number]: number }, start: number, length: number) => {
    let max = -Infinity;
    for (let i = start; i < start + length; i++) max = Math.max(max, values[i]);
    let total = 0;
    for (let i = start; i < start + length; i++) total += Math.exp(values[i] - max);
    const logTotal = Math.log(total);
    for (let i = start; i < start + length; i++) out[i] = log ? values[i] - max - logTotal : Math.exp(values[i] - max) / total;
  };
}

const floating = (a: Tensor) => (isFloatingPoint(a.dtype) ? a.dtype : defaultFloatDType);

// d softmax: y ⊙ (g - Σ g⊙y)
export const softmaxOp: OpDefinition<DimAttrs> = {
  name: 'softmax',
  nodeName: 'SoftmaxBackward0',
  forward: ([a], { dim }) => ({ data: scanAlong(a, dim, floating(a), softmaxRun(false)), shape: a.shape, dtype: floating(a) }),
  backward: (grad, c) => {
    const y = c.output();
    return [mul(y, sub(grad, sum(mul(grad, y), c.attrs.dim, true)))];
  },
  describeAttrs: ({ dim }) => `dim=${dim}`,
};

// d log_softmax: g - e^y Σ g
export const logSoftmaxOp: OpDefinition<DimAttrs> = {
  name: 'log_softmax',
  nodeName: 'LogSoftmaxBackward0',
  forward: ([a], { dim }) => ({ data: scanAlong(a, dim, floating(a), softmaxRun(true)), shape: a.shape, dtype: floating(a) }),
  backward: (grad, c) => [sub(grad, mul(exp(c.output()), sum(grad, c.attrs.dim, true)))],
  describeAttrs: ({ dim }) => `dim=${dim}`,
};

/** A 0-d tensor is treated as one run of length 1. */
const along = (op: OpDefinition<DimAttrs>) => (a: Tensor, dim: number): Tensor =>
  a.ndim === 0 ? reshape(apply(op, [reshape(a, [1])], { dim: 0 }), []) : apply(op, [a], { dim: normalizeDim(dim, a.ndim) });
export const cumsum = along(cumsumOp);
export const softmax = along(softmaxOp);
export const logSoftmax = along(logSoftmaxOp);
