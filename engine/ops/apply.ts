// Runs an op's forward kernel and, when gradients are being recorded, adds its node to the graph.
import { GraphNode } from '../autograd/graphNode';
import { isGradEnabled } from '../autograd/gradMode';
import { currentSourceSpan } from '../sourceSpan';
import { isFloatingPoint } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import type { OpDefinition } from './opDefinition';

export function apply<Attrs>(op: OpDefinition<Attrs>, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  const result = op.forward(inputs, attrs);
  const output = result instanceof Tensor ? result : new Tensor(result.data, result.shape, result.dtype);
  if (isGradEnabled() && isFloatingPoint(output.dtype) && inputs.some((input) => input.requiresGrad)) {
    output.requiresGrad = true;
    output.gradFn = new GraphNode(op, inputs, attrs, [output], currentSourceSpan());
  }
  return output;
}
