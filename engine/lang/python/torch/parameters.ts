// Which tensors are nn.Parameters: they print as `Parameter containing:` and modules collect them.
import type { Tensor } from '../../../tensor/tensor';

export const parameters = new WeakSet<Tensor>();
