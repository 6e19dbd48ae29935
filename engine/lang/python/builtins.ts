// Python's builtins that tensor scripts use. Only what is listed here exists; the names a script
// could use to reach the host (open, eval, exec, __import__, getattr…) are refused by the sandbox.
import { EngineError } from '../../errors';
import type { SourceSpan } from '../../sourceSpan';
import { formatFixed } from '../../report/decimalFormat';
import { abs as tensorAbs } from '../../ops/unaryMath';
import { Tensor } from '../../tensor/tensor';
import { PyClass, PySuper } from './classes';
import { PyDict, PySet, pyHash } from './collections';
import { pythonScalar, truthy } from './convert';
import { pyRepr, pyStr } from './display';
import { formatValue } from './formatting';
import { PyIterator, PyRange, iterate, itemsOf } from './iteration';
import { binaryOperation, compare, unarySpecial } from './operators';
import { type Args, bindSignature, builtin } from './torch/signature';
import { sortItems, updateDict } from './typeMethods';
import { PyBuiltin, PyBuiltinType, PyList, PyObject, PyTuple, type CallSite, type Kwargs, type PyValue, typeError, typeName } from './values';

export type PrintSink = (text: string, span: SourceSpan) => void;

function toFloat(value: PyValue): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Tensor) return Number(tensorScalar(value));
  if (typeof value === 'string') {
    const trimmed = value.trim().replace(/_/g, '');
    const special = /^([+-]?)(inf|infinity|nan)$/i.exec(trimmed);
    if (special) return special[2].toLowerCase() === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
    const parsed = Number(trimmed);
    if (trimmed === '' || Number.isNaN(parsed) || /^[+-]?0[xob]/i.test(trimmed)) throw new EngineError('ValueError', `could not convert string to float: ${pyRepr(value)}`);
    return parsed;
  }
  throw typeError(`float() argument must be a string or a real number, not '${typeName(value)}'`);
}

function toInt(value: PyValue, base: number | undefined): bigint {
  if (typeof value === 'string') {
    const digits = value.trim().replace(/_/g, '');
    const radix = base ?? 10;
    const pattern = radix === 10 ? /^[+-]?\d+$/ : radix === 16 ? /^[+-]?(0x)?[\da-f]+$/i : radix === 2 ? /^[+-]?(0b)?[01]+$/i : radix === 8 ? /^[+-]?(0o)?[0-7]+$/i : undefined;
    if (!pattern?.test(digits)) throw new EngineError('ValueError', `invalid literal for int() with base ${radix}: ${pyRepr(value)}`);
    const negative = digits.startsWith('-');
    const body = digits.replace(/^[+-]/, '').replace(/^0[xbo]/i, '');
    const prefix = radix === 16 ? '0x' : radix === 2 ? '0b' : radix === 8 ? '0o' : '';
    const parsed = BigInt(prefix + body);
    return negative ? -parsed : parsed;
  }
  if (base !== undefined) throw typeError("int() can't convert non-string with explicit base");
  if (typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) throw new EngineError('ValueError', 'cannot convert float NaN to integer');
    if (!Number.isFinite(value)) throw new EngineError('OverflowError', 'cannot convert float infinity to integer');
    return BigInt(Math.trunc(value));
  }
  if (value instanceof Tensor) return toInt(tensorScalar(value), undefined);
  throw typeError(`int() argument must be a string, a bytes-like object or a real number, not '${typeName(value)}'`);
}

function tensorScalar(tensor: Tensor): PyValue {
  if (tensor.numel !== 1) throw new EngineError('ValueError', 'only one element tensors can be converted to Python scalars');
  return pythonScalar(tensor.data[0], tensor.dtype);
}

export function length(value: PyValue): number {
  if (typeof value === 'string') return [...value].length;
  if (value instanceof PyList || value instanceof PyTuple) return value.items.length;
  if (value instanceof Tensor) {
    if (value.ndim === 0) throw typeError('len() of a 0-d tensor');
    return value.shape[0];
  }
  if (value instanceof PyObject && value.length) return value.length();
  throw typeError(`object of type '${typeName(value)}' has no len()`);
}

/** Python's round: to an int with ties to even, or to ndigits decimals as the repr of the correctly rounded decimal. */
function round(value: PyValue, ndigits: PyValue): PyValue {
  const x = typeof value === 'boolean' ? Number(value) : value instanceof Tensor && value.numel === 1 ? value.item() : value;
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

const lessThan = (a: PyValue, b: PyValue) => truthy(compare('<', a, b));

/** min() and max(): over one iterable or several arguments, with key= and default=. */
function extreme(name: 'min' | 'max', args: readonly PyValue[], kwargs: Kwargs, site: CallSite): PyValue {
  for (const key of kwargs.keys()) if (key !== 'key' && key !== 'default') throw typeError(`${name}() got an unexpected keyword argument '${key}'`);
  if (args.length === 0) throw typeError(`${name} expected at least 1 argument, got 0`);
  const items = args.length === 1 ? itemsOf(args[0]) : [...args];
  if (args.length > 1 && kwargs.has('default')) throw typeError(`Cannot specify a default for ${name}() with multiple positional arguments`);
  if (items.length === 0) {
    const fallback = kwargs.get('default');
    if (fallback !== undefined) return fallback;
    throw new EngineError('ValueError', `${name}() iterable argument is empty`);
  }
  const key = kwargs.get('key') ?? null;
  const keyOf = (item: PyValue) => (key === null ? item : site.call(key, [item]));
  let best = items[0];
  let bestKey = keyOf(best);
  for (const item of items.slice(1)) {
    const itemKey = keyOf(item);
    if (name === 'min' ? lessThan(itemKey, bestKey) : lessThan(bestKey, itemKey)) {
      best = item;
      bestKey = itemKey;
    }
  }
  return best;
}

function sorted(a: Args, site: CallSite): PyList {
  const items = itemsOf(a.raw('iterable') ?? null);
  sortItems(items, a.raw('key') ?? null, a.bool('reverse'), site);
  return new PyList(items);
}

function* zipItems(iterables: readonly PyValue[], strict: boolean): Generator<PyValue> {
  const iterators = iterables.map((iterable) => iterate(iterable)[Symbol.iterator]());
  if (iterators.length === 0) return;
  for (;;) {
    const results = iterators.map((iterator) => iterator.next());
    const done = results.filter((result) => result.done).length;
    if (done > 0) {
      if (strict && done < results.length) throw new EngineError('ValueError', 'zip() arguments have different lengths');
      return;
    }
    yield new PyTuple(results.map((result) => result.value as PyValue));
  }
}

function isInstance(value: PyValue, classInfo: PyValue): boolean {
  if (classInfo instanceof PyTuple) return classInfo.items.some((item) => isInstance(value, item));
  if (classInfo instanceof PyBuiltinType) return classInfo.isInstance(value);
  if (classInfo instanceof PyClass) return value instanceof PyObject && value.cls !== undefined && value.cls.isSubclassOf(classInfo);
  throw typeError('isinstance() arg 2 must be a type, a tuple of types, or a union');
}

function rangeOf(a: Args): PyRange {
  const bounds = (a.raw('args') as PyTuple).items.map((item) => {
    if (typeof item === 'bigint') return item;
    if (typeof item === 'boolean') return BigInt(item);
    if (item instanceof Tensor && item.numel === 1 && item.dtype === 'int64') return BigInt(item.item());
    throw typeError(`'${typeName(item)}' object cannot be interpreted as an integer`);
  });
  if (bounds.length === 0) throw typeError('range expected at least 1 argument, got 0');
  if (bounds.length > 3) throw typeError(`range expected at most 3 arguments, got ${bounds.length}`);
  const [start, stop, step] = bounds.length === 1 ? [0n, bounds[0], 1n] : [bounds[0], bounds[1], bounds[2] ?? 1n];
  return new PyRange(start, stop, step);
}

function sum(a: Args): PyValue {
  let total: PyValue = a.raw('start') ?? 0n;
  if (typeof total === 'string') throw typeError("sum() can't sum strings [use ''.join(seq) instead]");
  for (const item of iterate(a.raw('iterable') ?? null)) total = binaryOperation('+', total, item);
  return total;
}

function divmod(a: Args): PyValue {
  const x = a.raw('a') ?? null;
  const y = a.raw('b') ?? null;
  return new PyTuple([binaryOperation('//', x, y), binaryOperation('%', x, y)]);
}

const typeOf = (value: PyValue, types: ReadonlyMap<string, PyBuiltinType>): PyValue => {
  if (value instanceof PyObject && value.cls) return value.cls;
  const name = value instanceof Tensor ? 'Tensor' : typeName(value);
  return types.get(name) ?? new PyBuiltinType(name, (other) => typeName(other) === name, () => { throw typeError(`cannot create '${name}' instances`); });
};

/** The builtin types, each both a converter (int('3')) and what isinstance and type() use. */
function builtinTypes(): PyBuiltinType[] {
  const isInt = (v: PyValue) => typeof v === 'bigint' || typeof v === 'boolean';
  return [
    new PyBuiltinType('int', isInt, (args, kwargs) => {
      const a = bindSignature('int(x=0, base=None)', args, kwargs);
      return toInt(a.raw('x') ?? 0n, a.has('base') ? a.int('base') : undefined);
    }),
    new PyBuiltinType('float', (v) => typeof v === 'number', (args, kwargs) => toFloat(bindSignature('float(x=0.0)', args, kwargs).raw('x') ?? 0)),
    new PyBuiltinType('bool', (v) => typeof v === 'boolean', (args, kwargs) => truthy(bindSignature('bool(x=False)', args, kwargs).raw('x') ?? false)),
    new PyBuiltinType('str', (v) => typeof v === 'string', (args, kwargs) => pyStr(bindSignature("str(object='')", args, kwargs).raw('object') ?? '')),
    new PyBuiltinType('list', (v) => v instanceof PyList, (args, kwargs) => new PyList(itemsOf(bindSignature('list(iterable=())', args, kwargs).raw('iterable') ?? null))),
    new PyBuiltinType('tuple', (v) => v instanceof PyTuple, (args, kwargs) => new PyTuple(itemsOf(bindSignature('tuple(iterable=())', args, kwargs).raw('iterable') ?? null))),
    new PyBuiltinType('set', (v) => v instanceof PySet, (args, kwargs) => new PySet(itemsOf(bindSignature('set(iterable=())', args, kwargs).raw('iterable') ?? null))),
    new PyBuiltinType('dict', (v) => v instanceof PyDict, (args, kwargs) => {
      if (args.length > 1) throw typeError(`dict expected at most 1 argument, got ${args.length}`);
      const dict = new PyDict();
      updateDict(dict, args[0], kwargs);
      return dict;
    }),
    new PyBuiltinType('range', (v) => v instanceof PyRange, (args, kwargs) => rangeOf(bindSignature('range(*args)', args, kwargs))),
  ];
}

export function createBuiltins(print: PrintSink): Map<string, PyValue> {
  const types = builtinTypes();
  const typeMap = new Map(types.map((type) => [type.name, type]));
  const functions: PyBuiltin[] = [
    new PyBuiltin('print', (args, kwargs, site) => {
      for (const key of kwargs.keys()) if (!['sep', 'end', 'file', 'flush'].includes(key)) throw typeError(`'${key}' is an invalid keyword argument for print()`);
      const separator = kwargs.get('sep') ?? ' ';
      const end = kwargs.get('end') ?? '\n';
      if (typeof separator !== 'string' && separator !== null) throw typeError(`sep must be None or a string, not ${typeName(separator)}`);
      if (typeof end !== 'string' && end !== null) throw typeError(`end must be None or a string, not ${typeName(end)}`);
      print(args.map(pyStr).join(separator ?? ' ') + (end ?? '\n'), site.span);
      return null;
    }),
    builtin('repr(obj)', (a) => pyRepr(a.raw('obj') ?? null)),
    builtin('len(obj)', (a) => BigInt(length(a.raw('obj') ?? null))),
    builtin('hash(obj)', (a) => pyHash(a.raw('obj') ?? null)),
    builtin('abs(x)', (a) => {
      const value = a.raw('x') ?? null;
      const special = unarySpecial('__abs__', value, 'abs()');
      if (special !== undefined) return special;
      if (typeof value === 'bigint') return value < 0n ? -value : value;
      if (typeof value === 'number') return Math.abs(value);
      if (typeof value === 'boolean') return BigInt(value);
      if (value instanceof Tensor) return tensorAbs(value);
      throw typeError(`bad operand type for abs(): '${typeName(value)}'`);
    }),
    builtin('round(number, ndigits=None)', (a) => round(a.raw('number') ?? null, a.raw('ndigits') ?? null)),
    builtin('sum(iterable, start=0)', sum),
    builtin('divmod(a, b)', divmod),
    builtin('pow(base, exp)', (a) => binaryOperation('**', a.raw('base') ?? null, a.raw('exp') ?? null)),
    new PyBuiltin('min', (args, kwargs, site) => extreme('min', args, kwargs, site)),
    new PyBuiltin('max', (args, kwargs, site) => extreme('max', args, kwargs, site)),
    builtin('enumerate(iterable, start=0)', (a) => {
      const items = iterate(a.raw('iterable') ?? null);
      let index = BigInt(a.int('start'));
      return new PyIterator('enumerate', (function* () {
        for (const item of items) yield new PyTuple([index++, item]);
      })());
    }),
    new PyBuiltin('zip', (args, kwargs) => {
      for (const key of kwargs.keys()) if (key !== 'strict') throw typeError(`zip() got an unexpected keyword argument '${key}'`);
      return new PyIterator('zip', zipItems(args, truthy(kwargs.get('strict') ?? false)));
    }),
    builtin('map(function, *iterables)', (a, site) => {
      const fn = a.raw('function') ?? null;
      const iterables = (a.raw('iterables') as PyTuple).items;
      if (iterables.length === 0) throw typeError('map() must have at least two arguments.');
      return new PyIterator('map', (function* () {
        for (const row of zipItems(iterables, false)) yield site.call(fn, (row as PyTuple).items);
      })());
    }),
    builtin('filter(function, iterable)', (a, site) => {
      const fn = a.raw('function') ?? null;
      const items = iterate(a.raw('iterable') ?? null);
      return new PyIterator('filter', (function* () {
        for (const item of items) if (truthy(fn === null ? item : site.call(fn, [item]))) yield item;
      })());
    }),
    builtin('reversed(sequence)', (a) => new PyIterator('reversed', itemsOf(a.raw('sequence') ?? null).reverse()[Symbol.iterator]())),
    builtin('sorted(iterable, *, key=None, reverse=False)', sorted),
    builtin('any(iterable)', (a) => {
      for (const item of iterate(a.raw('iterable') ?? null)) if (truthy(item)) return true;
      return false;
    }),
    builtin('all(iterable)', (a) => {
      for (const item of iterate(a.raw('iterable') ?? null)) if (!truthy(item)) return false;
      return true;
    }),
    builtin('isinstance(obj, class_or_tuple)', (a) => isInstance(a.raw('obj') ?? null, a.raw('class_or_tuple') ?? null)),
    builtin('issubclass(cls, class_or_tuple)', (a) => {
      const cls = a.raw('cls');
      const info = a.raw('class_or_tuple');
      const targets = info instanceof PyTuple ? info.items : [info];
      if (!(cls instanceof PyClass)) throw typeError('issubclass() arg 1 must be a class');
      return targets.some((target) => target instanceof PyClass && cls.isSubclassOf(target));
    }),
    builtin('super(type, obj)', (a) => {
      const cls = a.raw('type');
      const obj = a.raw('obj') ?? null;
      if (!(cls instanceof PyClass)) throw typeError(`super() argument 1 must be a type, not ${typeName(cls ?? null)}`);
      const instanceClass = obj instanceof PyObject ? obj.cls : undefined;
      if (!instanceClass?.isSubclassOf(cls)) throw typeError('super(type, obj): obj must be an instance or subtype of type');
      return new PySuper(cls, obj, instanceClass);
    }),
    builtin('type(object)', (a) => typeOf(a.raw('object') ?? null, typeMap)),
    builtin('callable(obj)', (a) => {
      const value = a.raw('obj');
      return value instanceof PyObject && value.invoke !== undefined;
    }),
    builtin('iter(object)', (a) => {
      const value = a.raw('object') ?? null;
      return value instanceof PyIterator ? value : new PyIterator('iterator', iterate(value)[Symbol.iterator]());
    }),
    new PyBuiltin('next', (args) => {
      const [iterator, fallback] = args;
      if (!(iterator instanceof PyIterator)) throw typeError(`'${typeName(iterator ?? null)}' object is not an iterator`);
      const result = iterator.next();
      if (!result.done) return result.value;
      if (fallback !== undefined) return fallback;
      throw new EngineError('StopIteration', '');
    }),
    builtin('format(value, format_spec=\'\')', (a) => formatValue(a.raw('value') ?? null, a.string('format_spec'))),
    builtin('chr(i)', (a) => String.fromCodePoint(a.int('i'))),
    builtin('ord(c)', (a) => {
      const text = a.string('c');
      if ([...text].length !== 1) throw typeError(`ord() expected a character, but string of length ${[...text].length} found`);
      return BigInt(text.codePointAt(0) as number);
    }),
  ];
  const classes: [string, PyValue][] = [['object', new PyClass('object', [], new Map(), undefined, 'builtins')]];
  return new Map<string, PyValue>([...types.map((type): [string, PyValue] => [type.name, type]), ...functions.map((fn): [string, PyValue] => [fn.name, fn]), ...classes]);
}
