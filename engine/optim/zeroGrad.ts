// Clearing gradients between steps, shared by Module.zero_grad and Optimizer.zero_grad.
// As in PyTorch: by default the gradient is dropped (None); otherwise it is zeroed in place, so a
// tensor a script kept a reference to sees the zeros too.
import { withGradMode } from '../autograd/gradMode';
import { copyInto } from '../ops/inPlace';
import { full } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';

export function zeroGradients(parameters: Iterable<Tensor>, setToNone: boolean): void {
  for (const p of parameters) {
    if (setToNone) p.grad = null;
    else if (p.grad) {
      const grad = p.grad;
      // Written zeros, not the gradient times 0, which leaves -0. where it was negative.
      grad.gradFn = null;
      grad.requiresGrad = false;
      withGradMode(false, () => copyInto(grad, full([], 0, grad.dtype)));
    }
  }
}
