// Sums and the broadcasting pair expand / sum-to-shape, which undo each other in backward.
import { broadcastTo, sumToShape } from '../backends/cpu/elementwise';
import { type DType, isFloatingPoint } from '../tensor/dtype';
import { type Shape, broadcastShapes, formatShape, sameShape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { EngineError } from '../errors';
import { apply } from './apply';
import type { OpDefinition } from './opDefinition';

/** Sums of integers and booleans are int64, as in PyTorch. */
const sumDType = (dtype: DType): DType => (isFloatingPoint(dtype) ? dtype : 'int64');

export const sumOp: OpDefinition = {
  name: 'sum',
  nodeName: 'SumBackward0',
  forward: ([a]) => {
    const dtype = sumDType(a.dtype);
    return { data: sumToShape(a, [], dtype), shape: [], dtype };
  },
  // d(Σ a) = 1 for every element
  backward: (grad, context) => [expand(grad, context.input(0).shape)],
};

/** Sums a broadcast gradient back to the shape of the input it was broadcast from. */
export const sumToOp: OpDefinition<{ readonly shape: Shape }> = {
  name: 'sum_to_size',
  nodeName: 'SumBackward1',
  forward: ([a], { shape }) => ({ data: sumToShape(a, shape), shape, dtype: a.dtype }),
  backward: (grad, context) => [expand(grad, context.input(0).shape)],
  describeAttrs: ({ shape }) => `size=${formatShape(shape)}`,
};

export const expandOp: OpDefinition<{ readonly shape: Shape }> = {
  name: 'expand',
  nodeName: 'ExpandBackward0',
  forward: ([a], { shape }) => ({ data: broadcastTo(a, shape), shape, dtype: a.dtype }),
  backward: (grad, context) => [sumTo(grad, context.input(0).shape)],
  describeAttrs: ({ shape }) => `size=${formatShape(shape)}`,
};

export function sum(a: Tensor): Tensor {
  return apply(sumOp, [a], undefined);
}

export function sumTo(a: Tensor, shape: Shape): Tensor {
  return sameShape(a.shape, shape) ? a : apply(sumToOp, [a], { shape });
}

export function expand(a: Tensor, shape: Shape): Tensor {
  if (sameShape(a.shape, shape)) return a;
  if (!sameShape(broadcastShapes(a.shape, shape), shape)) {
    throw new EngineError(
      'RuntimeError',
      `The expanded size of the tensor must match the existing size at non-singleton dimensions. Target sizes: ${formatShape(shape)}.  Tensor sizes: ${formatShape(a.shape)}`,
    );
  }
  return apply(expandOp, [a], { shape });
}
