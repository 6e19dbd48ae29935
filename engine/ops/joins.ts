// Joining and splitting along a dim: cat, stack, split/chunk (one node, several view outputs), repeat.
import { EngineError } from '../errors';
import { allocate, resultType } from '../tensor/dtype';
import { normalizeDim } from '../tensor/dims';
import { type Shape, formatShape, sizeOf } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply, applyMany } from './apply';
import { full } from '../tensor/create';
import type { OpDefinition } from './opDefinition';
import { sum } from './reduce';
import { reshape, select, slice } from './views';

export type CatAttrs = { readonly dim: number; readonly inputShapes: readonly Shape[] };

export const catOp: OpDefinition<CatAttrs> = {
  name: 'cat',
  nodeName: 'CatBackward0',
  forward: (inputs, { dim }) => {
    const dtype = resultType(inputs.map((input) => ({ dtype: input.dtype, ndim: 1, isWrappedNumber: false })));
    const parts = inputs.filter((input) => !(input.ndim === 1 && input.numel === 0));
    const first = parts[0];
    const shape = [...first.shape];
    shape[dim] = parts.reduce((total, part) => total + part.shape[dim], 0);
    const out = new Tensor(allocate(dtype, sizeOf(shape)), shape, dtype);
    let start = 0;
    for (const part of parts) {
      const target = slice(out, dim, start, start + part.shape[dim]);
      const values = part.data;
      target.forEachOffset((storageIndex, i) => (out.storage.data[storageIndex] = values[i]));
      start += part.shape[dim];
    }
    return { data: out.storage.data, shape, dtype };
  },
  // Each input gets back the slice of the gradient it filled.
  backward: (grad, c) => {
    let start = 0;
    return c.attrs.inputShapes.map((shape) => {
      if (shape.length === 1 && shape[0] === 0) return null;
      const part = slice(grad, c.attrs.dim, start, start + shape[c.attrs.dim]);
      start += shape[c.attrs.dim];
      return part;
    });
  },
  describeAttrs: ({ dim }) => `dim=${dim}`,
};

export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new EngineError('RuntimeError', 'torch.cat(): expected a non-empty list of Tensors');
  const parts = tensors.filter((input) => !(input.ndim === 1 && input.numel === 0));
  if (parts.length === 0) return tensors[0];
  const reference = parts[0];
  const axis = normalizeDim(dim, reference.ndim);
  for (const [i, part] of parts.entries()) {
    if (part.ndim !== reference.ndim) {
      throw new EngineError('RuntimeError', `Tensors must have same number of dimensions: got ${reference.ndim} and ${part.ndim}`);
    }
    part.shape.forEach((size, d) => {
      if (d !== axis && size !== reference.shape[d]) {
        throw new EngineError(
          'RuntimeError',
          `Sizes of tensors must match except in dimension ${axis}. Expected size ${reference.shape[d]} but got size ${size} for tensor number ${i} in the list.`,
        );
      }
    });
  }
  return apply(catOp, tensors, { dim: axis, inputShapes: tensors.map((tensor) => tensor.shape) });
}

export const stackOp: OpDefinition<{ readonly dim: number }> = {
  name: 'stack',
  nodeName: 'StackBackward0',
  forward: (inputs, { dim }) => {
    const joined = cat(inputs.map((input) => unsqueezeData(input, dim)), dim);
    return { data: joined.data, shape: joined.shape, dtype: joined.dtype };
  },
  // Each input gets back its slice of the gradient along the new dim.
  backward: (grad, c) => Array.from({ length: grad.shape[c.attrs.dim] }, (_, i) => select(grad, c.attrs.dim, i)),
  describeAttrs: ({ dim }) => `dim=${dim}`,
};

/** `input` with a size-1 dim inserted, outside the graph (stack's forward only needs the values). */
function unsqueezeData(input: Tensor, dim: number): Tensor {
  const shape = [...input.shape];
  shape.splice(dim, 0, 1);
  return new Tensor(input.data, shape, input.dtype);
}

export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new EngineError('RuntimeError', 'stack expects a non-empty TensorList');
  const reference = tensors[0];
  for (const [i, tensor] of tensors.entries()) {
    if (tensor.shape.length !== reference.shape.length || tensor.shape.some((size, d) => size !== reference.shape[d])) {
      throw new EngineError(
        'RuntimeError',
        `stack expects each tensor to be equal size, but got ${formatShape(reference.shape)} at entry 0 and ${formatShape(tensor.shape)} at entry ${i}`,
      );
    }
  }
  return apply(stackOp, tensors, { dim: normalizeDim(dim, reference.ndim + 1) });
}

export type SplitAttrs = { readonly dim: number; readonly sizes: readonly number[] };

function splitOpNamed(nodeName: string): OpDefinition<SplitAttrs> {
  return {
    name: 'split',
    nodeName,
    forward: ([a], { dim, sizes }) => {
      let start = 0;
      return sizes.map((size) => {
        const shape = [...a.shape];
        shape[dim] = size;
        const strides = a.strides;
        const part = new Tensor(a.storage, shape, a.dtype, { strides, offset: a.offset + start * a.strides[dim] });
        start += size;
        return part;
      });
    },
    backward: () => {
      throw new Error('split has several outputs: backwardMany runs instead');
    },
    // The gradients of the pieces, joined back; a piece no gradient reached contributes zeros.
    backwardMany: (grads, c) => {
      const inputShape = c.inputShape(0);
      const dtype = grads.find((g) => g !== null)?.dtype ?? c.inputDType(0);
      const pieces = grads.map((grad, i) => {
        if (grad) return grad;
        const shape = [...inputShape];
        shape[c.attrs.dim] = c.attrs.sizes[i];
        return full(shape, 0, dtype);
      });
      return [cat(pieces, c.attrs.dim)];
    },
    describeAttrs: ({ dim, sizes }) => `split_sizes=[${sizes.join(', ')}], dim=${dim}`,
  };
}

export const splitOp = splitOpNamed('SplitBackward0');
export const splitWithSizesOp = splitOpNamed('SplitWithSizesBackward0');

/** torch.split: pieces of `size` (the last may be shorter), or of the given sizes. */
export function split(a: Tensor, sizeOrSizes: number | readonly number[], dim = 0): Tensor[] {
  const axis = normalizeDim(dim, a.ndim);
  const length = a.shape[axis];
  if (typeof sizeOrSizes === 'number') {
    if (sizeOrSizes <= 0) throw new EngineError('RuntimeError', `split_size can only be 0 if dimension size is 0, but got dimension size of ${length}`);
    const sizes = Array.from({ length: Math.max(1, Math.ceil(length / sizeOrSizes)) }, (_, i) => Math.min(sizeOrSizes, length - i * sizeOrSizes));
    return applyMany(splitOp, [a], { dim: axis, sizes });
  }
  const total = sizeOrSizes.reduce((x, y) => x + y, 0);
  if (total !== length) {
    throw new EngineError(
      'RuntimeError',
      `split_with_sizes expects split_sizes to sum exactly to ${length} (input tensor's size at dimension ${axis}), but got split_sizes=[${sizeOrSizes.join(', ')}]`,
    );
  }
  return applyMany(splitWithSizesOp, [a], { dim: axis, sizes: sizeOrSizes });
}

/** torch.unbind: every index along `dim` as a view, from one node (so writing to one in place is refused, as in PyTorch). */
export const unbindOp: OpDefinition<{ readonly dim: number }> = {
  name: 'unbind',
  nodeName: 'UnbindBackward0',
  forward: ([a], { dim }) =>
    Array.from({ length: a.shape[dim] }, (_, i) => {
      const shape = a.shape.filter((_, axis) => axis !== dim);
      const strides = a.strides.filter((_, axis) => axis !== dim);
      return new Tensor(a.storage, shape, a.dtype, { strides, offset: a.offset + i * a.strides[dim] });
    }),
  backward: () => {
    throw new Error('unbind has several outputs: backwardMany runs instead');
  },
  // The pieces' gradients stacked back; a piece no gradient reached contributes zeros.
  backwardMany: (grads, c) => {
    const { dim } = c.attrs;
    const pieceShape = c.inputShape(0).filter((_, axis) => axis !== dim);
    const dtype = grads.find((g) => g !== null)?.dtype ?? c.inputDType(0);
    return [stack(grads.map((grad) => grad ?? full(pieceShape, 0, dtype)), dim)];
  },
  describeAttrs: ({ dim }) => `dim=${dim}`,
};

export function unbind(a: Tensor, dim = 0): Tensor[] {
  if (a.ndim === 0) throw new EngineError('IndexError', 'Dimension specified as 0 but tensor has no dimensions');
  return applyMany(unbindOp, [a], { dim: normalizeDim(dim, a.ndim) });
}

export function chunk(a: Tensor, chunks: number, dim = 0): Tensor[] {
  if (chunks <= 0) throw new EngineError('RuntimeError', 'chunk expects `chunks` to be greater than 0, got: ' + chunks);
  const length = a.shape[normalizeDim(dim, a.ndim)];
  return split(a, Math.max(1, Math.ceil(length / chunks)), dim);
}

export const repeatOp: OpDefinition<{ readonly repeats: readonly number[] }> = {
  name: 'repeat',
  nodeName: 'RepeatBackward0',
  forward: ([a], { repeats }) => {
    const padded = [...new Array<number>(repeats.length - a.ndim).fill(1), ...a.shape];
    const shape = padded.map((size, axis) => size * repeats[axis]);
    const source = new Tensor(a.data, padded, a.dtype);
    const data = allocate(a.dtype, sizeOf(shape));
    const out = new Tensor(data, shape, a.dtype);
    let i = 0;
    const coordinates = shape.map(() => 0);
    out.forEachOffset(() => {
      let sourceIndex = 0;
      for (let axis = 0; axis < shape.length; axis++) sourceIndex += (coordinates[axis] % padded[axis]) * source.strides[axis];
      data[i++] = source.storage.data[sourceIndex];
      for (let axis = shape.length - 1; axis >= 0; axis--) {
        if (++coordinates[axis] < shape[axis]) break;
        coordinates[axis] = 0;
      }
    });
    return { data, shape, dtype: a.dtype };
  },
  // Every copy sends its gradient back: view the gradient as (repeat, size) pairs and sum the repeats.
  backward: (grad, c) => {
    const inputShape = c.inputShape(0);
    const { repeats } = c.attrs;
    const padded = [...new Array<number>(repeats.length - inputShape.length).fill(1), ...inputShape];
    const pairs = padded.flatMap((size, axis) => [repeats[axis], size]);
    const summed = sum(reshape(grad, pairs), padded.map((_, axis) => 2 * axis));
    return [reshape(summed, inputShape)];
  },
  describeAttrs: ({ repeats }) => `repeats=[${repeats.join(', ')}]`,
};

export function repeat(a: Tensor, repeats: readonly number[]): Tensor {
  if (repeats.length < a.ndim) {
    throw new EngineError('RuntimeError', 'Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor');
  }
  return apply(repeatOp, [a], { repeats });
}

