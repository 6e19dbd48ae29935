// Python's exceptions in tensor scripts: the builtin classes and their hierarchy, instances a
// script raises, and the engine's own errors caught as the Python types they name.
import { EngineError } from '../../errors';
import { PyClass, PyInstance } from './classes';
import { MissingKeyError } from './collections';
import { pyRepr, pyStr } from './display';
import { PyTuple, type PyValue, typeError } from './values';

export class PyExceptionInstance extends PyInstance {
  constructor(
    cls: PyClass,
    public args: readonly PyValue[],
  ) {
    super(cls);
  }

  override getAttribute(name: string): PyValue | undefined {
    if (name === 'args') return new PyTuple(this.args);
    return super.getAttribute(name);
  }

  override setAttribute(name: string, value: PyValue): boolean {
    if (name === 'args') this.args = value instanceof PyTuple ? value.items : [value];
    else super.setAttribute(name, value);
    return true;
  }

  /** str(e): the message, as Python's BaseException.__str__ makes it. */
  message(): string {
    if (this.special('__str__')) return this.str();
    if (this.args.length === 0) return '';
    // KeyError shows its key as repr: KeyError: 'x'.
    if (this.args.length === 1) return derivesFrom(this.cls, 'KeyError') ? pyRepr(this.args[0]) : pyStr(this.args[0]);
    return pyRepr(new PyTuple(this.args));
  }

  override str(): string {
    return this.special('__str__') ? super.str() : this.message();
  }

  override repr(): string {
    if (this.special('__repr__')) return super.repr();
    const args = this.args.length === 1 ? pyRepr(this.args[0]) : this.args.map(pyRepr).join(', ');
    return `${this.cls.name}(${args})`;
  }
}

/** Whether a class is, or derives from, the builtin class of that name. */
export const derivesFrom = (cls: PyClass, builtinName: string) => cls.mro.some((c) => c.name === builtinName && c.module === 'builtins');

/** An exception a script raised (or the engine raised and a script caught), on its way up. */
export class ScriptException extends EngineError {
  constructor(readonly exception: PyExceptionInstance) {
    super(exception.cls.name, exception.message());
  }
}

/** The builtin hierarchy: each class after its base. */
const hierarchy: readonly (readonly [string, string | null])[] = [
  ['BaseException', null],
  ['Exception', 'BaseException'],
  ['ArithmeticError', 'Exception'],
  ['ZeroDivisionError', 'ArithmeticError'],
  ['OverflowError', 'ArithmeticError'],
  ['FloatingPointError', 'ArithmeticError'],
  ['AssertionError', 'Exception'],
  ['AttributeError', 'Exception'],
  ['ImportError', 'Exception'],
  ['ModuleNotFoundError', 'ImportError'],
  ['LookupError', 'Exception'],
  ['IndexError', 'LookupError'],
  ['KeyError', 'LookupError'],
  ['NameError', 'Exception'],
  ['UnboundLocalError', 'NameError'],
  ['ReferenceError', 'Exception'],
  ['RuntimeError', 'Exception'],
  ['NotImplementedError', 'RuntimeError'],
  ['RecursionError', 'RuntimeError'],
  ['StopIteration', 'Exception'],
  ['SyntaxError', 'Exception'],
  ['TypeError', 'Exception'],
  ['ValueError', 'Exception'],
  ['KeyboardInterrupt', 'BaseException'],
  ['SystemExit', 'BaseException'],
];

/** A fresh set of the builtin exception classes for one run (a script may set attributes on them). */
export function createExceptionClasses(): Map<string, PyClass> {
  const classes = new Map<string, PyClass>();
  for (const [name, baseName] of hierarchy) {
    const bases = baseName ? [classes.get(baseName) as PyClass] : [];
    const makeInstance = baseName === null ? (cls: PyClass, args: readonly PyValue[]) => new PyExceptionInstance(cls, args) : undefined;
    classes.set(name, new PyClass(name, bases, new Map(), makeInstance, 'builtins'));
  }
  return classes;
}

/** Errors no `except` may catch: a limit stops the script whatever it does. */
const uncatchable = new Set(['LimitError']);

/**
 * The Python exception an error is, for `except` to match; undefined for what a script may not
 * catch. An engine error becomes an instance of the builtin class it names, made once.
 */
export function exceptionOf(error: unknown, classes: ReadonlyMap<string, PyClass>): PyExceptionInstance | undefined {
  if (error instanceof ScriptException) return error.exception;
  if (!(error instanceof EngineError) || uncatchable.has(error.type)) return undefined;
  const cached = caught.get(error);
  if (cached) return cached;
  const cls = classes.get(error.type) ?? (classes.get('RuntimeError') as PyClass);
  const instance = new PyExceptionInstance(cls, [error instanceof MissingKeyError ? error.key : error.message]);
  caught.set(error, instance);
  return instance;
}

const caught = new WeakMap<EngineError, PyExceptionInstance>();

/** A builtin exception with arguments, raised as a script's `raise` would raise it. */
export function builtinException(classes: ReadonlyMap<string, PyClass>, name: string, args: readonly PyValue[]): ScriptException {
  return new ScriptException(new PyExceptionInstance(classes.get(name) as PyClass, args));
}

/** What `raise X` throws: X is an exception class (instantiated with no arguments) or instance. */
export function toRaisable(value: PyValue, call: (cls: PyClass) => PyValue): ScriptException {
  const instance = value instanceof PyClass ? call(value) : value;
  if (instance instanceof PyExceptionInstance) return new ScriptException(instance);
  throw typeError('exceptions must derive from BaseException');
}

/** Whether an `except` clause's class (or tuple of classes) matches the exception. */
export function exceptionMatches(exception: PyExceptionInstance, handler: PyValue): boolean {
  if (handler instanceof PyTuple) return handler.items.some((item) => exceptionMatches(exception, item));
  if (handler instanceof PyClass && derivesFrom(handler, 'BaseException')) return exception.cls.isSubclassOf(handler);
  throw typeError('catching classes that do not inherit from BaseException is not allowed');
}
