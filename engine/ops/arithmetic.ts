// + - * / ** and their relatives, with backward rules after tools/autograd/derivatives.yaml.
import { EngineError } from '../errors';
import { fmaFloat32, fmaFloat64 } from '../backends/cpu/fusedMultiplyAdd';
import { type DType, castValue, isFloatingPoint, resultType } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';
import { apply, applyWithNumber } from './apply';
import { binaryElementwise, binaryForward, unaryOp } from './elementwise';
import type { OpDefinition, ScalarDerivative } from './opDefinition';
import { type Operand, asTensor } from './operands';
import { full, zerosLike } from '../tensor/create';
import { eq, ge, logicalAnd } from './comparison';
import { where } from './selection';
import { log } from './unaryMath';

// The scalar tape's derivatives that read nothing saved.
const passThrough: ScalarDerivative<unknown> = { reads: [], of: ({ g }) => g };
const negated: ScalarDerivative<unknown> = { reads: [], of: ({ g }) => -g };

export const addOp: OpDefinition = {
  name: 'add',
  nodeName: 'AddBackward0',
  ...binaryElementwise((x, y) => x + y, 'same', 'add'),
  // d(a+b) = da + db
  backward: (grad) => [grad, grad],
  scalarBackward: [passThrough, passThrough],
};

export const subOp: OpDefinition = {
  name: 'sub',
  nodeName: 'SubBackward0',
  ...binaryElementwise((x, y) => x - y, 'same', 'sub'),
  // d(a-b) = da - db
  backward: (grad, context) => [grad, context.needsInputGrad(1) ? neg(grad) : null],
  scalarBackward: [passThrough, negated],
};

export type AlphaAttrs = { readonly alpha: number };

/**
 * a + alpha·b (add with alpha ≠ 1): one fused multiply-add in the dtype, alpha cast to it first,
 * as PyTorch's kernel computes it (fmadd in its vector body, a contracted a + alpha*b in its tail).
 * Integers are exact.
 */
function addScaled(x: number, y: number, alpha: number, dtype: DType): number {
  if (dtype === 'float32') return fmaFloat32(y, Math.fround(alpha), x);
  if (dtype === 'float64') return fmaFloat64(y, alpha, x);
  return x + castValue(dtype, alpha) * y;
}

/** add(a, b, alpha=k): one node with alpha an attribute (AddBackward0), not a mul then an add. */
export const addAlphaOp: OpDefinition<AlphaAttrs> = {
  name: 'add',
  nodeName: 'AddBackward0',
  forward: (inputs, { alpha }) => binaryForward((x, y, dtype) => addScaled(x, y, alpha, dtype))(inputs),
  // d(a + kb) = da + k db
  backward: (grad, c) => [c.needsInputGrad(0) ? grad : null, c.needsInputGrad(1) ? mulScalar(grad, c.attrs.alpha) : null],
  describeAttrs: ({ alpha }) => `alpha=${alpha}`,
};

/** sub(a, b, alpha=k) = a - k·b, PyTorch's add with -alpha (SubBackward0). */
export const subAlphaOp: OpDefinition<AlphaAttrs> = {
  name: 'sub',
  nodeName: 'SubBackward0',
  forward: (inputs, { alpha }) => binaryForward((x, y, dtype) => addScaled(x, y, -alpha, dtype))(inputs),
  // d(a - kb) = da - k db
  backward: (grad, c) => [c.needsInputGrad(0) ? grad : null, c.needsInputGrad(1) ? mulScalar(neg(grad), c.attrs.alpha) : null],
  describeAttrs: ({ alpha }) => `alpha=${alpha}`,
};

/** PyTorch's checks on alpha: an integer result takes no fractional alpha, a bool result only a bool one. */
function checkAlpha(a: Tensor, b: Tensor, alpha: number, alphaIsBool: boolean): void {
  const dtype = resultType([a, b]);
  if (dtype === 'bool' && !alphaIsBool) throw new EngineError('RuntimeError', 'Boolean alpha only supported for Boolean results.');
  if (!isFloatingPoint(dtype) && dtype !== 'bool' && !Number.isInteger(alpha)) {
    throw new EngineError('RuntimeError', 'For integral input tensors, argument alpha must not be a floating point number.');
  }
}

/** torch.add(a, b, alpha=k) and torch.sub: alpha 1 is the plain op. */
export function addWithAlpha(a: Tensor, b: Operand, alpha: number, subtract: boolean, alphaIsFloat = !Number.isInteger(alpha)): Tensor {
  if (alpha === 1 && !alphaIsFloat) return subtract ? sub(a, b) : add(a, b);
  const other = asTensor(b);
  checkAlpha(a, other, alphaIsFloat ? 0.5 : alpha, false);
  return apply(subtract ? subAlphaOp : addAlphaOp, [a, other], { alpha });
}

/** `number - tensor`: PyTorch's rsub.Scalar, whose number is an attribute (one input). */
export const rsubOp: OpDefinition<ScalarOperand> = unaryOp<ScalarOperand>({
  name: 'rsub',
  nodeName: 'RsubBackward1',
  kernel: (x, { other }, dtype) => castValue(dtype, other) - x,
  dtype: 'promoted',
  // d(c-a) = -da
  backward: (grad) => neg(grad),
  scalarBackward: negated,
  describeAttrs: ({ other }) => `other=${other}`,
});

export const mulOp: OpDefinition = {
  name: 'mul',
  nodeName: 'MulBackward0',
  ...binaryElementwise((x, y) => x * y, 'same', 'mul'),
  // d(ab) = b da + a db
  backward: (grad, context) => [
    context.needsInputGrad(0) ? mul(grad, context.input(1)) : null,
    context.needsInputGrad(1) ? mul(grad, context.input(0)) : null,
  ],
  scalarBackward: [
    { reads: ['b'], of: ({ g, b, round }) => round(g * b) },
    { reads: ['a'], of: ({ g, a, round }) => round(g * a) },
  ],
};

export const divOp: OpDefinition = {
  name: 'div',
  nodeName: 'DivBackward0',
  // True division: integer inputs give the default float dtype.
  ...binaryElementwise((x, y) => x / y, 'floating', 'div'),
  // d(a/b) = da / b - (a / b) / b db
  backward: (grad, context) => [
    context.needsInputGrad(0) ? div(grad, context.input(1)) : null,
    context.needsInputGrad(1) ? mul(neg(grad), div(div(context.input(0), context.input(1)), context.input(1))) : null,
  ],
  scalarBackward: [
    { reads: ['b'], of: ({ g, b, round }) => round(g / b) },
    { reads: ['a', 'b'], of: ({ g, a, b, round }) => round(-g * round(round(a / b) / b)) },
  ],
};

/**
 * tensor ∘ number as PyTorch's own C++ writes it inside backward formulas (mul.Scalar, add.Scalar,
 * div.Scalar): one input, the number an attribute, so their nodes are MulBackward1 and the like.
 * Scripts' `x * 2` is the Tensor overload instead, with the number wrapped (MulBackward0).
 */
export type ScalarOperand = { readonly other: number; readonly kind: 'int' | 'float' };

export const mulScalarOp = unaryOp<ScalarOperand>({
  name: 'mul',
  nodeName: 'MulBackward1',
  kernel: (x, { other }, dtype) => x * castValue(dtype, other),
  dtype: 'promoted',
  // d(a·c) = c da
  backward: (grad, c) => mulScalar(grad, c.attrs.other),
  describeAttrs: ({ other }) => `other=${other}`,
});

export const addScalarOp = unaryOp<ScalarOperand>({
  name: 'add',
  nodeName: 'AddBackward1',
  kernel: (x, { other }, dtype) => x + castValue(dtype, other),
  dtype: 'promoted',
  backward: (grad) => grad,
  describeAttrs: ({ other }) => `other=${other}`,
});

export const divScalarOp = unaryOp<ScalarOperand>({
  name: 'div',
  nodeName: 'DivBackward1',
  kernel: (x, { other }, dtype) => x / castValue(dtype, other),
  dtype: 'promotedFloating',
  // d(a/c) = da / c
  backward: (grad, c) => divScalar(grad, c.attrs.other),
  describeAttrs: ({ other }) => `other=${other}`,
});

const scalarOperand = (other: number): ScalarOperand => ({ other, kind: Number.isInteger(other) ? 'int' : 'float' });
export const mulScalar = (a: Tensor, other: number): Tensor => apply(mulScalarOp, [a], scalarOperand(other));
export const addScalar = (a: Tensor, other: number): Tensor => apply(addScalarOp, [a], scalarOperand(other));
export const divScalar = (a: Tensor, other: number): Tensor => apply(divScalarOp, [a], scalarOperand(other));
/** number - tensor with the number an attribute (rsub.Scalar), as PyTorch's `1 - x` in C++ becomes. */
export const rsubScalar = (a: Tensor, other: number): Tensor => apply(rsubOp, [a], scalarOperand(other));

export const negOp = unaryOp({
  name: 'neg',
  nodeName: 'NegBackward0',
  kernel: (x) => -x,
  backward: (grad) => neg(grad),
  scalarBackward: negated,
  dtype: 'same',
});

export const reciprocalOp = unaryOp({
  name: 'reciprocal',
  nodeName: 'ReciprocalBackward0',
  kernel: (x) => 1 / x,
  // d(1/a) = -(1/a)² da
  backward: (grad, context) => mul(neg(grad), mul(context.output(), context.output())),
  gradCheckDomain: { min: 0.5, max: 2 },
});

/** Python's % on numbers: the result takes the divisor's sign. */
const pythonRemainder = (x: number, y: number) => {
  const r = x % y;
  return r !== 0 && r < 0 !== y < 0 ? r + y : r;
};

/** Python's % on numbers: the result takes the divisor's sign. */
const remainderKernel = (x: number, y: number, dtype: DType) => (checkIntegerDivisor(y, dtype), pythonRemainder(x, y));

// remainder(a, b) = a - floor(a/b)·b: d/da = 1, d/db = -floor(a/b)
export const remainderOp: OpDefinition = {
  name: 'remainder',
  nodeName: 'RemainderBackward1',
  ...binaryElementwise(remainderKernel),
  backward: (grad, c) => [grad, c.needsInputGrad(1) ? mul(neg(grad), divRounded(c.input(0), c.input(1), 'floor')) : null],
};

/** tensor % number (remainder.Scalar): the number is an attribute. */
export const remainderScalarOp = unaryOp<ScalarOperand>({
  name: 'remainder',
  nodeName: 'RemainderBackward0',
  kernel: (x, { other }, dtype) => remainderKernel(x, castValue(dtype, other), dtype),
  dtype: 'promoted',
  backward: (grad) => grad,
  describeAttrs: ({ other }) => `other=${other}`,
});

/** number % tensor (remainder.Scalar_Tensor): PyTorch defines no derivative, and says so when backward reaches it. */
export const remainderScalarTensorOp: OpDefinition<ScalarOperand> = unaryOp<ScalarOperand>({
  name: 'remainder',
  nodeName: 'NotImplemented',
  nodeQualifiedName: 'torch::autograd::NotImplemented',
  kernel: (x, { other }, dtype) => remainderKernel(castValue(dtype, other), x, dtype),
  dtype: 'promoted',
  backward: () => {
    throw new EngineError('RuntimeError', 'derivative for aten::remainder is not implemented');
  },
  describeAttrs: ({ other }) => `self=${other}`,
});

/** Integer division by zero raises, as PyTorch's integer kernels do. */
function checkIntegerDivisor(y: number, dtype: DType): void {
  if (!isFloatingPoint(dtype) && y === 0) throw new EngineError('RuntimeError', 'ZeroDivisionError');
}

/**
 * floor(a / b) as PyTorch's div_floor computes it for floats (and CPython's float //): from the
 * exact remainder, so that a quotient just below an integer is not rounded up to it.
 */
function floorDivision(x: number, y: number, dtype: DType): number {
  checkIntegerDivisor(y, dtype);
  if (!isFloatingPoint(dtype)) return Math.floor(x / y);
  if (y === 0) return x / y;
  const round = dtype === 'float32' ? Math.fround : (v: number) => v;
  const remainder = x % y;
  let quotient = round(round(x - remainder) / y);
  if (remainder !== 0 && y < 0 !== remainder < 0) quotient = round(quotient - 1);
  if (quotient === 0) return Math.sign(x / y) < 0 || Object.is(x / y, -0) ? -0 : 0;
  const floored = Math.floor(quotient);
  return quotient - floored > 0.5 ? floored + 1 : floored;
}

/** a // b (torch.floor_divide): PyTorch defines no derivative, and says so when backward reaches it. */
export const floorDivideOp: OpDefinition = {
  name: 'floor_divide',
  nodeName: 'NotImplemented',
  nodeQualifiedName: 'torch::autograd::NotImplemented',
  ...binaryElementwise(floorDivision),
  backward: () => {
    throw new EngineError('RuntimeError', 'derivative for aten::floor_divide is not implemented');
  },
};

export type RoundingMode = 'floor' | 'trunc';

/** torch.div(a, b, rounding_mode=…): a step function, whose gradient PyTorch defines as zeros. */
export const divRoundedOp: OpDefinition<{ readonly mode: RoundingMode }> = {
  name: 'div',
  nodeName: 'DivBackward2',
  forward: (inputs, { mode }) =>
    binaryForward(mode === 'floor' ? floorDivision : (x, y, dtype) => (checkIntegerDivisor(y, dtype), Math.trunc(x / y)))(inputs),
  backward: (grad, c) => [c.needsInputGrad(0) ? zerosLike(grad) : null, c.needsInputGrad(1) ? zerosLike(grad) : null],
  describeAttrs: ({ mode }) => `rounding_mode=${mode}`,
};

/** x ** n the way PyTorch's CPU kernel computes it: small exponents are multiplied out in the tensor's dtype. */
function powKernel(x: number, n: number, dtype: DType): number {
  if (!isFloatingPoint(dtype)) return integerPow(x, n);
  const round = dtype === 'float32' ? Math.fround : (v: number) => v;
  switch (n) {
    case 2:
      return x * x;
    case 3:
      return round(x * x) * x;
    case 0.5:
      return Math.sqrt(x);
    case -0.5:
      return 1 / round(Math.sqrt(x));
    case -1:
      return 1 / x;
    case -2:
      return 1 / round(x * x);
    default:
      return Math.pow(x, n);
  }
}

function integerPow(x: number, n: number): number {
  if (n < 0) {
    if (x === 1) return 1;
    if (x === -1) return n % 2 === 0 ? 1 : -1;
    throw new EngineError('RuntimeError', 'Integers to negative integer powers are not allowed.');
  }
  let result = 1;
  for (let i = 0; i < n; i++) result *= x;
  return result;
}

/** tensor ** number (pow.Tensor_Scalar): the exponent is an attribute. */
export const powScalarOp = unaryOp<ScalarOperand>({
  name: 'pow',
  nodeName: 'PowBackward0',
  kernel: (x, { other }, dtype) => powKernel(x, other, dtype),
  dtype: 'promoted',
  // d(aⁿ) = n aⁿ⁻¹ da (pow_backward: zero for n = 0)
  backward: (grad, c) => {
    const { other: exponent } = c.attrs;
    if (exponent === 0) return zerosLike(grad);
    return mul(grad, mulScalar(powScalar(c.input(0), exponent - 1), exponent));
  },
  describeAttrs: ({ other }) => `exponent=${other}`,
});

/** tensor ** tensor. */
export const powOp: OpDefinition = {
  name: 'pow',
  nodeName: 'PowBackward1',
  ...binaryElementwise((x, y, dtype) => (isFloatingPoint(dtype) ? Math.pow(x, y) : integerPow(x, y))),
  // d(a^b) = b a^(b-1) da + a^b ln(a) db, as pow_backward_self/_exponent write them: zero where
  // b = 0 for da, and where a = 0 and b ≥ 0 for db (not 0 · ln 0)
  backward: (grad, context) => {
    const [a, b] = [context.input(0), context.input(1)];
    const zero = full([], 0, grad.dtype);
    return [
      context.needsInputGrad(0) ? where(eq(b, 0), zero, mul(grad, mul(b, pow(a, sub(b, 1))))) : null,
      context.needsInputGrad(1) ? where(logicalAnd(eq(a, 0), ge(b, 0)), zero, mul(grad, mul(context.output(), log(a)))) : null,
    ];
  },
  gradCheckDomain: { min: 0.5, max: 2 },
};

/** number ** tensor (pow.Scalar): the base is an attribute. */
export const powScalarBaseOp = unaryOp<ScalarOperand>({
  name: 'pow',
  nodeName: 'PowBackward2',
  kernel: (x, { other }, dtype) => (isFloatingPoint(dtype) ? Math.pow(castValue(dtype, other), x) : integerPow(other, x)),
  dtype: 'promoted',
  // d(cᵇ) = cᵇ ln(c) db (zero where c = 0 and b ≥ 0, as pow_backward_exponent defines it)
  backward: (grad, c) => {
    const { other: base } = c.attrs;
    const gradient = mul(grad, mulScalar(c.output(), Math.log(base)));
    return base === 0 ? where(ge(c.input(0), 0), 0, gradient) : gradient;
  },
  describeAttrs: ({ other }) => `self=${other}`,
});

export function add(a: Operand, b: Operand): Tensor {
  if (typeof b === 'number' && typeof a !== 'number') return applyWithNumber(addOp, a, b);
  return apply(addOp, [asTensor(a), asTensor(b)], undefined);
}

/** a - b; a number minus a tensor is torch.rsub(tensor, number), as Tensor.__rsub__ does. */
export function sub(a: Operand, b: Operand): Tensor {
  if (typeof b === 'number' && typeof a !== 'number') return applyWithNumber(subOp, a, b);
  const left = asTensor(a);
  const right = asTensor(b);
  if (left.isWrappedNumber && !right.isWrappedNumber) return apply(rsubOp, [right], scalarOf(left));
  return apply(subOp, [left, right], undefined);
}

/** A wrapped number as an attribute: its value, and whether Python wrote it as an int. */
function scalarOf(wrapped: Tensor): ScalarOperand {
  return { other: wrapped.item(), kind: isFloatingPoint(wrapped.dtype) ? 'float' : 'int' };
}

export function mul(a: Operand, b: Operand): Tensor {
  if (typeof b === 'number' && typeof a !== 'number') return applyWithNumber(mulOp, a, b);
  return apply(mulOp, [asTensor(a), asTensor(b)], undefined);
}

/** a / b; a number divided by a tensor is `reciprocal(b) * a`, as torch.Tensor.__rtruediv__ does. */
export function div(a: Operand, b: Operand): Tensor {
  if (typeof b === 'number' && typeof a !== 'number') return applyWithNumber(divOp, a, b);
  const numerator = asTensor(a);
  const denominator = asTensor(b);
  if (numerator.isWrappedNumber && !denominator.isWrappedNumber) return mul(reciprocal(denominator), numerator);
  return apply(divOp, [numerator, denominator], undefined);
}

export function neg(a: Tensor): Tensor {
  return apply(negOp, [a], undefined);
}

export function reciprocal(a: Tensor): Tensor {
  return apply(reciprocalOp, [a], undefined);
}

export function pow(base: Operand, exponent: Operand): Tensor {
  const baseTensor = asTensor(base);
  const exponentTensor = asTensor(exponent);
  if (exponentTensor.isWrappedNumber) return apply(powScalarOp, [baseTensor], scalarOf(exponentTensor));
  if (baseTensor.isWrappedNumber) return apply(powScalarBaseOp, [exponentTensor], scalarOf(baseTensor));
  return apply(powOp, [baseTensor, exponentTensor], undefined);
}

/** tensor ** n with n an attribute, as PyTorch's backward formulas raise powers. */
export const powScalar = (a: Tensor, exponent: number): Tensor => apply(powScalarOp, [a], scalarOperand(exponent));

export function remainder(a: Operand, b: Operand): Tensor {
  const left = asTensor(a);
  const right = asTensor(b);
  if (right.isWrappedNumber && !left.isWrappedNumber) return apply(remainderScalarOp, [left], scalarOf(right));
  if (left.isWrappedNumber && !right.isWrappedNumber) return apply(remainderScalarTensorOp, [right], scalarOf(left));
  return apply(remainderOp, [left, right], undefined);
}
export const floorDivide = (a: Operand, b: Operand): Tensor => apply(floorDivideOp, [asTensor(a), asTensor(b)], undefined);
export const divRounded = (a: Operand, b: Operand, mode: RoundingMode): Tensor => apply(divRoundedOp, [asTensor(a), asTensor(b)], { mode });
