// Python's builtins that tensor scripts use. Only what is listed here exists: no open, eval, exec,
// __import__, globals or getattr, so a script cannot reach the host.
import { EngineError } from '../../errors';
import type { SourceSpan } from '../../sourceSpan';
import { formatFixed } from '../../report/decimalFormat';
import { abs as tensorAbs } from '../../ops/unaryMath';
import { select } from '../../ops/views';
import { Tensor } from '../../tensor/tensor';
import { bindArguments } from './arguments';
import { pythonScalar, truthy } from './convert';
import { pyRepr, pyStr } from './display';
import { PyBuiltin, PyList, PyObject, PyTuple, type PyValue, typeError, typeName } from './values';

export type PrintSink = (text: string, span: SourceSpan) => void;

function toFloat(value: PyValue): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Tensor) return Number(tensorScalar(value));
  if (typeof value === 'string') {
    const parsed = Number(value.trim().replace(/_/g, ''));
    if (value.trim() === '' || Number.isNaN(parsed) && !/^\s*[+-]?nan\s*$/i.test(value)) {
      throw new EngineError('ValueError', `could not convert string to float: ${pyRepr(value)}`);
    }
    return parsed;
  }
  throw typeError(`float() argument must be a string or a real number, not '${typeName(value)}'`);
}

function toInt(value: PyValue): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new EngineError('ValueError', `cannot convert float ${pyRepr(value)} to integer`);
    return BigInt(Math.trunc(value));
  }
  if (value instanceof Tensor) return toInt(tensorScalar(value));
  if (typeof value === 'string' && /^\s*[+-]?\d[\d_]*\s*$/.test(value)) return BigInt(value.trim().replace(/_/g, ''));
  throw typeError(`int() argument must be a string, a bytes-like object or a real number, not '${typeName(value)}'`);
}

function tensorScalar(tensor: Tensor): PyValue {
  if (tensor.numel !== 1) throw new EngineError('RuntimeError', `a Tensor with ${tensor.numel} elements cannot be converted to Scalar`);
  return pythonScalar(tensor.data[0], tensor.dtype);
}

function length(value: PyValue): bigint {
  if (typeof value === 'string') return BigInt(value.length);
  if (value instanceof PyList || value instanceof PyTuple) return BigInt(value.items.length);
  if (value instanceof PyObject && value.length) return BigInt(value.length());
  if (value instanceof Tensor) {
    if (value.ndim === 0) throw typeError('len() of a 0-d tensor');
    return BigInt(value.shape[0]);
  }
  throw typeError(`object of type '${typeName(value)}' has no len()`);
}

/** The items `for` would visit: a list's or tuple's items, a string's characters, a tensor's rows. */
export function* iterate(value: PyValue): Generator<PyValue> {
  if (value instanceof PyList || value instanceof PyTuple) yield* value.items;
  else if (typeof value === 'string') yield* value;
  else if (value instanceof Tensor) {
    if (value.ndim === 0) throw typeError('iteration over a 0-d tensor');
    for (let i = 0; i < value.shape[0]; i++) yield select(value, 0, i);
  } else throw typeError(`'${typeName(value)}' object is not iterable`);
}

/** Python's round: to an int with ties to even, or to ndigits decimals as the repr of the correctly rounded decimal. */
function round(value: PyValue, ndigits: PyValue): PyValue {
  const x = typeof value === 'boolean' ? Number(value) : value;
  if (typeof x === 'bigint') return x;
  if (typeof x !== 'number') throw typeError(`type ${typeName(value)} doesn't define __round__ method`);
  if (ndigits === null) {
    if (Number.isNaN(x)) throw new EngineError('ValueError', 'cannot convert float NaN to integer');
    if (!Number.isFinite(x)) throw new EngineError('OverflowError', 'cannot convert float infinity to integer');
    return BigInt(formatFixed(x, 0));
  }
  if (typeof ndigits !== 'bigint') throw typeError(`'${typeName(ndigits)}' object cannot be interpreted as an integer`);
  if (!Number.isFinite(x) || ndigits < 0n) return ndigits < 0n ? Math.round(x / 10 ** Number(-ndigits)) * 10 ** Number(-ndigits) : x;
  return Number(formatFixed(x, Number(ndigits)));
}

export function createBuiltins(print: PrintSink): Map<string, PyValue> {
  const builtins: PyBuiltin[] = [
    new PyBuiltin('print', (args, kwargs, site) => {
      const options = bindArguments('print', ['*', 'sep=', 'end=', 'file=', 'flush='], [], kwargs);
      const separator = options.get('sep') ?? ' ';
      const end = options.get('end') ?? '\n';
      if (typeof separator !== 'string' && separator !== null) throw typeError(`sep must be None or a string, not ${typeName(separator)}`);
      if (typeof end !== 'string' && end !== null) throw typeError(`end must be None or a string, not ${typeName(end)}`);
      print(args.map(pyStr).join(separator ?? ' ') + (end ?? '\n'), site.span);
      return null;
    }),
    new PyBuiltin('str', (args, kwargs) => pyStr(bindArguments('str', ['object='], args, kwargs).get('object') ?? '')),
    new PyBuiltin('repr', (args, kwargs) => pyRepr(bindArguments('repr', ['obj'], args, kwargs).get('obj') as PyValue)),
    new PyBuiltin('float', (args, kwargs) => toFloat(bindArguments('float', ['x='], args, kwargs).get('x') ?? 0)),
    new PyBuiltin('int', (args, kwargs) => toInt(bindArguments('int', ['x='], args, kwargs).get('x') ?? 0n)),
    new PyBuiltin('bool', (args, kwargs) => truthy(bindArguments('bool', ['x='], args, kwargs).get('x') ?? false)),
    new PyBuiltin('len', (args, kwargs) => length(bindArguments('len', ['obj'], args, kwargs).get('obj') as PyValue)),
    new PyBuiltin('list', (args, kwargs) => new PyList([...iterate(bindArguments('list', ['iterable='], args, kwargs).get('iterable') ?? new PyList([]))])),
    new PyBuiltin('tuple', (args, kwargs) => new PyTuple([...iterate(bindArguments('tuple', ['iterable='], args, kwargs).get('iterable') ?? new PyTuple([]))])),
    new PyBuiltin('round', (args, kwargs) => {
      const bound = bindArguments('round', ['number', 'ndigits='], args, kwargs);
      return round(bound.get('number') as PyValue, bound.get('ndigits') ?? null);
    }),
    new PyBuiltin('abs', (args, kwargs) => {
      const value = bindArguments('abs', ['x'], args, kwargs).get('x') as PyValue;
      if (typeof value === 'bigint') return value < 0n ? -value : value;
      if (typeof value === 'number') return Math.abs(value);
      if (typeof value === 'boolean') return BigInt(value);
      if (value instanceof Tensor) return tensorAbs(value);
      throw typeError(`bad operand type for abs(): '${typeName(value)}'`);
    }),
  ];
  return new Map(builtins.map((builtin) => [builtin.name, builtin]));
}
