// torch.zeros/ones/full/arange/linspace/eye/rand/randn/randint: tensors made from a description
// rather than from data.
import { EngineError } from '../errors';
import { type DType, allocate, castValue, defaultFloatDType, isFloatingPoint } from './dtype';
import { full } from './create';
import { generator } from './random';
import { type Shape, sizeOf } from './shape';
import { Tensor } from './tensor';

function checkShape(shape: Shape): void {
  const negative = shape.find((dim) => dim < 0);
  if (negative !== undefined) throw new EngineError('RuntimeError', `Trying to create tensor with negative dimension ${negative}: [${shape.join(', ')}]`);
}

export const zeros = (shape: Shape, dtype: DType = defaultFloatDType): Tensor => (checkShape(shape), full(shape, 0, dtype));
export const ones = (shape: Shape, dtype: DType = defaultFloatDType): Tensor => (checkShape(shape), full(shape, 1, dtype));

/** torch.arange(start, end, step): integers unless an argument is a float. */
export function arange(start: number, end: number, step: number, dtype: DType): Tensor {
  if (step === 0) throw new EngineError('RuntimeError', 'step must be nonzero');
  if ((end - start) / step < 0) {
    throw new EngineError('RuntimeError', 'upper bound and larger bound inconsistent with step sign');
  }
  const length = Math.ceil((end - start) / step);
  const data = allocate(dtype, length);
  for (let i = 0; i < length; i++) data[i] = castValue(dtype, start + i * step);
  return new Tensor(data, [length], dtype);
}

/** torch.linspace: computed from both ends towards the middle, as PyTorch does, so both ends are exact. */
export function linspace(start: number, end: number, steps: number, dtype: DType = defaultFloatDType): Tensor {
  if (steps < 0) throw new EngineError('RuntimeError', 'number of steps must be non-negative');
  const data = allocate(dtype, steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) data[i] = castValue(dtype, i < half ? start + step * i : end - step * (steps - 1 - i));
  return new Tensor(data, [steps], dtype);
}

export function eye(n: number, m = n, dtype: DType = defaultFloatDType): Tensor {
  const data = allocate(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return new Tensor(data, [n, m], dtype);
}

function randomTensor(shape: Shape, dtype: DType, draw: () => number, name: string): Tensor {
  checkShape(shape);
  if (!isFloatingPoint(dtype)) {
    throw new EngineError('RuntimeError', `"${name}" not implemented for '${dtype === 'int64' ? 'Long' : 'Bool'}'`);
  }
  const data = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = draw();
  return new Tensor(data, shape, dtype);
}

export const rand = (shape: Shape, dtype: DType = defaultFloatDType) =>
  randomTensor(shape, dtype, () => (dtype === 'float32' ? generator.uniformFloat32() : generator.uniform()), 'check_uniform_bounds');
export const randn = (shape: Shape, dtype: DType = defaultFloatDType) => randomTensor(shape, dtype, () => generator.normal(), 'normal_kernel_cpu');

export function randint(low: number, high: number, shape: Shape, dtype: DType = 'int64'): Tensor {
  checkShape(shape);
  if (high <= low) throw new EngineError('RuntimeError', `random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  const data = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = generator.integer(low, high);
  return new Tensor(data, shape, dtype);
}
