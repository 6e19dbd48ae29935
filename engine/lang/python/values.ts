// Python values as the interpreter holds them: None is null, bool is boolean, int is bigint (Python
// ints are unbounded), float is number, str is string; the rest are the classes below.
import { EngineError } from '../../errors';
import type { SourceSpan } from '../../sourceSpan';
import type { DType } from '../../tensor/dtype';
import { Tensor } from '../../tensor/tensor';

export type PyValue = null | boolean | bigint | number | string | Tensor | PyObject;

/** Keyword arguments in call order. */
export type Kwargs = ReadonlyMap<string, PyValue>;

/** Everything that is not a primitive or a tensor: lists, modules, functions, dtypes… */
export abstract class PyObject {
  abstract readonly typeName: string;
  getAttribute(_name: string): PyValue | undefined {
    return undefined;
  }
}

export class PyList extends PyObject {
  readonly typeName = 'list';
  constructor(readonly items: PyValue[]) {
    super();
  }
}

export class PyTuple extends PyObject {
  /** torch.Size is a tuple that prints as torch.Size([…]). */
  constructor(
    readonly items: readonly PyValue[],
    readonly typeName: 'tuple' | 'torch.Size' = 'tuple',
  ) {
    super();
  }
}

export type CallSite = { readonly span: SourceSpan };

export class PyBuiltin extends PyObject {
  readonly typeName = 'builtin_function_or_method';
  constructor(
    readonly name: string,
    readonly call: (args: readonly PyValue[], kwargs: Kwargs, site: CallSite) => PyValue,
  ) {
    super();
  }
}

export class PyModule extends PyObject {
  readonly typeName = 'module';
  constructor(
    readonly name: string,
    private readonly attributes: ReadonlyMap<string, PyValue>,
  ) {
    super();
  }
  override getAttribute(name: string): PyValue | undefined {
    return this.attributes.get(name);
  }
}

export class PyDType extends PyObject {
  readonly typeName = 'torch.dtype';
  constructor(readonly dtype: DType) {
    super();
  }
}

/** A tensor's grad_fn, as far as scripts can see it: its name. */
export class PyGradFn extends PyObject {
  constructor(readonly typeName: string) {
    super();
  }
}

export function typeName(value: PyValue): string {
  if (value === null) return 'NoneType';
  switch (typeof value) {
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float';
    case 'string':
      return 'str';
    default:
      return value instanceof Tensor ? 'Tensor' : value.typeName;
  }
}

export function typeError(message: string): EngineError {
  return new EngineError('TypeError', message);
}
