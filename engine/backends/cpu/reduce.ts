// CPU kernels that work along axes: the input is read with the chosen axes moved last, so each
// group of elements to combine (a reduction) or to scan (cumsum, softmax) is one contiguous run.
import { type DType, type ElementArray, allocate } from '../../tensor/dtype';
import { Tensor } from '../../tensor/tensor';

/** The input's values with `axes` moved to the end, and the length of one group. */
export function groupsAlong(input: Tensor, axes: readonly number[]): { values: ElementArray; groupSize: number; groups: number } {
  const kept = input.shape.map((_, axis) => axis).filter((axis) => !axes.includes(axis));
  const order = [...kept, ...axes];
  const moved = new Tensor(input.storage, order.map((axis) => input.shape[axis]), input.dtype, {
    strides: order.map((axis) => input.strides[axis]),
    offset: input.offset,
  });
  const groupSize = axes.reduce((size, axis) => size * input.shape[axis], 1);
  return { values: moved.data, groupSize, groups: groupSize === 0 ? kept.reduce((n, axis) => n * input.shape[axis], 1) : input.numel / groupSize };
}

/** One value per group: `combine(values, start, length)`. */
export function reduceGroups(
  input: Tensor,
  axes: readonly number[],
  dtype: DType,
  combine: (values: ElementArray, start: number, length: number) => number,
): ElementArray {
  const { values, groupSize, groups } = groupsAlong(input, axes);
  const out = allocate(dtype, groups);
  for (let g = 0; g < groups; g++) out[g] = combine(values, g * groupSize, groupSize);
  return out;
}

/** Transforms each run along `axis` (cumsum, softmax) and puts the axis back where it was. */
export function scanAlong(
  input: Tensor,
  axis: number,
  dtype: DType,
  scan: (values: ElementArray, out: ElementArray, start: number, length: number) => void,
): ElementArray {
  const { values, groupSize, groups } = groupsAlong(input, [axis]);
  const scanned = allocate(dtype, values.length);
  for (let g = 0; g < groups; g++) scan(values, scanned, g * groupSize, groupSize);
  // Move the axis back: the scanned tensor has it last.
  const kept = input.shape.filter((_, a) => a !== axis);
  const movedShape = [...kept, input.shape[axis]];
  const moved = new Tensor(scanned, movedShape, dtype);
  const inverse = input.shape.map((_, a) => (a === axis ? input.ndim - 1 : a < axis ? a : a - 1));
  return new Tensor(moved.storage, input.shape, dtype, { strides: inverse.map((a) => moved.strides[a]), offset: 0 }).data;
}
