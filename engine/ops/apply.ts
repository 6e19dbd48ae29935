// Runs an op's forward kernel and, when gradients are being recorded, adds its node to the graph.
import { checkForward, isAnomalyEnabled } from '../autograd/anomaly';
import { GraphNode } from '../autograd/graphNode';
import { isGradEnabled, withGradMode } from '../autograd/gradMode';
import { currentSourceSpan } from '../sourceSpan';
import { isFloatingPoint } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import type { ForwardResult, OpDefinition } from './opDefinition';

export function apply<Attrs>(op: OpDefinition<Attrs>, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  return applyMany(op, inputs, attrs)[0];
}

/** For ops with several outputs (split, chunk): one node, each output knowing its index. */
export function applyMany<Attrs>(op: OpDefinition<Attrs>, inputs: readonly Tensor[], attrs: Attrs): Tensor[] {
  // A forward kernel may use other ops for its arithmetic; those never belong in the graph.
  const result = withGradMode(false, () => op.forward(inputs, attrs));
  const outputs = result instanceof Tensor ? [result] : Array.isArray(result) ? [...(result as readonly Tensor[])] : [toTensor(result as ForwardResult)];
  if (isAnomalyEnabled()) checkForward(op.name, inputs, outputs, currentSourceSpan());
  if (isGradEnabled() && outputs.every((output) => isFloatingPoint(output.dtype)) && inputs.some((input) => input.requiresGrad)) {
    const node = new GraphNode(op, inputs, attrs, outputs, currentSourceSpan());
    outputs.forEach((output, i) => {
      output.requiresGrad = true;
      output.gradFn = node;
      output.outputIndex = i;
    });
  }
  return outputs;
}

const toTensor = (result: ForwardResult) => new Tensor(result.data, result.shape, result.dtype);
