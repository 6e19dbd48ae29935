// Elementwise functions of one tensor (torch.exp, Math.sin, …), each with its backward rule after
// tools/autograd/derivatives.yaml, written with ops.
import { zerosLike } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { apply } from './apply';
import { tanhBackward } from './activationBackward';
import { addScalar, div, mul, mulScalar, neg, powScalar } from './arithmetic';
import { unaryOp } from './elementwise';

// d/dx eˣ = eˣ
export const expOp = unaryOp({
  name: 'exp',
  nodeName: 'ExpBackward0',
  kernel: Math.exp,
  backward: (g, c) => mul(g, c.output()),
  scalarBackward: { reads: ['output'], of: ({ g, output, round }) => round(g * output) },
});
// d/dx ln x = 1/x
export const logOp = unaryOp({
  name: 'log',
  nodeName: 'LogBackward0',
  kernel: Math.log,
  backward: (g, c) => div(g, c.input(0)),
  scalarBackward: { reads: ['a'], of: ({ g, a, round }) => round(g / a) },
  gradCheckDomain: { min: 0.2, max: 3 },
});
// d/dx ln(1+x) = 1/(1+x)
export const log1pOp = unaryOp({
  name: 'log1p',
  nodeName: 'Log1PBackward0',
  kernel: Math.log1p,
  backward: (g, c) => div(g, addScalar(c.input(0), 1)),
  gradCheckDomain: { min: -0.5, max: 3 },
});
// d/dx √x = 1/(2√x)
export const sqrtOp = unaryOp({
  name: 'sqrt',
  nodeName: 'SqrtBackward0',
  kernel: Math.sqrt,
  backward: (g, c) => div(g, mulScalar(c.output(), 2)),
  scalarBackward: { reads: ['output'], of: ({ g, output, round }) => round(g / round(2 * output)) },
  gradCheckDomain: { min: 0.2, max: 3 },
});
// d/dx x^(-1/2) = -1/2 · x^(-3/2)
export const rsqrtOp = unaryOp({
  name: 'rsqrt',
  nodeName: 'RsqrtBackward0',
  kernel: (x) => 1 / Math.sqrt(x),
  backward: (g, c) => mul(mulScalar(g, -0.5), powScalar(c.output(), 3)),
  gradCheckDomain: { min: 0.2, max: 3 },
});
// d/dx sin x = cos x
export const sinOp = unaryOp({
  name: 'sin',
  nodeName: 'SinBackward0',
  kernel: Math.sin,
  backward: (g, c) => mul(g, cos(c.input(0))),
  scalarBackward: { reads: ['a'], of: ({ g, a, round }) => round(g * round(Math.cos(a))) },
});
// d/dx cos x = -sin x
export const cosOp = unaryOp({
  name: 'cos',
  nodeName: 'CosBackward0',
  kernel: Math.cos,
  backward: (g, c) => mul(g, neg(sin(c.input(0)))),
  scalarBackward: { reads: ['a'], of: ({ g, a, round }) => round(g * -round(Math.sin(a))) },
});
// d/dx tan x = 1 + tan² x
export const tanOp = unaryOp({
  name: 'tan',
  nodeName: 'TanBackward0',
  kernel: Math.tan,
  backward: (g, c) => mul(g, addScalar(powScalar(c.output(), 2), 1)),
  gradCheckDomain: { min: -1.2, max: 1.2 },
});
// d/dx tanh x = 1 - tanh² x
export const tanhOp = unaryOp({
  name: 'tanh',
  nodeName: 'TanhBackward0',
  kernel: Math.tanh,
  backward: (g, c) => tanhBackward(g, c.output()),
  scalarBackward: { reads: ['output'], of: ({ g, output, round }) => round(g * round(1 - round(output * output))) },
});
// d/dx |x| = sgn x (0 at 0, as PyTorch takes it)
export const absOp = unaryOp({ name: 'abs', nodeName: 'AbsBackward0', kernel: Math.abs, backward: (g, c) => mul(g, sgn(c.input(0))), dtype: 'same' });
const signOf = (x: number) => (x > 0 ? 1 : x < 0 ? -1 : x);
// sign is flat almost everywhere
export const signOp = unaryOp({ name: 'sign', nodeName: 'SignBackward0', kernel: signOf, backward: (g) => zerosLike(g), dtype: 'same' });
/** sgn: sign for real tensors, the op abs's gradient uses (SgnBackward0; flat, so its gradient is zero). */
export const sgnOp = unaryOp({ name: 'sgn', nodeName: 'SgnBackward0', kernel: signOf, backward: (g) => zerosLike(g), dtype: 'same' });

export const exp = (a: Tensor): Tensor => apply(expOp, [a], undefined);
export const log = (a: Tensor): Tensor => apply(logOp, [a], undefined);
export const log1p = (a: Tensor): Tensor => apply(log1pOp, [a], undefined);
export const sqrt = (a: Tensor): Tensor => apply(sqrtOp, [a], undefined);
export const rsqrt = (a: Tensor): Tensor => apply(rsqrtOp, [a], undefined);
export const sin = (a: Tensor): Tensor => apply(sinOp, [a], undefined);
export const cos = (a: Tensor): Tensor => apply(cosOp, [a], undefined);
export const tan = (a: Tensor): Tensor => apply(tanOp, [a], undefined);
export const tanh = (a: Tensor): Tensor => apply(tanhOp, [a], undefined);
export const abs = (a: Tensor): Tensor => apply(absOp, [a], undefined);
export const sign = (a: Tensor): Tensor => apply(signOp, [a], undefined);
export const sgn = (a: Tensor): Tensor => apply(sgnOp, [a], undefined);
