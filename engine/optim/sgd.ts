// torch.optim.SGD's update, with momentum, dampening, weight decay and Nesterov, as PyTorch's
// documentation gives it. Runs without recording gradients; parameters are updated in place.
import { withGradMode } from '../autograd/gradMode';
import { add, mul, sub } from '../ops/arithmetic';
import { copyInto } from '../ops/inPlace';
import type { Tensor } from '../tensor/tensor';

export type SgdOptions = { lr: number; momentum: number; dampening: number; weightDecay: number; nesterov: boolean; maximize: boolean };

export class Sgd {
  private readonly momentumBuffers = new Map<Tensor, Tensor>();

  constructor(
    readonly parameters: readonly Tensor[],
    readonly options: SgdOptions,
  ) {}

  step(): void {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = this.options;
    withGradMode(false, () => {
      for (const p of this.parameters) {
        if (!p.grad) continue;
        // g ← ∇ (+ λθ)
        let g = maximize ? mul(p.grad, -1) : p.grad;
        if (weightDecay !== 0) g = add(g, mul(p, weightDecay));
        if (momentum !== 0) {
          // b ← μb + (1 - τ)g, the first time b ← g
          const previous = this.momentumBuffers.get(p);
          const buffer = previous ? add(mul(previous, momentum), mul(g, 1 - dampening)) : g.copy();
          this.momentumBuffers.set(p, buffer);
          g = nesterov ? add(g, mul(buffer, momentum)) : buffer;
        }
        // θ ← θ - γg
        copyInto(p, sub(p, mul(g, lr)));
      }
    });
  }
}
