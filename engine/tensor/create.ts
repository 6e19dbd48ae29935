// Making tensors from numbers and nested lists, as torch.tensor does.
import { EngineError } from '../errors';
import { type DType, allocate, castValue, defaultFloatDType } from './dtype';
import type { Shape } from './shape';
import { scalarShape, sizeOf } from './shape';
import { Storage, Tensor } from './tensor';

/** A Python/JS number with the kind that decides its dtype: int → int64, float → float32, bool → bool. */
export type ScalarValue = { readonly value: number; readonly kind: 'bool' | 'int' | 'float' };
export type NestedScalars = ScalarValue | readonly NestedScalars[];

const dtypeOfKind: Record<ScalarValue['kind'], DType> = { bool: 'bool', int: 'int64', float: defaultFloatDType };
const kindRank: Record<ScalarValue['kind'], number> = { bool: 0, int: 1, float: 2 };

export function full(shape: Shape, value: number, dtype: DType): Tensor {
  const data = allocate(dtype, sizeOf(shape));
  data.fill(castValue(dtype, value));
  return new Tensor(data, shape, dtype);
}

/** A 0-d tensor holding a number (no typed array until one is asked for). */
export function scalarTensor(value: number, dtype: DType): Tensor {
  return new Tensor(new Storage(castValue(dtype, value), dtype), scalarShape, dtype);
}

/** Wrapped numbers are never written to, so each (kind, value) is made once: nodes that keep a constant share it. */
const wrappedNumbers: Record<ScalarValue['kind'], Map<number, Tensor>> = { bool: new Map(), int: new Map(), float: new Map() };
const maxWrappedNumbers = 4096;

/** A number used as an op operand; like PyTorch's wrapped numbers it keeps full precision and promotes weakly. */
export function wrappedNumber(value: number, kind: ScalarValue['kind'] = 'float'): Tensor {
  if (kind === 'float') {
    // `===` then a sign check for zero: Object.is is a call here, and this runs once per op.
    const first = recentFloats[0];
    if (first !== undefined && sameNumber(first.storage.first, value)) return first;
    const second = recentFloats[1];
    if (second !== undefined && sameNumber(second.storage.first, value)) return second;
  }
  const tensor = cachedWrappedNumber(value, kind);
  if (kind === 'float') recentFloats[recentFloatSlot ^= 1] = tensor;
  return tensor;
}

/** Object.is for numbers that are not NaN (a NaN is never found here, and is made again). */
const sameNumber = (a: number, b: number) => a === b && (a !== 0 || 1 / a === 1 / b);

/** The floats wrapped last, found without hashing: a loop body's constants, say. */
const recentFloats: (Tensor | undefined)[] = [undefined, undefined];
let recentFloatSlot = 0;

function cachedWrappedNumber(value: number, kind: ScalarValue['kind']): Tensor {
  const cache = wrappedNumbers[kind];
  // A Map does not tell -0 from 0: -0 is made each time.
  let tensor = Object.is(value, -0) ? undefined : cache.get(value);
  if (!tensor) {
    const dtype = kind === 'float' ? 'float64' : dtypeOfKind[kind];
    tensor = new Tensor(new Storage(value, dtype), scalarShape, dtype);
    tensor.isWrappedNumber = true;
    if (cache.size >= maxWrappedNumbers) cache.clear();
    if (!Object.is(value, -0)) cache.set(value, tensor);
  }
  return tensor;
}

/** torch.tensor(data, dtype=…): infers shape and dtype from nested lists the way PyTorch does. */
export function tensorFromNested(nested: NestedScalars, dtype?: DType): Tensor {
  const shape: number[] = [];
  for (let level: NestedScalars = nested; Array.isArray(level); level = level[0] as NestedScalars) {
    shape.push(level.length);
    if (level.length === 0) break;
  }
  const values: number[] = [];
  let widestKind: ScalarValue['kind'] = 'bool';
  const visit = (node: NestedScalars, depth: number): void => {
    if (!Array.isArray(node)) {
      if (depth !== shape.length) throw raggedError(depth, shape);
      const scalar = node as ScalarValue;
      if (kindRank[scalar.kind] > kindRank[widestKind]) widestKind = scalar.kind;
      values.push(scalar.value);
      return;
    }
    if (depth >= shape.length || node.length !== shape[depth]) throw raggedError(depth, shape, node.length);
    for (const child of node) visit(child, depth + 1);
  };
  visit(nested, 0);
  const resultDType = dtype ?? (values.length === 0 ? defaultFloatDType : dtypeOfKind[widestKind]);
  const data = allocate(resultDType, values.length);
  values.forEach((value, i) => (data[i] = castValue(resultDType, value)));
  return new Tensor(data, shape, resultDType);
}

function raggedError(depth: number, shape: readonly number[], length?: number): EngineError {
  return new EngineError(
    'ValueError',
    length === undefined
      ? `expected sequence of length ${shape[depth]} at dim ${depth} (got a number)`
      : `expected sequence of length ${shape[depth]} at dim ${depth} (got ${length})`,
  );
}

export function zerosLike(tensor: Tensor): Tensor {
  return full(tensor.shape, 0, tensor.dtype);
}
