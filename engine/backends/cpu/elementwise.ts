// CPU kernels for elementwise ops: the reference every other backend is checked against.
import { type DType, type ElementArray, allocate } from '../../tensor/dtype';
import { type Shape, broadcastStrides, sameShape, sizeOf } from '../../tensor/shape';
import type { Tensor } from '../../tensor/tensor';

/** An input's values as the op computes them: PyTorch casts every operand to the computation dtype first. */
function valuesIn(tensor: Tensor, dtype: DType): ElementArray {
  const data = tensor.data;
  if (tensor.dtype === dtype) return data;
  const converted = allocate(dtype, data.length);
  converted.set(data);
  return converted;
}

/** Applies `fn` to every element, read in `dtype` and written in `outDType` (they differ for comparisons). */
export function mapUnary(input: Tensor, dtype: DType, fn: (x: number) => number, outDType: DType = dtype): ElementArray {
  const source = valuesIn(input, dtype);
  const out = allocate(outDType, source.length);
  for (let i = 0; i < source.length; i++) out[i] = fn(source[i]);
  return out;
}

/** The arithmetic that gets loops of its own: calling a kernel function per element costs several times more. */
export type FastArithmetic = 'add' | 'sub' | 'mul' | 'div';

/** out = left ∘ right with `right` the same length, or a single value when `scalar`. */
function arithmeticLoop(kind: FastArithmetic, left: ElementArray, right: ElementArray, out: ElementArray, scalar: boolean): void {
  const n = out.length;
  if (scalar) {
    const y = right[0];
    switch (kind) {
      case 'add':
        for (let i = 0; i < n; i++) out[i] = left[i] + y;
        return;
      case 'sub':
        for (let i = 0; i < n; i++) out[i] = left[i] - y;
        return;
      case 'mul':
        for (let i = 0; i < n; i++) out[i] = left[i] * y;
        return;
      case 'div':
        for (let i = 0; i < n; i++) out[i] = left[i] / y;
        return;
      default:
        return kind satisfies never;
    }
  }
  switch (kind) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] = left[i] + right[i];
      return;
    case 'sub':
      for (let i = 0; i < n; i++) out[i] = left[i] - right[i];
      return;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = left[i] * right[i];
      return;
    case 'div':
      for (let i = 0; i < n; i++) out[i] = left[i] / right[i];
      return;
    default:
      return kind satisfies never;
  }
}

/** Applies `fn` to broadcast pairs, read in `dtype` and written in `outDType`. */
export function mapBinary(
  a: Tensor,
  b: Tensor,
  shape: Shape,
  dtype: DType,
  fn: (x: number, y: number) => number,
  outDType: DType = dtype,
  fast?: FastArithmetic,
): ElementArray {
  const left = valuesIn(a, dtype);
  const right = valuesIn(b, dtype);
  const size = sizeOf(shape);
  const out = allocate(outDType, size);
  const sameLayout = left.length === size && right.length === size && sameShape(a.shape, b.shape);
  if (fast && integerFree(outDType)) {
    if (sameLayout || (right.length === 1 && left.length === size)) {
      arithmeticLoop(fast, left, right, out, !sameLayout);
      return out;
    }
    // A bias added to every row: the right operand repeats with its own length as the period.
    if (left.length === size && right.length > 1 && repeatsAlongLeadingDims(b.shape, shape)) {
      const period = right.length;
      for (let start = 0; start < size; start += period) {
        arithmeticLoop(fast, left.subarray(start, start + period), right, out.subarray(start, start + period), false);
      }
      return out;
    }
  }
  if (sameLayout) {
    for (let i = 0; i < size; i++) out[i] = fn(left[i], right[i]);
  } else if (right.length === 1 && left.length === size) {
    const y = right[0];
    for (let i = 0; i < size; i++) out[i] = fn(left[i], y);
  } else if (left.length === 1 && right.length === size) {
    const x = left[0];
    for (let i = 0; i < size; i++) out[i] = fn(x, right[i]);
  } else {
    broadcastLoop(shape, broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape), (i, ia, ib) => {
      out[i] = fn(left[ia], right[ib]);
    });
  }
  return out;
}

/** Visits every output index in row-major order with the matching offsets into two strided inputs. */
function broadcastLoop(shape: Shape, stridesA: number[], stridesB: number[], visit: (i: number, ia: number, ib: number) => void): void {
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  const size = sizeOf(shape);
  let ia = 0;
  let ib = 0;
  for (let i = 0; i < size; i++) {
    visit(i, ia, ib);
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis]++;
      ia += stridesA[axis];
      ib += stridesB[axis];
      if (index[axis] < shape[axis]) break;
      ia -= stridesA[axis] * shape[axis];
      ib -= stridesB[axis] * shape[axis];
      index[axis] = 0;
    }
  }
}

/** Copies `input` broadcast to `shape`. */
export function broadcastTo(input: Tensor, shape: Shape): ElementArray {
  const out = allocate(input.dtype, sizeOf(shape));
  const source = input.data;
  const strides = broadcastStrides(input.shape, shape);
  broadcastLoop(shape, strides, strides, (i, ia) => {
    out[i] = source[ia];
  });
  return out;
}

/** Sums `input` down to `shape`, which it was broadcast from: the reverse of broadcastTo. */
export function sumToShape(input: Tensor, shape: Shape, dtype: DType = input.dtype): ElementArray {
  const out = allocate(dtype, sizeOf(shape));
  const source = input.data;
  const strides = broadcastStrides(shape, input.shape);
  broadcastLoop(input.shape, strides, strides, (i, io) => {
    out[io] += source[i];
  });
  return out;
}

/** Whether `operand` broadcast to `shape` only repeats whole: its dims past leading 1s are `shape`'s trailing dims. */
function repeatsAlongLeadingDims(operand: Shape, shape: Shape): boolean {
  const trimmed = operand.slice(operand.findIndex((dim) => dim !== 1));
  return trimmed.length > 0 && sameShape(trimmed, shape.slice(shape.length - trimmed.length));
}

/** The fast loops store raw results: right for floats (the store rounds), not for int64 division. */
const integerFree = (dtype: DType) => dtype === 'float32' || dtype === 'float64';
