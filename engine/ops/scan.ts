// Ops that transform each run along one dim: cumsum, softmax, log_softmax.
import { scanAlong } from '../backends/cpu/reduce';
import { defaultFloatDType, isFloatingPoint } from '../tensor/dtype';
import { normalizeDim } from '../tensor/dims';
import { apply } from './apply';
import { EngineError } from '../errors';
import { allocate } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import { mul, neg, sub } from './arithmetic';
import { toDType } from './convert';
import type { OpDefinition } from './opDefinition';
import { restoreReduced, sum } from './reduce';
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
  // cumsum_backward: grad.flip(dim).cumsum(dim).flip(dim)
  backward: (grad, c) => [flip(cumsum(flip(grad, [c.attrs.dim]), c.attrs.dim), [c.attrs.dim])],
  describeAttrs: ({ dim }) => `dim=${dim}`,
};

export type FlipAttrs = { readonly dims: readonly number[] };

/** torch.flip: the elements in reverse order along each of `dims` (a copy; its gradient flips back). */
export const flipOp: OpDefinition<FlipAttrs> = {
  name: 'flip',
  nodeName: 'FlipBackward0',
  forward: ([a], { dims }) => {
    const strides = [...a.strides];
    let offset = a.offset;
    for (const dim of dims) {
      offset += (a.shape[dim] - 1) * a.strides[dim];
      strides[dim] = -strides[dim];
    }
    // Read through a window with negative strides, copied out in row-major order.
    const data = allocate(a.dtype, a.numel);
    const source = a.storage.data;
    new Tensor(a.storage, a.shape, a.dtype, { strides, offset }).forEachOffset((position, i) => (data[i] = source[position]));
    return { data, shape: a.shape, dtype: a.dtype };
  },
  backward: (grad, c) => [flip(grad, c.attrs.dims)],
  describeAttrs: ({ dims }) => `dims=[${dims.join(', ')}]`,
};

export function flip(a: Tensor, dims: readonly number[]): Tensor {
  const normalized = dims.map((dim) => normalizeDim(dim, a.ndim));
  if (new Set(normalized).size !== normalized.length) throw new EngineError('RuntimeError', `dims has duplicates, original flip dims size=${dims.length}, but unique flip dims size=${new Set(normalized).size}`);
  return apply(flipOp, [a], { dims: normalized });
}

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

export const softmaxOp: OpDefinition<DimAttrs> = {
  name: 'softmax',
  nodeName: 'SoftmaxBackward0',
  forward: ([a], { dim }) => ({ data: scanAlong(a, dim, floating(a), softmaxRun(false)), shape: a.shape, dtype: floating(a) }),
  backward: (grad, c) => [apply(softmaxBackwardOp, [grad, c.output()], c.attrs)],
  describeAttrs: ({ dim }) => `dim=${dim}`,
};

export const logSoftmaxOp: OpDefinition<DimAttrs> = {
  name: 'log_softmax',
  nodeName: 'LogSoftmaxBackward0',
  forward: ([a], { dim }) => ({ data: scanAlong(a, dim, floating(a), softmaxRun(true)), shape: a.shape, dtype: floating(a) }),
  backward: (grad, c) => [apply(logSoftmaxBackwardOp, [grad, c.output()], c.attrs)],
  describeAttrs: ({ dim }) => `dim=${dim}`,
};

// _softmax_backward_data(g, y) = y ⊙ (g - Σ g⊙y); its own gradients (softmax_double_backward):
// d/dg = _softmax_backward_data(grad, y); d/dy = grad⊙g - Σ(y⊙g)·grad - g·Σ(y⊙grad)
export const softmaxBackwardOp: OpDefinition<DimAttrs> = {
  name: '_softmax_backward_data',
  nodeName: 'SoftmaxBackwardDataBackward0',
  forward: ([g, y], { dim }) => {
    const dtype = y.dtype;
    const products = mul(toDType(g, dtype), y);
    const dots = restoreReduced(sum(products, dim, true), y.shape, { dims: [dim], keepdim: true });
    return { data: mul(y, sub(toDType(g, dtype), dots)).data, shape: y.shape, dtype };
  },
  backward: (grad, c) => {
    const [g, y] = [c.input(0), c.input(1)];
    const { dim } = c.attrs;
    return [
      c.needsInputGrad(0) ? apply(softmaxBackwardOp, [grad, y], c.attrs) : null,
      c.needsInputGrad(1) ? sub(sub(mul(g, grad), mul(sum(mul(y, g), dim, true), grad)), mul(g, sum(mul(y, grad), dim, true))) : null,
    ];
  },
  describeAttrs: ({ dim }) => `dim=${dim}`,
};

// _log_softmax_backward_data(g, y) = g - eʸ Σ g; its own gradients:
// d/dg = grad - Σ(grad ⊙ eʸ); d/dy = -Σg · eʸ ⊙ grad
export const logSoftmaxBackwardOp: OpDefinition<DimAttrs> = {
  name: '_log_softmax_backward_data',
  nodeName: 'LogSoftmaxBackwardDataBackward0',
  forward: ([g, y], { dim }) => {
    const dtype = y.dtype;
    const gradient = toDType(g, dtype);
    const totals = restoreReduced(sum(gradient, dim, true), y.shape, { dims: [dim], keepdim: true });
    return { data: sub(gradient, mul(exp(y), totals)).data, shape: y.shape, dtype };
  },
  backward: (grad, c) => {
    const [g, y] = [c.input(0), c.input(1)];
    const { dim } = c.attrs;
    return [
      c.needsInputGrad(0) ? sub(grad, sum(mul(grad, exp(y)), dim, true)) : null,
      c.needsInputGrad(1) ? mul(mul(neg(sum(g, dim, true)), exp(y)), grad) : null,
    ];
  },
  describeAttrs: ({ dim }) => `dim=${dim}`,
};

/** A 0-d tensor is treated as one run of length 1. */
const along = (op: OpDefinition<DimAttrs>) => (a: Tensor, dim: number): Tensor =>
  a.ndim === 0 ? reshape(apply(op, [reshape(a, [1])], { dim: 0 }), []) : apply(op, [a], { dim: normalizeDim(dim, a.ndim) });
export const cumsum = along(cumsumOp);
export const softmax = along(softmaxOp);
export const logSoftmax = along(logSoftmaxOp);
