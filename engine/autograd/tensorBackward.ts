// Tensor.backward with PyTorch's checks and messages.
import type { Tensor } from '../tensor/tensor';
import { runBackward } from './backward';
import { outputGradients } from './grad';

export type TensorBackwardOptions = {
  readonly gradient?: Tensor;
  /** Defaults to create_graph, as in PyTorch. */
  readonly retainGraph?: boolean;
  readonly createGraph?: boolean;
};

export function tensorBackward(tensor: Tensor, options: TensorBackwardOptions = {}): void {
  const createGraph = options.createGraph ?? false;
  runBackward([tensor], outputGradients([tensor], [options.gradient]), {
    retainGraph: options.retainGraph ?? createGraph,
    createGraph,
  });
}
