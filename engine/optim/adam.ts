// torch.optim.Adam's update (with AMSGrad and L2 weight decay), as PyTorch's documentation gives it.
import { withGradMode } from '../autograd/gradMode';
import { add, div, mul, sub } from '../ops/arithmetic';
import { copyInto } from '../ops/inPlace';
import { maximum } from '../ops/selection';
import { sqrt } from '../ops/unaryMath';
import type { Tensor } from '../tensor/tensor';
import { zerosLike } from '../tensor/create';

export type AdamOptions = { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; amsgrad: boolean; maximize: boolean };

type AdamState = { step: number; m: Tensor; v: Tensor; vMax: Tensor };

export class Adam {
  private readonly state = new Map<Tensor, AdamState>();

  constructor(
    readonly parameters: readonly Tensor[],
    readonly options: AdamOptions,
  ) {}

  step(): void {
    const { lr, beta1, beta2, eps, weightDecay, amsgrad, maximize } = this.options;
    withGradMode(false, () => {
      for (const p of this.parameters) {
        if (!p.grad) continue;
        let g = maximize ? mul(p.grad, -1) : p.grad;
        if (weightDecay !== 0) g = add(g, mul(p, weightDecay));
        const s = this.state.get(p) ?? { step: 0, m: zerosLike(p), v: zerosLike(p), vMax: zerosLike(p) };
        s.step += 1;
        // m ← β₁m + (1-β₁)g,  v ← β₂v + (1-β₂)g²
        s.m = add(mul(s.m, beta1), mul(g, 1 - beta1));
        s.v = add(mul(s.v, beta2), mul(mul(g, g), 1 - beta2));
        const correction1 = 1 - beta1 ** s.step;
        const correction2 = 1 - beta2 ** s.step;
        if (amsgrad) s.vMax = maximum(s.vMax, s.v);
        // θ ← θ - γ m̂ / (√v̂ + ε), with PyTorch's order of operations
        const denominator = add(div(sqrt(amsgrad ? s.vMax : s.v), Math.sqrt(correction2)), eps);
        copyInto(p, sub(p, mul(div(s.m, denominator), lr / correction1)));
        this.state.set(p, s);
      }
    });
  }
}
