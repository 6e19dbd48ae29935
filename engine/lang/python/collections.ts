// dict and set: insertion-ordered, keyed as Python keys them (1, 1.0 and True are one key; a
// tuple by its items; a tensor or other object by identity).
import { EngineError } from '../../errors';
import { pyRepr } from './display';
import { PyObject, PyTuple, type PyValue, typeError } from './values';

const objectIds = new WeakMap<object, number>();
let nextObjectId = 1;

/** A JS Map key that is equal exactly when the Python keys are equal. */
export function hashKey(value: PyValue): unknown {
  switch (typeof value) {
    case 'boolean':
      return value ? 1 : 0;
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value;
    case 'number':
    case 'string':
      return value;
  }
  if (value === null) return null;
  if (value instanceof PyTuple) return `\u0000(${value.items.map((item) => keyText(hashKey(item))).join(',')})`;
  if (value instanceof PyObject && value.unhashable) throw typeError(`unhashable type: '${value.typeName}'`);
  return value;
}

const hashModulus = (1n << 61n) - 1n;

/**
 * hash(value): Python's value for ints (and floats equal to them, and bools), so that equal keys
 * hash equal; any other hashable value gets a number fixed for the run (CPython's own hashes of
 * strings and objects change from process to process).
 */
export function pyHash(value: PyValue): bigint {
  const key = hashKey(value);
  const integral = typeof value === 'bigint' ? value : typeof value === 'boolean' ? BigInt(value) : typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : undefined;
  if (integral !== undefined) {
    const magnitude = (integral < 0n ? -integral : integral) % hashModulus;
    const hashed = integral < 0n ? -magnitude : magnitude;
    return hashed === -1n ? -2n : hashed;
  }
  const text = keyText(key);
  let hash = 0n;
  for (const char of text) hash = (hash * 1000003n + BigInt(char.codePointAt(0) as number)) % hashModulus;
  return hash;
}

/** A key as text inside a tuple's key: objects by a per-object number. */
function keyText(key: unknown): string {
  if (typeof key === 'object' && key !== null) {
    let id = objectIds.get(key);
    if (id === undefined) objectIds.set(key, (id = nextObjectId++));
    return `\u0001${id}`;
  }
  return typeof key === 'string' ? JSON.stringify(key) : String(key);
}

/** A KeyError that keeps its key: `except KeyError as e` gets it back as e.args[0]. */
export class MissingKeyError extends EngineError {
  constructor(readonly key: PyValue) {
    super('KeyError', pyRepr(key));
  }
}

export class PyDict extends PyObject {
  readonly typeName = 'dict';
  override readonly unhashable = true;
  /** hashKey(key) → [key, value], in insertion order. */
  readonly entries = new Map<unknown, [PyValue, PyValue]>();

  static of(pairs: Iterable<readonly [PyValue, PyValue]>): PyDict {
    const dict = new PyDict();
    for (const [key, value] of pairs) dict.set(key, value);
    return dict;
  }

  get size(): number {
    return this.entries.size;
  }
  get(key: PyValue): PyValue | undefined {
    return this.entries.get(hashKey(key))?.[1];
  }
  has(key: PyValue): boolean {
    return this.entries.has(hashKey(key));
  }
  set(key: PyValue, value: PyValue): void {
    const hashed = hashKey(key);
    const entry = this.entries.get(hashed);
    // A key that is already there keeps its first spelling and its place, as in Python.
    if (entry) entry[1] = value;
    else this.entries.set(hashed, [key, value]);
  }
  delete(key: PyValue): void {
    if (!this.entries.delete(hashKey(key))) throw new MissingKeyError(key);
  }
  keys(): PyValue[] {
    return [...this.entries.values()].map(([key]) => key);
  }
  values(): PyValue[] {
    return [...this.entries.values()].map(([, value]) => value);
  }
  items(): [PyValue, PyValue][] {
    return [...this.entries.values()].map(([key, value]) => [key, value]);
  }

  override getItem(key: PyValue): PyValue {
    const value = this.get(key);
    if (value === undefined) throw new MissingKeyError(key);
    return value;
  }
  override setItem(key: PyValue, value: PyValue): void {
    this.set(key, value);
  }
  override deleteItem(key: PyValue): void {
    this.delete(key);
  }
  override length(): number {
    return this.size;
  }
  override isTruthy(): boolean {
    return this.size > 0;
  }
  override contains(key: PyValue): boolean {
    return this.has(key);
  }
  override iterate(): Iterable<PyValue> {
    return this.keys();
  }
  override repr(): string {
    return `{${this.items().map(([key, value]) => `${pyRepr(key)}: ${pyRepr(value)}`).join(', ')}}`;
  }
}

export class PySet extends PyObject {
  readonly typeName = 'set';
  override readonly unhashable = true;
  readonly members = new Map<unknown, PyValue>();

  constructor(items: Iterable<PyValue> = []) {
    super();
    for (const item of items) this.add(item);
  }
  add(item: PyValue): void {
    const hashed = hashKey(item);
    if (!this.members.has(hashed)) this.members.set(hashed, item);
  }
  has(item: PyValue): boolean {
    return this.members.has(hashKey(item));
  }
  remove(item: PyValue): void {
    if (!this.members.delete(hashKey(item))) throw new MissingKeyError(item);
  }
  discard(item: PyValue): void {
    this.members.delete(hashKey(item));
  }
  override length(): number {
    return this.members.size;
  }
  override isTruthy(): boolean {
    return this.members.size > 0;
  }
  override contains(item: PyValue): boolean {
    return this.has(item);
  }
  override iterate(): Iterable<PyValue> {
    return [...this.members.values()];
  }
  override repr(): string {
    return this.members.size === 0 ? 'set()' : `{${[...this.members.values()].map(pyRepr).join(', ')}}`;
  }
}
