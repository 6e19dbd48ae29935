// The tensor: a strided view on a storage, a dtype, and its place in the autograd graph.
import type { GraphNode } from '../autograd/graphNode';
import type { ScalarTape } from '../autograd/scalarTape';
import { EngineError } from '../errors';
import { nextObjectId } from '../ids';
import { type SourceSpan, currentSourceSpan } from '../sourceSpan';
import { type DType, type ElementArray, allocate, isFloatingPoint } from './dtype';
import { type Shape, contiguousStrides, scalarShape, sizeOf } from './shape';

/**
 * Elements shared by a tensor and its views, with the version counter in-place ops bump. A
 * one-element storage made from a number keeps the number until something asks for an array:
 * chains of scalar ops then allocate no typed arrays at all.
 */
export class Storage {
  version = 0;
  /**
   * The scalar-tape entry whose output these elements are: tape entries copy the values they save,
   * so a write here tells the tape, which is how its version checks see the change.
   */
  producer: ScalarTape | null = null;
  producerIndex = 0;
  private array: ElementArray | undefined;
  private value = 0;

  constructor(
    data: ElementArray | number,
    readonly dtype: DType,
  ) {
    if (typeof data === 'number') this.value = data;
    else this.array = data;
  }

  get data(): ElementArray {
    if (this.array === undefined) {
      this.array = allocate(this.dtype, 1);
      this.array[0] = this.value;
    }
    return this.array;
  }

  /** The first element, without making an array for a scalar. */
  get first(): number {
    return this.array === undefined ? this.value : this.array[0];
  }

  get length(): number {
    return this.array === undefined ? 1 : this.array.length;
  }
}


/** Where a window's elements lie in the storage it shares. */
export type ViewLayout = { readonly strides: readonly number[]; readonly offset: number };

/**
 * What makes a tensor a differentiable view of another (PyTorch's DifferentiableViewMeta): set by
 * view ops, not by detach(). An in-place write through the view or its base changes the base's
 * history, and the view's history is then made again from the base's (see autograd/viewHistory.ts).
 */
export interface ViewHistory {
  /** The tensor the view was taken from, never itself a view: views of views share their base. */
  readonly base: Tensor;
  /** Called before the view's history is read: makes it again where an in-place write made it stale. */
  refresh(view: Tensor): void;
}

export class Tensor {
  readonly id = nextObjectId();
  readonly storage: Storage;
  readonly strides: readonly number[];
  readonly offset: number;
  /** False for a window on another tensor's storage (a view, the detached copy of one). */
  readonly ownsStorage: boolean;
  /** Set when the tensor is a differentiable view (PyTorch's `._base` is its base). */
  viewHistory: ViewHistory | null = null;
  /** The op node that produced this tensor, unless a scalar tape entry did (below). */
  private node: GraphNode | null = null;
  /** For the result of an op on 0-d tensors: the tape entry that made it, whose node is made only when asked for. */
  tape: ScalarTape | null = null;
  tapeIndex = 0;
  /** What this tensor's tape history needs kept alive that tapes hold only weakly (see scalarTape.ts). */
  anchor: object | null = null;
  /** Which output of gradFn this tensor is. */
  outputIndex = 0;
  grad: Tensor | null = null;
  retainsGrad = false;
  /** A Python number turned into a 0-d tensor for an op: it does not take part in type promotion as a tensor does. */
  isWrappedNumber = false;
  /** The code that made this tensor: the expression being evaluated when it was created. */
  sourceSpan: SourceSpan | undefined = currentSourceSpan();
  private requiresGradFlag = false;

  /** A tensor that owns `data` (row-major), or, with a layout, a view on its base's storage. */
  constructor(
    data: ElementArray | Storage,
    readonly shape: Shape,
    readonly dtype: DType,
    layout?: ViewLayout,
  ) {
    this.storage = data instanceof Storage ? data : new Storage(data, dtype);
    this.strides = layout?.strides ?? (shape.length === 0 ? scalarShape : contiguousStrides(shape));
    this.offset = layout?.offset ?? 0;
    this.ownsStorage = layout === undefined;
  }

  /**
   * Set directly by the engine; scripts go through setRequiresGrad, which checks as PyTorch does.
   * A view requires grad when its base does, even before its own history says so.
   */
  get requiresGrad(): boolean {
    return this.requiresGradFlag || (this.viewHistory !== null && this.viewHistory.base.requiresGradFlag);
  }

  set requiresGrad(value: boolean) {
    this.requiresGradFlag = value;
  }

  /** The tensor this one is a differentiable view of (PyTorch's `._base`). */
  get base(): Tensor | null {
    return this.viewHistory?.base ?? null;
  }

  get ndim(): number {
    return this.shape.length;
  }

  get numel(): number {
    return sizeOf(this.shape);
  }

  get version(): number {
    return this.storage.version;
  }

  /** grad_fn as last set, without making a view's stale history again: what the view checks read. */
  get recordedGradFn(): GraphNode | null {
    return this.tape !== null ? this.tape.node(this.tapeIndex) : this.node;
  }

  /** The op node that produced this tensor (PyTorch's grad_fn); null for leaves. */
  get gradFn(): GraphNode | null {
    this.viewHistory?.refresh(this);
    return this.recordedGradFn;
  }

  set gradFn(node: GraphNode | null) {
    this.node = node;
    this.tape = null;
    this.anchor = null;
  }

  /** grad_fn's name, without making a node for a tape entry. */
  get gradFnName(): string | undefined {
    this.viewHistory?.refresh(this);
    return this.tape !== null ? this.tape.op(this.tapeIndex).nodeName : this.node?.name;
  }

  /** Takes another tensor's place in the graph: its producer (node or tape entry) and output index. */
  takeHistory(from: Tensor): void {
    from.viewHistory?.refresh(from);
    this.node = from.node;
    this.tape = from.tape;
    this.tapeIndex = from.tapeIndex;
    this.anchor = from.anchor;
    this.outputIndex = from.outputIndex;
  }

  /** The node that produced this tensor when no tape entry did: what a tape keeps of an input from elsewhere. */
  get nodeOutsideTape(): GraphNode | null {
    this.viewHistory?.refresh(this);
    return this.tape === null ? this.node : null;
  }

  get isLeaf(): boolean {
    this.viewHistory?.refresh(this);
    return this.tape === null && this.node === null;
  }

  /** Whether the elements lie in row-major order without gaps (size-1 axes may have any stride). */
  get isContiguous(): boolean {
    let expected = 1;
    for (let axis = this.ndim - 1; axis >= 0; axis--) {
      if (this.shape[axis] !== 1 && this.strides[axis] !== expected) return false;
      expected *= this.shape[axis];
    }
    return true;
  }

  /**
   * The elements in row-major order. For a contiguous tensor this is (a window on) the storage
   * itself, so writes reach the tensor; otherwise it is a copy.
   */
  get data(): ElementArray {
    if (this.isContiguous) {
      const { data } = this.storage;
      return this.offset === 0 && data.length === this.numel ? data : data.subarray(this.offset, this.offset + this.numel);
    }
    return gatherStrided(this.storage.data, this.offset, this.shape, this.strides, allocate(this.dtype, this.numel));
  }

  /** Visits the storage index of every element, in row-major order. */
  forEachOffset(visit: (storageIndex: number, elementIndex: number) => void): void {
    const { shape, strides, ndim } = this;
    const size = this.numel;
    const index = new Array<number>(ndim).fill(0);
    let position = this.offset;
    for (let i = 0; i < size; i++) {
      visit(position, i);
      for (let axis = ndim - 1; axis >= 0; axis--) {
        index[axis]++;
        position += strides[axis];
        if (index[axis] < shape[axis]) break;
        position -= strides[axis] * shape[axis];
        index[axis] = 0;
      }
    }
  }

  /** `requires_grad_()` and the `requires_grad=` argument, with PyTorch's checks. */
  setRequiresGrad(value: boolean): this {
    if (value && !isFloatingPoint(this.dtype)) {
      throw new EngineError('RuntimeError', 'Only Tensors of floating point and complex dtype can require gradients');
    }
    if (!value && this.gradFn !== null) {
      throw new EngineError(
        'RuntimeError',
        'you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn\'t require differentiation use var_no_grad = var.detach().',
      );
    }
    this.requiresGrad = value;
    return this;
  }

  item(): number {
    if (this.numel !== 1) {
      throw new EngineError('RuntimeError', `a Tensor with ${this.numel} elements cannot be converted to Scalar`);
    }
    return this.offset === 0 ? this.storage.first : this.storage.data[this.offset];
  }

  /** A 0-d tensor that owns a one-element storage: what the scalar fast path works on. */
  get isOwnedScalar(): boolean {
    return this.shape.length === 0 && this.ownsStorage && this.storage.length === 1;
  }

  /** A new leaf with its own contiguous copy of the data. */
  copy(): Tensor {
    return new Tensor(this.data.slice(), this.shape, this.dtype);
  }

  /**
   * PyTorch's `.data`: the same elements under a version counter of their own, outside the graph,
   * so that writes through it escape autograd's checks (as PyTorch documents, they can silently
   * change what backward computes).
   */
  dataAlias(): Tensor {
    const alias = new Storage(this.storage.data, this.dtype);
    return new Tensor(alias, this.shape, this.dtype, this.ownsStorage && this.offset === 0 ? undefined : { strides: this.strides, offset: this.offset });
  }

  /** A new leaf sharing this tensor's storage (and version counter), outside the graph: not a view for autograd. */
  detach(): Tensor {
    const sameLayout = this.ownsStorage && this.isContiguous && this.offset === 0;
    return new Tensor(this.storage, this.shape, this.dtype, sameLayout ? undefined : { strides: this.strides, offset: this.offset });
  }
}

/** Copies a strided window into `out` in row-major order; the innermost axis is a tight loop. */
function gatherStrided(data: ElementArray, offset: number, shape: Shape, strides: readonly number[], out: ElementArray): ElementArray {
  const rank = shape.length;
  if (rank === 0) {
    out[0] = data[offset];
    return out;
  }
  const innerSize = shape[rank - 1];
  const innerStride = strides[rank - 1];
  const outer = out.length / Math.max(innerSize, 1);
  const index = new Array<number>(rank - 1).fill(0);
  let base = offset;
  let target = 0;
  for (let row = 0; row < outer; row++) {
    for (let i = 0, source = base; i < innerSize; i++, source += innerStride) out[target++] = data[source];
    for (let axis = rank - 2; axis >= 0; axis--) {
      index[axis]++;
      base += strides[axis];
      if (index[axis] < shape[axis]) break;
      base -= strides[axis] * shape[axis];
      index[axis] = 0;
    }
  }
  return out;
}
