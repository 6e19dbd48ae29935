// Tensor.backward with PyTorch's checks and messages.
import type { Tensor } from '../tensor/tensor';
import { runBackward } from './backward';
import { add } from '../ops/arithmetic';
import { grad, outputGradients } from './grad';

export type TensorBackwardOptions = {
  readonly gradient?: Tensor;
  /** Defaults to create_graph, as in PyTorch. */
  readonly retainGraph?: boolean;
  readonly createGraph?: boolean;
  /** backward(inputs=…): only these tensors' .grad is filled (leaves or not). */
  readonly inputs?: readonly Tensor[];
};

export function tensorBackward(tensor: Tensor, options: TensorBackwardOptions = {}): void {
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  const gradients = outputGradients([tensor], [options.gradient]);
  if (!options.inputs) {
    runBackward([tensor], gradients, { retainGraph, createGraph });
    return;
  }
  // With inputs, the gradients of just those tensors accumulate into their .grad, as for leaves.
  const found = grad([tensor], options.inputs, { gradOutputs: gradients, retainGraph, createGraph, allowUnused: true });
  options.inputs.forEach((input, i) => {
    const gradient = found[i];
    if (!gradient) return;
    input.grad = input.grad ? add(input.grad, gradient) : createGraph ? gradient : gradient.copy();
  });
}
