// What a backward rule sees of its node: saved inputs and output (checked), and which inputs need gradients.
import type { BackwardContext } from '../ops/opDefinition';
import type { DType } from '../tensor/dtype';
import type { Shape } from '../tensor/shape';
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
  inputShape(index: number): Shape {
    return this.node.inputShape(index);
  }
  inputDType(index: number): DType {
    return this.node.inputDType(index);
  }
  backwardOf(node: GraphNode, grad: Tensor): readonly (Tensor | null)[] {
    return node.op.backward(grad, new NodeContext(node, this.ignoreChecks));
  }
  needsInputGrad(index: number): boolean {
    return this.node.target(index) !== null;
  }
}
