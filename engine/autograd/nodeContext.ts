// What a backward rule sees of its node: saved inputs and output (checked), and which inputs need gradients.
import type { BackwardContext } from '../ops/opDefinition';
import type { Tensor } from '../tensor/tensor';
import type { GraphNode } from './graphNode';

export class NodeContext<Attrs> implements BackwardContext<Attrs> {
  constructor(
    private readonly node: GraphNode<Attrs>,
    private readonly ignoreChecks: boolean,
  ) {}
  get attrs(): Attrs {
    return this.node.attrs;
  }
  input(index: number): Tensor {
    return this.node.savedInput(index, this.ignoreChecks);
  }
  output(): Tensor {
    return this.node.savedOutput(0, this.ignoreChecks);
  }
  needsInputGrad(index: number): boolean {
    return this.node.target(index) !== null;
  }
}
