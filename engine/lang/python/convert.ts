// Conversions between Python values and the engine's: torch.tensor's data, .item(), .tolist(), truthiness.
import { EngineError } from '../../errors';
import type { NestedScalars } from '../../tensor/create';
import type { DType } from '../../tensor/dtype';
import { Tensor } from '../../tensor/tensor';
import { PyList, PyTuple, type PyValue, typeError, typeName } from './values';

export function nestedScalars(value: PyValue): NestedScalars {
  if (typeof value === 'bigint') return { value: Number(value), kind: 'int' };
  if (typeof value === 'number') return { value, kind: 'float' };
  if (typeof value === 'boolean') return { value: value ? 1 : 0, kind: 'bool' };
  if (value instanceof PyList || value instanceof PyTuple) return value.items.map(nestedScalars);
  if (value instanceof Tensor) return value.ndim === 0 ? scalarOfTensor(value) : nestedScalars(tolist(value));
  throw typeError(`Could not infer dtype of ${typeName(value)}`);
}

function scalarOfTensor(tensor: Tensor): NestedScalars {
  const kind = tensor.dtype === 'bool' ? 'bool' : tensor.dtype === 'int64' ? 'int' : 'float';
  return { value: tensor.data[0], kind };
}

/** A tensor element as the Python number .item() gives. */
export function pythonScalar(value: number, dtype: DType): PyValue {
  switch (dtype) {
    case 'bool':
      return value !== 0;
    case 'int64':
      return BigInt(value);
    case 'float32':
    case 'float64':
      return value;
    default:
      return dtype satisfies never;
  }
}

export function tolist(tensor: Tensor): PyValue {
  const build = (offset: number, axis: number): PyValue => {
    if (axis === tensor.ndim) return pythonScalar(tensor.data[offset], tensor.dtype);
    const stride = tensor.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    return new PyList(Array.from({ length: tensor.shape[axis] }, (_, i) => build(offset + i * stride, axis + 1)));
  };
  return build(0, 0);
}

export function truthy(value: PyValue): boolean {
  if (value === null) return false;
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'bigint':
      return value !== 0n;
    case 'number':
      return value !== 0;
    case 'string':
      return value.length > 0;
  }
  if (value instanceof Tensor) {
    if (value.numel !== 1) {
      throw new EngineError('RuntimeError', `Boolean value of Tensor with more than one value is ambiguous`);
    }
    return value.data[0] !== 0;
  }
  if (value instanceof PyList || value instanceof PyTuple) return value.items.length > 0;
  return value.isTruthy ? value.isTruthy() : true;
}
