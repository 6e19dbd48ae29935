// torch.nn.functional's layers and losses: linear (addmm, as PyTorch records it), dropout, and the
// losses, each a node with PyTorch's name and a backward written with ops.
import { EngineError } from '../errors';
import { allocate, scalarTypeNames } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import { generator } from '../tensor/random';
import { apply } from './apply';
import { add, div, mul, neg, sub } from './arithmetic';
import { gather, scatterAddOp } from './indexing';
import { mm, matmul } from './linalg';
import type { OpDefinition } from './opDefinition';
import { mean, sum, sumTo } from './reduce';
import { logSoftmax } from './scan';
import { clamp, maximum, where } from './selection';
import { sigmoid } from './activations';
import { abs, exp, log, log1p } from './unaryMath';
import { reshape, t, transpose, unsqueeze } from './views';

// addmm(bias, x, w) = bias + x·w: grad_bias = Σ grad, grad_x = grad·wᵀ, grad_w = xᵀ·grad
export const addmmOp: OpDefinition = {
  name: 'addmm',
  nodeName: 'AddmmBackward0',
  forward: ([bias, x, w]) => {
    const product = mm(x, w);
    const out = add(product, bias);
    return { data: out.data, shape: out.shape, dtype: out.dtype };
  },
  backward: (grad, c) => [
    c.needsInputGrad(0) ? sumTo(grad, c.inputShape(0)) : null,
    c.needsInputGrad(1) ? mm(grad, transpose(c.input(2), 0, 1)) : null,
    c.needsInputGrad(2) ? mm(transpose(c.input(1), 0, 1), grad) : null,
  ],
};

/** F.linear: x·Wᵀ + b; a 2-d input with a bias is one addmm node, as in PyTorch. */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor): Tensor {
  if (x.shape.at(-1) !== weight.shape.at(-1)) {
    throw new EngineError('RuntimeError', `mat1 and mat2 shapes cannot be multiplied (${x.shape.slice(0, -1).reduce((a, b) => a * b, 1)}x${x.shape.at(-1)} and ${weight.shape.at(-1)}x${weight.shape[0]})`);
  }
  if (x.ndim === 2 && bias) return apply(addmmOp, [bias, x, t(weight)], undefined);
  const product = matmul(x, t(weight));
  return bias ? add(product, bias) : product;
}

// dropout: kept elements scaled by 1/(1-p); the gradient takes the same mask and scale
export const dropoutOp: OpDefinition<{ readonly mask: Tensor; readonly scale: number }> = {
  name: 'dropout',
  nodeName: 'NativeDropoutBackward0',
  forward: ([x], { mask, scale }) => {
    const data = x.data.slice();
    const keep = mask.data;
    for (let i = 0; i < data.length; i++) data[i] = keep[i] ? data[i] * scale : 0;
    return { data, shape: x.shape, dtype: x.dtype };
  },
  backward: (grad, c) => [mul(where(c.attrs.mask, grad, 0), c.attrs.scale)],
};

export function dropout(x: Tensor, p = 0.5, training = true): Tensor {
  if (p < 0 || p > 1) throw new EngineError('ValueError', `dropout probability has to be between 0 and 1, but got ${p}`);
  if (!training || p === 0) return x;
  const mask = new Tensor(Uint8Array.from({ length: x.numel }, () => (generator.uniform() >= p ? 1 : 0)), x.shape, 'bool');
  return apply(dropoutOp, [x], { mask, scale: p === 1 ? 0 : 1 / (1 - p) });
}

export type Reduction = 'mean' | 'sum' | 'none';

function reduce(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return loss;
  return reduction === 'sum' ? sum(loss) : mean(loss);
}

function checkReduction(reduction: string): Reduction {
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') throw new EngineError('ValueError', `${reduction} is not a valid value for reduction`);
  return reduction;
}

const torchSize = (shape: readonly number[]) => `torch.Size([${shape.join(', ')}])`;

function checkSameShape(input: Tensor, target: Tensor, message: (input: string, target: string) => string): void {
  if (input.shape.length !== target.shape.length || input.shape.some((size, i) => size !== target.shape[i])) {
    throw new EngineError('ValueError', message(torchSize(input.shape), torchSize(target.shape)));
  }
}

// mse = mean((x - t)²); d/dx = 2(x - t)/n
export const mseLossOp: OpDefinition<{ readonly reduction: Reduction }> = {
  name: 'mse_loss',
  nodeName: 'MseLossBackward0',
  forward: ([x, target], { reduction }) => {
    const difference = sub(x, target);
    const out = reduce(mul(difference, difference), reduction);
    return { data: out.data, shape: out.shape, dtype: out.dtype };
  },
  backward: (grad, c) => {
    const difference = sub(c.input(0), c.input(1));
    const scale = c.attrs.reduction === 'mean' ? 2 / c.input(0).numel : 2;
    const gradient = mul(mul(difference, scale), grad);
    return [c.needsInputGrad(0) ? gradient : null, c.needsInputGrad(1) ? neg(gradient) : null];
  },
};

export function mseLoss(input: Tensor, target: Tensor, reduction = 'mean'): Tensor {
  return apply(mseLossOp, [input, target], { reduction: checkReduction(reduction) });
}

/** F.l1_loss: composite, as in PyTorch (its node is the reduction's). */
export function l1Loss(input: Tensor, target: Tensor, reduction = 'mean'): Tensor {
  return reduce(abs(sub(input, target)), checkReduction(reduction));
}

export type NllAttrs = { readonly target: Tensor; readonly weight: Tensor | undefined; readonly ignoreIndex: number; readonly reduction: Reduction };

/** The class weight of each target (0 for ignored ones), shaped like the target. */
function targetWeights({ target, weight, ignoreIndex }: NllAttrs, dtype: Tensor['dtype']): Tensor {
  const classes = target.data;
  const weights = weight?.data;
  const data = allocate(dtype, classes.length);
  for (let i = 0; i < classes.length; i++) data[i] = classes[i] === ignoreIndex ? 0 : weights ? weights[classes[i]] : 1;
  return new Tensor(data, target.shape, dtype);
}

/** The target classes as gather indices along dim 1 (ignored targets point at class 0, weighted 0). */
function targetIndex({ target, ignoreIndex }: NllAttrs): Tensor {
  const data = Float64Array.from(target.data, (c) => (c === ignoreIndex ? 0 : c));
  return reshape(new Tensor(data, target.shape, 'int64'), [target.shape[0], 1, ...target.shape.slice(1)]);
}

// nll = -Σ wᵢ logp[i, tᵢ] / Σ wᵢ (mean); the gradient is -wᵢ/Σw at each target position
export const nllLossOp: OpDefinition<NllAttrs> = {
  name: 'nll_loss',
  nodeName: 'NllLossBackward0',
  forward: ([logp], attrs) => {
    const picked = reshape(gather(logp, 1, targetIndex(attrs)), attrs.target.shape);
    const weights = targetWeights(attrs, logp.dtype);
    const losses = neg(mul(picked, weights));
    const out = attrs.reduction === 'none' ? losses : attrs.reduction === 'sum' ? sum(losses) : div(sum(losses), sum(weights));
    return { data: out.data, shape: out.shape, dtype: out.dtype };
  },
  backward: (grad, c) => {
    const logp = c.input(0);
    const weights = targetWeights(c.attrs, logp.dtype);
    const scale = c.attrs.reduction === 'mean' ? div(neg(weights), sum(weights)) : neg(weights);
    const perTarget = reshape(mul(scale, grad), [c.attrs.target.shape[0], 1, ...c.attrs.target.shape.slice(1)]);
    return [apply(scatterAddOp, [perTarget], { dim: 1, index: targetIndex(c.attrs), shape: logp.shape })];
  },
};

export type NllOptions = { weight?: Tensor; ignoreIndex?: number; reduction?: string };

export function nllLoss(logp: Tensor, target: Tensor, options: NllOptions = {}): Tensor {
  if (target.dtype !== 'int64') {
    throw new EngineError('RuntimeError', `expected scalar type Long but found ${scalarTypeNames[target.dtype]}`);
  }
  const input = logp.ndim === 1 ? unsqueeze(logp, 0) : logp;
  const targets = target.ndim === 0 ? reshape(target, [1]) : target;
  if (input.shape[0] !== targets.shape[0]) {
    throw new EngineError('ValueError', `Expected input batch_size (${input.shape[0]}) to match target batch_size (${targets.shape[0]}).`);
  }
  const classes = input.shape[1];
  const ignoreIndex = options.ignoreIndex ?? -100;
  for (const value of targets.data) {
    if (value !== ignoreIndex && (value < 0 || value >= classes)) throw new EngineError('IndexError', `Target ${value} is out of bounds.`);
  }
  const loss = apply(nllLossOp, [input], { target: targets, weight: options.weight, ignoreIndex, reduction: checkReduction(options.reduction ?? 'mean') });
  return logp.ndim === 1 && options.reduction === 'none' ? reshape(loss, []) : loss;
}

export type CrossEntropyOptions = NllOptions & { labelSmoothing?: number };

/** F.cross_entropy: class indices (log_softmax then nll_loss) or class probabilities. */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const classDim = input.ndim === 1 ? 0 : 1;
  const logp = logSoftmax(input, classDim);
  const smoothing = options.labelSmoothing ?? 0;
  if (target.dtype === 'int64') {
    const loss = nllLoss(logp, target, options);
    if (smoothing === 0) return loss;
    // Label smoothing mixes in the uniform distribution: (1-ε)·nll + ε·mean over classes of -logp.
    const uniform = reduce(neg(mean(logp, classDim)), checkReduction(options.reduction ?? 'mean'));
    return add(mul(loss, 1 - smoothing), mul(uniform, smoothing));
  }
  checkSameShape(input, target, (i, t) => `Expected target size ${t} to match input size ${i} for class-probability targets`);
  const probabilities = smoothing === 0 ? target : add(mul(target, 1 - smoothing), smoothing / input.shape[classDim]);
  const perSample = neg(sum(mul(logp, probabilities), classDim));
  const reduction = checkReduction(options.reduction ?? 'mean');
  return reduction === 'mean' ? div(sum(perSample), input.ndim === 1 ? 1 : input.numel / input.shape[classDim]) : reduce(perSample, reduction);
}

// bce = -(t log p + (1-t) log(1-p)), logs clamped at -100 as PyTorch does; d/dp = (p - t) / (p(1-p))
export const binaryCrossEntropyOp: OpDefinition<{ readonly reduction: Reduction }> = {
  name: 'binary_cross_entropy',
  nodeName: 'BinaryCrossEntropyBackward0',
  forward: ([p, target], { reduction }) => {
    const logP = clamp(log(p), -100, undefined);
    const log1mP = clamp(log1p(neg(p)), -100, undefined);
    const out = reduce(neg(add(mul(target, logP), mul(sub(1, target), log1mP))), reduction);
    return { data: out.data, shape: out.shape, dtype: out.dtype };
  },
  backward: (grad, c) => {
    const [p, target] = [c.input(0), c.input(1)];
    const scale = c.attrs.reduction === 'mean' ? 1 / p.numel : 1;
    const denominator = maximum(mul(sub(1, p), p), 1e-12);
    // d/dt = log(1-p) - log(p), with PyTorch's clamping of the logs
    const targetGradient = c.needsInputGrad(1) ? mul(mul(sub(clamp(log1p(neg(p)), -100, undefined), clamp(log(p), -100, undefined)), grad), scale) : null;
    return [mul(mul(div(sub(p, target), denominator), grad), scale), targetGradient];
  },
  gradCheckDomain: { min: 0.1, max: 0.9 },
};

export function binaryCrossEntropy(p: Tensor, target: Tensor, reduction = 'mean'): Tensor {
  checkSameShape(p, target, (i, t) => `Using a target size (${t}) that is different to the input size (${i}) is deprecated. Please ensure they have the same size.`);
  if (p.data.some((value) => value < 0 || value > 1)) throw new EngineError('RuntimeError', 'all elements of input should be between 0 and 1');
  return apply(binaryCrossEntropyOp, [p, target], { reduction: checkReduction(reduction) });
}

/** softplus(-x) = log(1 + e^-x), written to stay finite for any x. */
const softplusOfNegative = (x: Tensor) => add(clamp(neg(x), 0, undefined), log1p(exp(neg(abs(x)))));

// bce with logits = (1 - t) x + softplus(-x), stable for any x; d/dx = σ(x) - t
export const binaryCrossEntropyWithLogitsOp: OpDefinition<{ readonly reduction: Reduction; readonly posWeight: Tensor | undefined }> = {
  name: 'binary_cross_entropy_with_logits',
  nodeName: 'BinaryCrossEntropyWithLogitsBackward0',
  forward: ([x, target], { reduction, posWeight }) => {
    const softplusOfMinusX = softplusOfNegative(x);
    // With pos_weight w: (1 - t) x + (1 + (w - 1) t) softplus(-x)
    const weight = posWeight ? add(1, mul(sub(posWeight, 1), target)) : undefined;
    const loss = add(mul(sub(1, target), x), weight ? mul(weight, softplusOfMinusX) : softplusOfMinusX);
    const out = reduce(loss, reduction);
    return { data: out.data, shape: out.shape, dtype: out.dtype };
  },
  backward: (grad, c) => {
    const [x, target] = [c.input(0), c.input(1)];
    const { posWeight } = c.attrs;
    const scale = c.attrs.reduction === 'mean' ? 1 / x.numel : 1;
    const gradient = posWeight
      ? sub(mul(add(1, mul(sub(posWeight, 1), target)), sigmoid(x)), mul(posWeight, target))
      : sub(sigmoid(x), target);
    // d/dt = -x + (w - 1) softplus(-x)
    const targetGradient = posWeight ? add(neg(x), mul(sub(posWeight, 1), softplusOfNegative(x))) : neg(x);
    return [mul(mul(gradient, grad), scale), c.needsInputGrad(1) ? mul(mul(targetGradient, grad), scale) : null];
  },
};

export function binaryCrossEntropyWithLogits(x: Tensor, target: Tensor, reduction = 'mean', posWeight?: Tensor): Tensor {
  checkSameShape(x, target, (i, t) => `Target size (${t}) must be the same as input size (${i})`);
  return apply(binaryCrossEntropyWithLogitsOp, [x, target], { reduction: checkReduction(reduction), posWeight });
}

