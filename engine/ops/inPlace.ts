// In-place ops (add_, mul_, zero_, -=, x[i] = v), recorded as PyTorch records them: the new values
// are computed by the ordinary op on a snapshot of the old ones and written into the tensor's
// storage, bumping the version its views share. The op's node becomes the tensor's history;
// written through a view, the node is wrapped in a CopySlices node that becomes the base's history,
// and every view of the base makes its own history again from that (autograd/viewHistory.ts).
import { type CopySlicesAttrs, CopySlicesNode } from '../autograd/copySlicesNode';
import { isGradEnabled } from '../autograd/gradMode';
import { moveRetainedGrad } from '../autograd/hooks';
import { DifferentiableView, windowWithin } from '../autograd/viewHistory';
import { EngineError } from '../errors';
import { currentSourceSpan } from '../sourceSpan';
import { full, zerosLike } from '../tensor/create';
import { type DType, type ElementArray, allocate, castValue, isFloatingPoint, scalarTypeNames } from '../tensor/dtype';
import { broadcastShapes, formatShape, sameShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply } from './apply';
import { toDType } from './convert';
import type { OpDefinition } from './opDefinition';
import { sumTo } from './reduce';
import { stridedScatterOp, stridedWindowOp } from './views';

/** The tensor's current values in a storage of their own, carrying its history: what the op reads. */
function snapshot(target: Tensor): Tensor {
  const copy = new Tensor(target.data.slice(), target.shape, target.dtype);
  copy.requiresGrad = target.requiresGrad;
  copy.takeHistory(target);
  return copy;
}

/** PyTorch's check_inplace: the writes autograd cannot record. */
function checkRecordable(target: Tensor): void {
  if (!isGradEnabled()) return;
  const view = target.viewHistory;
  if (view instanceof DifferentiableView) {
    view.checkWritable(target, 'is being');
    if (target.requiresGrad && view.base.isLeaf) {
      throw new EngineError('RuntimeError', 'a view of a leaf Variable that requires grad is being used in an in-place operation.');
    }
  }
  if (target.requiresGrad && target.isLeaf) {
    throw new EngineError('RuntimeError', 'a leaf Variable that requires grad is being used in an in-place operation.');
  }
}

/** An expanded tensor repeats elements: writing to it would write one element several times. */
function checkNoInternalOverlap(target: Tensor): void {
  if (target.shape.some((size, axis) => size > 1 && target.strides[axis] === 0)) {
    throw new EngineError(
      'RuntimeError',
      'unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.',
    );
  }
}

/** Runs `compute` on the tensor's values and makes the result the tensor's new value and history. */
export function applyInPlace(target: Tensor, compute: (current: Tensor) => Tensor): Tensor {
  // As in PyTorch, the checks run when the write would be recorded: the target requires grad, or
  // (seen once the op has run) an operand does.
  if (target.requiresGrad) checkRecordable(target);
  checkNoInternalOverlap(target);
  const recording = isGradEnabled();
  const result = compute(recording ? snapshot(target) : target.copy());
  if (!sameShape(broadcastShapes(result.shape, target.shape), target.shape)) {
    throw new EngineError('RuntimeError', `output with shape ${formatShape(target.shape)} doesn't match the broadcast shape ${formatShape(broadcastShapes(result.shape, target.shape))}`);
  }
  if (isFloatingPoint(result.dtype) && !isFloatingPoint(target.dtype)) {
    throw new EngineError('RuntimeError', `result type ${scalarTypeNames[result.dtype]} can't be cast to the desired output type ${scalarTypeNames[target.dtype]}`);
  }
  const recorded = recording && result.requiresGrad;
  if (recorded && !target.requiresGrad) checkRecordable(target);
  writeValues(target, result);
  if (recorded) rebaseHistory(target, result);
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
  });
  return expanded.data;
}

function rebaseHistory(target: Tensor, result: Tensor): void {
  const view = target.viewHistory;
  if (!(view instanceof DifferentiableView)) {
    const [previous, previousOutput] = [target.recordedGradFn, target.outputIndex];
    target.requiresGrad = true;
    target.takeHistory(result);
    moveRetainedGrad(target, previous, previousOutput);
    // The in-place op's tape entry now produces the target's storage, at the version just written.
    if (result.tape !== null) result.tape.noteRebase(result.tapeIndex, target.storage);
    return;
  }
  // Written through a view: the base's history takes the write. The view's own history is now
  // stale (its version moved on), and is made again from the base's when next read.
  const { base } = view;
  const written = result.gradFn;
  if (written === null) throw new Error('an in-place result that requires grad has a node');
  const node = new CopySlicesNode(copySlicesOp, base, { window: windowWithin(base, target), written }, currentSourceSpan());
  const [previous, previousOutput] = [base.recordedGradFn, base.outputIndex];
  base.requiresGrad = true;
  base.gradFn = node;
  base.outputIndex = 0;
  moveRetainedGrad(base, previous, previousOutput);
}

/**
 * The base's gradient, with the window the view covers replaced by what the in-place op's backward
 * makes of that window (PyTorch's CopySlices::apply); the op's other operands get theirs.
 */
export const copySlicesOp: OpDefinition<CopySlicesAttrs> = {
  name: 'copy_slices',
  nodeName: 'CopySlices',
  nodeQualifiedName: 'torch::autograd::CopySlices',
  forward: () => {
    throw new Error('CopySlices is made by in-place writes, never run forward');
  },
  backward: (grad, c) => {
    const { window, written } = c.attrs;
    const slice = apply(stridedWindowOp, [grad], { window });
    const inner = c.backwardOf(written, slice);
    const gradients: (Tensor | null)[] = inner.map((gradient, i) => (i > 0 && c.needsInputGrad(i) ? gradient : null));
    if (c.needsInputGrad(0)) {
      const viewGradient = inner[0] ? toDType(sumTo(inner[0], window.shape), grad.dtype) : full(window.shape, 0, grad.dtype);
      gradients[0] = apply(stridedScatterOp, [grad, viewGradient], { window });
    }
    return gradients;
  },
};

/** copy_(src) and x[...] = src: the old values get zero gradient, the source what reached it. */
export const copyOp: OpDefinition = {
  name: 'copy_',
  nodeName: 'CopyBackwards',
  nodeQualifiedName: 'torch::autograd::CopyBackwards',
  forward: ([current, source]) => {
    const data = allocate(current.dtype, current.numel);
    data.set(castTo(current.dtype, broadcastValues(source, current)));
    return { data, shape: current.shape, dtype: current.dtype };
  },
  backward: (grad, c) => [c.needsInputGrad(0) ? zerosLike(grad) : null, c.needsInputGrad(1) ? sumTo(grad, c.inputShape(1)) : null],
};

/** zero_(): the old values get zero gradient. */
export const zeroOp: OpDefinition = {
  name: 'zero_',
  nodeName: 'ZeroBackward0',
  forward: ([current]) => ({ data: allocate(current.dtype, current.numel), shape: current.shape, dtype: current.dtype }),
  backward: (grad) => [zerosLike(grad)],
};

/** fill_(number): fill_.Scalar, whose old values get zero gradient. */
export const fillOp: OpDefinition<{ readonly value: number }> = {
  name: 'fill_',
  nodeName: 'FillBackward2',
  forward: ([current], { value }) => ({ data: allocate(current.dtype, current.numel).fill(castValue(current.dtype, value)), shape: current.shape, dtype: current.dtype }),
  backward: (grad) => [zerosLike(grad)],
  describeAttrs: ({ value }) => `value=${value}`,
};

/** target.copy_(source): writes the source's values (broadcast, cast) into the target. */
export function copyInto(target: Tensor, source: Tensor): Tensor {
  return applyInPlace(target, (current) => apply(copyOp, [current, source], undefined));
}

export const zeroInPlace = (target: Tensor): Tensor => applyInPlace(target, (current) => apply(zeroOp, [current], undefined));

/** fill_(value): a number, or a 0-d tensor (fill_.Tensor, which PyTorch records as a copy of it). */
export function fillInPlace(target: Tensor, value: number | Tensor): Tensor {
  if (value instanceof Tensor) {
    if (value.ndim !== 0) throw new EngineError('RuntimeError', `fill_ only supports 0-dimension value tensor but got tensor with ${value.ndim} dimensions.`);
    return copyInto(target, value);
  }
  return applyInPlace(target, (current) => apply(fillOp, [current], { value }));
}
