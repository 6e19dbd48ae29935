// JavaScript's operators, on numbers as JavaScript computes them and on tensors (the numbers that
// are differentiated) through the engine's ops, with JavaScript's meaning: `%` keeps the sign of the
// dividend, comparisons of one-element tensors compare their values.
import { EngineError } from '../../errors';
import { withGradMode } from '../../autograd/gradMode';
import { add, div, floorDivide, mul, neg, pow, sub } from '../../ops/arithmetic';
import { abs, sign } from '../../ops/unaryMath';
import { Tensor } from '../../tensor/tensor';
import { JsArray, JsFunction, JsNamespace, JsObject, type JsValue } from './values';

const tensorArithmetic: ReadonlyMap<string, (a: Tensor | number, b: Tensor | number) => Tensor> = new Map([
  ['+', add],
  ['-', sub],
  ['*', mul],
  ['/', div],
  ['**', pow],
  ['%', remainder],
]);

/** a % b with the sign of a, as JavaScript: a - b·trunc(a/b), the quotient held constant. */
function remainder(a: Tensor | number, b: Tensor | number): Tensor {
  const truncated = withGradMode(false, () => {
    const quotient = div(a, b);
    return mul(sign(quotient), floorDivide(abs(quotient), 1));
  });
  return sub(a, mul(b, truncated));
}

export function toNumber(value: JsValue): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === null) return 0;
  if (typeof value === 'string') return value.trim() === '' ? 0 : Number(value);
  if (value instanceof Tensor && value.numel === 1) return value.item();
  return NaN;
}

export function truthy(value: JsValue): boolean {
  if (value instanceof Tensor) {
    if (value.numel !== 1) return true;
    const item = value.item();
    return item !== 0 && !Number.isNaN(item);
  }
  if (value instanceof JsArray || value instanceof JsFunction || value instanceof JsNamespace || value instanceof JsObject) return true;
  return Boolean(value);
}

/** String(value) for `+` with a string and template literals. */
export function toText(value: JsValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof Tensor) return value.numel === 1 ? String(value.item()) : Array.from(value.data).join(',');
  if (value instanceof JsArray) return value.items.map((item) => (item === undefined || item === null ? '' : toText(item))).join(',');
  if (value instanceof JsObject) return '[object Object]';
  if (value instanceof JsFunction) return `function ${value.name}() { [native code] }`;
  if (value instanceof JsNamespace) return `[object ${value.name}]`;
  return String(value);
}

function tensorOperand(value: JsValue, operator: string): Tensor | number {
  if (value instanceof Tensor) return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return toNumber(value);
  throw new EngineError('TypeError', `the ${operator} operator on a differentiated number and ${value === undefined ? 'undefined' : typeof value === 'string' ? 'a string' : 'an object'} is not supported`);
}

/** JavaScript's loose and strict equality, with tensors compared by value as the numbers they are. */
function equal(left: JsValue, right: JsValue, strict: boolean): boolean {
  const scalar = (v: JsValue) => (v instanceof Tensor && v.numel === 1 ? v.item() : v);
  const a = scalar(left);
  const b = scalar(right);
  if (a === b) return true;
  if (strict) return false;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (a === null || a === undefined || b === null || b === undefined) return false;
  const primitive = (v: JsValue) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
  if (primitive(a) && primitive(b)) return toNumber(a) === toNumber(b);
  return false;
}

export function binary(operator: string, left: JsValue, right: JsValue): JsValue {
  switch (operator) {
    case '===':
      return equal(left, right, true);
    case '!==':
      return !equal(left, right, true);
    case '==':
      return equal(left, right, false);
    case '!=':
      return !equal(left, right, false);
  }
  if (operator === '+' && (typeof left === 'string' || typeof right === 'string' || left instanceof JsArray || right instanceof JsArray || left instanceof JsObject || right instanceof JsObject)) {
    return toText(left) + toText(right);
  }
  if (left instanceof Tensor || right instanceof Tensor) {
    const op = tensorArithmetic.get(operator);
    if (op) return op(tensorOperand(left, operator), tensorOperand(right, operator));
  }
  const a = toNumber(left);
  const b = toNumber(right);
  switch (operator) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
    case '**':
      return a ** b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '&':
      return a & b;
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '<<':
      return a << b;
    case '>>':
      return a >> b;
    case '>>>':
      return a >>> b;
    default:
      throw new EngineError('NotImplementedError', `the ${operator} operator is not supported yet`);
  }
}

export function unary(operator: string, operand: JsValue): JsValue {
  switch (operator) {
    case '-':
      return operand instanceof Tensor ? neg(operand) : -toNumber(operand);
    case '+':
      return operand instanceof Tensor ? operand : toNumber(operand);
    case '!':
      return !truthy(operand);
    case '~':
      return ~toNumber(operand);
    case 'void':
      return undefined;
    default:
      throw new EngineError('NotImplementedError', `the ${operator} operator is not supported yet`);
  }
}
