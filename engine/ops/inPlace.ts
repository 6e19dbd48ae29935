// In-place ops (add_, mul_, zero_, -=, x[i] = v): the new values are computed by the ordinary op on
// a snapshot of the old ones, written into the tensor's storage (bumping its version), and the
// tensor's history is rebased onto that op's node; a view's base gets a CopySlices node.
import { TensorNode } from '../autograd/graphNode';
import { isGradEnabled } from '../autograd/gradMode';
import { EngineError } from '../errors';
import { currentSourceSpan } from '../sourceSpan';
import { type DType, type ElementArray, allocate, castValue, isFloatingPoint } from '../tensor/dtype';
import { broadcastShapes, formatShape, sameShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply } from './apply';
import { sub } from './arithmetic';
import { sumTo } from './reduce';
import type { OpDefinition } from './opDefinition';
import { type Window, stridedScatterOp, stridedWindowOp } from './views';

const scalarTypeNames = { float32: 'Float', float64: 'Double', int64: 'Long', bool: 'Bool' } as const;

/** The tensor's current values in a storage of their own, carrying its history: what the op reads. */
function snapshot(target: Tensor): Tensor {
  const copy = new Tensor(target.data.slice(), target.shape, target.dtype);
  copy.requiresGrad = target.requiresGrad;
  copy.takeHistory(target);
  return copy;
}

function checkAllowed(target: Tensor): void {
  if (!isGradEnabled()) return;
  if (target.isLeaf && target.requiresGrad && target.base === null) {
    throw new EngineError('RuntimeError', 'a leaf Variable that requires grad is being used in an in-place operation.');
  }
  if (target.base && target.base.isLeaf && target.base.requiresGrad) {
    throw new EngineError('RuntimeError', 'a view of a leaf Variable that requires grad is being used in an in-place operation.');
  }
}

/** Runs `compute` on the tensor's values and makes the result the tensor's new value and history. */
export function applyInPlace(target: Tensor, compute: (current: Tensor) => Tensor): Tensor {
  checkAllowed(target);
  const result = compute(isGradEnabled() ? snapshot(target) : target.copy());
  if (!sameShape(broadcastShapes(result.shape, target.shape), target.shape)) {
    throw new EngineError('RuntimeError', `output with shape ${formatShape(target.shape)} doesn't match the broadcast shape ${formatShape(broadcastShapes(result.shape, target.shape))}`);
  }
  if (isFloatingPoint(result.dtype) && !isFloatingPoint(target.dtype)) {
    throw new EngineError('RuntimeError', `result type ${scalarTypeNames[result.dtype]} can't be cast to the desired output type ${scalarTypeNames[target.dtype]}`);
  }
  writeValues(target, result);
  if (result.requiresGrad && isGradEnabled()) rebaseHistory(target, result);
  return target;
}

/** Copies `values` (broadcast to the target's shape) into the target's storage positions. */
function writeValues(target: Tensor, values: Tensor): void {
  const source = castTo(target.dtype, sameShape(values.shape, target.shape) ? values.data : broadcastValues(values, target));
  const storage = target.storage.data;
  if (target.isContiguous) storage.set(source, target.offset);
  else target.forEachOffset((storageIndex, i) => (storage[storageIndex] = source[i]));
  // A scalar tape saved copies of these values: it learns of the write from the storage.
  target.storage.producer?.noteWrite(target.storage.producerIndex, target.storage);
  target.storage.version++;
}

/** Values as a dtype's storage would hold them (a typed-array copy rounds floats; int64 and bool need more). */
function castTo(dtype: DType, values: ElementArray): ElementArray {
  if (dtype !== 'int64' && dtype !== 'bool') return values;
  return allocate(dtype, values.length).map((_, i) => castValue(dtype, values[i]));
}

function broadcastValues(values: Tensor, target: Tensor) {
  const expanded = new Tensor(values.storage, target.shape, values.dtype, {
    strides: target.shape.map((_, axis) => {
      const own = axis - (target.ndim - values.ndim);
      return own < 0 || values.shape[own] === 1 ? 0 : values.strides[own];
    }),
    offset: values.offset,
    base: values,
  });
  return expanded.data;
}

function rebaseHistory(target: Tensor, result: Tensor): void {
  const base = target.base;
  if (base === null) {
    target.requiresGrad = true;
    target.takeHistory(result);
    // The in-place op's tape entry now produces the target's storage, at the version just written.
    if (result.tape !== null) result.tape.noteRebase(result.tapeIndex, target.storage);
    return;
  }
  // The base's value changed in the window the view covers: CopySlices takes the base's old
  // history outside the window and the in-place result inside it.
  const window: Window = { shape: target.shape, strides: target.strides, offset: target.offset };
  // The base's old history enters as the first input (its values are not needed in backward).
  const copySlices = new TensorNode(copySlicesOp, [snapshot(base), result], { window }, [base], currentSourceSpan());
  base.requiresGrad = true;
  base.gradFn = copySlices;
  base.outputIndex = 0;
  target.requiresGrad = true;
  target.gradFn = new TensorNode(stridedWindowOp, [base], { window }, [target], currentSourceSpan());
  target.outputIndex = 0;
}

/** inputs (the base's old history, the values written into the window); attrs: the window. */
export const copySlicesOp: OpDefinition<{ readonly window: Window }> = {
  name: 'copy_slices',
  nodeName: 'CopySlices',
  forward: () => {
    throw new Error('CopySlices is made by in-place writes, never run forward');
  },
  // Outside the window the gradient goes to the old base; inside, to the written values.
  backward: (grad, c) => {
    const inside = apply(stridedWindowOp, [grad], c.attrs);
    const baseShape = grad.shape;
    const outside = sub(grad, apply(stridedScatterOp, [inside], { baseShape, window: c.attrs.window }));
    return [c.needsInputGrad(0) ? outside : null, c.needsInputGrad(1) ? inside : null];
  },
};

/** copy_(src) and x[...] = src: the old values get no gradient, the source gets what reached it. */
export const copyOp: OpDefinition = {
  name: 'copy_',
  nodeName: 'CopyBackwards',
  forward: ([current, source]) => {
    const data = allocate(current.dtype, current.numel);
    data.set(castTo(current.dtype, broadcastValues(source, current)));
    return { data, shape: current.shape, dtype: current.dtype };
  },
  backward: (grad, c) => [null, c.needsInputGrad(1) ? sumTo(grad, c.input(1).shape) : null],
};

/** target.copy_(source): writes the source's values (broadcast, cast) into the target. */
export function copyInto(target: Tensor, source: Tensor): Tensor {
  return applyInPlace(target, (current) => apply(copyOp, [current, source], undefined));
}
