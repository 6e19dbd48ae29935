// The node an in-place write through a view leaves as its base's history (PyTorch's CopySlices).
// It wraps the in-place op's own node: its first edge goes to the base's history before the write,
// the others are the op's edges for its other operands (its first operand, the view's old value,
// is reached through the base instead).
import type { OpDefinition } from '../ops/opDefinition';
import type { Window } from '../ops/views';
import type { SourceSpan } from '../sourceSpan';
import type { DType } from '../tensor/dtype';
import type { Shape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { countGraphNode } from '../resourceLimits';
import { type GradientTarget, GraphNode, targetOf } from './graphNode';

export type CopySlicesAttrs = {
  /** Where the view lies in the base, in the base's row-major steps. */
  readonly window: Window;
  /** The in-place op's node: its backward runs on the window of the base's gradient. */
  readonly written: GraphNode;
};

export class CopySlicesNode extends GraphNode<CopySlicesAttrs> {
  private readonly baseTarget: GradientTarget | null;
  private readonly baseOutput: number;

  constructor(
    op: OpDefinition<CopySlicesAttrs>,
    private readonly base: Tensor,
    attrs: CopySlicesAttrs,
    sourceSpan: SourceSpan | undefined,
  ) {
    super(op, attrs, sourceSpan);
    countGraphNode();
    this.baseTarget = targetOf(base);
    this.baseOutput = base.outputIndex;
  }

  /** Freeing the graph frees the wrapped node's saved values too. */
  override get released(): boolean {
    return super.released;
  }

  override set released(value: boolean) {
    super.released = value;
    this.attrs.written.released = value;
  }

  get inputCount(): number {
    return this.attrs.written.inputCount;
  }
  get outputCount(): number {
    return 1;
  }
  target(index: number): GradientTarget | null {
    return index === 0 ? this.baseTarget : this.attrs.written.target(index);
  }
  targetOutput(index: number): number {
    return index === 0 ? this.baseOutput : this.attrs.written.targetOutput(index);
  }
  inputShape(index: number): Shape {
    return index === 0 ? this.base.shape : this.attrs.written.inputShape(index);
  }
  inputDType(index: number): DType {
    return index === 0 ? this.base.dtype : this.attrs.written.inputDType(index);
  }
  input(index: number): Tensor {
    return index === 0 ? this.base : this.attrs.written.input(index);
  }
  output(): Tensor {
    return this.base;
  }
  // CopySlices saves nothing of its own; the wrapped node checks what it saved.
  protected inputVersions() {
    return { saved: 0, current: 0 };
  }
  protected outputVersions() {
    return { saved: 0, current: 0 };
  }
}
