// The tensor: contiguous row-major storage, a shape, a dtype, and its place in the autograd graph.
import type { GraphNode } from '../autograd/graphNode';
import { EngineError } from '../errors';
import { type SourceSpan, currentSourceSpan } from '../sourceSpan';
import { type DType, type Storage, isFloatingPoint } from './dtype';
import { type Shape, sizeOf } from './shape';

let nextTensorId = 1;

export class Tensor {
  readonly id = nextTensorId++;
  /** The op node that produced this tensor (PyTorch's grad_fn); null for leaves. */
  gradFn: GraphNode | null = null;
  grad: Tensor | null = null;
  retainsGrad = false;
  /** A Python number turned into a 0-d tensor for an op: it does not take part in type promotion as a tensor does. */
  isWrappedNumber = false;
  /** The code that made this tensor: the expression being evaluated when it was created. */
  sourceSpan: SourceSpan | undefined = currentSourceSpan();
  /** Set directly by the engine; scripts go through setRequiresGrad, which checks as PyTorch does. */
  requiresGrad = false;

  constructor(
    readonly data: Storage,
    readonly shape: Shape,
    readonly dtype: DType,
  ) {}

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

  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  get ndim(): number {
    return this.shape.length;
  }

  get numel(): number {
    return sizeOf(this.shape);
  }

  item(): number {
    if (this.data.length !== 1) {
      throw new EngineError('RuntimeError', `a Tensor with ${this.data.length} elements cannot be converted to Scalar`);
    }
    return this.data[0];
  }

  /** A new leaf with its own copy of the data. */
  copy(): Tensor {
    return new Tensor(this.data.slice(), this.shape, this.dtype);
  }

  /** A new leaf sharing this tensor's storage, outside the graph. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, this.dtype);
  }
}
