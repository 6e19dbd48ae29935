// A node of the autograd graph is data: the op, its inputs, its attributes and the code that made it.
import type { OpDefinition } from '../ops/opDefinition';
import type { SourceSpan } from '../sourceSpan';
import type { Tensor } from '../tensor/tensor';

let nextNodeId = 1;

export class GraphNode<Attrs = unknown> {
  readonly id = nextNodeId++;
  /** Set when a backward pass without retain_graph has run through it: its saved tensors count as freed. */
  released = false;

  constructor(
    readonly op: OpDefinition<Attrs>,
    readonly inputs: readonly Tensor[],
    readonly attrs: Attrs,
    readonly output: Tensor,
    readonly sourceSpan: SourceSpan | undefined,
  ) {}

  /** PyTorch's name for the node's type, e.g. MulBackward0. */
  get name(): string {
    return this.op.nodeName;
  }
}
