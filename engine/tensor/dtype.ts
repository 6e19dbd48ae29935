// The dtypes a tensor can have, their storage, and PyTorch's type promotion between them.
import { checkAllocation } from '../resourceLimits';

export type DType = 'bool' | 'int64' | 'float32' | 'float64';

/** The typed array that holds a dtype's elements. int64 values live in a Float64Array: exact up to 2^53, which covers what scripts index and count with. */
export type ElementArray = Uint8Array | Float32Array | Float64Array;

export const defaultFloatDType: DType = 'float32';

// Promotion order on the dtypes we have: bool < int64 < float32 < float64.
const promotionRank: Record<DType, number> = { bool: 0, int64: 1, float32: 2, float64: 3 };

export function isFloatingPoint(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/** PyTorch's ScalarType names, as its messages print them (`found Float and Double`). */
export const scalarTypeNames: Readonly<Record<DType, string>> = { bool: 'Bool', int64: 'Long', float32: 'Float', float64: 'Double' };

/** The legacy tensor type's name: FloatTensor for float32 (`x.type()`, version errors). */
export const legacyTypeName = (dtype: DType): string => `${scalarTypeNames[dtype]}Tensor`;

/** The C++ element types some of PyTorch's messages print instead (`float != double`). */
export const cppTypeNames: Readonly<Record<DType, string>> = { bool: 'bool', int64: 'long int', float32: 'float', float64: 'double' };

export function dtypeName(dtype: DType): string {
  return `torch.${dtype}`;
}

/** Bytes an element takes in PyTorch (torch.float32.itemsize). */
export function itemSize(dtype: DType): number {
  return dtype === 'bool' ? 1 : dtype === 'float32' ? 4 : 8;
}

export function allocate(dtype: DType, length: number): ElementArray {
  checkAllocation(length, itemSize(dtype));
  switch (dtype) {
    case 'bool':
      return new Uint8Array(length);
    case 'float32':
      return new Float32Array(length);
    case 'int64':
    case 'float64':
      return new Float64Array(length);
    default:
      return dtype satisfies never;
  }
}

/** The value a number becomes when stored in a tensor of this dtype. */
export function castValue(dtype: DType, value: number): number {
  switch (dtype) {
    case 'bool':
      return value !== 0 ? 1 : 0;
    case 'int64':
      return Math.trunc(value);
    case 'float32':
      return Math.fround(value);
    case 'float64':
      return value;
    default:
      return dtype satisfies never;
  }
}

export function promoteTypes(a: DType, b: DType): DType {
  return promotionRank[a] >= promotionRank[b] ? a : b;
}

/** How an operand takes part in promotion (c10's ResultTypeState): dimensioned tensors outrank 0-d ones, which outrank Python numbers. */
export type PromotionOperand = { readonly dtype: DType; readonly ndim: number; readonly isWrappedNumber: boolean };

// A higher tier keeps its dtype unless it is of a lower category (bool < integer < floating) than the lower tier.
function combineCategories(higher: DType | undefined, lower: DType | undefined): DType | undefined {
  if (higher === undefined) return lower;
  if (lower === undefined || isFloatingPoint(higher)) return higher;
  if (higher === 'bool' || isFloatingPoint(lower)) return promoteTypes(higher, lower);
  return higher;
}

/** Two operands of one dtype, both tensors (neither wrapped) or both numbers: their own dtype, the common case. */
export function resultType(operands: readonly PromotionOperand[]): DType {
  return operands.length === 2 ? pairResultType(operands[0], operands[1]) : generalResultType(operands);
}

/** resultType of two operands, without an array (the scalar fast path calls it once per op). */
export function pairResultType(a: PromotionOperand, b: PromotionOperand): DType {
  if (a.isWrappedNumber === b.isWrappedNumber) {
    if (a.dtype === b.dtype) return a.isWrappedNumber && isFloatingPoint(a.dtype) ? defaultFloatDType : a.dtype;
  } else {
    // A number never changes a floating tensor's dtype: `y * 0.5`, the commonest mixed case.
    const tensor = a.isWrappedNumber ? b : a;
    if (isFloatingPoint(tensor.dtype)) return tensor.dtype;
  }
  return generalResultType([a, b]);
}

function generalResultType(operands: readonly PromotionOperand[]): DType {
  let dimensioned: DType | undefined;
  let zeroDim: DType | undefined;
  let wrapped: DType | undefined;
  const join = (acc: DType | undefined, dtype: DType) => (acc === undefined ? dtype : promoteTypes(acc, dtype));
  for (const operand of operands) {
    if (operand.isWrappedNumber) {
      // A Python float counts as the default float dtype, not as float64.
      wrapped = join(wrapped, isFloatingPoint(operand.dtype) ? defaultFloatDType : operand.dtype);
    } else if (operand.ndim === 0) {
      zeroDim = join(zeroDim, operand.dtype);
    } else {
      dimensioned = join(dimensioned, operand.dtype);
    }
  }
  const result = combineCategories(dimensioned, combineCategories(zeroDim, wrapped));
  if (result === undefined) throw new Error('resultType needs at least one operand');
  return result;
}
