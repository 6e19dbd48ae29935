// Classes a script defines: attributes on the class and its instances, methods bound to `self`,
// the method resolution order (C3, as Python computes it), and super().
import { EngineError } from '../../errors';
import { PyFunction } from './functions';
import { type CallSite, type Kwargs, PyObject, type PyValue, typeError, typeName } from './values';

/** Where a class's instances come from: a plain object, an exception or an nn.Module. */
export type InstanceFactory = (cls: PyClass, args: readonly PyValue[]) => PyObject;

let nextAddress = 0x7f3a_0000_0000;

export class PyClass extends PyObject {
  readonly typeName = 'type';
  readonly mro: readonly PyClass[];

  constructor(
    readonly name: string,
    readonly bases: readonly PyClass[],
    readonly namespace: Map<string, PyValue>,
    /** Set on the builtin classes whose instances are not plain objects. */
    readonly makeInstance?: InstanceFactory,
    /** '__main__' for a script's classes, as Python prints them. */
    readonly module = '__main__',
  ) {
    super();
    this.mro = [this, ...mergeLinearizations(bases.map((base) => [...base.mro]).concat([[...bases]]), name)];
  }

  /** An attribute found along the MRO, unbound. */
  lookup(name: string): PyValue | undefined {
    for (const cls of this.mro) {
      const value = cls.namespace.get(name);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  /** The attribute found after `after` in this class's MRO: what super() reads. */
  lookupAfter(after: PyClass, name: string): PyValue | undefined {
    const start = this.mro.indexOf(after);
    for (const cls of this.mro.slice(start + 1)) {
      const value = cls.namespace.get(name);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  isSubclassOf(other: PyClass): boolean {
    return this.mro.includes(other);
  }

  override getAttribute(name: string): PyValue | undefined {
    if (name === '__name__') return this.name;
    return this.lookup(name);
  }

  override setAttribute(name: string, value: PyValue): boolean {
    this.namespace.set(name, value);
    return true;
  }

  /** Calling a class makes an instance and runs __init__ on it. */
  override invoke(args: readonly PyValue[], kwargs: Kwargs, site: CallSite): PyValue {
    const factory = this.mro.find((cls) => cls.makeInstance)?.makeInstance;
    const instance = factory ? factory(this, args) : new PyInstance(this);
    const init = this.lookup('__init__');
    if (init instanceof PyFunction) {
      const result = init.call([instance, ...args], kwargs);
      if (result !== null) throw typeError(`__init__() should return None, not '${typeName(result)}'`);
    } else if (init !== undefined) {
      site.call(init, [instance, ...args], kwargs);
    } else if (!factory && (args.length > 0 || kwargs.size > 0)) {
      throw typeError(`${this.name}() takes no arguments`);
    }
    return instance;
  }

  override repr(): string {
    return this.module === 'builtins' ? `<class '${this.name}'>` : `<class '${this.module}.${this.name}'>`;
  }
}


/** C3 linearization of the bases' MROs. */
function mergeLinearizations(sequences: PyClass[][], name: string): PyClass[] {
  const result: PyClass[] = [];
  const pending = sequences.filter((sequence) => sequence.length > 0);
  while (pending.length > 0) {
    const head = pending.map((sequence) => sequence[0]).find((candidate) => !pending.some((sequence) => sequence.indexOf(candidate) > 0));
    if (!head) throw typeError(`Cannot create a consistent method resolution order (MRO) for bases of ${name}`);
    result.push(head);
    for (const sequence of pending) if (sequence[0] === head) sequence.shift();
    for (let i = pending.length - 1; i >= 0; i--) if (pending[i].length === 0) pending.splice(i, 1);
  }
  return result;
}

/** A class attribute as read through an instance: functions become methods bound to it. */
export function bindToInstance(value: PyValue, instance: PyValue): PyValue {
  return value instanceof PyFunction ? new PyBoundMethod(value, instance) : value;
}

export class PyBoundMethod extends PyObject {
  readonly typeName = 'method';
  constructor(
    readonly method: PyFunction,
    readonly self: PyValue,
  ) {
    super();
  }
  override invoke(args: readonly PyValue[], kwargs: Kwargs): PyValue {
    return this.method.call([this.self, ...args], kwargs);
  }
  override getAttribute(name: string): PyValue | undefined {
    return name === '__name__' ? this.method.name : undefined;
  }
  override repr(): string {
    return `<bound method ${this.method.qualifiedName} of ${describeInstance(this.self)}>`;
  }
}

const addresses = new WeakMap<object, number>();

/** Python's default repr: `<__main__.Point object at 0x7f3a…>`, the address stable per object. */
export function defaultObjectRepr(instance: PyInstance): string {
  let address = addresses.get(instance);
  if (address === undefined) addresses.set(instance, (address = (nextAddress += 0x50)));
  return `<${instance.cls.module}.${instance.cls.name} object at 0x${address.toString(16)}>`;
}

function describeInstance(value: PyValue): string {
  return value instanceof PyInstance ? defaultObjectRepr(value) : String(value);
}

/** An instance of a script's class: its own attributes, then the class's. */
export class PyInstance extends PyObject {
  readonly dict = new Map<string, PyValue>();

  constructor(override readonly cls: PyClass) {
    super();
  }

  get typeName(): string {
    return this.cls.name;
  }

  override getAttribute(name: string): PyValue | undefined {
    const own = this.dict.get(name);
    if (own !== undefined) return own;
    if (name === '__class__') return this.cls;
    const found = this.cls.lookup(name);
    return found === undefined ? undefined : bindToInstance(found, this);
  }

  override setAttribute(name: string, value: PyValue): boolean {
    this.dict.set(name, value);
    return true;
  }

  /** A special method the class defines (`__len__`, `__call__`…), bound; undefined when it has none. */
  special(name: string): PyFunction | undefined {
    const found = this.cls.lookup(name);
    return found instanceof PyFunction ? found : undefined;
  }

  override callSpecial(name: string, args: readonly PyValue[]): PyValue | undefined {
    const method = this.special(name);
    return method ? method.call([this, ...args], new Map()) : undefined;
  }

  private callRequired(name: string, args: readonly PyValue[], missing: string): PyValue {
    const result = this.callSpecial(name, args);
    if (result === undefined) throw typeError(missing);
    return result;
  }

  override invoke(args: readonly PyValue[], kwargs: Kwargs): PyValue {
    const call = this.special('__call__');
    if (!call) throw typeError(`'${this.typeName}' object is not callable`);
    return call.call([this, ...args], kwargs);
  }

  override getItem(key: PyValue): PyValue {
    return this.callRequired('__getitem__', [key], `'${this.typeName}' object is not subscriptable`);
  }

  override length(): number {
    const length = this.callRequired('__len__', [], `object of type '${this.typeName}' has no len()`);
    if (typeof length !== 'bigint') throw typeError(`'${typeName(length)}' object cannot be interpreted as an integer`);
    if (length < 0n) throw new EngineError('ValueError', '__len__() should return >= 0');
    return Number(length);
  }

  override isTruthy(): boolean {
    if (this.special('__bool__')) return this.callRequired('__bool__', [], '') === true;
    return this.special('__len__') ? this.length() > 0 : true;
  }

  override repr(): string {
    if (!this.special('__repr__')) return defaultObjectRepr(this);
    return textResult('__repr__', this.callRequired('__repr__', [], ''));
  }

  override str(): string {
    return this.special('__str__') ? textResult('__str__', this.callRequired('__str__', [], '')) : this.repr();
  }
}

function textResult(method: string, value: PyValue): string {
  if (typeof value !== 'string') throw typeError(`${method} returned non-string (type ${typeName(value)})`);
  return value;
}

/** What super() returns: attribute lookup that starts after `cls` in the instance's MRO. */
export class PySuper extends PyObject {
  readonly typeName = 'super';
  constructor(
    private readonly startAfter: PyClass,
    private readonly instance: PyValue,
    private readonly instanceClass: PyClass,
  ) {
    super();
  }
  override getAttribute(name: string): PyValue | undefined {
    const found = this.instanceClass.lookupAfter(this.startAfter, name);
    if (found !== undefined) return bindToInstance(found, this.instance);
    // object.__init__ takes no arguments and does nothing.
    if (name === '__init__') return new PyObjectInit();
    return undefined;
  }
}

class PyObjectInit extends PyObject {
  readonly typeName = 'method-wrapper';
  override invoke(args: readonly PyValue[]): PyValue {
    if (args.length > 0) throw typeError('object.__init__() takes exactly one argument (the instance to initialize)');
    return null;
  }
}
