// Ops whose result shares its input's storage (PyTorch's views): reshape/view, squeeze, unsqueeze,
// transpose, permute, expand, select and slice. Backward rules restore the input's shape; the
// gradient of a select or slice is embedded into zeros by stridedScatter.
import { EngineError } from '../errors';
import { full } from '../tensor/create';
import { allocate, legacyTypeName } from '../tensor/dtype';
import { normalizeDim } from '../tensor/dims';
import { type Shape, contiguousStrides, formatShape, sameShape, sizeOf } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply } from './apply';
import type { OpDefinition } from './opDefinition';
import { sumTo } from './reduce';

/** A view of `tensor` with the given physical layout on its storage. */
function viewOf(tensor: Tensor, shape: Shape, strides: readonly number[], offset: number): Tensor {
  return new Tensor(tensor.storage, shape, tensor.dtype, { strides, offset });
}

/** A contiguous tensor with the same values (itself when it is contiguous already). */
export function contiguousValues(tensor: Tensor): Tensor {
  return tensor.isContiguous ? tensor : new Tensor(tensor.data, tensor.shape, tensor.dtype);
}

// ─── reshape / view ──────────────────────────────────────────────────────────

/** Resolves one -1 in a requested shape, with PyTorch's messages. */
export function inferShape(requested: readonly number[], numel: number): number[] {
  const inferred = requested.indexOf(-1);
  if (inferred !== requested.lastIndexOf(-1)) throw new EngineError('RuntimeError', 'only one dimension can be inferred');
  const known = requested.reduce((product, dim, i) => (i === inferred ? product : product * dim), 1);
  const shape = [...requested];
  if (inferred >= 0) {
    if (known === 0 || numel % known !== 0) {
      throw new EngineError('RuntimeError', `shape '${formatShape(requested)}' is invalid for input of size ${numel}`);
    }
    shape[inferred] = numel / known;
  }
  if (sizeOf(shape) !== numel || shape.some((dim) => dim < 0)) {
    throw new EngineError('RuntimeError', `shape '${formatShape(requested)}' is invalid for input of size ${numel}`);
  }
  return shape;
}

/**
 * The strides a tensor of `shape` needs to see `a`'s elements in row-major order without copying
 * (PyTorch's computeStride): each run of `a`'s dims that is contiguous in memory must split into
 * whole dims of the new shape. Undefined when no view can do it.
 */
export function viewStrides(a: Tensor, shape: Shape): number[] | undefined {
  const strides = new Array<number>(shape.length).fill(1);
  if (a.ndim === 0) return contiguousStrides(shape);
  if (a.numel === 0) return sameShape(a.shape, shape) ? [...a.strides] : contiguousStrides(shape);
  let viewDim = shape.length - 1;
  let chunkBaseStride = a.strides[a.ndim - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let tensorDim = a.ndim - 1; tensorDim >= 0; tensorDim--) {
    tensorNumel *= a.shape[tensorDim];
    // At the end of a contiguous chunk of `a`'s dims, the view's dims must cover it exactly.
    if (tensorDim === 0 || (a.shape[tensorDim - 1] !== 1 && a.strides[tensorDim - 1] !== tensorNumel * chunkBaseStride)) {
      while (viewDim >= 0 && (viewNumel < tensorNumel || shape[viewDim] === 1)) {
        strides[viewDim] = viewNumel * chunkBaseStride;
        viewNumel *= shape[viewDim];
        viewDim--;
      }
      if (viewNumel !== tensorNumel) return undefined;
      if (tensorDim > 0) {
        chunkBaseStride = a.strides[tensorDim - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewDim === -1 ? strides : undefined;
}

export const viewOp: OpDefinition<{ readonly shape: Shape }> = {
  name: 'view',
  nodeName: 'ViewBackward0',
  forward: ([a], { shape }) => {
    const strides = viewStrides(a, shape);
    if (!strides) {
      throw new EngineError(
        'RuntimeError',
        'view size is not compatible with input tensor\'s size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.',
      );
    }
    return viewOf(a, shape, strides, a.offset);
  },
  backward: (grad, c) => [reshape(grad, c.inputShape(0))],
  describeAttrs: ({ shape }) => `size=${formatShape(shape)}`,
};

export function view(a: Tensor, shape: readonly number[]): Tensor {
  return apply(viewOp, [a], { shape: inferShape(shape, a.numel) });
}

/** reshape's view of a tensor that is not contiguous but whose elements a view can still reach (_reshape_alias). */
export const reshapeAliasOp: OpDefinition<{ readonly shape: Shape }> = {
  name: '_reshape_alias',
  nodeName: 'ReshapeAliasBackward0',
  forward: ([a], { shape }) => viewOf(a, shape, viewStrides(a, shape) as number[], a.offset),
  backward: (grad, c) => [reshape(grad, c.inputShape(0))],
  describeAttrs: ({ shape }) => `size=${formatShape(shape)}`,
};

/** reshape's last resort: a contiguous copy seen in the new shape, not a view of anything (_unsafe_view). */
export const unsafeViewOp: OpDefinition<{ readonly shape: Shape }> = {
  name: '_unsafe_view',
  nodeName: 'UnsafeViewBackward0',
  forward: ([a], { shape }) => ({ data: a.data, shape, dtype: a.dtype }),
  backward: (grad, c) => [reshape(grad, c.inputShape(0))],
  describeAttrs: ({ shape }) => `size=${formatShape(shape)}`,
};

/** reshape as PyTorch does it: a view when contiguous, an aliasing view when strides allow, else a copy. */
export function reshape(a: Tensor, shape: readonly number[]): Tensor {
  const resolved = inferShape(shape, a.numel);
  if (a.isContiguous) return apply(viewOp, [a], { shape: resolved });
  if (viewStrides(a, resolved)) return apply(reshapeAliasOp, [a], { shape: resolved });
  return apply(unsafeViewOp, [clone(a)], { shape: resolved });
}

/** x[...]: the same elements as a new view (alias). */
export const aliasOp: OpDefinition = {
  name: 'alias',
  nodeName: 'AliasBackward0',
  forward: ([a]) => viewOf(a, a.shape, a.strides, a.offset),
  backward: (grad) => [grad],
};

export const alias = (a: Tensor): Tensor => apply(aliasOp, [a], undefined);

export const cloneOp: OpDefinition = {
  name: 'clone',
  nodeName: 'CloneBackward0',
  forward: ([a]) => ({ data: a.data.slice(), shape: a.shape, dtype: a.dtype }),
  backward: (grad) => [grad],
};

export const clone = (a: Tensor): Tensor => apply(cloneOp, [a], undefined);
export const contiguous = (a: Tensor): Tensor => (a.isContiguous ? a : clone(a));

// ─── squeeze / unsqueeze ─────────────────────────────────────────────────────

export const unsqueezeOp: OpDefinition<{ readonly dim: number }> = {
  name: 'unsqueeze',
  nodeName: 'UnsqueezeBackward0',
  forward: ([a], { dim }) => {
    const shape = [...a.shape];
    const strides = [...a.strides];
    shape.splice(dim, 0, 1);
    strides.splice(dim, 0, dim < a.ndim ? a.strides[dim] * a.shape[dim] : 1);
    return viewOf(a, shape, strides, a.offset);
  },
  backward: (grad, c) => [squeezeDims(grad, [c.attrs.dim])],
  describeAttrs: ({ dim }) => `dim=${dim}`,
};

export function unsqueeze(a: Tensor, dim: number): Tensor {
  return apply(unsqueezeOp, [a], { dim: normalizeDim(dim, a.ndim + 1) });
}

type SqueezeAttrs = { readonly dims: readonly number[] };

/**
 * squeeze: removes the listed size-1 dims (others are left, as PyTorch does). PyTorch names its
 * node by the form called: squeeze() 0, squeeze(dim) 1, squeeze(dims) 2. The gradient gets the
 * removed dims back one unsqueeze at a time (unsqueeze_to).
 */
function squeezeOpNamed(nodeName: string): OpDefinition<SqueezeAttrs> {
  return {
    name: 'squeeze',
    nodeName,
    forward: ([a], { dims }) => {
      const keep = a.shape.map((size, axis) => !(size === 1 && dims.includes(axis)));
      return viewOf(
        a,
        a.shape.filter((_, axis) => keep[axis]),
        a.strides.filter((_, axis) => keep[axis]),
        a.offset,
      );
    },
    backward: (grad, c) => {
      const shape = c.inputShape(0);
      let restored = grad;
      for (let axis = 0; axis < shape.length; axis++) if (shape[axis] === 1 && c.attrs.dims.includes(axis)) restored = unsqueeze(restored, axis);
      return [restored];
    },
    describeAttrs: ({ dims }) => `dim=${dims.join(', ')}`,
  };
}

export const squeezeAllOp = squeezeOpNamed('SqueezeBackward0');
export const squeezeOp = squeezeOpNamed('SqueezeBackward1');
export const squeezeDimsOp = squeezeOpNamed('SqueezeBackward2');

function squeezeDims(a: Tensor, dims: readonly number[]): Tensor {
  return apply(squeezeOp, [a], { dims });
}

/** squeeze(), squeeze(dim) or squeeze((dims…)). */
export function squeeze(a: Tensor, dim?: number | readonly number[]): Tensor {
  if (dim === undefined) return apply(squeezeAllOp, [a], { dims: a.shape.map((_, axis) => axis) });
  if (typeof dim === 'number') return squeezeDims(a, [normalizeDim(dim, a.ndim)]);
  return apply(squeezeDimsOp, [a], { dims: dim.map((d) => normalizeDim(d, a.ndim)) });
}

// ─── transpose / permute ─────────────────────────────────────────────────────

export const permuteOp: OpDefinition<{ readonly order: readonly number[] }> = {
  name: 'permute',
  nodeName: 'PermuteBackward0',
  forward: ([a], { order }) =>
    viewOf(
      a,
      order.map((axis) => a.shape[axis]),
      order.map((axis) => a.strides[axis]),
      a.offset,
    ),
  backward: (grad, c) => {
    const inverse = new Array<number>(c.attrs.order.length);
    c.attrs.order.forEach((axis, i) => (inverse[axis] = i));
    return [permute(grad, inverse)];
  },
  describeAttrs: ({ order }) => `dims=(${order.join(', ')})`,
};

export function permute(a: Tensor, order: readonly number[]): Tensor {
  if (order.length !== a.ndim) {
    throw new EngineError(
      'RuntimeError',
      `permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${a.ndim} is not equal to len(dims) = ${order.length}`,
    );
  }
  const normalized = order.map((axis) => normalizeDim(axis, a.ndim));
  if (new Set(normalized).size !== normalized.length) throw new EngineError('RuntimeError', 'permute(): duplicate dims are not allowed.');
  return apply(permuteOp, [a], { order: normalized });
}

export const transposeOp: OpDefinition<{ readonly dim0: number; readonly dim1: number }> = {
  name: 'transpose',
  nodeName: 'TransposeBackward0',
  forward: ([a], { dim0, dim1 }) => {
    const shape = [...a.shape];
    const strides = [...a.strides];
    [shape[dim0], shape[dim1]] = [shape[dim1], shape[dim0]];
    [strides[dim0], strides[dim1]] = [strides[dim1], strides[dim0]];
    return viewOf(a, shape, strides, a.offset);
  },
  backward: (grad, c) => [transpose(grad, c.attrs.dim0, c.attrs.dim1)],
  describeAttrs: ({ dim0, dim1 }) => `dim0=${dim0}, dim1=${dim1}`,
};

export function transpose(a: Tensor, dim0: number, dim1: number): Tensor {
  if (a.ndim === 0) return a;
  return apply(transposeOp, [a], { dim0: normalizeDim(dim0, a.ndim), dim1: normalizeDim(dim1, a.ndim) });
}

/** Tensor.t(): transposes a matrix, leaves a vector as it is. */
export const tOp: OpDefinition = {
  name: 't',
  nodeName: 'TBackward0',
  forward: ([a]) => (a.ndim < 2 ? viewOf(a, a.shape, a.strides, a.offset) : transposeOp.forward([a], { dim0: 0, dim1: 1 })),
  backward: (grad) => [t(grad)],
};

export function t(a: Tensor): Tensor {
  if (a.ndim > 2) throw new EngineError('RuntimeError', `t() expects a tensor with <= 2 dimensions, but self is ${a.ndim}D`);
  return apply(tOp, [a], undefined);
}

// ─── expand ──────────────────────────────────────────────────────────────────

export const expandOp: OpDefinition<{ readonly shape: Shape }> = {
  name: 'expand',
  nodeName: 'ExpandBackward0',
  forward: ([a], { shape }) => {
    const offset = shape.length - a.ndim;
    const strides = shape.map((_, axis) => {
      const own = axis - offset;
      return own < 0 || (a.shape[own] === 1 && shape[axis] !== 1) ? 0 : a.strides[own];
    });
    return viewOf(a, shape, strides, a.offset);
  },
  // Every copy of an element sends its gradient back to it.
  backward: (grad, c) => [sumTo(grad, c.inputShape(0))],
  describeAttrs: ({ shape }) => `size=${formatShape(shape)}`,
};

/** Tensor.expand, with PyTorch's checks (infer_expand_geometry), made from the last dim back. */
export function expand(a: Tensor, requested: readonly number[]): Tensor {
  if (requested.length < a.ndim) {
    throw new EngineError(
      'RuntimeError',
      `expand(torch.${legacyTypeName(a.dtype)}{${formatShape(a.shape)}}, size=${formatShape(requested)}): the number of sizes provided (${requested.length}) must be greater or equal to the number of dimensions in the tensor (${a.ndim})`,
    );
  }
  const shape = [...requested];
  for (let i = requested.length - 1; i >= 0; i--) {
    const dim = a.ndim - requested.length + i;
    const size = dim >= 0 ? a.shape[dim] : 1;
    if (requested[i] === -1) {
      if (dim < 0) throw new EngineError('RuntimeError', `The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension ${i}`);
      shape[i] = size;
    } else if (size !== requested[i] && size !== 1) {
      throw new EngineError(
        'RuntimeError',
        `The expanded size of the tensor (${requested[i]}) must match the existing size (${size}) at non-singleton dimension ${i}.  Target sizes: ${formatShape(requested)}.  Tensor sizes: ${formatShape(a.shape)}`,
      );
    }
  }
  return apply(expandOp, [a], { shape });
}

// ─── select / slice, and the windows that are their gradients ────────────────

/**
 * Where a view's elements lie in a tensor of some shape, counted in that tensor's row-major steps:
 * what select and slice take, and what an in-place write through a view covers of its base.
 */
export type Window = { readonly shape: Shape; readonly strides: readonly number[]; readonly offset: number };

/** The window's positions in a row-major tensor, element by element in the window's order. */
function forEachWindowPosition(window: Window, visit: (position: number, element: number) => void): void {
  new Tensor(new Float32Array(0), window.shape, 'float32', { strides: window.strides, offset: window.offset }).forEachOffset(visit);
}

/** The window itself (PyTorch's as_strided): the form a view's history takes after an in-place write. */
export const stridedWindowOp: OpDefinition<{ readonly window: Window }> = {
  name: 'as_strided',
  nodeName: 'AsStridedBackward0',
  forward: ([a], { window }) => {
    const values = contiguousValues(a);
    return viewOf(values, window.shape, window.strides, values.offset + window.offset);
  },
  backward: (grad, c) => [apply(stridedWindowBackwardOp, [grad], { baseShape: c.inputShape(0), window: c.attrs.window })],
};

type WindowGradientAttrs = { readonly baseShape: Shape; readonly window: Window };

/** zeros(baseShape) with `values` added into the window: the gradient of taking a window, named as PyTorch names each. */
function windowGradientOp(name: string, nodeName: string): OpDefinition<WindowGradientAttrs> {
  return {
    name,
    nodeName,
    forward: ([values], { baseShape, window }) => {
      const data = allocate(values.dtype, sizeOf(baseShape));
      const source = values.data;
      // Added, not written: an expanded view's window holds a position more than once.
      forEachWindowPosition(window, (position, i) => (data[position] += source[i]));
      return { data, shape: baseShape, dtype: values.dtype };
    },
    backward: (grad, c) => [apply(stridedWindowOp, [grad], { window: c.attrs.window })],
  };
}

export const selectBackwardOp = windowGradientOp('select_backward', 'SelectBackwardBackward0');
export const sliceBackwardOp = windowGradientOp('slice_backward', 'SliceBackwardBackward0');
export const stridedWindowBackwardOp = windowGradientOp('as_strided_backward', 'AsStridedBackwardBackward0');

/** `self` with the window's elements replaced by `src` (PyTorch's as_strided_scatter): how CopySlices writes back. */
export const stridedScatterOp: OpDefinition<{ readonly window: Window }> = {
  name: 'as_strided_scatter',
  nodeName: 'AsStridedScatterBackward0',
  forward: ([self, src], { window }) => {
    const data = allocate(self.dtype, self.numel);
    data.set(self.data);
    const source = src.data;
    forEachWindowPosition(window, (position, i) => (data[position] = source[i]));
    return { data, shape: self.shape, dtype: self.dtype };
  },
  // d/dself is the gradient outside the window, d/dsrc the window of the gradient.
  backward: (grad, c) => [
    c.needsInputGrad(0) ? apply(stridedScatterOp, [grad, full(c.attrs.window.shape, 0, grad.dtype)], c.attrs) : null,
    c.needsInputGrad(1) ? apply(stridedWindowOp, [grad], c.attrs) : null,
  ],
};

export type SelectAttrs = { readonly dim: number; readonly index: number };

export const selectOp: OpDefinition<SelectAttrs> = {
  name: 'select',
  nodeName: 'SelectBackward0',
  forward: ([a], { dim, index }) =>
    viewOf(
      a,
      a.shape.filter((_, axis) => axis !== dim),
      a.strides.filter((_, axis) => axis !== dim),
      a.offset + index * a.strides[dim],
    ),
  backward: (grad, c) => {
    const shape = c.inputShape(0);
    const strides = contiguousStrides(shape);
    const { dim, index } = c.attrs;
    const window = { shape: shape.filter((_, axis) => axis !== dim), strides: strides.filter((_, axis) => axis !== dim), offset: index * strides[dim] };
    return [apply(selectBackwardOp, [grad], { baseShape: shape, window })];
  },
  describeAttrs: ({ dim, index }) => `dim=${dim}, index=${index}`,
};

export function select(a: Tensor, dim: number, index: number): Tensor {
  if (a.ndim === 0) throw new EngineError('IndexError', 'invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number');
  const axis = normalizeDim(dim, a.ndim);
  const size = a.shape[axis];
  if (index < -size || index >= size) {
    throw new EngineError('IndexError', `index ${index} is out of bounds for dimension ${axis} with size ${size}`);
  }
  return apply(selectOp, [a], { dim: axis, index: index < 0 ? index + size : index });
}

export type SliceAttrs = { readonly dim: number; readonly start: number; readonly length: number; readonly step: number };

export const sliceOp: OpDefinition<SliceAttrs> = {
  name: 'slice',
  nodeName: 'SliceBackward0',
  forward: ([a], { dim, start, length, step }) => {
    const shape = [...a.shape];
    const strides = [...a.strides];
    shape[dim] = length;
    strides[dim] = a.strides[dim] * step;
    return viewOf(a, shape, strides, a.offset + start * a.strides[dim]);
  },
  backward: (grad, c) => {
    const baseShape = c.inputShape(0);
    const base = contiguousStrides(baseShape);
    const { dim, start, length, step } = c.attrs;
    const shape = [...baseShape];
    const strides = [...base];
    shape[dim] = length;
    strides[dim] = base[dim] * step;
    return [apply(sliceBackwardOp, [grad], { baseShape, window: { shape, strides, offset: start * base[dim] } })];
  },
  describeAttrs: ({ dim, start, length, step }) => `dim=${dim}, start=${start}, end=${start + length * step}, step=${step}`,
};

/** a[start:end:step] along `dim`, with Python's clamping of out-of-range bounds. */
export function slice(a: Tensor, dim: number, start: number | undefined, end: number | undefined, step = 1): Tensor {
  if (step <= 0) throw new EngineError('ValueError', 'step must be greater than zero');
  const axis = normalizeDim(dim, a.ndim);
  const size = a.shape[axis];
  const clampIndex = (value: number | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    const resolved = value < 0 ? value + size : value;
    return Math.min(Math.max(resolved, 0), size);
  };
  const from = clampIndex(start, 0);
  const to = Math.max(from, clampIndex(end, size));
  return apply(sliceOp, [a], { dim: axis, start: from, length: Math.ceil((to - from) / step), step });
}

/** flatten: a reshape of dims start…end into one; with nothing to merge, the tensor itself, as PyTorch returns it. */
export function flatten(a: Tensor, startDim = 0, endDim = -1): Tensor {
  if (a.ndim === 0) return reshape(a, [1]);
  const start = normalizeDim(startDim, a.ndim);
  const end = normalizeDim(endDim, a.ndim);
  if (start > end) throw new EngineError('RuntimeError', 'flatten() has invalid args: start_dim cannot come after end_dim');
  if (start === end) return a;
  const merged = a.shape.slice(start, end + 1).reduce((x, y) => x * y, 1);
  return reshape(a, [...a.shape.slice(0, start), merged, ...a.shape.slice(end + 1)]);
}
