// Python's math module, on floats (math functions do not take tensors, as in Python).
import { EngineError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { PyBuiltin, PyModule, type PyValue, typeError, typeName } from './values';

function real(value: PyValue | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Tensor && value.numel === 1) return value.data[0];
  throw typeError(`must be real number, not ${value === undefined ? 'nothing' : typeName(value)}`);
}

function domainChecked(name: string, fn: (x: number) => number, valid: (x: number) => boolean = () => true): PyBuiltin {
  return new PyBuiltin(name, ([x]) => {
    const value = real(x);
    if (!valid(value)) throw new EngineError('ValueError', 'math domain error');
    return fn(value);
  });
}

export function createMathModule(): PyModule {
  return new PyModule(
    'math',
    new Map<string, PyValue>([
      ['pi', Math.PI],
      ['e', Math.E],
      ['tau', 2 * Math.PI],
      ['inf', Infinity],
      ['nan', NaN],
      ['sqrt', domainChecked('sqrt', Math.sqrt, (x) => x >= 0)],
      ['exp', domainChecked('exp', Math.exp)],
      ['log', domainChecked('log', Math.log, (x) => x > 0)],
      ['sin', domainChecked('sin', Math.sin)],
      ['cos', domainChecked('cos', Math.cos)],
      ['tan', domainChecked('tan', Math.tan)],
      ['tanh', domainChecked('tanh', Math.tanh)],
      ['floor', new PyBuiltin('floor', ([x]) => BigInt(Math.floor(real(x))))],
      ['ceil', new PyBuiltin('ceil', ([x]) => BigInt(Math.ceil(real(x))))],
    ]),
  );
}
