// torch's creation functions: tensor, zeros, ones, full, empty, arange, linspace, eye, the *_like
// forms, rand, randn, randint, manual_seed.
import { EngineError } from '../../../errors';
import { full, tensorFromNested } from '../../../tensor/create';
import { type DType, defaultFloatDType } from '../../../tensor/dtype';
import { arange, eye, linspace, rand, randint, randn } from '../../../tensor/factories';
import { manualSeed } from '../../../tensor/random';
import { Tensor } from '../../../tensor/tensor';
import { nestedScalars } from '../convert';
import type { PyBuiltin, PyTuple, PyValue } from '../values';
import { type Args, builtin } from './signature';

/** requires_grad=True on a freshly made tensor. */
const finish = (tensor: Tensor, a: Args) => (a.has('requires_grad') && a.bool('requires_grad') ? tensor.setRequiresGrad(true) : tensor);

/** The default dtype of a Python number: int64 for ints, the default float for floats. */
const numberDType = (values: readonly PyValue[]): DType => (values.some((v) => typeof v === 'number') ? defaultFloatDType : 'int64');

/** The shape given as sizes (`zeros(2, 3)`, `zeros((2, 3))`) or by keyword (`zeros(size=(2, 3))`). */
function shapeOf(a: Args): number[] {
  if ((a.raw('sizes') as PyTuple).items.length > 0) return a.intList('sizes');
  if (!a.has('size')) throw new EngineError('TypeError', `${a.functionName}() missing 1 required positional arguments: "size"`);
  return a.intList('size');
}

function filled(name: string, value: (a: Args) => number) {
  return builtin(`${name}(*sizes, size=None, out=None, dtype=None, layout=None, device=None, requires_grad=False)`, (a) =>
    finish(full(shapeOf(a), value(a), a.dtype('dtype') ?? defaultFloatDType), a),
  );
}

function like(name: string, make: (t: Tensor, dtype: DType, a: Args) => Tensor, extra = '') {
  return builtin(`${name}(input${extra}, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None)`, (a) => {
    const input = a.tensor('input');
    return finish(make(input, a.dtype('dtype') ?? input.dtype, a), a);
  });
}

function randomly(name: string, make: (shape: number[], dtype: DType) => Tensor) {
  return builtin(`${name}(*sizes, size=None, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False)`, (a) =>
    finish(make(shapeOf(a), a.dtype('dtype') ?? defaultFloatDType), a),
  );
}

export function creationFunctions(): PyBuiltin[] {
  return [
    builtin('tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False)', (a) =>
      finish(tensorFromNested(nestedScalars(a.raw('data') as PyValue), a.dtype('dtype')), a),
    ),
    builtin('as_tensor(data, dtype=None, device=None)', (a) => {
      const data = a.raw('data') as PyValue;
      if (data instanceof Tensor && !a.has('dtype')) return data;
      return tensorFromNested(nestedScalars(data), a.dtype('dtype'));
    }),
    filled('zeros', () => 0),
    filled('ones', () => 1),
    filled('empty', () => 0),
    builtin('full(size, fill_value, *, out=None, dtype=None, layout=None, device=None, requires_grad=False)', (a) => {
      const value = a.raw('fill_value');
      const dtype = a.dtype('dtype') ?? (typeof value === 'boolean' ? 'bool' : numberDType([value as PyValue]));
      return finish(full(a.intList('size'), a.float('fill_value'), dtype), a);
    }),
    like('zeros_like', (t, dtype) => full(t.shape, 0, dtype)),
    like('ones_like', (t, dtype) => full(t.shape, 1, dtype)),
    like('empty_like', (t, dtype) => full(t.shape, 0, dtype)),
    like('full_like', (t, dtype, a) => full(t.shape, a.float('fill_value'), dtype), ', fill_value'),
    like('rand_like', (t, dtype) => rand(t.shape, dtype)),
    like('randn_like', (t, dtype) => randn(t.shape, dtype)),
    builtin('arange(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None, requires_grad=False)', (a) => {
      // arange(n) counts from 0: a single argument is the end.
      const [start, end] = a.has('end') ? ['start', 'end'] : [undefined, 'start'];
      const values = [start ? a.raw(start) : 0n, a.raw(end), a.raw('step')] as PyValue[];
      const dtype = a.dtype('dtype') ?? numberDType(values);
      return finish(arange(start ? a.float(start) : 0, a.float(end), a.float('step'), dtype), a);
    }),
    builtin('linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None, requires_grad=False)', (a) =>
      finish(linspace(a.float('start'), a.float('end'), a.int('steps'), a.dtype('dtype') ?? defaultFloatDType), a),
    ),
    builtin('eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False)', (a) =>
      finish(eye(a.int('n'), a.has('m') ? a.int('m') : a.int('n'), a.dtype('dtype') ?? defaultFloatDType), a),
    ),
    randomly('rand', rand),
    randomly('randn', randn),
    builtin('randint(low=0, high=None, size=None, *, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False)', (a) => {
      // randint(high, size) or randint(low, high, size)
      const [low, high, size] = a.has('size') ? [a.int('low'), a.int('high'), a.intList('size')] : [0, a.int('low'), a.intList('high')];
      if (!a.has('high')) throw new EngineError('TypeError', 'randint() missing required argument: size');
      return finish(randint(low, high, size, a.dtype('dtype') ?? 'int64'), a);
    }),
    builtin('manual_seed(seed)', (a) => {
      manualSeed(a.int('seed'));
      return null;
    }),
  ];
}
