// Shapes, sizes and NumPy-style broadcasting, as PyTorch applies them.
import { EngineError } from '../errors';

export type Shape = readonly number[];

/** The shape of every 0-d tensor, shared: shapes are never written to. */
export const scalarShape: Shape = Object.freeze([]);

export function sizeOf(shape: Shape): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}

export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis];
  }
  return strides;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((dim, axis) => dim === b[axis]);
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function broadcastShapes(a: Shape, b: Shape): Shape {
  const rank = Math.max(a.length, b.length);
  const result = new Array<number>(rank);
  for (let i = 1; i <= rank; i++) {
    const dimA = a[a.length - i] ?? 1;
    const dimB = b[b.length - i] ?? 1;
    if (dimA !== dimB && dimA !== 1 && dimB !== 1) {
      throw new EngineError(
        'RuntimeError',
        `The size of tensor a (${dimA}) must match the size of tensor b (${dimB}) at non-singleton dimension ${rank - i}`,
      );
    }
    result[rank - i] = dimA === 1 ? dimB : dimA;
  }
  return result;
}

/** Strides that read a tensor of `shape` as if it had `target` shape: broadcast axes get stride 0. */
export function broadcastStrides(shape: Shape, target: Shape): number[] {
  const own = contiguousStrides(shape);
  const offset = target.length - shape.length;
  return target.map((_, axis) => {
    const ownAxis = axis - offset;
    return ownAxis < 0 || shape[ownAxis] === 1 ? 0 : own[ownAxis];
  });
}
