// Python values as the interpreter holds them: None is null, bool is boolean, int is bigint (Python
// ints are unbounded), float is number, str is string; the rest are the classes below.
import { EngineError } from '../../errors';
import type { SourceSpan } from '../../sourceSpan';
import { type DType, dtypeName, isFloatingPoint, itemSize } from '../../tensor/dtype';
import { Tensor } from '../../tensor/tensor';
import type { PyClass } from './classes';

export type PyValue = null | boolean | bigint | number | string | Tensor | PyObject;

/** Keyword arguments in call order. */
export type Kwargs = ReadonlyMap<string, PyValue>;

/** Everything that is not a primitive or a tensor: lists, modules, functions, dtypes… */
export abstract class PyObject {
  abstract readonly typeName: string;
  getAttribute(_name: string): PyValue | undefined {
    return undefined;
  }
  /** `obj.name = value`; false when the object has no such writable attribute. */
  setAttribute(_name: string, _value: PyValue): boolean {
    return false;
  }
  /** Calling the object (`model(x)`); undefined when it is not callable. */
  invoke?(args: readonly PyValue[], kwargs: Kwargs, site: CallSite): PyValue;
  /** `obj[key]` for sequence-like objects (nn.Sequential). */
  getItem?(key: PyValue): PyValue;
  /** `obj[key] = value`. */
  setItem?(key: PyValue, value: PyValue): void;
  /** `del obj[key]`. */
  deleteItem?(key: PyValue): void;
  /** len(obj) for sequence-like objects. */
  length?(): number;
  /** `item in obj`. */
  contains?(item: PyValue): boolean;
  /** What `for` visits. */
  iterate?(): Iterable<PyValue>;
  /** bool(obj), where it is not simply True (empty containers). */
  isTruthy?(): boolean;
  /** repr(obj) and str(obj), where the object has its own. */
  repr?(): string;
  str?(): string;
  /** Mutable containers cannot be dict keys. */
  readonly unhashable?: boolean;
  /** The class of a script-defined instance or nn.Module, for isinstance and type(). */
  readonly cls?: PyClass;
  /**
   * Calls the special method `name` (`__add__`, `__eq__`…) the object's class defines; undefined
   * when it defines none. How operators reach a script's own classes.
   */
  callSpecial?(name: string, args: readonly PyValue[]): PyValue | undefined;
}

/** Python's NotImplemented: what a special method returns to let the other operand try. */
class PyNotImplemented extends PyObject {
  readonly typeName = 'NotImplementedType';
  override repr(): string {
    return 'NotImplemented';
  }
}
export const notImplemented: PyObject = new PyNotImplemented();

export class PyList extends PyObject {
  readonly typeName: string = 'list';
  override readonly unhashable = true;
  constructor(readonly items: PyValue[]) {
    super();
  }
}

export class PyTuple extends PyObject {
  /** torch.Size is a tuple that prints as torch.Size([…]). */
  constructor(
    readonly items: readonly PyValue[],
    readonly typeName: string = 'tuple',
  ) {
    super();
  }
}

/** A tuple with named fields, as torch.return_types.max(values=…, indices=…). */
export class PyNamedTuple extends PyTuple {
  constructor(
    typeName: string,
    readonly fields: readonly string[],
    items: readonly PyValue[],
  ) {
    super(items, typeName);
  }
  override getAttribute(name: string): PyValue | undefined {
    const index = this.fields.indexOf(name);
    return index >= 0 ? this.items[index] : undefined;
  }
}

/** What `with` accepts: torch.no_grad(), torch.enable_grad(), torch.autograd.detect_anomaly()… */
export class PyContextManager extends PyObject {
  readonly typeName: string;
  constructor(
    typeName: string,
    readonly enter: () => void,
    readonly exit: () => void,
  ) {
    super();
    this.typeName = typeName;
  }

  /** Used as a decorator (`@torch.no_grad()`): the function runs inside the context. */
  override invoke(args: readonly PyValue[]): PyValue {
    const [wrapped] = args;
    if (args.length !== 1 || !(wrapped instanceof PyObject) || !wrapped.invoke) throw typeError(`'${this.typeName}' object is not callable`);
    return new PyBuiltin(`${this.typeName}(${wrapped.typeName})`, (innerArgs, innerKwargs, innerSite) => {
      this.enter();
      try {
        return innerSite.call(wrapped, innerArgs, innerKwargs);
      } finally {
        this.exit();
      }
    });
  }
}

export type CallSite = {
  readonly span: SourceSpan;
  /** Calls a script's value (a function, a lambda, a builtin) from inside a builtin: how hooks and autograd.functional call back. */
  readonly call: (callee: PyValue, args: readonly PyValue[], kwargs?: Kwargs) => PyValue;
};

export class PyBuiltin extends PyObject {
  readonly typeName = 'builtin_function_or_method';
  constructor(
    readonly name: string,
    readonly call: (args: readonly PyValue[], kwargs: Kwargs, site: CallSite) => PyValue,
  ) {
    super();
  }
  override invoke(args: readonly PyValue[], kwargs: Kwargs, site: CallSite): PyValue {
    return this.call(args, kwargs, site);
  }
}

/** A builtin type (int, str, list, torch.Tensor…): called to convert or construct, and what isinstance checks. */
export class PyBuiltinType extends PyObject {
  readonly typeName = 'type';
  constructor(
    readonly name: string,
    readonly isInstance: (value: PyValue) => boolean,
    private readonly construct: (args: readonly PyValue[], kwargs: Kwargs, site: CallSite) => PyValue,
    /** How repr names it: 'builtins' for int, 'torch' for torch.Tensor. */
    readonly module = 'builtins',
  ) {
    super();
  }
  override invoke(args: readonly PyValue[], kwargs: Kwargs, site: CallSite): PyValue {
    return this.construct(args, kwargs, site);
  }
  override getAttribute(name: string): PyValue | undefined {
    return name === '__name__' ? this.name : undefined;
  }
  override repr(): string {
    return this.module === 'builtins' ? `<class '${this.name}'>` : `<class '${this.module}.${this.name}'>`;
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

/** torch.float32 and the other dtypes: one object per dtype, so `==`, `is` and dict keys work as in PyTorch. */
export class PyDType extends PyObject {
  readonly typeName = 'torch.dtype';
  private static readonly instances = new Map<DType, PyDType>();

  private constructor(readonly dtype: DType) {
    super();
  }

  static of(dtype: DType): PyDType {
    let instance = PyDType.instances.get(dtype);
    if (!instance) PyDType.instances.set(dtype, (instance = new PyDType(dtype)));
    return instance;
  }

  override getAttribute(name: string): PyValue | undefined {
    switch (name) {
      case 'is_floating_point':
        return isFloatingPoint(this.dtype);
      case 'is_complex':
        return false;
      case 'is_signed':
        return this.dtype !== 'bool';
      case 'itemsize':
        return BigInt(itemSize(this.dtype));
      default:
        return undefined;
    }
  }

  override repr(): string {
    return dtypeName(this.dtype);
  }
}

/**
 * torch.device: one object per (type, index), so that devices compare and hash by value as
 * PyTorch's do. Everything runs on the CPU here; other devices can be named but hold nothing.
 */
export class PyDevice extends PyObject {
  readonly typeName = 'torch.device';
  private static readonly instances = new Map<string, PyDevice>();

  private constructor(
    readonly type: string,
    readonly index: number | null,
  ) {
    super();
  }

  static of(type: string, index: number | null = null): PyDevice {
    const key = index === null ? type : `${type}:${index}`;
    let instance = PyDevice.instances.get(key);
    if (!instance) PyDevice.instances.set(key, (instance = new PyDevice(type, index)));
    return instance;
  }

  override getAttribute(name: string): PyValue | undefined {
    if (name === 'type') return this.type;
    if (name === 'index') return this.index === null ? null : BigInt(this.index);
    return undefined;
  }

  override repr(): string {
    return this.index === null ? `device(type='${this.type}')` : `device(type='${this.type}', index=${this.index})`;
  }

  override str(): string {
    return this.index === null ? this.type : `${this.type}:${this.index}`;
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
