// Runs an op's forward kernel and, when gradients are being recorded, adds its node to the graph.
import { GraphNode } from '../autograd/graphNode';
import { isGradEnabled } from '../autograd/gradMode';
import { isFloatingPoint } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import type { OpDefinition } from './opDefinition';

export function apply<Attrs>(op: OpDefinition<Attrs>, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  const { data, shape, dtype } = op.forward(inputs, attrs);
  const output = new Tensor(data, shape, dtype);
  if (isGradEnabled() && isFloatingPoint(dtype) && inputs.some((input) => input.requiresGrad)) {
    output.requiresGrad = true;
    output.gradFn = new GraphNode(op, inputs, attrs, output, output.sourceSpan);
  }
  return output;
}
