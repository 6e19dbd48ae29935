// Ops that choose between values: where, clamp, minimum, maximum. Gradients flow to whichever
// input was chosen (split evenly on ties, as PyTorch does for minimum and maximum).
import { broadcastTo } from '../backends/cpu/elementwise';
import { allocate, resultType } from '../tensor/dtype';
import { broadcastShapes, sizeOf } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { apply } from './apply';
import { divScalar } from './arithmetic';
import { full } from '../tensor/create';
import { applyInPlace } from './inPlace';
import { maskedFill } from './indexing';
import { eq, ge, gt, le, logicalAnd, lt } from './comparison';
import { binaryElementwise, unaryOp } from './elementwise';
import type { OpDefinition } from './opDefinition';
import { type Operand, asTensor } from './operands';

/** where(condition, a, b): inputs (a, b); the condition is not differentiable, so it is an attribute, as PyTorch keeps it out of the node's edges. */
export const whereOp: OpDefinition<{ readonly condition: Tensor }> = {
  name: 'where',
  nodeName: 'WhereBackward0',
  forward: ([a, b], { condition }) => {
    const dtype = resultType([a, b]);
    const shape = broadcastShapes(condition.shape, broadcastShapes(a.shape, b.shape));
    const [mask, left, right] = [condition, a, b].map((input) => broadcastTo(input, shape));
    const data = allocate(dtype, sizeOf(shape));
    for (let i = 0; i < data.length; i++) data[i] = mask[i] ? left[i] : right[i];
    return { data, shape, dtype };
  },
  // d where(c, a, b) = where(c, da, 0) + where(c, 0, db)
  backward: (grad, c) => {
    const { condition } = c.attrs;
    return [c.needsInputGrad(0) ? where(condition, grad, 0) : null, c.needsInputGrad(1) ? where(condition, 0, grad) : null];
  },
};

export type ClampAttrs = { readonly min: number | undefined; readonly max: number | undefined };

const clampKernel = (x: number, { min, max }: ClampAttrs) => (Number.isNaN(x) ? x : Math.min(max ?? Infinity, Math.max(min ?? -Infinity, x)));

/** A zero the gradient takes where a clamp cut the value off (clamp_backward's zeros({})). */
const zero = (grad: Tensor) => full([], 0, grad.dtype);

export const clampOp = unaryOp<ClampAttrs>({
  name: 'clamp',
  nodeName: 'ClampBackward1',
  kernel: clampKernel,
  // clamp_backward: the gradient passes where min ≤ x ≤ max.
  backward: (grad, context) => {
    const { min, max } = context.attrs;
    const x = context.input(0);
    const aboveMin = min === undefined ? undefined : ge(x, min);
    const belowMax = max === undefined ? undefined : le(x, max);
    const inside = aboveMin && belowMax ? logicalAnd(aboveMin, belowMax) : (aboveMin ?? belowMax);
    return inside ? where(inside, grad, zero(grad)) : grad;
  },
  dtype: 'same',
  describeAttrs: ({ min, max }) => [min !== undefined ? `min=${min}` : '', max !== undefined ? `max=${max}` : ''].filter(Boolean).join(', '),
});

/** clamp_min(x, min), a node of its own (ClampMinBackward0): the gradient passes where x ≥ min. */
export const clampMinOp = unaryOp<ClampAttrs>({
  name: 'clamp_min',
  nodeName: 'ClampMinBackward0',
  kernel: clampKernel,
  backward: (grad, c) => where(ge(c.input(0), c.attrs.min as number), grad, zero(grad)),
  dtype: 'same',
  describeAttrs: ({ min }) => `min=${min}`,
});

/** clamp_max(x, max) (ClampMaxBackward0): the gradient passes where x ≤ max. */
export const clampMaxOp = unaryOp<ClampAttrs>({
  name: 'clamp_max',
  nodeName: 'ClampMaxBackward0',
  kernel: clampKernel,
  backward: (grad, c) => where(le(c.input(0), c.attrs.max as number), grad, zero(grad)),
  dtype: 'same',
  describeAttrs: ({ max }) => `max=${max}`,
});

/**
 * maximum/minimum's gradient for one input, as PyTorch writes it: halved where the inputs tie
 * (grad / 2), then zero where the other input won (masked_fill_).
 */
function chosenGradient(grad: Tensor, a: Tensor, b: Tensor, lost: Tensor): Tensor {
  return applyInPlace(where(eq(a, b), divScalar(grad, 2), grad), (current) => maskedFill(current, lost, 0));
}

/** PyTorch's scalar kernels: NaN wins, else std::max / std::min, which keep the first input on a tie (so -0. against 0.). */
const maxOf = (x: number, y: number) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : x < y ? y : x);
const minOf = (x: number, y: number) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : y < x ? y : x);

export const minimumOp: OpDefinition = {
  name: 'minimum',
  nodeName: 'MinimumBackward0',
  ...binaryElementwise(minOf),
  // The smaller input gets the gradient.
  backward: (grad, context) => {
    const [a, b] = [context.input(0), context.input(1)];
    return [context.needsInputGrad(0) ? chosenGradient(grad, a, b, gt(a, b)) : null, context.needsInputGrad(1) ? chosenGradient(grad, a, b, lt(a, b)) : null];
  },
};

export const maximumOp: OpDefinition = {
  name: 'maximum',
  nodeName: 'MaximumBackward0',
  ...binaryElementwise(maxOf),
  // The larger input gets the gradient.
  backward: (grad, context) => {
    const [a, b] = [context.input(0), context.input(1)];
    return [context.needsInputGrad(0) ? chosenGradient(grad, a, b, lt(a, b)) : null, context.needsInputGrad(1) ? chosenGradient(grad, a, b, gt(a, b)) : null];
  },
};

export function where(condition: Tensor, a: Operand, b: Operand): Tensor {
  return apply(whereOp, [asTensor(a), asTensor(b)], { condition });
}

export function clamp(x: Tensor, min: number | undefined, max: number | undefined): Tensor {
  return apply(clampOp, [x], { min, max });
}

export const clampMin = (x: Tensor, min: number): Tensor => apply(clampMinOp, [x], { min, max: undefined });
export const clampMax = (x: Tensor, max: number): Tensor => apply(clampMaxOp, [x], { min: undefined, max });

export const minimum = (a: Operand, b: Operand) => apply(minimumOp, [asTensor(a), asTensor(b)], undefined);
export const maximum = (a: Operand, b: Operand) => apply(maximumOp, [asTensor(a), asTensor(b)], undefined);

