// torch.autograd.grad: gradients of outputs with respect to chosen inputs, returned rather than
// accumulated into .grad; with create_graph they are themselves differentiable.
import { EngineError } from '../errors';
import { add } from '../ops/arithmetic';
import { full } from '../tensor/create';
import { sameShape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { runBackward } from './backward';

export type GradOptions = {
  readonly gradOutputs?: readonly (Tensor | null)[];
  /** Defaults to create_graph, as in PyTorch. */
  readonly retainGraph?: boolean;
  readonly createGraph?: boolean;
  readonly allowUnused?: boolean;
};

const torchSize = (shape: readonly number[]) => `torch.Size([${shape.join(', ')}])`;

/** The gradient each output starts from: given, or 1 for a scalar. */
export function outputGradients(outputs: readonly Tensor[], given: readonly (Tensor | null | undefined)[] = []): Tensor[] {
  return outputs.map((output, i) => {
    if (!output.requiresGrad) {
      throw new EngineError('RuntimeError', `element ${i} of tensors does not require grad and does not have a grad_fn`);
    }
    const gradient = given[i];
    if (gradient === undefined || gradient === null) {
      if (output.numel !== 1) throw new EngineError('RuntimeError', 'grad can be implicitly created only for scalar outputs');
      return full(output.shape, 1, output.dtype);
    }
    if (!sameShape(gradient.shape, output.shape)) {
      throw new EngineError(
        'RuntimeError',
        `Mismatch in shape: grad_output[${i}] has a shape of ${torchSize(gradient.shape)} and output[${i}] has a shape of ${torchSize(output.shape)}.`,
      );
    }
    return gradient;
  });
}

export function grad(outputs: readonly Tensor[], inputs: readonly Tensor[], options: GradOptions = {}): (Tensor | null)[] {
  // As PyTorch checks them: the outputs first (their starting gradients), then the inputs.
  const startingGradients = outputGradients(outputs, options.gradOutputs);
  for (const input of inputs) {
    if (!input.requiresGrad) throw new EngineError('RuntimeError', 'One of the differentiated Tensors does not require grad');
  }
  const createGraph = options.createGraph ?? false;
  const found = new Map<Tensor, Tensor>();
  const collect = (tensor: Tensor, gradient: Tensor) => {
    const earlier = found.get(tensor);
    found.set(tensor, earlier ? add(earlier, gradient) : gradient);
  };
  const wanted = new Set(inputs);
  // A non-leaf input's gradient is what arrives at the node that made it (output 0 of that node).
  const wantedAtNode = new Map(inputs.filter((input) => input.gradFn && input.outputIndex === 0).map((input) => [input.gradFn, input]));
  runBackward(outputs, startingGradients, {
    retainGraph: options.retainGraph ?? createGraph,
    createGraph,
    collectLeafGradient: (leaf, gradient) => {
      if (wanted.has(leaf)) collect(leaf, gradient);
    },
    onNodeGradient: (node, gradient) => {
      const input = wantedAtNode.get(node);
      if (input) collect(input, gradient);
    },
  });
  return inputs.map((input) => {
    const gradient = found.get(input);
    if (gradient === undefined && !options.allowUnused) {
      throw new EngineError(
        'RuntimeError',
        'One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.',
      );
    }
    return gradient ?? null;
  });
}
