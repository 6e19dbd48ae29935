// The functions that exist both as torch.f(input, …) and as Tensor.f(…): one table, declared by
// PyTorch's signatures, exposed in both places.
import * as activations from '../../../ops/activations';
import * as arithmetic from '../../../ops/arithmetic';
import * as comparison from '../../../ops/comparison';
import { toDType } from '../../../ops/convert';
import { gather, indexSelect, maskedFill, maskedSelect, nonzero } from '../../../ops/indexing';
import { cat, chunk, split, stack, unbind } from '../../../ops/joins';
import * as linalg from '../../../ops/linalg';
import * as reduce from '../../../ops/reduce';
import { cumsum, logSoftmax, softmax } from '../../../ops/scan';
import { clamp, clampMax, clampMin, maximum, minimum, where } from '../../../ops/selection';
import * as unary from '../../../ops/unaryMath';
import * as views from '../../../ops/views';
import { EngineError } from '../../../errors';
import { isFloatingPoint } from '../../../tensor/dtype';
import { Tensor } from '../../../tensor/tensor';
import { PyList, PyNamedTuple, PyTuple, type PyValue } from '../values';
import type { Args, Site } from './signature';

export type TensorFunction = { readonly signature: string; readonly body: (args: Args, site: Site) => PyValue };

const fn = (signature: string, body: TensorFunction['body']): TensorFunction => ({ signature, body });

const unaryFunction = (name: string, op: (a: Tensor) => Tensor) => fn(`${name}(input)`, (a) => op(a.tensor('input')));
const binaryFunction = (name: string, op: (a: Tensor, b: Tensor) => Tensor) => fn(`${name}(input, other)`, (a) => op(a.tensor('input'), a.tensorOrNumber('other')));

/** add/sub's alpha: other · alpha. */
const scaled = (a: Args) => {
  const other = a.tensorOrNumber('other');
  return a.has('alpha') && a.float('alpha') !== 1 ? arithmetic.mul(other, a.float('alpha')) : other;
};

/** torch.return_types.max(values=…, indices=…) */
const valuesAndIndices = (name: string, values: Tensor, indices: Tensor) => new PyNamedTuple(`torch.return_types.${name}`, ['values', 'indices'], [values, indices]);

/** max/min: over all elements, along a dim (values and indices), or elementwise with another tensor. */
function extreme(which: 'max' | 'min') {
  return fn(`${which}(input, dim=None, keepdim=False)`, (a) => {
    const input = a.tensor('input');
    const dim = a.raw('dim');
    if (dim instanceof Tensor) return which === 'max' ? maximum(input, dim) : minimum(input, dim);
    if (!a.has('dim')) return which === 'max' ? reduce.maxAll(input) : reduce.minAll(input);
    const axis = a.int('dim');
    const keepdim = a.bool('keepdim');
    const values = which === 'max' ? reduce.maxAlong(input, axis, keepdim) : reduce.minAlong(input, axis, keepdim);
    return valuesAndIndices(which, values, reduce.argExtreme(input, which, axis, keepdim));
  });
}

/** var/std: correction=, or the older unbiased=. */
function spread(name: 'var' | 'std') {
  return fn(`${name}(input, dim=None, unbiased=None, keepdim=False, *, correction=None)`, (a) => {
    const input = a.tensor('input');
    const dimArgument = a.raw('dim');
    // var(x, False) passes unbiased positionally, as old code does.
    const unbiasedPositional = typeof dimArgument === 'boolean';
    const dims = unbiasedPositional ? undefined : a.dims('dim');
    const unbiased = unbiasedPositional ? (dimArgument as boolean) : a.has('unbiased') ? a.bool('unbiased') : true;
    const correction = a.has('correction') ? a.float('correction') : unbiased ? 1 : 0;
    const op = name === 'var' ? reduce.variance : reduce.std;
    return op(input, dims, correction, a.bool('keepdim'));
  });
}

function normOrder(value: PyValue | undefined): number {
  if (value === undefined || value === null || value === 'fro') return 2;
  if (value === 'nuc') throw new EngineError('NotImplementedError', "the nuclear norm (p='nuc') is not supported yet");
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  throw new EngineError('RuntimeError', `norm(): unsupported p ${String(value)}`);
}

const dimsOrAll = (a: Args, name = 'dim') => {
  const dims = a.dims(name);
  return Array.isArray(dims) && dims.length === 0 ? undefined : dims;
};

export const tensorFunctions: readonly TensorFunction[] = [
  // arithmetic
  fn('add(input, other, *, alpha=1)', (a) => arithmetic.add(a.tensor('input'), scaled(a))),
  fn('sub(input, other, *, alpha=1)', (a) => arithmetic.sub(a.tensor('input'), scaled(a))),
  fn('subtract(input, other, *, alpha=1)', (a) => arithmetic.sub(a.tensor('input'), scaled(a))),
  binaryFunction('mul', arithmetic.mul),
  binaryFunction('multiply', arithmetic.mul),
  fn('div(input, other, *, rounding_mode=None)', (a) => {
    const mode = a.raw('rounding_mode');
    if (mode === 'floor' || mode === 'trunc') return arithmetic.divRounded(a.tensor('input'), a.tensorOrNumber('other'), mode);
    if (mode !== undefined && mode !== null) {
      throw new EngineError('RuntimeError', `div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '${String(mode)}'`);
    }
    return arithmetic.div(a.tensor('input'), a.tensorOrNumber('other'));
  }),
  binaryFunction('divide', arithmetic.div),
  binaryFunction('true_divide', arithmetic.div),
  binaryFunction('floor_divide', arithmetic.floorDivide),
  binaryFunction('remainder', arithmetic.remainder),
  fn('pow(input, exponent)', (a) => arithmetic.pow(a.tensorOrNumber('input'), a.tensorOrNumber('exponent'))),
  fn('square(input)', (a) => arithmetic.pow(a.tensor('input'), 2)),
  unaryFunction('neg', arithmetic.neg),
  unaryFunction('negative', arithmetic.neg),
  unaryFunction('reciprocal', arithmetic.reciprocal),
  // elementwise functions
  unaryFunction('abs', unary.abs),
  unaryFunction('absolute', unary.abs),
  unaryFunction('exp', unary.exp),
  unaryFunction('log', unary.log),
  unaryFunction('log1p', unary.log1p),
  unaryFunction('sqrt', unary.sqrt),
  unaryFunction('rsqrt', unary.rsqrt),
  unaryFunction('sin', unary.sin),
  unaryFunction('cos', unary.cos),
  unaryFunction('tan', unary.tan),
  unaryFunction('tanh', unary.tanh),
  unaryFunction('sign', unary.sign),
  unaryFunction('sigmoid', activations.sigmoid),
  unaryFunction('relu', activations.relu),
  unaryFunction('erf', activations.erfFunction),
  fn('clamp(input, min=None, max=None)', (a) => clamp(a.tensor('input'), a.optionalFloat('min'), a.optionalFloat('max'))),
  fn('clip(input, min=None, max=None)', (a) => clamp(a.tensor('input'), a.optionalFloat('min'), a.optionalFloat('max'))),
  fn('clamp_min(input, min)', (a) => clampMin(a.tensor('input'), a.float('min'))),
  fn('clamp_max(input, max)', (a) => clampMax(a.tensor('input'), a.float('max'))),
  binaryFunction('minimum', minimum),
  binaryFunction('maximum', maximum),
  // comparisons and logic
  binaryFunction('eq', comparison.eq),
  binaryFunction('ne', comparison.ne),
  binaryFunction('lt', comparison.lt),
  binaryFunction('le', comparison.le),
  binaryFunction('gt', comparison.gt),
  binaryFunction('ge', comparison.ge),
  binaryFunction('logical_and', comparison.logicalAnd),
  binaryFunction('logical_or', comparison.logicalOr),
  unaryFunction('logical_not', comparison.logicalNot),
  fn('isnan(input)', (a) => comparison.ne(a.tensor('input'), a.tensor('input'))),
  fn('allclose(input, other, rtol=1e-05, atol=1e-08)', (a) => {
    const [x, y] = [a.tensor('input'), a.tensor('other')];
    const [rtol, atol] = [a.float('rtol'), a.float('atol')];
    const difference = arithmetic.sub(x, y).data;
    const reference = y.data.length === difference.length ? y.data : arithmetic.add(arithmetic.mul(x, 0), y).data;
    return difference.every((d, i) => Math.abs(d) <= atol + rtol * Math.abs(reference[i]));
  }),
  fn('equal(input, other)', (a) => {
    const [x, y] = [a.tensor('input'), a.tensor('other')];
    return x.shape.length === y.shape.length && x.shape.every((s, i) => s === y.shape[i]) && x.data.every((v, i) => v === y.data[i]);
  }),
  // reductions
  fn('sum(input, dim=None, keepdim=False, *, dtype=None)', (a) => {
    const input = a.dtype('dtype') ? toDType(a.tensor('input'), a.dtype('dtype') as Tensor['dtype']) : a.tensor('input');
    return reduce.sum(input, dimsOrAll(a), a.bool('keepdim'));
  }),
  fn('mean(input, dim=None, keepdim=False, *, dtype=None)', (a) => {
    const input = a.dtype('dtype') ? toDType(a.tensor('input'), a.dtype('dtype') as Tensor['dtype']) : a.tensor('input');
    return reduce.mean(input, dimsOrAll(a), a.bool('keepdim'));
  }),
  fn('prod(input, dim=None, keepdim=False, *, dtype=None)', (a) => reduce.prod(a.tensor('input'), a.optionalInt('dim'), a.bool('keepdim'))),
  extreme('max'),
  extreme('min'),
  fn('amax(input, dim=(), keepdim=False)', (a) => reduce.amax(a.tensor('input'), dimsOrAll(a), a.bool('keepdim'))),
  fn('amin(input, dim=(), keepdim=False)', (a) => reduce.amin(a.tensor('input'), dimsOrAll(a), a.bool('keepdim'))),
  fn('argmax(input, dim=None, keepdim=False)', (a) => reduce.argExtreme(a.tensor('input'), 'max', a.optionalInt('dim'), a.bool('keepdim'))),
  fn('argmin(input, dim=None, keepdim=False)', (a) => reduce.argExtreme(a.tensor('input'), 'min', a.optionalInt('dim'), a.bool('keepdim'))),
  spread('var'),
  spread('std'),
  fn('norm(input, p=\'fro\', dim=None, keepdim=False)', (a) => reduce.norm(a.tensor('input'), normOrder(a.raw('p')), dimsOrAll(a), a.bool('keepdim'))),
  fn('logsumexp(input, dim, keepdim=False)', (a) => reduce.logsumexp(a.tensor('input'), a.dims('dim'), a.bool('keepdim'))),
  fn('cumsum(input, dim, *, dtype=None)', (a) => cumsum(a.tensor('input'), a.int('dim'))),
  fn('softmax(input, dim, *, dtype=None)', (a) => softmax(a.tensor('input'), a.int('dim'))),
  fn('log_softmax(input, dim, *, dtype=None)', (a) => logSoftmax(a.tensor('input'), a.int('dim'))),
  // shapes
  fn('reshape(input, *shape)', (a) => views.reshape(a.tensor('input'), a.intList('shape'))),
  fn('flatten(input, start_dim=0, end_dim=-1)', (a) => views.flatten(a.tensor('input'), a.int('start_dim'), a.int('end_dim'))),
  fn('squeeze(input, dim=None)', (a) => {
    const dim = a.raw('dim');
    return views.squeeze(a.tensor('input'), dim instanceof PyTuple || dim instanceof PyList ? a.intList('dim') : a.optionalInt('dim'));
  }),
  fn('unsqueeze(input, dim)', (a) => views.unsqueeze(a.tensor('input'), a.int('dim'))),
  fn('transpose(input, dim0, dim1)', (a) => views.transpose(a.tensor('input'), a.int('dim0'), a.int('dim1'))),
  fn('swapaxes(input, axis0, axis1)', (a) => views.transpose(a.tensor('input'), a.int('axis0'), a.int('axis1'))),
  fn('permute(input, *dims)', (a) => views.permute(a.tensor('input'), a.intList('dims'))),
  unaryFunction('t', views.t),
  fn('split(input, split_size_or_sections, dim=0)', (a) => {
    const sizes = a.raw('split_size_or_sections');
    const parts = split(a.tensor('input'), sizes instanceof PyList || sizes instanceof PyTuple ? a.intList('split_size_or_sections') : a.int('split_size_or_sections'), a.int('dim'));
    return new PyTuple(parts);
  }),
  fn('chunk(input, chunks, dim=0)', (a) => new PyTuple(chunk(a.tensor('input'), a.int('chunks'), a.int('dim')))),
  fn('unbind(input, dim=0)', (a) => new PyTuple(unbind(a.tensor('input'), a.int('dim')))),
  fn('gather(input, dim, index)', (a) => gather(a.tensor('input'), a.int('dim'), a.tensor('index'))),
  fn('index_select(input, dim, index)', (a) => indexSelect(a.tensor('input'), a.int('dim'), a.tensor('index'))),
  fn('masked_fill(input, mask, value)', (a) => maskedFill(a.tensor('input'), a.tensor('mask'), a.float('value'))),
  fn('masked_select(input, mask)', (a) => maskedSelect(a.tensor('input'), a.tensor('mask'))),
  unaryFunction('nonzero', nonzero),
  unaryFunction('clone', views.clone),
  // matrix products
  binaryFunction('matmul', linalg.matmul),
  fn('mm(input, mat2)', (a) => linalg.mm(a.tensor('input'), a.tensor('mat2'))),
  fn('bmm(input, mat2)', (a) => linalg.bmm(a.tensor('input'), a.tensor('mat2'))),
  fn('dot(input, tensor)', (a) => linalg.dot(a.tensor('input'), a.tensor('tensor'))),
  fn('mv(input, vec)', (a) => linalg.mv(a.tensor('input'), a.tensor('vec'))),
  fn('outer(input, vec2)', (a) => linalg.outer(a.tensor('input'), a.tensor('vec2'))),
  fn('numel(input)', (a) => BigInt(a.tensor('input').numel)),
  fn('is_floating_point(input)', (a) => isFloatingPoint(a.tensor('input').dtype)),
];

/** A bool mask as the integer index tensors of its true elements. */
function maskColumns(mask: Tensor): Tensor[] {
  const flat = nonzero(mask);
  return mask.shape.map((_, axis) => views.contiguous(views.select(flat, 1, axis)));
}

/** Functions only torch has (not methods): they take several tensors. */
export const torchOnlyFunctions: readonly TensorFunction[] = [
  fn('cat(tensors, dim=0)', (a) => cat(a.tensors('tensors'), a.int('dim'))),
  fn('concat(tensors, dim=0)', (a) => cat(a.tensors('tensors'), a.int('dim'))),
  fn('stack(tensors, dim=0)', (a) => stack(a.tensors('tensors'), a.int('dim'))),
  fn('where(condition, input=None, other=None)', (a) => {
    if (!a.has('input')) return new PyTuple(maskColumns(a.tensor('condition')));
    return where(a.tensor('condition'), a.tensorOrNumber('input'), a.tensorOrNumber('other'));
  }),
];

