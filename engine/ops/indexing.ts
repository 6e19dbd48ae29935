// Gathering and scattering by index: gather, index_select, masked_fill, advanced indexing with
// integer tensors (tensor[idx], tensor[mask]) and its assignment form index_put. The index tensors
// are attributes, not inputs: no gradient flows into an index.
import { broadcastTo } from '../backends/cpu/elementwise';
import { EngineError } from '../errors';
import { allocate, castValue } from '../tensor/dtype';
import { normalizeDim } from '../tensor/dims';
import { type Shape, broadcastShapes, contiguousStrides, formatShape, sameShape, sizeOf } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply } from './apply';
import type { OpDefinition } from './opDefinition';
import { sumTo } from './reduce';
import { where } from './selection';
import { expand } from './views';

function checkIndexTensor(index: Tensor, what: string): void {
  if (index.dtype !== 'int64') throw new EngineError('RuntimeError', `${what}(): Expected dtype int64 for index`);
}

function wrapIndex(value: number, size: number, dim: number): number {
  if (value < -size || value >= size) throw new EngineError('IndexError', `index ${value} is out of bounds for dimension ${dim} with size ${size}`);
  return value < 0 ? value + size : value;
}

// ─── gather / scatter_add ────────────────────────────────────────────────────

export type GatherAttrs = { readonly dim: number; readonly index: Tensor };

/** For each position of `index`, the row-major offset in `shape` that gather reads (scatter_add writes). */
function gatherOffsets(shape: Shape, { dim, index }: GatherAttrs): Float64Array {
  const strides = contiguousStrides(shape);
  const indexStrides = contiguousStrides(index.shape);
  const values = index.data;
  const offsets = new Float64Array(index.numel);
  for (let i = 0; i < index.numel; i++) {
    let offset = 0;
    let rest = i;
    for (let axis = 0; axis < index.ndim; axis++) {
      const coordinate = Math.floor(rest / indexStrides[axis]);
      rest -= coordinate * indexStrides[axis];
      offset += (axis === dim ? wrapIndex(values[i], shape[axis], axis) : coordinate) * strides[axis];
    }
    offsets[i] = offset;
  }
  return offsets;
}

export const gatherOp: OpDefinition<GatherAttrs> = {
  name: 'gather',
  nodeName: 'GatherBackward0',
  forward: ([a], attrs) => {
    const source = a.data;
    const offsets = gatherOffsets(a.shape, attrs);
    const data = allocate(a.dtype, offsets.length);
    offsets.forEach((offset, i) => (data[i] = source[offset]));
    return { data, shape: attrs.index.shape, dtype: a.dtype };
  },
  backward: (grad, c) => [apply(scatterAddOp, [grad], { ...c.attrs, shape: c.inputShape(0) })],
  describeAttrs: ({ dim }) => `dim=${dim}`,
};

/** zeros(shape) with `values` added at the gathered positions: gather's gradient. */
export const scatterAddOp: OpDefinition<GatherAttrs & { readonly shape: Shape }> = {
  name: 'scatter_add',
  nodeName: 'ScatterAddBackward0',
  forward: ([values], attrs) => {
    const data = allocate(values.dtype, sizeOf(attrs.shape));
    const source = values.data;
    gatherOffsets(attrs.shape, attrs).forEach((offset, i) => (data[offset] += source[i]));
    return { data, shape: attrs.shape, dtype: values.dtype };
  },
  backward: (grad, c) => [apply(gatherOp, [grad], { dim: c.attrs.dim, index: c.attrs.index })],
  describeAttrs: ({ dim }) => `dim=${dim}`,
};

export function gather(a: Tensor, dim: number, index: Tensor): Tensor {
  checkIndexTensor(index, 'gather');
  const axis = normalizeDim(dim, a.ndim);
  if (index.ndim !== a.ndim) throw new EngineError('RuntimeError', 'Index tensor must have the same number of dimensions as input tensor');
  index.shape.forEach((size, d) => {
    if (d !== axis && size > a.shape[d]) {
      throw new EngineError('RuntimeError', `Size does not match at dimension ${d} expected index ${formatShape(index.shape)} to be smaller than self ${formatShape(a.shape)} apart from dimension ${axis}`);
    }
  });
  return apply(gatherOp, [a], { dim: axis, index });
}

// ─── advanced indexing ───────────────────────────────────────────────────────

/** One entry per leading dim: an int64 index tensor, or null for the whole dim. */
export type AdvancedIndices = readonly (Tensor | null)[];

type IndexPlan = { readonly shape: Shape; readonly offsets: Float64Array };

/** NumPy's advanced indexing: for each output element, the row-major offset in `shape` it reads. */
function planIndex(shape: Shape, indices: AdvancedIndices): IndexPlan {
  if (indices.length > shape.length) {
    throw new EngineError('IndexError', `too many indices for tensor of dimension ${shape.length}`);
  }
  const padded = [...indices, ...new Array<null>(shape.length - indices.length).fill(null)];
  const advanced = padded.flatMap((index, dim) => (index ? [dim] : []));
  const broadcast = advanced.reduce<Shape>((acc, dim) => broadcastShapes(acc, (padded[dim] as Tensor).shape), []);
  const adjacent = advanced.every((dim, i) => i === 0 || dim === advanced[i - 1] + 1);
  const rest = padded.flatMap((index, dim) => (index ? [] : [dim]));
  // Adjacent advanced indices keep their place; scattered ones move to the front (NumPy's rule).
  const before = adjacent ? rest.filter((dim) => dim < advanced[0]) : [];
  const after = adjacent ? rest.filter((dim) => dim > advanced[0]) : rest;
  const outShape = [...before.map((d) => shape[d]), ...broadcast, ...after.map((d) => shape[d])];
  const indexValues = advanced.map((dim) => broadcastTo(padded[dim] as Tensor, broadcast));
  const strides = contiguousStrides(shape);
  const outStrides = contiguousStrides(outShape);
  const broadcastSize = sizeOf(broadcast);
  const offsets = new Float64Array(sizeOf(outShape));
  for (let i = 0; i < offsets.length; i++) {
    const coordinates = outShape.map((_, axis) => Math.floor(i / outStrides[axis]) % outShape[axis]);
    const beforeCoordinates = coordinates.slice(0, before.length);
    const broadcastCoordinates = coordinates.slice(before.length, before.length + broadcast.length);
    const afterCoordinates = coordinates.slice(before.length + broadcast.length);
    const b = broadcastCoordinates.reduce((flat, c, axis) => flat * broadcast[axis] + c, 0) % Math.max(broadcastSize, 1);
    let offset = 0;
    before.forEach((dim, k) => (offset += beforeCoordinates[k] * strides[dim]));
    after.forEach((dim, k) => (offset += afterCoordinates[k] * strides[dim]));
    advanced.forEach((dim, k) => (offset += wrapIndex(indexValues[k][b], shape[dim], dim) * strides[dim]));
    offsets[i] = offset;
  }
  return { shape: outShape, offsets };
}

export type IndexAttrs = { readonly indices: AdvancedIndices };

export const indexOp: OpDefinition<IndexAttrs> = {
  name: 'index',
  nodeName: 'IndexBackward0',
  forward: ([a], { indices }) => {
    const plan = planIndex(a.shape, indices);
    const source = a.data;
    const data = allocate(a.dtype, plan.offsets.length);
    plan.offsets.forEach((offset, i) => (data[i] = source[offset]));
    return { data, shape: plan.shape, dtype: a.dtype };
  },
  // Each element read sends its gradient back to where it was read (added up where read twice).
  backward: (grad, c) => [apply(indexAccumulateOp, [grad], { indices: c.attrs.indices, shape: c.inputShape(0) })],
};

/** zeros(shape) with `values` added at the indexed positions: the gradient of indexing. */
export const indexAccumulateOp: OpDefinition<IndexAttrs & { readonly shape: Shape }> = {
  name: 'index_put',
  nodeName: 'IndexPutBackward0',
  forward: ([values], { indices, shape }) => {
    const plan = planIndex(shape, indices);
    const data = allocate(values.dtype, sizeOf(shape));
    const source = broadcastTo(values, plan.shape);
    plan.offsets.forEach((offset, i) => (data[offset] += source[i]));
    return { data, shape, dtype: values.dtype };
  },
  backward: (grad, c) => [apply(indexOp, [grad], { indices: c.attrs.indices })],
};

export function index(a: Tensor, indices: AdvancedIndices): Tensor {
  for (const entry of indices) if (entry) checkIndexTensor(entry, 'index');
  return apply(indexOp, [a], { indices });
}

/** The integer indices of a bool mask's true elements, one index tensor per mask dim (torch.nonzero, transposed). */
export function maskIndices(mask: Tensor): Tensor[] {
  const strides = contiguousStrides(mask.shape);
  const values = mask.data;
  const positions: number[] = [];
  values.forEach((value, i) => value && positions.push(i));
  return mask.shape.map((size, axis) => new Tensor(Float64Array.from(positions, (p) => Math.floor(p / strides[axis]) % size), [positions.length], 'int64'));
}

export function nonzero(a: Tensor): Tensor {
  const columns = maskIndices(a);
  const count = columns[0]?.numel ?? (a.data[0] ? 1 : 0);
  const data = new Float64Array(count * a.ndim);
  columns.forEach((column, axis) => column.data.forEach((value, row) => (data[row * a.ndim + axis] = value)));
  return new Tensor(data, [count, a.ndim], 'int64');
}

// ─── index_put: a[indices] = values, as a new value ─────────────────────────

export const indexPutOp: OpDefinition<IndexAttrs> = {
  name: 'index_put',
  nodeName: 'IndexPutBackward0',
  forward: ([a, values], { indices }) => {
    const plan = planIndex(a.shape, indices);
    const dtype = a.dtype;
    const data = allocate(dtype, a.numel);
    data.set(a.data);
    const source = broadcastTo(values, plan.shape);
    plan.offsets.forEach((offset, i) => (data[offset] = castValue(dtype, source[i])));
    return { data, shape: a.shape, dtype };
  },
  // The overwritten positions take no gradient back to `a`; the values get what reached those positions.
  backward: (grad, c) => [where(indexedMask(grad.shape, c.attrs.indices), 0, grad), sumTo(index(grad, c.attrs.indices), c.inputShape(1))],
};

/** A bool tensor of `shape`, true where `indices` point. */
function indexedMask(shape: Shape, indices: AdvancedIndices): Tensor {
  const data = new Uint8Array(sizeOf(shape));
  for (const offset of planIndex(shape, indices).offsets) data[offset] = 1;
  return new Tensor(data, shape, 'bool');
}

export function indexPut(a: Tensor, indices: AdvancedIndices, values: Tensor): Tensor {
  for (const entry of indices) if (entry) checkIndexTensor(entry, 'index_put');
  return apply(indexPutOp, [a, values], { indices });
}

// ─── index_select / masked_fill ──────────────────────────────────────────────

export function indexSelect(a: Tensor, dim: number, indexTensor: Tensor): Tensor {
  checkIndexTensor(indexTensor, 'index_select');
  if (indexTensor.ndim > 1) throw new EngineError('IndexError', 'index_select(): Index is supposed to be a vector');
  const axis = normalizeDim(dim, a.ndim);
  const indices: (Tensor | null)[] = a.shape.map(() => null);
  indices[axis] = indexTensor.ndim === 0 ? new Tensor(indexTensor.data, [1], 'int64') : indexTensor;
  return apply(indexSelectOp, [a], { indices });
}

export const indexSelectOp: OpDefinition<IndexAttrs> = { ...indexOp, name: 'index_select', nodeName: 'IndexSelectBackward0' };

export const maskedFillOp: OpDefinition<{ readonly mask: Tensor; readonly value: number }> = {
  name: 'masked_fill',
  nodeName: 'MaskedFillBackward0',
  forward: ([a], { mask, value }) => {
    const flags = broadcastTo(mask, a.shape);
    const data = a.data.slice();
    const filled = a.dtype === 'float32' ? Math.fround(value) : value;
    flags.forEach((flag, i) => flag && (data[i] = filled));
    return { data, shape: a.shape, dtype: a.dtype };
  },
  // Filled positions take no gradient.
  backward: (grad, c) => [where(c.attrs.mask, 0, grad)],
  describeAttrs: ({ value }) => `value=${value}`,
};

/** masked_select: the elements where the (broadcast) mask is true, as a vector. */
export const maskedSelectOp: OpDefinition<{ readonly mask: Tensor }> = {
  name: 'masked_select',
  nodeName: 'MaskedSelectBackward0',
  forward: ([a], { mask }) => {
    const values = a.data;
    const flags = mask.data;
    const selected: number[] = [];
    for (let i = 0; i < flags.length; i++) if (flags[i]) selected.push(values[i]);
    const data = allocate(a.dtype, selected.length);
    data.set(selected);
    return { data, shape: [selected.length], dtype: a.dtype };
  },
  // Each selected element's gradient goes back to its place; the others get zero.
  backward: (grad, c) => [apply(indexAccumulateOp, [grad], { indices: maskIndices(c.attrs.mask), shape: c.attrs.mask.shape })],
};

/** torch.masked_select: input and mask broadcast together first. */
export function maskedSelect(a: Tensor, mask: Tensor): Tensor {
  if (mask.dtype !== 'bool') throw new EngineError('RuntimeError', `masked_select: expected BoolTensor for mask`);
  const shape = broadcastShapes(a.shape, mask.shape);
  const input = sameShape(a.shape, shape) ? a : expand(a, shape);
  const flags = new Tensor(broadcastTo(mask, shape), shape, 'bool');
  return apply(maskedSelectOp, [input], { mask: flags });
}

export function maskedFill(a: Tensor, mask: Tensor, value: number): Tensor {
  if (mask.dtype !== 'bool') throw new EngineError('RuntimeError', `masked_fill_ only supports boolean masks, but got mask with dtype ${mask.dtype === 'int64' ? 'long int' : mask.dtype}`);
  broadcastShapes(mask.shape, a.shape);
  return apply(maskedFillOp, [a], { mask, value });
}
