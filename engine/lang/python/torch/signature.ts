// Builtins declared by their Python signature, e.g. 'sum(input, dim=None, keepdim=False, *, dtype=None)':
// arguments are bound as Python binds them, and read back as the engine's types with PyTorch-style
// messages when they are the wrong kind.
import { type EngineError } from '../../../errors';
import { PyDict } from '../collections';
import { type DType } from '../../../tensor/dtype';
import { Tensor } from '../../../tensor/tensor';
import { wrappedNumber } from '../../../tensor/create';
import { type CallSite, PyBuiltin, PyDType, PyList, PyTuple, type Kwargs, type PyValue, typeError, typeName } from '../values';

type Param = {
  readonly name: string;
  readonly keywordOnly: boolean;
  /** `*size`: collects the remaining positional arguments. */
  readonly varargs: boolean;
  /** `**kwargs`: collects the keyword arguments no other parameter takes. */
  readonly varkw?: boolean;
  /** Absent: required. */
  readonly defaultValue?: PyValue;
};

export type Signature = { readonly name: string; readonly params: readonly Param[] };

/** Splits at commas outside parentheses: `a, b=(1, 2), c` → three parts. */
function topLevelParts(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

function literal(text: string): PyValue {
  if (text.startsWith('(')) return new PyTuple(topLevelParts(text.slice(1, -1)).map(literal));
  if (text === 'None') return null;
  if (text === 'True' || text === 'False') return text === 'True';
  if (/^'.*'$/.test(text)) return text.slice(1, -1);
  if (/^-?\d+$/.test(text)) return BigInt(text);
  const number = Number(text);
  if (!Number.isNaN(number)) return number;
  throw new Error(`unsupported default ${text} in a signature`);
}

const parsedSignatures = new Map<string, Signature>();

/** Parses once per text: methods are bound on every attribute access. */
export function parseSignature(text: string): Signature {
  let signature = parsedSignatures.get(text);
  if (!signature) parsedSignatures.set(text, (signature = parseSignatureText(text)));
  return signature;
}

function parseSignatureText(text: string): Signature {
  const match = /^(\w+)\((.*)\)$/.exec(text.trim());
  if (!match) throw new Error(`bad signature ${text}`);
  let keywordOnly = false;
  const params: Param[] = [];
  for (const part of topLevelParts(match[2])) {
    if (part === '*') {
      keywordOnly = true;
      continue;
    }
    if (part.startsWith('**')) {
      params.push({ name: part.slice(2), keywordOnly: true, varargs: false, varkw: true });
      continue;
    }
    const varargs = part.startsWith('*');
    const [name, ...rest] = part.replace(/^\*/, '').split('=');
    const defaultText = rest.length > 0 ? rest.join('=').trim() : undefined;
    params.push({ name: name.trim(), keywordOnly, varargs, ...(defaultText !== undefined ? { defaultValue: literal(defaultText) } : {}) });
    if (varargs) keywordOnly = true;
  }
  return { name: match[1], params };
}

export class Args {
  constructor(
    readonly functionName: string,
    private readonly values: ReadonlyMap<string, PyValue>,
    private readonly positions: ReadonlyMap<string, number>,
    private readonly varargs: ReadonlySet<string>,
  ) {}

  /** The same arguments with one replaced: how an in-place method runs its function on a snapshot. */
  with(name: string, value: PyValue): Args {
    return new Args(this.functionName, new Map(this.values).set(name, value), this.positions, this.varargs);
  }

  /** Every bound argument, defaults included, in signature order. */
  entries(): [string, PyValue][] {
    return [...this.values];
  }

  /** The value, with its default; undefined for an absent argument without a default. */
  raw(name: string): PyValue | undefined {
    return this.values.get(name);
  }

  /** Given and not None. */
  has(name: string): boolean {
    const value = this.values.get(name);
    return value !== undefined && value !== null;
  }

  private wrongType(name: string, expected: string, value: PyValue | undefined): EngineError {
    const position = this.positions.get(name);
    const where = position === undefined ? `argument '${name}'` : `argument '${name}' (position ${position})`;
    return typeError(`${this.functionName}(): ${where} must be ${expected}, not ${value === undefined ? 'nothing' : typeName(value)}`);
  }

  tensor(name: string): Tensor {
    const value = this.raw(name);
    if (value instanceof Tensor) return value;
    throw this.wrongType(name, 'Tensor', value);
  }

  optionalTensor(name: string): Tensor | undefined {
    return this.has(name) ? this.tensor(name) : undefined;
  }

  /** A tensor, or a Python number as PyTorch wraps it. */
  tensorOrNumber(name: string): Tensor {
    const value = this.raw(name);
    if (value instanceof Tensor) return value;
    if (typeof value === 'bigint') return wrappedNumber(Number(value), 'int');
    if (typeof value === 'number') return wrappedNumber(value, 'float');
    if (typeof value === 'boolean') return wrappedNumber(value ? 1 : 0, 'bool');
    throw this.wrongType(name, 'Tensor', value);
  }

  int(name: string): number {
    const value = this.raw(name);
    if (typeof value === 'bigint') return Number(value);
    if (typeof value === 'boolean') return Number(value);
    if (value instanceof Tensor && value.numel === 1 && value.dtype === 'int64') return value.item();
    throw this.wrongType(name, 'int', value);
  }

  optionalInt(name: string): number | undefined {
    return this.has(name) ? this.int(name) : undefined;
  }

  float(name: string): number {
    const value = this.raw(name);
    if (typeof value === 'number') return value;
    if (typeof value === 'bigint') return Number(value);
    if (typeof value === 'boolean') return Number(value);
    if (value instanceof Tensor && value.numel === 1) return value.item();
    throw this.wrongType(name, 'float', value);
  }

  optionalFloat(name: string): number | undefined {
    return this.has(name) ? this.float(name) : undefined;
  }

  bool(name: string): boolean {
    const value = this.raw(name);
    if (typeof value === 'boolean') return value;
    if (typeof value === 'bigint') return value !== 0n;
    throw this.wrongType(name, 'bool', value);
  }

  string(name: string): string {
    const value = this.raw(name);
    if (typeof value === 'string') return value;
    throw this.wrongType(name, 'str', value);
  }

  /** An int, or a tuple/list of ints; undefined for None. */
  dims(name: string): number | number[] | undefined {
    const value = this.raw(name);
    if (value === undefined || value === null) return undefined;
    if (value instanceof PyList || value instanceof PyTuple) return value.items.map((item, i) => this.intItem(name, item, i));
    return this.int(name);
  }

  /** Sizes given as separate ints (`zeros(2, 3)`) or as one sequence (`zeros((2, 3))`, `zeros(x.shape)`). */
  intList(name: string): number[] {
    const value = this.raw(name);
    const isSequence = (v: PyValue | undefined): v is PyList | PyTuple => v instanceof PyList || v instanceof PyTuple;
    let items: readonly PyValue[];
    if (this.varargs.has(name)) {
      const collected = (value as PyTuple).items;
      items = collected.length === 1 && isSequence(collected[0]) ? collected[0].items : collected;
    } else {
      items = isSequence(value) ? value.items : [value ?? null];
    }
    return items.map((item, i) => this.intItem(name, item, i));
  }

  private intItem(name: string, item: PyValue, index: number): number {
    if (typeof item === 'bigint') return Number(item);
    if (item instanceof Tensor && item.numel === 1 && item.dtype === 'int64') return item.item();
    throw typeError(`${this.functionName}(): argument '${name}' must be tuple of ints, but found element of type ${typeName(item)} at pos ${index}`);
  }

  dtype(name: string): DType | undefined {
    const value = this.raw(name);
    if (value === undefined || value === null) return undefined;
    if (value instanceof PyDType) return value.dtype;
    throw this.wrongType(name, 'torch.dtype', value);
  }

  tensors(name: string): Tensor[] {
    const value = this.raw(name);
    if (!(value instanceof PyList || value instanceof PyTuple)) throw this.wrongType(name, 'tuple of Tensors', value);
    return value.items.map((item, i) => {
      if (item instanceof Tensor) return item;
      throw typeError(`${this.functionName}(): argument '${name}' must be tuple of Tensors, not ${typeName(item)} at pos ${i}`);
    });
  }
}

export function bind(signature: Signature, args: readonly PyValue[], kwargs: Kwargs): Args {
  const values = new Map<string, PyValue>();
  const positions = new Map<string, number>();
  const varargs = new Set<string>();
  let next = 0;
  for (const param of signature.params) {
    if (param.varargs) {
      values.set(param.name, new PyTuple(args.slice(next)));
      varargs.add(param.name);
      next = args.length;
      continue;
    }
    if (param.keywordOnly || next >= args.length) continue;
    values.set(param.name, args[next]);
    positions.set(param.name, ++next);
  }
  if (next < args.length) {
    const positional = signature.params.filter((p) => !p.keywordOnly && !p.varargs).length;
    throw typeError(`${signature.name}() takes ${positional} positional argument${positional === 1 ? '' : 's'} but ${args.length} were given`);
  }
  const collector = signature.params.find((p) => p.varkw);
  const extra = new PyDict();
  if (collector) values.set(collector.name, extra);
  for (const [name, value] of kwargs) {
    const param = signature.params.find((p) => p.name === name && !p.varargs && !p.varkw);
    if (!param) {
      if (!collector) throw typeError(`${signature.name}() got an unexpected keyword argument '${name}'`);
      extra.set(name, value);
      continue;
    }
    if (values.has(name)) throw typeError(`${signature.name}() got multiple values for argument '${name}'`);
    values.set(name, value);
  }
  for (const param of signature.params) {
    if (values.has(param.name)) continue;
    if (param.defaultValue === undefined) {
      throw typeError(`${signature.name}() missing 1 required positional argument: '${param.name}'`);
    }
    values.set(param.name, param.defaultValue);
  }
  return new Args(signature.name, values, positions, varargs);
}

export type Site = CallSite;

/** Binds arguments to a signature given as text. */
export function bindSignature(signatureText: string, args: readonly PyValue[], kwargs: Kwargs): Args {
  return bind(parseSignature(signatureText), args, kwargs);
}

/** A builtin from its signature and a body that reads its bound arguments. */
export function builtin(signatureText: string, body: (args: Args, site: Site) => PyValue): PyBuiltin {
  const signature = parseSignature(signatureText);
  return new PyBuiltin(signature.name, (args, kwargs, site) => body(bind(signature, args, kwargs), site));
}

/** The same body as a method of `self`, which binds to the signature's first parameter. */
export function boundMethod(signatureText: string, self: PyValue, body: (args: Args, site: Site) => PyValue): PyBuiltin {
  const signature = parseSignature(signatureText);
  return new PyBuiltin(signature.name, (args, kwargs, site) => body(bind(signature, [self, ...args], kwargs), site));
}
