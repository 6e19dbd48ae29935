// Differentiable views, as PyTorch keeps them (DifferentiableViewMeta): a view shares its base's
// storage and version counter, so an in-place write through either changes both. The write
// becomes the base's history (CopySlices, ops/inPlace.ts); every view of that base then finds its
// own history stale, and makes it again, the first time it is read, as an as_strided window on
// the base's new history (PyTorch's VariableHooks::grad_fn).
import { EngineError } from '../errors';
import { stridedWindowOp, type Window } from '../ops/views';
import { isFloatingPoint } from '../tensor/dtype';
import { contiguousStrides } from '../tensor/shape';
import type { Tensor, ViewHistory } from '../tensor/tensor';
import { TensorNode } from './graphNode';
import { isGradEnabled } from './gradMode';
import { moveRetainedGrad } from './hooks';

/**
 * How the view was made (PyTorch's CreationMeta): views made in no_grad mode, and the outputs of
 * ops that return several views (split, chunk, unbind), may not be written in place while the
 * write is recorded.
 */
export type ViewCreation = 'default' | 'noGrad' | 'multiOutput';

export class DifferentiableView implements ViewHistory {
  constructor(
    readonly base: Tensor,
    readonly creation: ViewCreation,
    /** The storage's version when the view's history was last set. */
    private version: number,
  ) {}

  refresh(view: Tensor): void {
    const current = view.storage.version;
    if (current === this.version) return;
    if (view.recordedGradFn === null && !this.base.requiresGrad) return;
    this.checkWritable(view, 'its base or another view of its base has been');
    const [previous, previousOutput] = [view.recordedGradFn, view.outputIndex];
    const node = new TensorNode(stridedWindowOp, [this.base], { window: windowWithin(this.base, view) }, [view], undefined);
    view.gradFn = node;
    view.outputIndex = 0;
    view.requiresGrad = true;
    this.version = current;
    moveRetainedGrad(view, previous, previousOutput);
  }

  /** PyTorch's handle_view_on_rebase: the views whose writes autograd refuses to record. */
  checkWritable(view: Tensor, modified: 'is being' | 'its base or another view of its base has been'): void {
    if (this.creation === 'default') return;
    const node = view.recordedGradFn;
    const header = node
      ? `Output ${view.outputIndex} of ${node.name} is a view and ${modified} modified inplace.`
      : `A view was created in no_grad mode and ${modified} modified inplace with grad mode enabled.`;
    const reason =
      this.creation === 'multiOutput'
        ? ' This view is the output of a function that returns multiple views. Such functions do not allow the output views to be modified inplace. You should replace the inplace operation by an out-of-place one.'
        : " Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and the inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked).";
    throw new EngineError('RuntimeError', header + reason);
  }
}

/** Marks an op's output that shares its input's storage as a view of the input's base. */
export function markView(view: Tensor, source: Tensor, multiOutput: boolean): void {
  if (!isFloatingPoint(view.dtype)) return;
  const inherited = source.viewHistory instanceof DifferentiableView ? source.viewHistory : undefined;
  const made: ViewCreation = !isGradEnabled() ? 'noGrad' : multiOutput ? 'multiOutput' : 'default';
  // As PyTorch's propagate_creation_meta: a view of a view keeps the restriction its source had.
  const creation = made === 'default' && inherited ? inherited.creation : made;
  view.viewHistory = new DifferentiableView(inherited?.base ?? source, creation, view.storage.version);
}

/** The view's elements as a window on its base's values in row-major order (the base may be strided). */
export function windowWithin(base: Tensor, view: Tensor): Window {
  if (base.isContiguous) return { shape: view.shape, strides: view.strides, offset: view.offset - base.offset };
  // Each storage step of the view is a whole number of the base's steps: split it along the base's
  // axes from the widest stride down, and count it in row-major steps instead.
  const rowMajor = contiguousStrides(base.shape);
  const axes = base.shape.map((_, axis) => axis).filter((axis) => base.shape[axis] > 1 && base.strides[axis] > 0);
  axes.sort((a, b) => base.strides[b] - base.strides[a]);
  const inRowMajorSteps = (storageSteps: number) => {
    let rest = storageSteps;
    let steps = 0;
    for (const axis of axes) {
      const count = Math.floor(rest / base.strides[axis]);
      rest -= count * base.strides[axis];
      steps += count * rowMajor[axis];
    }
    if (rest !== 0) throw new EngineError('RuntimeError', 'an in-place write through this view is not supported: its elements do not lie on its base\'s');
    return steps;
  };
  return { shape: view.shape, strides: view.strides.map(inRowMajorSteps), offset: inRowMajorSteps(view.offset - base.offset) };
}
