// The `torch` module a tensor script imports: creation functions, dtypes and the math functions.
import { add, div, mul, neg, pow, sub } from '../../ops/arithmetic';
import { sum } from '../../ops/reduce';
import { abs, cos, exp, log, sin, sqrt, tanh } from '../../ops/unaryMath';
import { full, tensorFromNested } from '../../tensor/create';
import { type DType, defaultFloatDType } from '../../tensor/dtype';
import { Tensor } from '../../tensor/tensor';
import { bindArguments } from './arguments';
import { dtypeArgument, nestedScalars, tensorArgument, truthy } from './convert';
import { tensorOperand } from './operators';
import { PyBuiltin, PyDType, PyList, PyModule, PyTuple, type PyValue, typeError, typeName } from './values';

const dtypeAliases: Readonly<Record<string, DType>> = {
  float32: 'float32',
  float: 'float32',
  float64: 'float64',
  double: 'float64',
  int64: 'int64',
  long: 'int64',
  bool: 'bool',
};

function shapeArgument(functionName: string, args: readonly PyValue[]): number[] {
  const dims = args.length === 1 && (args[0] instanceof PyList || args[0] instanceof PyTuple) ? args[0].items : args;
  return dims.map((dim) => {
    if (typeof dim !== 'bigint') throw typeError(`${functionName}(): argument 'size' must be tuple of ints, but found element of type ${typeName(dim)}`);
    return Number(dim);
  });
}

function withRequiresGrad(tensor: Tensor, requiresGrad: PyValue | undefined): Tensor {
  return requiresGrad !== undefined && truthy(requiresGrad) ? tensor.setRequiresGrad(true) : tensor;
}

/** torch.zeros / torch.ones: sizes as separate ints or one tuple, then keyword options. */
function filled(name: string, value: number): PyBuiltin {
  return new PyBuiltin(name, (args, kwargs) => {
    const options = bindArguments(name, ['*', 'dtype=', 'requires_grad='], [], kwargs);
    const tensor = full(shapeArgument(name, args), value, dtypeArgument(options.get('dtype')) ?? defaultFloatDType);
    return withRequiresGrad(tensor, options.get('requires_grad'));
  });
}

function unaryFunction(name: string, op: (a: Tensor) => Tensor): PyBuiltin {
  return new PyBuiltin(name, (args, kwargs) => {
    const bound = bindArguments(name, ['input'], args, kwargs);
    return op(tensorArgument(name, 'input', 1, bound.get('input') as PyValue));
  });
}

function binaryFunction(name: string, op: (a: Tensor, b: Tensor) => Tensor): PyBuiltin {
  return new PyBuiltin(name, (args, kwargs) => {
    const bound = bindArguments(name, ['input', 'other'], args, kwargs);
    const input = bound.get('input') as PyValue;
    const other = tensorOperand(bound.get('other') as PyValue);
    if (!other) throw typeError(`${name}(): argument 'other' (position 2) must be Tensor, not ${typeName(bound.get('other') as PyValue)}`);
    return op(tensorArgument(name, 'input', 1, input), other);
  });
}

export const tensorFunction = new PyBuiltin('tensor', (args, kwargs) => {
  const bound = bindArguments('tensor', ['data', '*', 'dtype=', 'device=', 'requires_grad='], args, kwargs);
  const tensor = tensorFromNested(nestedScalars(bound.get('data') as PyValue), dtypeArgument(bound.get('dtype')));
  return withRequiresGrad(tensor, bound.get('requires_grad'));
});

export function createTorchModule(): PyModule {
  const attributes = new Map<string, PyValue>([
    ['tensor', tensorFunction],
    ['zeros', filled('zeros', 0)],
    ['ones', filled('ones', 1)],
    ['is_tensor', new PyBuiltin('is_tensor', ([value]) => value instanceof Tensor)],
    ['add', binaryFunction('add', add)],
    ['sub', binaryFunction('sub', sub)],
    ['mul', binaryFunction('mul', mul)],
    ['div', binaryFunction('div', div)],
    ['pow', binaryFunction('pow', pow)],
    ['neg', unaryFunction('neg', neg)],
    ['exp', unaryFunction('exp', exp)],
    ['log', unaryFunction('log', log)],
    ['sqrt', unaryFunction('sqrt', sqrt)],
    ['sin', unaryFunction('sin', sin)],
    ['cos', unaryFunction('cos', cos)],
    ['tanh', unaryFunction('tanh', tanh)],
    ['abs', unaryFunction('abs', abs)],
    ['sum', unaryFunction('sum', sum)],
    ...Object.entries(dtypeAliases).map(([name, dtype]): [string, PyValue] => [name, new PyDType(dtype)]),
  ]);
  return new PyModule('torch', attributes);
}
