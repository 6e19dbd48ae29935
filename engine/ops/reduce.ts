// Reductions (sum, mean, prod, amax/amin, max/min, var, std, norm, logsumexp) over all elements or
// chosen dims, with keepdim; and sumTo, which undoes broadcasting in backward.
import { reduceGroups, scanAlong } from '../backends/cpu/reduce';
import { sumToShape } from '../backends/cpu/elementwise';
import { EngineError } from '../errors';
import { type DType, isFloatingPoint, scalarTypeNames } from '../tensor/dtype';
import { normalizeDims } from '../tensor/dims';
import { type Shape, formatShape, sameShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply } from './apply';
import { abs, exp, sign } from './unaryMath';
import { div, mul, pow, sub } from './arithmetic';
import { eq } from './comparison';
import { toDType } from './convert';
import type { ElementArray } from '../tensor/dtype';
import type { OpDefinition } from './opDefinition';
import { where } from './selection';
import { expand, reshape } from './views';

export type ReduceAttrs = {
  /** The dims to reduce, normalised; all of them for a full reduction. */
  readonly dims: readonly number[];
  readonly keepdim: boolean;
};

const reducedShape = (shape: Shape, { dims, keepdim }: ReduceAttrs): number[] =>
  keepdim ? shape.map((size, axis) => (dims.includes(axis) ? 1 : size)) : shape.filter((_, axis) => !dims.includes(axis));

/** A reduced gradient (or result) brought back to the input's shape: the reduced dims restored, then expanded. */
export function restoreReduced(reduced: Tensor, inputShape: Shape, { dims, keepdim }: ReduceAttrs): Tensor {
  const kept = keepdim ? reduced : reshape(reduced, inputShape.map((size, axis) => (dims.includes(axis) ? 1 : size)));
  return expand(kept, inputShape);
}

const countOf = (shape: Shape, dims: readonly number[]) => dims.reduce((n, axis) => n * shape[axis], 1);

type ReductionSpec = {
  readonly name: string;
  readonly nodeName: string;
  readonly dtype: (input: DType) => DType;
  readonly combine: (values: ElementArray, start: number, length: number) => number;
  readonly backward: OpDefinition<ReduceAttrs>['backward'];
};

function reduction(spec: ReductionSpec): OpDefinition<ReduceAttrs> {
  return {
    name: spec.name,
    nodeName: spec.nodeName,
    forward: ([a], attrs) => {
      const dtype = spec.dtype(a.dtype);
      return { data: reduceGroups(a, attrs.dims, dtype, spec.combine), shape: reducedShape(a.shape, attrs), dtype };
    },
    backward: spec.backward,
    describeAttrs: ({ dims, keepdim }) => `dim=(${dims.join(', ')})${keepdim ? ', keepdim=True' : ''}`,
  };
}

const sumOf = (values: ElementArray, start: number, length: number) => {
  let total = 0;
  for (let i = start; i < start + length; i++) total += values[i];
  return total;
};

/** Integers and booleans sum to int64, as in PyTorch. */
const integerToLong = (dtype: DType): DType => (isFloatingPoint(dtype) ? dtype : 'int64');


function floatingOnly(name: string) {
  return (dtype: DType): DType => {
    if (!isFloatingPoint(dtype)) {
      throw new EngineError(
        'RuntimeError',
        `${name}(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${scalarTypeNames[dtype]}`,
      );
    }
    return dtype;
  };
}

// d Σx = 1 for every element
const sumBackward: OpDefinition<ReduceAttrs>['backward'] = (grad, c) => [restoreReduced(grad, c.inputShape(0), c.attrs)];
export const sumOp = reduction({ name: 'sum', nodeName: 'SumBackward0', dtype: integerToLong, combine: sumOf, backward: sumBackward });
export const sumDimOp = reduction({ name: 'sum', nodeName: 'SumBackward1', dtype: integerToLong, combine: sumOf, backward: sumBackward });

// d mean(x) = 1/n for every element
const meanBackward: OpDefinition<ReduceAttrs>['backward'] = (grad, c) => {
  const shape = c.inputShape(0);
  return [div(restoreReduced(grad, shape, c.attrs), countOf(shape, c.attrs.dims))];
};
const meanOf = (values: ElementArray, start: number, length: number) => sumOf(values, start, length) / length;
export const meanOp = reduction({ name: 'mean', nodeName: 'MeanBackward0', dtype: floatingOnly('mean'), combine: meanOf, backward: meanBackward });
export const meanDimOp = reduction({ name: 'mean', nodeName: 'MeanBackward1', dtype: floatingOnly('mean'), combine: meanOf, backward: meanBackward });

// d Πx / dxᵢ = Π_{j≠i} xⱼ; written as Πx / xᵢ, with the product of the others where xᵢ = 0
const prodOf = (values: ElementArray, start: number, length: number) => {
  let product = 1;
  for (let i = start; i < start + length; i++) product *= values[i];
  return product;
};
const prodBackward: OpDefinition<ReduceAttrs>['backward'] = (grad, c) => {
  const x = c.input(0);
  const result = restoreReduced(c.output(), x.shape, c.attrs);
  const gradient = restoreReduced(grad, x.shape, c.attrs);
  const hasZero = x.data.some((value) => value === 0);
  if (!hasZero) return [mul(gradient, div(result, x))];
  // At a zero, Πx/x is undefined: the product of the others is computed directly, outside the
  // graph, so second derivatives at a zero are not available.
  return [mul(gradient, productOfOthers(x, c.attrs.dims))];
};
export const prodOp = reduction({ name: 'prod', nodeName: 'ProdBackward0', dtype: integerToLong, combine: prodOf, backward: prodBackward });
export const prodDimOp = reduction({ name: 'prod', nodeName: 'ProdBackward1', dtype: integerToLong, combine: prodOf, backward: prodBackward });

/** For each element, the product of the other elements of its group (prefix × suffix products). */
function productOfOthers(x: Tensor, dims: readonly number[]): Tensor {
  const whole = dims.length !== 1;
  const data = scanAlong(whole ? reshape(x, [-1]) : x, whole ? 0 : dims[0], x.dtype, (values, out, start, length) => {
    let prefix = 1;
    for (let i = 0; i < length; i++) {
      out[start + i] = prefix;
      prefix *= values[start + i];
    }
    let suffix = 1;
    for (let i = length - 1; i >= 0; i--) {
      out[start + i] *= suffix;
      suffix *= values[start + i];
    }
  });
  return new Tensor(data, x.shape, x.dtype);
}

const maxOf = (values: ElementArray, start: number, length: number) => {
  let best = -Infinity;
  for (let i = start; i < start + length; i++) {
    if (Number.isNaN(values[i])) return NaN;
    if (values[i] > best) best = values[i];
  }
  return best;
};
const minOf = (values: ElementArray, start: number, length: number) => {
  let best = Infinity;
  for (let i = start; i < start + length; i++) {
    if (Number.isNaN(values[i])) return NaN;
    if (values[i] < best) best = values[i];
  }
  return best;
};

/** amax/amin and full max/min: the gradient is shared evenly by the elements that tie for the extreme. */
const evenlyDistributed: OpDefinition<ReduceAttrs>['backward'] = (grad, c) => {
  const x = c.input(0);
  const hits = toDType(eq(x, restoreReduced(c.output(), x.shape, c.attrs)), grad.dtype);
  const count = restoreReduced(apply(sumDimOp, [hits], c.attrs), x.shape, c.attrs);
  return [div(mul(restoreReduced(grad, x.shape, c.attrs), hits), count)];
};
const sameDType = (dtype: DType) => dtype;
export const amaxOp = reduction({ name: 'amax', nodeName: 'AmaxBackward0', dtype: sameDType, combine: maxOf, backward: evenlyDistributed });
export const aminOp = reduction({ name: 'amin', nodeName: 'AminBackward0', dtype: sameDType, combine: minOf, backward: evenlyDistributed });
export const maxAllOp = reduction({ name: 'max', nodeName: 'MaxBackward1', dtype: sameDType, combine: maxOf, backward: evenlyDistributed });
export const minAllOp = reduction({ name: 'min', nodeName: 'MinBackward1', dtype: sameDType, combine: minOf, backward: evenlyDistributed });

/** The first index of the extreme in each group, as PyTorch's max(dim)/argmax return. */
function indexOfExtreme(better: (candidate: number, best: number) => boolean) {
  return (values: ElementArray, start: number, length: number) => {
    let bestIndex = 0;
    for (let i = 1; i < length; i++) {
      const candidate = values[start + i];
      if (Number.isNaN(values[start + bestIndex])) break;
      if (Number.isNaN(candidate) || better(candidate, values[start + bestIndex])) bestIndex = i;
    }
    return bestIndex;
  };
}
export const argmaxOf = indexOfExtreme((candidate, best) => candidate > best);
export const argminOf = indexOfExtreme((candidate, best) => candidate < best);

/** max(dim)/min(dim) values: the gradient goes to the index that was chosen. */
function chosenAlongDim(name: string, nodeName: string, pick: (values: ElementArray, start: number, length: number) => number): OpDefinition<ReduceAttrs> {
  const op: OpDefinition<ReduceAttrs> = reduction({
    name,
    nodeName,
    dtype: sameDType,
    combine: (values, start, length) => values[start + pick(values, start, length)],
    backward: (grad, c) => {
      const x = c.input(0);
      return [where(chosenMask(x, c.attrs.dims[0], pick), restoreReduced(grad, x.shape, c.attrs), 0)];
    },
  });
  return op;
}
export const maxDimOp = chosenAlongDim('max', 'MaxBackward0', argmaxOf);
export const minDimOp = chosenAlongDim('min', 'MinBackward0', argminOf);

/** A bool mask of x's shape, true at the chosen index of each group along the (single) reduced dim. */
function chosenMask(x: Tensor, axis: number, pick: (values: ElementArray, start: number, length: number) => number): Tensor {
  const data = scanAlong(x, axis, 'bool', (values, out, start, length) => {
    out[start + pick(values, start, length)] = 1;
  });
  return new Tensor(data, x.shape, 'bool');
}

// var = Σ(x - mean)² / (n - correction); d var/dx = 2(x - mean) / (n - correction)
export type VarAttrs = ReduceAttrs & { readonly correction: number };
function varianceOf(correction: number) {
  return (values: ElementArray, start: number, length: number) => {
    const mean = sumOf(values, start, length) / length;
    let squares = 0;
    for (let i = start; i < start + length; i++) squares += (values[i] - mean) ** 2;
    return squares / Math.max(0, length - correction);
  };
}
function centered(x: Tensor, attrs: ReduceAttrs): Tensor {
  return sub(x, restoreReduced(apply(meanDimOp, [x], { ...attrs, keepdim: true }), x.shape, { ...attrs, keepdim: true }));
}
export const varOp: OpDefinition<VarAttrs> = {
  name: 'var',
  nodeName: 'VarBackward0',
  forward: ([a], attrs) => {
    const dtype = floatingOnly('var')(a.dtype);
    return { data: reduceGroups(a, attrs.dims, dtype, varianceOf(attrs.correction)), shape: reducedShape(a.shape, attrs), dtype };
  },
  backward: (grad, c) => {
    const x = c.input(0);
    const n = countOf(x.shape, c.attrs.dims) - c.attrs.correction;
    return [mul(restoreReduced(grad, x.shape, c.attrs), div(mul(2, centered(x, c.attrs)), n))];
  },
  describeAttrs: ({ dims, correction }) => `dim=(${dims.join(', ')}), correction=${correction}`,
};
// std = √var; d std/dx = (x - mean) / ((n - correction) std)
export const stdOp: OpDefinition<VarAttrs> = {
  name: 'std',
  nodeName: 'StdBackward0',
  forward: ([a], attrs) => {
    const dtype = floatingOnly('std')(a.dtype);
    const variance = varianceOf(attrs.correction);
    return { data: reduceGroups(a, attrs.dims, dtype, (v, s, l) => Math.sqrt(variance(v, s, l))), shape: reducedShape(a.shape, attrs), dtype };
  },
  backward: (grad, c) => {
    const x = c.input(0);
    const n = countOf(x.shape, c.attrs.dims) - c.attrs.correction;
    const std = restoreReduced(c.output(), x.shape, c.attrs);
    return [mul(restoreReduced(grad, x.shape, c.attrs), div(centered(x, c.attrs), mul(std, n)))];
  },
  describeAttrs: varOp.describeAttrs,
};

// ‖x‖_p = (Σ|x|^p)^(1/p); d/dx = sign(x)|x|^(p-1) / ‖x‖^(p-1)  (p = ∞: shared by the largest |x|)
export type NormAttrs = ReduceAttrs & { readonly p: number };
export const normOp: OpDefinition<NormAttrs> = {
  name: 'norm',
  nodeName: 'LinalgVectorNormBackward0',
  forward: ([a], attrs) => {
    const dtype = floatingOnly('linalg.vector_norm')(a.dtype);
    const { p } = attrs;
    const combine = (values: ElementArray, start: number, length: number) => {
      if (p === Infinity || p === -Infinity) {
        let best = p === Infinity ? 0 : Infinity;
        for (let i = start; i < start + length; i++) best = p === Infinity ? Math.max(best, Math.abs(values[i])) : Math.min(best, Math.abs(values[i]));
        return best;
      }
      if (p === 0) {
        let count = 0;
        for (let i = start; i < start + length; i++) if (values[i] !== 0) count++;
        return count;
      }
      let total = 0;
      for (let i = start; i < start + length; i++) total += Math.abs(values[i]) ** p;
      return p === 2 ? Math.sqrt(total) : p === 1 ? total : total ** (1 / p);
    };
    return { data: reduceGroups(a, attrs.dims, dtype, combine), shape: reducedShape(a.shape, attrs), dtype };
  },
  backward: (grad, c) => {
    const x = c.input(0);
    const { p } = c.attrs;
    const norm = restoreReduced(c.output(), x.shape, c.attrs);
    const gradient = restoreReduced(grad, x.shape, c.attrs);
    if (p === 0) return [mul(gradient, 0)];
    if (p === Infinity || p === -Infinity) {
      const hits = toDType(eq(abs(x), norm), grad.dtype);
      const count = restoreReduced(apply(sumDimOp, [hits], c.attrs), x.shape, c.attrs);
      return [div(mul(mul(gradient, sign(x)), hits), count)];
    }
    if (p === 1) return [mul(gradient, sign(x))];
    // A zero norm has zero gradient, as PyTorch defines it.
    const scaled = p === 2 ? div(x, norm) : div(mul(sign(x), pow(abs(x), p - 1)), pow(norm, p - 1));
    return [mul(gradient, where(eq(norm, 0), 0, scaled))];
  },
  describeAttrs: ({ p, dims }) => `ord=${p}, dim=(${dims.join(', ')})`,
};

// logsumexp(x) = m + log Σ e^(x - m); d/dx = e^(x - logsumexp)
export const logsumexpOp = reduction({
  name: 'logsumexp',
  nodeName: 'LogsumexpBackward0',
  dtype: (dtype) => (isFloatingPoint(dtype) ? dtype : 'float32'),
  combine: (values, start, length) => {
    const m = maxOf(values, start, length);
    if (!Number.isFinite(m)) return m === -Infinity ? -Infinity : m;
    let total = 0;
    for (let i = start; i < start + length; i++) total += Math.exp(values[i] - m);
    return m + Math.log(total);
  },
  backward: (grad, c) => {
    const x = c.input(0);
    return [mul(restoreReduced(grad, x.shape, c.attrs), exp(sub(x, restoreReduced(c.output(), x.shape, c.attrs))))];
  },
});

/** Sums a broadcast gradient back to the shape of the input it was broadcast from. */
export const sumToOp: OpDefinition<{ readonly shape: Shape }> = {
  name: 'sum_to_size',
  nodeName: 'SumBackward1',
  forward: ([a], { shape }) => ({ data: sumToShape(a, shape), shape, dtype: a.dtype }),
  backward: (grad, context) => [expand(grad, context.inputShape(0))],
  describeAttrs: ({ shape }) => `size=${formatShape(shape)}`,
};

export function sumTo(a: Tensor, shape: Shape): Tensor {
  return sameShape(a.shape, shape) ? a : apply(sumToOp, [a], { shape });
}

/** The attributes of a reduction over `dim` (a dim, a list, or all when undefined). */
export function reduceAttrs(a: Tensor, dim: number | readonly number[] | undefined, keepdim = false): ReduceAttrs {
  const dims = dim === undefined ? a.shape.map((_, axis) => axis) : normalizeDims(typeof dim === 'number' ? [dim] : dim, a.ndim);
  return { dims: a.ndim === 0 ? [] : dims, keepdim };
}

type DimArgument = number | readonly number[] | undefined;

export const sum = (a: Tensor, dim?: DimArgument, keepdim = false): Tensor =>
  apply(dim === undefined ? sumOp : sumDimOp, [a], reduceAttrs(a, dim, keepdim));
export const mean = (a: Tensor, dim?: DimArgument, keepdim = false): Tensor =>
  apply(dim === undefined ? meanOp : meanDimOp, [a], reduceAttrs(a, dim, keepdim));
export const prod = (a: Tensor, dim?: number, keepdim = false): Tensor =>
  apply(dim === undefined ? prodOp : prodDimOp, [a], reduceAttrs(a, dim, keepdim));
export const amax = (a: Tensor, dim?: DimArgument, keepdim = false): Tensor => apply(amaxOp, [a], reduceAttrs(a, dim, keepdim));
export const amin = (a: Tensor, dim?: DimArgument, keepdim = false): Tensor => apply(aminOp, [a], reduceAttrs(a, dim, keepdim));

function nonEmpty(a: Tensor, name: string): void {
  if (a.numel === 0) {
    throw new EngineError('RuntimeError', `${name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
  }
}
export const maxAll = (a: Tensor): Tensor => (nonEmpty(a, 'max'), apply(maxAllOp, [a], reduceAttrs(a, undefined)));
export const minAll = (a: Tensor): Tensor => (nonEmpty(a, 'min'), apply(minAllOp, [a], reduceAttrs(a, undefined)));
export const maxAlong = (a: Tensor, dim: number, keepdim = false): Tensor => apply(maxDimOp, [a], reduceAttrs(a, dim, keepdim));
export const minAlong = (a: Tensor, dim: number, keepdim = false): Tensor => apply(minDimOp, [a], reduceAttrs(a, dim, keepdim));

/** argmax/argmin (int64, not differentiable); over all elements when dim is undefined. */
export function argExtreme(a: Tensor, which: 'max' | 'min', dim?: number, keepdim = false): Tensor {
  const pick = which === 'max' ? argmaxOf : argminOf;
  const attrs = reduceAttrs(a, dim, keepdim);
  const flat = dim === undefined ? reshape(a, [-1]) : a;
  const flatAttrs = dim === undefined ? { dims: [0], keepdim: false } : attrs;
  const data = reduceGroups(flat, a.ndim === 0 ? [] : flatAttrs.dims, 'int64', pick);
  const shape = dim === undefined ? (keepdim ? a.shape.map(() => 1) : []) : reducedShape(a.shape, attrs);
  return new Tensor(data, shape, 'int64');
}

export function variance(a: Tensor, dim: DimArgument, correction = 1, keepdim = false): Tensor {
  return apply(varOp, [a], { ...reduceAttrs(a, dim, keepdim), correction });
}
export function std(a: Tensor, dim: DimArgument, correction = 1, keepdim = false): Tensor {
  return apply(stdOp, [a], { ...reduceAttrs(a, dim, keepdim), correction });
}
export function norm(a: Tensor, p = 2, dim?: DimArgument, keepdim = false): Tensor {
  return apply(normOp, [a], { ...reduceAttrs(a, dim, keepdim), p });
}
export function logsumexp(a: Tensor, dim: DimArgument, keepdim = false): Tensor {
  return apply(logsumexpOp, [a], reduceAttrs(a, dim, keepdim));
}

