// What `for` and the builtins that take iterables walk over: sequences, ranges, dicts, tensors'
// rows, and one-shot iterators (enumerate, zip, map, filter, generator expressions).
import { EngineError } from '../../errors';
import { select } from '../../ops/views';
import { Tensor } from '../../tensor/tensor';
import { PyList, PyObject, PyTuple, type PyValue, typeError, typeName } from './values';

export class PyRange extends PyObject {
  readonly typeName = 'range';
  constructor(
    readonly start: bigint,
    readonly stop: bigint,
    readonly step: bigint,
  ) {
    super();
    if (step === 0n) throw new EngineError('ValueError', 'range() arg 3 must not be zero');
  }
  override length(): number {
    const span = this.step > 0n ? this.stop - this.start : this.start - this.stop;
    const step = this.step > 0n ? this.step : -this.step;
    return span <= 0n ? 0 : Number((span + step - 1n) / step);
  }
  override isTruthy(): boolean {
    return this.length() > 0;
  }
  at(index: number): bigint {
    return this.start + BigInt(index) * this.step;
  }
  override *iterate(): Generator<PyValue> {
    const { start, stop, step } = this;
    if (step > 0n) for (let i = start; i < stop; i += step) yield i;
    else for (let i = start; i > stop; i += step) yield i;
  }
  override contains(item: PyValue): boolean {
    if (typeof item !== 'bigint' && typeof item !== 'boolean') return [...this.iterate()].some((value) => Number(value) === item);
    const value = BigInt(item);
    const inBounds = this.step > 0n ? value >= this.start && value < this.stop : value <= this.start && value > this.stop;
    return inBounds && (value - this.start) % this.step === 0n;
  }
  override getItem(key: PyValue): PyValue {
    if (typeof key !== 'bigint') throw typeError(`range indices must be integers or slices, not ${typeName(key)}`);
    const length = this.length();
    const index = key < 0n ? Number(key) + length : Number(key);
    if (index < 0 || index >= length) throw new EngineError('IndexError', 'range object index out of range');
    return this.at(index);
  }
  override repr(): string {
    return this.step === 1n ? `range(${this.start}, ${this.stop})` : `range(${this.start}, ${this.stop}, ${this.step})`;
  }
}

/** A one-shot iterator: iterating it again continues where it stopped, as in Python. */
export class PyIterator extends PyObject {
  constructor(
    readonly typeName: string,
    private readonly source: Iterator<PyValue>,
  ) {
    super();
  }
  next(): IteratorResult<PyValue> {
    return this.source.next();
  }
  override iterate(): Iterable<PyValue> {
    return { [Symbol.iterator]: () => this.source };
  }
}

/** The items `for` visits. */
export function iterate(value: PyValue): Iterable<PyValue> {
  if (value instanceof PyList || value instanceof PyTuple) return value.items;
  if (typeof value === 'string') return value;
  if (value instanceof Tensor) return tensorRows(value);
  if (value instanceof PyObject && value.iterate) return value.iterate();
  throw typeError(`'${typeName(value)}' object is not iterable`);
}

function* tensorRows(tensor: Tensor): Generator<PyValue> {
  if (tensor.ndim === 0) throw typeError('iteration over a 0-d tensor');
  for (let i = 0; i < tensor.shape[0]; i++) yield select(tensor, 0, i);
}

export function isIterable(value: PyValue): boolean {
  return value instanceof PyList || value instanceof PyTuple || typeof value === 'string' || value instanceof Tensor || (value instanceof PyObject && value.iterate !== undefined);
}

/** All items of an iterable, as an array (list(), tuple(), unpacking). */
export function itemsOf(value: PyValue): PyValue[] {
  if (value instanceof PyList || value instanceof PyTuple) return [...value.items];
  return [...iterate(value)];
}
