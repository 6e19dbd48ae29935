// obj[key], obj[key] = value and del obj[key] for every kind of value: tensors (views and
// advanced indexing), lists, tuples and strings (with Python's slices), dicts and objects.
import { EngineError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { itemsOf } from './iteration';
import { type IndexItem, getItem, indexItem, setItem } from './torch/indexing';
import { PyList, PyObject, PyTuple, type PyValue, typeError, typeName } from './values';

/** What stands between the brackets, one entry per comma-separated part. */
export type SubscriptPart =
  | { readonly kind: 'value'; readonly value: PyValue }
  | { readonly kind: 'ellipsis' }
  | { readonly kind: 'slice'; readonly start: PyValue; readonly stop: PyValue; readonly step: PyValue };

function sliceBound(value: PyValue, name: string): number | undefined {
  if (value === null) return undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return Number(value);
  if (value instanceof Tensor && value.numel === 1 && value.dtype === 'int64') return value.item();
  throw typeError(`slice ${name} must be an integer or None, not ${typeName(value)}`);
}

function toIndexItem(part: SubscriptPart): IndexItem {
  switch (part.kind) {
    case 'slice': {
      const [start, stop, step] = [sliceBound(part.start, 'indices'), sliceBound(part.stop, 'indices'), sliceBound(part.step, 'step')];
      return { kind: 'slice', ...(start !== undefined ? { start } : {}), ...(stop !== undefined ? { stop } : {}), ...(step !== undefined ? { step } : {}) };
    }
    case 'ellipsis':
      return { kind: 'ellipsis' };
    case 'value':
      return indexItem(part.value);
  }
}

/** x[idx] where idx is a tuple value: its elements are the parts, as in Python. */
function tensorItems(parts: readonly SubscriptPart[]): IndexItem[] {
  const [first] = parts;
  if (parts.length === 1 && first.kind === 'value' && first.value instanceof PyTuple) return first.value.items.map((value) => indexItem(value));
  return parts.map(toIndexItem);
}

/** The positions a slice selects from a sequence of `length`, negative steps included; `start` clamped as Python clamps it. */
function resolveSlice(length: number, part: Extract<SubscriptPart, { kind: 'slice' }>): { start: number; step: number; positions: number[] } {
  const step = sliceBound(part.step, 'step') ?? 1;
  if (step === 0) throw new EngineError('ValueError', 'slice step cannot be zero');
  const clamp = (value: number | undefined, fallback: number, low: number, high: number) => {
    if (value === undefined) return fallback;
    const resolved = value < 0 ? value + length : value;
    return Math.min(Math.max(resolved, low), high);
  };
  const positions: number[] = [];
  const forward = step > 0;
  const start = forward ? clamp(sliceBound(part.start, 'indices'), 0, 0, length) : clamp(sliceBound(part.start, 'indices'), length - 1, -1, length - 1);
  const stop = forward ? clamp(sliceBound(part.stop, 'indices'), length, 0, length) : clamp(sliceBound(part.stop, 'indices'), -1, -1, length - 1);
  for (let i = start; forward ? i < stop : i > stop; i += step) positions.push(i);
  return { start, step, positions };
}

function position(object: PyValue, length: number, index: PyValue): number {
  const value = index instanceof Tensor && index.numel === 1 && index.dtype === 'int64' ? BigInt(index.item()) : index;
  if (typeof value !== 'bigint' && typeof value !== 'boolean') {
    throw typeError(`${typeName(object)} indices must be integers or slices, not ${typeName(value)}`);
  }
  const number = Number(value);
  const resolved = number < 0 ? length + number : number;
  if (resolved < 0 || resolved >= length) throw new EngineError('IndexError', `${typeName(object)} index out of range`);
  return resolved;
}

function onlyPart(object: PyValue, parts: readonly SubscriptPart[]): SubscriptPart {
  if (parts.length !== 1 || parts[0].kind === 'ellipsis') throw typeError(`${typeName(object)} indices must be integers or slices, not tuple`);
  return parts[0];
}

export function getSubscript(object: PyValue, parts: readonly SubscriptPart[]): PyValue {
  if (object instanceof Tensor) return getItem(object, tensorItems(parts));
  const sequence = object instanceof PyList || object instanceof PyTuple ? object.items : typeof object === 'string' ? [...object] : undefined;
  if (sequence) {
    const part = onlyPart(object, parts);
    if (part.kind === 'slice') {
      const selected = resolveSlice(sequence.length, part).positions.map((i) => sequence[i]);
      return typeof object === 'string' ? selected.join('') : object instanceof PyTuple ? new PyTuple(selected) : new PyList(selected);
    }
    return sequence[position(object, sequence.length, (part as { value: PyValue }).value)];
  }
  if (object instanceof PyObject && object.getItem) {
    const part = parts.length === 1 ? parts[0] : { kind: 'value' as const, value: new PyTuple(parts.map((p) => (p.kind === 'value' ? p.value : null))) };
    if (part.kind !== 'value') throw typeError(`${typeName(object)} indices must be integers`);
    return object.getItem(part.value);
  }
  throw typeError(`'${typeName(object)}' object is not subscriptable`);
}

export function setSubscript(object: PyValue, parts: readonly SubscriptPart[], value: PyValue): void {
  if (object instanceof Tensor) return setItem(object, tensorItems(parts), value);
  if (object instanceof PyList) {
    const part = onlyPart(object, parts);
    if (part.kind === 'slice') {
      const { start, step, positions } = resolveSlice(object.items.length, part);
      const replacement = itemsOf(value);
      if (step === 1) {
        object.items.splice(start, positions.length, ...replacement);
        return;
      }
      if (replacement.length !== positions.length) throw new EngineError('ValueError', `attempt to assign sequence of size ${replacement.length} to extended slice of size ${positions.length}`);
      positions.forEach((at, i) => (object.items[at] = replacement[i]));
      return;
    }
    object.items[position(object, object.items.length, (part as { value: PyValue }).value)] = value;
    return;
  }
  if (object instanceof PyObject && object.setItem && parts.length === 1 && parts[0].kind === 'value') return object.setItem(parts[0].value, value);
  throw typeError(`'${typeName(object)}' object does not support item assignment`);
}

export function deleteSubscript(object: PyValue, parts: readonly SubscriptPart[]): void {
  if (object instanceof PyList) {
    const part = onlyPart(object, parts);
    const positions = part.kind === 'slice' ? resolveSlice(object.items.length, part).positions : [position(object, object.items.length, (part as { value: PyValue }).value)];
    for (const at of [...positions].sort((a, b) => b - a)) object.items.splice(at, 1);
    return;
  }
  if (object instanceof PyObject && object.deleteItem && parts.length === 1 && parts[0].kind === 'value') return object.deleteItem(parts[0].value);
  throw typeError(`'${typeName(object)}' object doesn't support item deletion`);
}
