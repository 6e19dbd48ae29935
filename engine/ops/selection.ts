// Ops that choose between values: where, clamp, minimum, maximum. Gradients flow to whichever
// input was chosen (split evenly on ties, as PyTorch does for minimum and maximum).
import { broadcastTo } from '../backends/cpu/elementwise';
import { allocate, resultType } from '../tensor/dtype';
import { broadcastShapes, sizeOf } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { apply } from './apply';
import { div } from './arithmetic';
import { eq, ge, gt, le, logicalAnd, lt } from './comparison';
import { binaryElementwise, unaryOp } from './elementwise';
import type { OpDefinition } from './opDefinition';
import { type Operand, asTensor } from './operands';

/** where(condition, a, b): inputs (condition, a, b). */
export const whereOp: OpDefinition = {
  name: 'where',
  nodeName: 'WhereBackward0',
  forward: ([condition, a, b]) => {
    const dtype = resultType([a, b]);
    const shape = broadcastShapes(condition.shape, broadcastShapes(a.shape, b.shape));
    const [mask, left, right] = [condition, a, b].map((input) => broadcastTo(input, shape));
    const data = allocate(dtype, sizeOf(shape));
    for (let i = 0; i < data.length; i++) data[i] = mask[i] ? left[i] : right[i];
    return { data, shape, dtype };
  },
  // d where(c, a, b) = where(c, da, 0) + where(c, 0, db)
  backward: (grad, context) => {
    const condition = context.input(0);
    return [null, where(condition, grad, 0), where(condition, 0, grad)];
  },
};

export type ClampAttrs = { readonly min: number | undefined; readonly max: number | undefined };

export const clampOp = unaryOp<ClampAttrs>({
  name: 'clamp',
  nodeName: 'ClampBackward1',
  kernel: (x, { min, max }) => (Number.isNaN(x) ? x : Math.min(max ?? Infinity, Math.max(min ?? -Infinity, x))),
  // The gradient passes where min ≤ x ≤ max.
  backward: (grad, context) => {
    const { min, max } = context.attrs;
    const x = context.input(0);
    const aboveMin = min === undefined ? undefined : ge(x, min);
    const belowMax = max === undefined ? undefined : le(x, max);
    const inside = aboveMin && belowMax ? logicalAnd(aboveMin, belowMax) : (aboveMin ?? belowMax);
    return inside ? where(inside, grad, 0) : grad;
  },
  dtype: 'same',
  describeAttrs: ({ min, max }) => [min !== undefined ? `min=${min}` : '', max !== undefined ? `max=${max}` : ''].filter(Boolean).join(', '),
});

/** The gradient both inputs of minimum/maximum share: halved where they tie. */
const sharedGradient = (grad: Tensor, a: Tensor, b: Tensor) => where(eq(a, b), div(grad, 2), grad);

export const minimumOp: OpDefinition = {
  name: 'minimum',
  nodeName: 'MinimumBackward0',
  ...binaryElementwise((x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.min(x, y))),
  // The smaller input gets the gradient.
  backward: (grad, context) => {
    const [a, b] = [context.input(0), context.input(1)];
    const shared = sharedGradient(grad, a, b);
    return [where(gt(a, b), 0, shared), where(lt(a, b), 0, shared)];
  },
};

export const maximumOp: OpDefinition = {
  name: 'maximum',
  nodeName: 'MaximumBackward0',
  ...binaryElementwise((x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.max(x, y))),
  // The larger input gets the gradient.
  backward: (grad, context) => {
    const [a, b] = [context.input(0), context.input(1)];
    const shared = sharedGradient(grad, a, b);
    return [where(lt(a, b), 0, shared), where(gt(a, b), 0, shared)];
  },
};

export function where(condition: Tensor, a: Operand, b: Operand): Tensor {
  return apply(whereOp, [condition, asTensor(a), asTensor(b)], undefined);
}

export function clamp(x: Tensor, min: number | undefined, max: number | undefined): Tensor {
  return apply(clampOp, [x], { min, max });
}

export const minimum = (a: Operand, b: Operand) => apply(minimumOp, [asTensor(a), asTensor(b)], undefined);
export const maximum = (a: Operand, b: Operand) => apply(maximumOp, [asTensor(a), asTensor(b)], undefined);

