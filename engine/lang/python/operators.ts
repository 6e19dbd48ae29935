// Python's arithmetic operators: numbers with Python's semantics, tensors through the engine's ops.
import { EngineError } from '../../errors';
import { add, div, floorDivide, mul, neg, pow, remainder, sub } from '../../ops/arithmetic';
import * as comparison from '../../ops/comparison';
import { matmul } from '../../ops/linalg';
import { wrappedNumber } from '../../tensor/create';
import { Tensor } from '../../tensor/tensor';
import { PyDict, PySet } from './collections';
import { truthy } from './convert';
import { percentFormat } from './formatting';
import { PyList, PyObject, PyTuple, type PyValue, notImplemented, typeError, typeName } from './values';

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '@';

/** A Python number (or tensor) as an op operand: numbers become wrapped numbers of their kind. */
export function tensorOperand(value: PyValue): Tensor | undefined {
  if (value instanceof Tensor) return value;
  if (typeof value === 'bigint') return wrappedNumber(Number(value), 'int');
  if (typeof value === 'number') return wrappedNumber(value, 'float');
  if (typeof value === 'boolean') return wrappedNumber(value ? 1 : 0, 'bool');
  return undefined;
}

const tensorOperators: Record<ArithmeticOperator, (a: Tensor, b: Tensor) => Tensor> = {
  '+': add,
  '-': sub,
  '*': mul,
  '/': div,
  '**': pow,
  '//': floorDivide,
  '%': remainder,
  '@': matmul,
};

function unsupported(operator: string, left: PyValue, right: PyValue): EngineError {
  return typeError(`unsupported operand type(s) for ${operator}: '${typeName(left)}' and '${typeName(right)}'`);
}

/** The special methods of each operator: the method, and its reflected form the right operand tries. */
const specialMethods: Record<ArithmeticOperator | BitOperator, readonly [string, string]> = {
  '+': ['__add__', '__radd__'],
  '-': ['__sub__', '__rsub__'],
  '*': ['__mul__', '__rmul__'],
  '/': ['__truediv__', '__rtruediv__'],
  '//': ['__floordiv__', '__rfloordiv__'],
  '%': ['__mod__', '__rmod__'],
  '**': ['__pow__', '__rpow__'],
  '@': ['__matmul__', '__rmatmul__'],
  '&': ['__and__', '__rand__'],
  '|': ['__or__', '__ror__'],
  '^': ['__xor__', '__rxor__'],
  '<<': ['__lshift__', '__rlshift__'],
  '>>': ['__rshift__', '__rrshift__'],
};

const definesSpecials = (value: PyValue): value is PyObject => value instanceof PyObject && value.callSpecial !== undefined;

/**
 * A script's own classes take part in an operator through their special methods, as in Python:
 * the left operand's method first, then the right's reflected one; NotImplemented passes the turn.
 * Undefined when neither operand is such an object.
 */
function specialOperation(operator: ArithmeticOperator | BitOperator, left: PyValue, right: PyValue): PyValue | undefined {
  if (!definesSpecials(left) && !definesSpecials(right)) return undefined;
  const [method, reflected] = specialMethods[operator];
  const forward = definesSpecials(left) ? left.callSpecial?.(method, [right]) : undefined;
  if (forward !== undefined && forward !== notImplemented) return forward;
  const backward = definesSpecials(right) ? right.callSpecial?.(reflected, [left]) : undefined;
  if (backward !== undefined && backward !== notImplemented) return backward;
  throw unsupported(operator, left, right);
}

/** `x op= y` on a script's object: its in-place method (__iadd__…) when it has one, else the operator. */
export function augmentedOperation(operator: ArithmeticOperator | BitOperator, left: PyValue, right: PyValue): PyValue | undefined {
  if (!definesSpecials(left)) return undefined;
  const inPlace = left.callSpecial?.(`__i${specialMethods[operator][0].slice(2)}`, [right]);
  return inPlace !== undefined && inPlace !== notImplemented ? inPlace : undefined;
}

export function binaryOperation(operator: ArithmeticOperator, left: PyValue, right: PyValue): PyValue {
  const special = specialOperation(operator, left, right);
  if (special !== undefined) return special;
  // A Python float goes to + - * / as a number: the op makes it a wrapped number only if it must.
  if (typeof right === 'number' && left instanceof Tensor) {
    if (operator === '+') return add(left, right);
    if (operator === '-') return sub(left, right);
    if (operator === '*') return mul(left, right);
    if (operator === '/') return div(left, right);
  }
  if (left instanceof Tensor || right instanceof Tensor) {
    const a = tensorOperand(left);
    const b = tensorOperand(right);
    if (!a || !b) throw unsupported(operator, left, right);
    // `2 * x` runs Tensor.__rmul__, which is mul(x, 2): the tensor stays the first input of the node.
    if (!(left instanceof Tensor) && (operator === '+' || operator === '*')) return tensorOperators[operator](b, a);
    return tensorOperators[operator](a, b);
  }
  const numbers = numericPair(left, right);
  if (numbers) return numericOperation(operator, numbers[0], numbers[1]);
  if (operator === '%' && typeof left === 'string') return percentFormat(left, right);
  return sequenceOperation(operator, left, right);
}

/** bool counts as int; int stays bigint unless the other side is a float. */
function numericPair(left: PyValue, right: PyValue): [bigint, bigint] | [number, number] | undefined {
  const asInt = (v: PyValue) => (typeof v === 'boolean' ? BigInt(v) : v);
  const a = asInt(left);
  const b = asInt(right);
  if (typeof a === 'bigint' && typeof b === 'bigint') return [a, b];
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return [Number(a), Number(b)];
  return undefined;
}

function numericOperation(operator: ArithmeticOperator, a: bigint | number, b: bigint | number): PyValue {
  if (typeof a === 'bigint' && typeof b === 'bigint') return integerOperation(operator, a, b);
  const x = Number(a);
  const y = Number(b);
  switch (operator) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      if (y === 0) throw new EngineError('ZeroDivisionError', 'float division by zero');
      return x / y;
    case '//':
      if (y === 0) throw new EngineError('ZeroDivisionError', 'float floor division by zero');
      return Math.floor(x / y);
    case '%':
      if (y === 0) throw new EngineError('ZeroDivisionError', 'float modulo');
      return pythonModulo(x, y);
    case '**':
      if (x === 0 && y < 0) throw new EngineError('ZeroDivisionError', '0.0 cannot be raised to a negative power');
      if (x < 0 && !Number.isInteger(y)) throw new EngineError('ValueError', 'complex numbers are not supported');
      return Math.pow(x, y);
    case '@':
      throw typeError("unsupported operand type(s) for @: 'float' and 'float'");
    default:
      return operator satisfies never;
  }
}

function integerOperation(operator: ArithmeticOperator, a: bigint, b: bigint): PyValue {
  switch (operator) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0n) throw new EngineError('ZeroDivisionError', 'division by zero');
      return Number(a) / Number(b);
    case '//': {
      if (b === 0n) throw new EngineError('ZeroDivisionError', 'integer division or modulo by zero');
      const quotient = a / b;
      // bigint division truncates; Python floors.
      return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? quotient - 1n : quotient;
    }
    case '%': {
      if (b === 0n) throw new EngineError('ZeroDivisionError', 'integer division or modulo by zero');
      const remainder = a % b;
      return remainder !== 0n && (remainder < 0n) !== (b < 0n) ? remainder + b : remainder;
    }
    case '**':
      if (b < 0n) {
        if (a === 0n) throw new EngineError('ZeroDivisionError', '0.0 cannot be raised to a negative power');
        return Math.pow(Number(a), Number(b));
      }
      return a ** b;
    case '@':
      throw typeError("unsupported operand type(s) for @: 'int' and 'int'");
    default:
      return operator satisfies never;
  }
}

/** Python's float %: the result takes the sign of the divisor. */
function pythonModulo(x: number, y: number): number {
  const remainder = x % y;
  return remainder !== 0 && remainder < 0 !== y < 0 ? remainder + y : remainder;
}

function sequenceOperation(operator: ArithmeticOperator, left: PyValue, right: PyValue): PyValue {
  const repeatCount = (v: PyValue) => (typeof v === 'bigint' ? Math.max(0, Number(v)) : typeof v === 'boolean' ? Number(v) : undefined);
  if (operator === '+') {
    if (typeof left === 'string' && typeof right === 'string') return left + right;
    if (left instanceof PyList && right instanceof PyList) return new PyList([...left.items, ...right.items]);
    if (left instanceof PyTuple && right instanceof PyTuple && left.typeName === 'tuple') return new PyTuple([...left.items, ...right.items]);
  }
  if (operator === '*') {
    const [sequence, count] = repeatCount(right) !== undefined ? [left, repeatCount(right)] : [right, repeatCount(left)];
    if (count !== undefined) {
      if (typeof sequence === 'string') return sequence.repeat(count);
      if (sequence instanceof PyList) return new PyList(Array.from({ length: count }, () => sequence.items).flat());
      if (sequence instanceof PyTuple) return new PyTuple(Array.from({ length: count }, () => sequence.items).flat());
    }
  }
  throw unsupported(operator, left, right);
}

/** -x, +x and abs(x) on a script's object: its __neg__, __pos__ or __abs__. */
export function unarySpecial(method: '__neg__' | '__pos__' | '__abs__', value: PyValue, symbol: string): PyValue | undefined {
  if (!definesSpecials(value)) return undefined;
  const result = value.callSpecial?.(method, []);
  if (result === undefined) throw typeError(`bad operand type for ${symbol}: '${typeName(value)}'`);
  return result;
}

export function negate(value: PyValue): PyValue {
  const special = unarySpecial('__neg__', value, 'unary -');
  if (special !== undefined) return special;
  if (value instanceof Tensor) return neg(value);
  if (typeof value === 'bigint') return -value;
  if (typeof value === 'boolean') return -BigInt(value);
  if (typeof value === 'number') return -value;
  throw typeError(`bad operand type for unary -: '${typeName(value)}'`);
}

export function plus(value: PyValue): PyValue {
  const special = unarySpecial('__pos__', value, 'unary +');
  if (special !== undefined) return special;
  if (value instanceof Tensor || typeof value === 'bigint' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return BigInt(value);
  throw typeError(`bad operand type for unary +: '${typeName(value)}'`);
}

export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'is' | 'is not' | 'in' | 'not in';

const tensorComparisons: ReadonlyMap<string, (a: Tensor, b: Tensor) => Tensor> = new Map([
  ['==', comparison.eq],
  ['!=', comparison.ne],
  ['<', comparison.lt],
  ['<=', comparison.le],
  ['>', comparison.gt],
  ['>=', comparison.ge],
]);

/** Python's comparisons; on tensors they are elementwise and give bool tensors, as in PyTorch. */
export function compare(operator: ComparisonOperator, left: PyValue, right: PyValue): PyValue {
  switch (operator) {
    case 'is':
      return left === right;
    case 'is not':
      return left !== right;
    case 'in':
    case 'not in': {
      const found = contains(right, left);
      return operator === 'in' ? found : !found;
    }
  }
  const special = specialComparison(operator, left, right);
  if (special !== undefined) return special;
  if (left instanceof Tensor || right instanceof Tensor) {
    const a = tensorOperand(left);
    const b = tensorOperand(right);
    // tensor == None and the like are plain identity comparisons.
    if (!a || !b) {
      if (operator === '==' || operator === '!=') return operator === '!=';
      throw unsupportedComparison(operator, left, right);
    }
    return (tensorComparisons.get(operator) as (a: Tensor, b: Tensor) => Tensor)(a, b);
  }
  if (operator === '==') return equal(left, right);
  if (operator === '!=') return !equal(left, right);
  const ordered = orderable(left, right);
  if (!ordered) throw unsupportedComparison(operator, left, right);
  const [a, b] = ordered;
  switch (operator) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      return operator satisfies never;
  }
}

/** Rich comparison methods, and the one the right operand tries when the left's gives up. */
const comparisonMethods: Record<'==' | '!=' | '<' | '<=' | '>' | '>=', readonly [string, string]> = {
  '==': ['__eq__', '__eq__'],
  '!=': ['__ne__', '__ne__'],
  '<': ['__lt__', '__gt__'],
  '<=': ['__le__', '__ge__'],
  '>': ['__gt__', '__lt__'],
  '>=': ['__ge__', '__le__'],
};

/** A comparison through a script's __eq__, __lt__…; undefined when no method answers (then identity decides == and !=). */
function specialComparison(operator: keyof typeof comparisonMethods, left: PyValue, right: PyValue): PyValue | undefined {
  if (!definesSpecials(left) && !definesSpecials(right)) return undefined;
  const [method, reflected] = comparisonMethods[operator];
  const forward = definesSpecials(left) ? left.callSpecial?.(method, [right]) : undefined;
  if (forward !== undefined && forward !== notImplemented) return forward;
  const backward = definesSpecials(right) ? right.callSpecial?.(reflected, [left]) : undefined;
  if (backward !== undefined && backward !== notImplemented) return backward;
  // Without __ne__, != is the negation of __eq__, as object.__ne__ makes it.
  if (operator === '!=') {
    const equalTo = specialComparison('==', left, right);
    if (equalTo !== undefined) return !truthy(equalTo);
  }
  return undefined;
}

function unsupportedComparison(operator: string, left: PyValue, right: PyValue): EngineError {
  return typeError(`'${operator}' not supported between instances of '${typeName(left)}' and '${typeName(right)}'`);
}

function orderable(left: PyValue, right: PyValue): [number | bigint | string, number | bigint | string] | undefined {
  const numeric = (v: PyValue) => (typeof v === 'boolean' ? BigInt(v) : typeof v === 'bigint' || typeof v === 'number' ? v : undefined);
  const a = numeric(left);
  const b = numeric(right);
  if (a !== undefined && b !== undefined) return [a, b];
  if (typeof left === 'string' && typeof right === 'string') return [left, right];
  return undefined;
}

export function equal(left: PyValue, right: PyValue): boolean {
  const ordered = orderable(left, right);
  // bigint == number compares the values, as Python's 1 == 1.0 does.
  if (ordered) return ordered[0] == ordered[1];
  if ((left instanceof PyList && right instanceof PyList) || (left instanceof PyTuple && right instanceof PyTuple)) {
    return left.items.length === right.items.length && left.items.every((item, i) => equal(item, right.items[i]));
  }
  if (left instanceof PyDict && right instanceof PyDict) {
    return left.size === right.size && left.items().every(([key, value]) => right.has(key) && equal(value, right.get(key) as PyValue));
  }
  if (left instanceof PySet && right instanceof PySet) return left.length() === right.length() && [...left.iterate()].every((item) => right.has(item));
  return left === right;
}

function contains(container: PyValue, item: PyValue): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw typeError(`'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (container instanceof PyList || container instanceof PyTuple) return container.items.some((element) => equal(element, item));
  if (container instanceof PyObject && container.contains) return container.contains(item);
  if (container instanceof Tensor) {
    const probe = tensorOperand(item);
    if (!probe) throw typeError(`unsupported operand type(s) for in: '${typeName(item)}' and 'Tensor'`);
    return comparison.eq(container, probe).data.some(Boolean);
  }
  throw typeError(`argument of type '${typeName(container)}' is not iterable`);
}

export type BitOperator = '&' | '|' | '^' | '<<' | '>>';

/** &, |, ^ on bool tensors are logical ops; on ints, bitwise. */
export function bitOperation(operator: BitOperator, left: PyValue, right: PyValue): PyValue {
  const special = specialOperation(operator, left, right);
  if (special !== undefined) return special;
  if (left instanceof Tensor || right instanceof Tensor) {
    const a = tensorOperand(left);
    const b = tensorOperand(right);
    if (!a || !b || a.dtype !== 'bool' || b.dtype !== 'bool') throw new EngineError('NotImplementedError', `the ${operator} operator is supported on bool tensors only`);
    if (operator === '&') return comparison.logicalAnd(a, b);
    if (operator === '|') return comparison.logicalOr(a, b);
    if (operator === '^') return comparison.ne(a, b);
    throw new EngineError('NotImplementedError', `the ${operator} operator on tensors is not supported yet`);
  }
  const asInt = (v: PyValue) => (typeof v === 'boolean' ? BigInt(v) : v);
  const [a, b] = [asInt(left), asInt(right)];
  if (typeof a !== 'bigint' || typeof b !== 'bigint') throw typeError(`unsupported operand type(s) for ${operator}: '${typeName(left)}' and '${typeName(right)}'`);
  switch (operator) {
    case '&':
      return typeof left === 'boolean' && typeof right === 'boolean' ? left && right : a & b;
    case '|':
      return typeof left === 'boolean' && typeof right === 'boolean' ? left || right : a | b;
    case '^':
      return typeof left === 'boolean' && typeof right === 'boolean' ? left !== right : a ^ b;
    case '<<':
      return a << b;
    case '>>':
      return a >> b;
    default:
      return operator satisfies never;
  }
}

/** ~x: logical not of a bool tensor, bitwise not of an int. */
export function invert(value: PyValue): PyValue {
  if (value instanceof Tensor) {
    if (value.dtype !== 'bool') throw new EngineError('NotImplementedError', '~ is supported on bool tensors only');
    return comparison.logicalNot(value);
  }
  if (typeof value === 'bigint') return ~value;
  if (typeof value === 'boolean') return ~BigInt(value);
  throw typeError(`bad operand type for unary ~: '${typeName(value)}'`);
}
