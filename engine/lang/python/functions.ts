// Functions a script defines with `def` or `lambda`: Python's argument binding and messages, a
// fresh frame per call linked to the frame the function was defined in, and the recursion limit.
import { EngineError } from '../../errors';
import { PyDict } from './collections';
import { type Execute, Frame, type Runtime } from './frame';
import { type Kwargs, PyObject, PyTuple, type PyValue, typeError } from './values';

export type ParameterKind = 'positional' | 'varargs' | 'keywordOnly' | 'varkw';
export type Parameter = { readonly name: string; readonly kind: ParameterKind; readonly hasDefault: boolean };

/** What compiling a `def` or `lambda` gives: the same for every function object made from it. */
export type FunctionCode = {
  readonly name: string;
  readonly qualifiedName: string;
  readonly parameters: readonly Parameter[];
  readonly body: Execute;
  readonly runtime: Runtime;
};

let nextAddress = 0x7f3b_0000_0000;

export class PyFunction extends PyObject {
  readonly typeName = 'function';
  /** The class whose body defined this function: zero-argument super() starts after it. */
  definingClass: PyValue | undefined;
  private readonly address = (nextAddress += 0x90);
  private readonly positionalCount: number;
  private readonly simple: boolean;

  constructor(
    readonly code: FunctionCode,
    /** Default values by parameter name, evaluated when the `def` ran. */
    readonly defaults: ReadonlyMap<string, PyValue>,
    readonly closure: Frame,
  ) {
    super();
    this.positionalCount = code.parameters.filter((p) => p.kind === 'positional').length;
    this.simple = code.parameters.every((p) => p.kind === 'positional');
  }

  get name(): string {
    return this.code.name;
  }
  get qualifiedName(): string {
    return this.code.qualifiedName;
  }

  override invoke(args: readonly PyValue[], kwargs: Kwargs): PyValue {
    return this.call(args, kwargs);
  }

  call(args: readonly PyValue[], kwargs: Kwargs): PyValue {
    const { runtime } = this.code;
    if (runtime.callDepth >= runtime.maxRecursionDepth) {
      throw new EngineError('RecursionError', `maximum recursion depth exceeded (the limit is ${runtime.maxRecursionDepth} nested calls)`);
    }
    const frame = new Frame(this.bind(args, kwargs), this.closure, this, args[0]);
    runtime.callDepth++;
    try {
      this.code.body(frame);
      return frame.returnValue;
    } finally {
      runtime.callDepth--;
    }
  }

  override getAttribute(name: string): PyValue | undefined {
    if (name === '__name__') return this.name;
    if (name === '__qualname__') return this.qualifiedName;
    return undefined;
  }

  override repr(): string {
    return `<function ${this.qualifiedName} at 0x${this.address.toString(16)}>`;
  }

  /** Binds arguments to parameters as Python does, with Python's messages when they do not fit. */
  private bind(args: readonly PyValue[], kwargs: Kwargs): Map<string, PyValue> {
    const locals = new Map<string, PyValue>();
    const { parameters } = this.code;
    if (this.simple && kwargs.size === 0 && args.length === parameters.length) {
      for (let i = 0; i < args.length; i++) locals.set(parameters[i].name, args[i]);
      return locals;
    }
    let next = 0;
    let extraKeywords: PyDict | undefined;
    for (const parameter of parameters) {
      if (parameter.kind === 'positional' && next < args.length) locals.set(parameter.name, args[next++]);
      else if (parameter.kind === 'varargs') {
        locals.set(parameter.name, new PyTuple(args.slice(next)));
        next = args.length;
      } else if (parameter.kind === 'varkw') locals.set(parameter.name, (extraKeywords = new PyDict()));
    }
    if (next < args.length) throw this.tooManyPositional(args.length, kwargs);
    for (const [name, value] of kwargs) {
      const parameter = parameters.find((p) => p.name === name && (p.kind === 'positional' || p.kind === 'keywordOnly'));
      if (!parameter) {
        if (!extraKeywords) throw typeError(`${this.qualifiedName}() got an unexpected keyword argument '${name}'`);
        extraKeywords.set(name, value);
      } else {
        if (locals.has(name)) throw typeError(`${this.qualifiedName}() got multiple values for argument '${name}'`);
        locals.set(name, value);
      }
    }
    for (const kind of ['positional', 'keywordOnly'] as const) {
      const missing: string[] = [];
      for (const parameter of parameters) {
        if (parameter.kind !== kind || locals.has(parameter.name)) continue;
        const fallback = this.defaults.get(parameter.name);
        if (fallback !== undefined) locals.set(parameter.name, fallback);
        else missing.push(parameter.name);
      }
      if (missing.length > 0) {
        const what = kind === 'positional' ? 'positional' : 'keyword-only';
        throw typeError(`${this.qualifiedName}() missing ${missing.length} required ${what} argument${missing.length === 1 ? '' : 's'}: ${listNames(missing)}`);
      }
    }
    return locals;
  }

  private tooManyPositional(given: number, kwargs: Kwargs): EngineError {
    const positional = this.code.parameters.filter((p) => p.kind === 'positional');
    const required = positional.filter((p) => !p.hasDefault).length;
    const takes = required === this.positionalCount ? `${required}` : `from ${required} to ${this.positionalCount}`;
    const keywordOnlyGiven = this.code.parameters.filter((p) => p.kind === 'keywordOnly' && kwargs.has(p.name)).length;
    const plural = (n: number | string, word: string) => `${n} ${word}${n === 1 || n === '1' ? '' : 's'}`;
    const given_ = keywordOnlyGiven > 0 ? `${given} positional argument${given === 1 ? '' : 's'} (and ${plural(keywordOnlyGiven, 'keyword-only argument')}) were given` : `${given} ${given === 1 ? 'was' : 'were'} given`;
    return typeError(`${this.qualifiedName}() takes ${plural(takes, 'positional argument')} but ${given_}`);
  }
}

/** 'a', 'a' and 'b', 'a', 'b' and 'c' — as Python lists missing arguments. */
function listNames(names: readonly string[]): string {
  const quoted = names.map((name) => `'${name}'`);
  if (quoted.length <= 2) return quoted.join(' and ');
  return `${quoted.slice(0, -1).join(', ')}, and ${quoted[quoted.length - 1]}`;
}
