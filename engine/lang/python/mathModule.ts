// Python's math module, on floats (math functions do not take tensors of more than one element,
// as in Python), with Python's domain errors.
import { EngineError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { type Args, builtin } from './torch/signature';
import { PyModule, type PyTuple, type PyValue, typeError, typeName } from './values';

function real(value: PyValue | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Tensor && value.numel === 1) return value.item();
  throw typeError(`must be real number, not ${value === undefined ? 'nothing' : typeName(value)}`);
}

const domainError = () => new EngineError('ValueError', 'math domain error');

/** A one-argument function of a float, refusing arguments outside its domain. */
function unary(name: string, fn: (x: number) => number, valid: (x: number) => boolean = () => true) {
  return builtin(`${name}(x)`, (a) => {
    const x = real(a.raw('x'));
    if (!valid(x)) throw domainError();
    return fn(x);
  });
}

function integer(a: Args, name: string): bigint {
  const value = a.raw(name);
  if (typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return BigInt(value);
  throw typeError(`'${typeName(value ?? null)}' object cannot be interpreted as an integer`);
}

function log(a: Args): number {
  const x = real(a.raw('x'));
  if (x <= 0) throw domainError();
  if (!a.has('base')) return Math.log(x);
  const base = real(a.raw('base'));
  if (base <= 0 || base === 1) throw base === 1 ? new EngineError('ZeroDivisionError', 'float division by zero') : domainError();
  return Math.log(x) / Math.log(base);
}

function factorial(a: Args): bigint {
  const n = integer(a, 'x');
  if (n < 0n) throw new EngineError('ValueError', 'factorial() not defined for negative values');
  let result = 1n;
  for (let i = 2n; i <= n; i++) result *= i;
  return result;
}

function gcd(a: Args): bigint {
  let [x, y] = [integer(a, 'a'), integer(a, 'b')].map((v) => (v < 0n ? -v : v));
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export function createMathModule(): PyModule {
  const functions = [
    unary('sqrt', Math.sqrt, (x) => x >= 0),
    unary('exp', Math.exp),
    unary('expm1', Math.expm1),
    builtin('log(x, base=None)', log),
    unary('log2', Math.log2, (x) => x > 0),
    unary('log10', Math.log10, (x) => x > 0),
    unary('log1p', Math.log1p, (x) => x > -1),
    unary('sin', Math.sin, Number.isFinite),
    unary('cos', Math.cos, Number.isFinite),
    unary('tan', Math.tan, Number.isFinite),
    unary('asin', Math.asin, (x) => x >= -1 && x <= 1),
    unary('acos', Math.acos, (x) => x >= -1 && x <= 1),
    unary('atan', Math.atan),
    unary('sinh', Math.sinh),
    unary('cosh', Math.cosh),
    unary('tanh', Math.tanh),
    unary('fabs', Math.abs),
    unary('degrees', (x) => (x * 180) / Math.PI),
    unary('radians', (x) => (x * Math.PI) / 180),
    builtin('atan2(y, x)', (a) => Math.atan2(real(a.raw('y')), real(a.raw('x')))),
    builtin('hypot(*coordinates)', (a) => Math.hypot(...(a.raw('coordinates') as PyTuple).items.map(real))),
    builtin('pow(x, y)', (a) => {
      const [x, y] = [real(a.raw('x')), real(a.raw('y'))];
      if (x === 0 && y < 0) throw domainError();
      if (x < 0 && !Number.isInteger(y)) throw domainError();
      return Math.pow(x, y);
    }),
    builtin('floor(x)', (a) => BigInt(Math.floor(real(a.raw('x'))))),
    builtin('ceil(x)', (a) => BigInt(Math.ceil(real(a.raw('x'))))),
    builtin('trunc(x)', (a) => BigInt(Math.trunc(real(a.raw('x'))))),
    builtin('isnan(x)', (a) => Number.isNaN(real(a.raw('x')))),
    builtin('isinf(x)', (a) => Math.abs(real(a.raw('x'))) === Infinity),
    builtin('isfinite(x)', (a) => Number.isFinite(real(a.raw('x')))),
    builtin('isclose(a, b, *, rel_tol=1e-09, abs_tol=0.0)', (a) => {
      const [x, y] = [real(a.raw('a')), real(a.raw('b'))];
      if (x === y) return true;
      return Math.abs(x - y) <= Math.max(a.float('rel_tol') * Math.max(Math.abs(x), Math.abs(y)), a.float('abs_tol'));
    }),
    builtin('factorial(x)', factorial),
    builtin('gcd(a, b)', gcd),
  ];
  return new PyModule(
    'math',
    new Map<string, PyValue>([
      ['pi', Math.PI],
      ['e', Math.E],
      ['tau', 2 * Math.PI],
      ['inf', Infinity],
      ['nan', NaN],
      ...functions.map((fn): [string, PyValue] => [fn.name, fn]),
    ]),
  );
}
