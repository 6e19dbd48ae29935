// Runs a TypeScript/JavaScript selection's syntax tree (from @babel/parser). Numeric declarations
// become the inputs; arithmetic on them builds the graph; type annotations are ignored.
import { reportProgress } from '../runtime/progress';
import type * as Babel from '@babel/types';
import { EngineError } from '../../errors';
import { add, div, mul, neg, pow, sub } from '../../ops/arithmetic';
import { type SourceSpan, withSourceSpan } from '../../sourceSpan';
import { tensorFromNested } from '../../tensor/create';
import { Tensor } from '../../tensor/tensor';
import type { StepBudget } from '../runtime/limits';
import { RunRecorder } from '../runtime/runRecorder';
import { describeConstruct, locate, notSupported } from '../runtime/locate';
import { createGlobals } from './builtins';
import { JsArray, JsFunction, JsNamespace, type JsValue, jsTypeOf } from './values';

const spanOf = (node: Babel.Node): SourceSpan => ({ from: node.start ?? 0, to: node.end ?? 0 });

/** Declarations and expressions that only exist for the type checker. */
const typeOnlyStatements = new Set(['TSTypeAliasDeclaration', 'TSInterfaceDeclaration', 'TSDeclareFunction', 'EmptyStatement']);

const tensorArithmetic: ReadonlyMap<string, (a: Tensor | number, b: Tensor | number) => Tensor> = new Map([
  ['+', add],
  ['-', sub],
  ['*', mul],
  ['/', div],
  ['**', pow],
]);

export class TypeScriptInterpreter {
  readonly recorder = new RunRecorder<JsValue>();
  /** Numeric literals declared as variables: the values the result is differentiated by. */
  readonly inputs: Tensor[] = [];
  /** The value of the last expression statement: the selection's result. */
  result: JsValue;
  private readonly scope = new Map<string, JsValue>();
  private readonly globals: ReadonlyMap<string, JsValue>;

  constructor(private readonly budget: StepBudget) {
    this.globals = createGlobals((text, span) => this.recorder.print(text, span));
  }

  executeProgram(program: Babel.Program): void {
    for (const statement of program.body) this.statement(statement);
  }

  private located<T>(node: Babel.Node, evaluate: () => T): T {
    try {
      return evaluate();
    } catch (error) {
      throw locate(error, spanOf(node));
    }
  }

  private statement(node: Babel.Statement): void {
    if (typeOnlyStatements.has(node.type)) return;
    this.located(node, () => {
      this.budget.tick();
      reportProgress(spanOf(node));
      switch (node.type) {
        case 'VariableDeclaration':
          return node.declarations.forEach((declarator) => this.declare(declarator, node));
        case 'ExpressionStatement': {
          const value = this.expression(node.expression);
          this.result = value;
          if (value !== undefined) this.record('', node, value);
          return;
        }
        default:
          throw notSupported(describeConstruct(node.type));
      }
    });
  }

  private declare(declarator: Babel.VariableDeclarator, declaration: Babel.VariableDeclaration): void {
    if (declarator.id.type !== 'Identifier') throw notSupported('destructuring declarations');
    const name = declarator.id.name;
    if (this.scope.has(name)) throw new EngineError('SyntaxError', `Identifier '${name}' has already been declared`);
    const value = withSourceSpan(spanOf(declarator), () => this.inputValue(declarator.init) ?? this.expression(declarator.init));
    this.scope.set(name, value);
    this.record(name, declaration, value);
  }

  /** `2`, `-1.5` or `[1, 2]` as an initializer: an input tensor (float64, as JS numbers are). */
  private inputValue(init: Babel.Expression | null | undefined): Tensor | undefined {
    const literal = (node: Babel.Node): number | undefined => {
      if (node.type === 'NumericLiteral') return node.value;
      if (node.type === 'UnaryExpression' && node.operator === '-' && node.argument.type === 'NumericLiteral') return -node.argument.value;
      return undefined;
    };
    if (!init) return undefined;
    const scalar = literal(init);
    let input: Tensor | undefined;
    if (scalar !== undefined) {
      input = tensorFromNested({ value: scalar, kind: 'float' }, 'float64');
    } else if (init.type === 'ArrayExpression' && init.elements.length > 0) {
      const values = init.elements.map((element) => (element ? literal(element) : undefined));
      if (values.some((value) => value === undefined)) return undefined;
      input = tensorFromNested(values.map((value) => ({ value: value as number, kind: 'float' as const })), 'float64');
    }
    if (input) this.inputs.push(input.setRequiresGrad(true));
    return input;
  }

  private record(name: string, statement: Babel.Node, value: JsValue): void {
    this.recorder.assign(name, spanOf(statement), value);
  }

  private expression(node: Babel.Expression | Babel.Node | null | undefined): JsValue {
    if (!node) return undefined;
    return this.located(node, () => {
      switch (node.type) {
        case 'NumericLiteral':
          return node.value;
        case 'StringLiteral':
          return node.value;
        case 'BooleanLiteral':
          return node.value;
        case 'NullLiteral':
          return null;
        case 'Identifier':
          return this.lookup(node.name);
        case 'ParenthesizedExpression':
        case 'TSAsExpression':
        case 'TSSatisfiesExpression':
        case 'TSNonNullExpression':
        case 'TSTypeAssertion':
          return this.expression(node.expression);
        case 'ArrayExpression':
          return new JsArray(node.elements.map((element) => this.expression(element)));
        case 'UnaryExpression':
          return this.unary(node);
        case 'BinaryExpression':
          return this.binary(node);
        case 'MemberExpression':
          return this.member(node);
        case 'CallExpression':
          return this.call(node);
        default:
          throw notSupported(describeConstruct(node.type));
      }
    });
  }

  private lookup(name: string): JsValue {
    if (this.scope.has(name)) return this.scope.get(name);
    if (this.globals.has(name)) return this.globals.get(name);
    throw new EngineError('ReferenceError', `${name} is not defined`);
  }

  private unary(node: Babel.UnaryExpression): JsValue {
    const operand = this.expression(node.argument);
    switch (node.operator) {
      case '-':
        return operand instanceof Tensor ? withSourceSpan(spanOf(node), () => neg(operand)) : -toNumber(operand);
      case '+':
        return operand instanceof Tensor ? operand : toNumber(operand);
      case '!':
        return !truthy(operand);
      case 'typeof':
        return jsTypeOf(operand);
      default:
        throw notSupported(`the ${node.operator} operator`);
    }
  }

  private binary(node: Babel.BinaryExpression): JsValue {
    if (node.left.type === 'PrivateName') throw notSupported('private names');
    const left = this.expression(node.left);
    const right = this.expression(node.right);
    if (left instanceof Tensor || right instanceof Tensor) {
      const op = tensorArithmetic.get(node.operator);
      if (!op) throw notSupported(`the ${node.operator} operator on differentiated values`);
      return withSourceSpan(spanOf(node), () => op(tensorOperand(left), tensorOperand(right)));
    }
    return plainBinary(node.operator, left, right);
  }

  private member(node: Babel.MemberExpression): JsValue {
    const object = this.expression(node.object);
    const key = node.computed ? this.expression(node.property) : node.property.type === 'Identifier' ? node.property.name : undefined;
    if (object instanceof JsNamespace && typeof key === 'string' && object.members.has(key)) return object.members.get(key);
    if (object instanceof JsArray) {
      if (key === 'length') return object.items.length;
      if (typeof key === 'number' && Number.isInteger(key) && key >= 0) return object.items[key];
    }
    if (object === undefined || object === null) {
      throw new EngineError('TypeError', `Cannot read properties of ${String(object)} (reading '${String(key)}')`);
    }
    // Only the members listed above exist: prototypes and host objects stay out of reach.
    return undefined;
  }

  private call(node: Babel.CallExpression): JsValue {
    this.budget.tick();
    const callee = this.expression(node.callee);
    const args = node.arguments.map((argument) => {
      if (argument.type === 'SpreadElement') throw notSupported('spread arguments');
      return this.expression(argument);
    });
    if (!(callee instanceof JsFunction)) {
      const name = node.callee.type === 'Identifier' ? node.callee.name : 'expression';
      throw new EngineError('TypeError', `${name} is not a function`);
    }
    return withSourceSpan(spanOf(node), () => callee.call(args, spanOf(node)));
  }
}

function tensorOperand(value: JsValue): Tensor | number {
  return value instanceof Tensor ? value : toNumber(value);
}

function toNumber(value: JsValue): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === null) return 0;
  if (typeof value === 'string') return value.trim() === '' ? 0 : Number(value);
  if (value instanceof Tensor) return value.item();
  return NaN;
}

function truthy(value: JsValue): boolean {
  if (value instanceof Tensor) return value.item() !== 0;
  if (value instanceof JsArray || value instanceof JsFunction || value instanceof JsNamespace) return true;
  return Boolean(value);
}

function plainBinary(operator: Babel.BinaryExpression['operator'], left: JsValue, right: JsValue): JsValue {
  if (operator === '+' && (typeof left === 'string' || typeof right === 'string')) {
    return `${typeof left === 'string' ? left : String(toNumber(left))}${typeof right === 'string' ? right : String(toNumber(right))}`;
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
    case '===':
    case '==':
      return left === right || (typeof left === 'number' && typeof right === 'number' && a === b);
    case '!==':
    case '!=':
      return !(left === right || (typeof left === 'number' && typeof right === 'number' && a === b));
    default:
      throw notSupported(`the ${operator} operator`);
  }
}
