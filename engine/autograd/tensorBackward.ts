// Tensor.backward with PyTorch's checks and messages.
import { EngineError } from '../errors';
import { full } from '../tensor/create';
import { sameShape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { runBackward } from './backward';

export type TensorBackwardOptions = {
  readonly gradient?: Tensor;
  /** Defaults to create_graph, as in PyTorch. */
  readonly retainGraph?: boolean;
  readonly createGraph?: boolean;
};

const torchSize = (shape: readonly number[]) => `torch.Size([${shape.join(', ')}])`;

export function tensorBackward(tensor: Tensor, options: TensorBackwardOptions = {}): void {
  if (!tensor.requiresGrad) {
    throw new EngineError('RuntimeError', 'element 0 of tensors does not require grad and does not have a grad_fn');
  }
  const { gradient } = options;
  if (gradient === undefined && tensor.numel !== 1) {
    throw new EngineError('RuntimeError', 'grad can be implicitly created only for scalar outputs');
  }
  if (gradient !== undefined && !sameShape(gradient.shape, tensor.shape)) {
    throw new EngineError(
      'RuntimeError',
      `Mismatch in shape: grad_output[0] has a shape of ${torchSize(gradient.shape)} and output[0] has a shape of ${torchSize(tensor.shape)}.`,
    );
  }
  const createGraph = options.createGraph ?? false;
  runBackward([tensor], [gradient ?? full(tensor.shape, 1, tensor.dtype)], {
    retainGraph: options.retainGraph ?? createGraph,
    createGraph,
  });
}
