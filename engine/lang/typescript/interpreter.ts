// Runs a TypeScript/JavaScript selection's syntax tree (from @babel/parser): statements, functions
// and closures, loops, arrays and objects, with numbers that are inputs (and everything computed
// from them) held as tensors, so that the result's gradient can be taken. Type annotations and
// type-only declarations are ignored.
import type * as Babel from '@babel/types';
import { EngineError } from '../../errors';
import { select } from '../../ops/views';
import { type SourceSpan, setSourceSpan } from '../../sourceSpan';
import { Tensor } from '../../tensor/tensor';
import type { StepBudget } from '../runtime/limits';
import { describeConstruct, locate, notSupported } from '../runtime/locate';
import { reportProgress } from '../runtime/progress';
import type { RunRecorder } from '../runtime/runRecorder';
import { binary, toText, truthy, unary } from './operators';
import { arrayMethod, toArrayValue } from './arrays';
import { errorConstructors } from './builtins';
import { checkMember, refusedImport } from './sandbox';
import { Scope } from './scope';
import { JsArray, JsFunction, JsNamespace, JsObject, type JsValue } from './values';

export const spanOf = (node: Babel.Node): SourceSpan => ({ from: node.start ?? 0, to: node.end ?? 0 });

/** Declarations and statements that only exist for the type checker. */
const typeOnly = new Set(['TSTypeAliasDeclaration', 'TSInterfaceDeclaration', 'TSDeclareFunction', 'TSModuleDeclaration', 'EmptyStatement']);

/** Wrappers that only tell the type checker something: `x as number`, `x!`, `<number>x`. */
const typeWrappers = new Set(['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion', 'TSInstantiationExpression', 'ParenthesizedExpression']);

type Completion = undefined | { readonly kind: 'break' | 'continue'; readonly label?: string } | { readonly kind: 'return'; readonly value: JsValue };

const BREAK: Completion = { kind: 'break' };
const CONTINUE: Completion = { kind: 'continue' };

export type InterpreterHost = {
  readonly recorder: RunRecorder<JsValue>;
  readonly budget: StepBudget;
  readonly maxCallDepth: number;
  /** The input tensor a declaration's initializer stands for, when it is one (`const x = 2`). */
  readonly inputFor: (initializer: Babel.Node) => Tensor | undefined;
};

export class Interpreter {
  private callDepth = 0;
  /** The value of the last expression statement at the top level: the selection's result. */
  result: JsValue;
  hasResult = false;

  constructor(
    private readonly host: InterpreterHost,
    readonly globals: Scope,
  ) {}

  runProgram(program: Babel.Program): void {
    const completion = this.block(program.body, this.globals, true);
    if (completion?.kind === 'return') {
      this.result = completion.value;
      this.hasResult = true;
    }
  }

  private located<T>(node: Babel.Node, evaluate: () => T): T {
    try {
      return evaluate();
    } catch (error) {
      throw locate(error, spanOf(node));
    }
  }

  private record(name: string, node: Babel.Node, value: JsValue): void {
    this.host.recorder.assign(name, spanOf(node), value);
  }

  /** Runs statements in a scope, function declarations hoisted first, as JavaScript does. */
  private block(statements: readonly Babel.Statement[], scope: Scope, topLevel = false): Completion {
    for (const statement of statements) {
      if (statement.type === 'FunctionDeclaration' && statement.id) scope.declareVar(statement.id.name, this.makeFunction(statement, scope));
    }
    for (const statement of statements) {
      const completion = this.statement(statement, scope, topLevel);
      if (completion) return completion;
    }
    return undefined;
  }

  private statement(node: Babel.Statement, scope: Scope, topLevel = false): Completion {
    if (typeOnly.has(node.type)) return undefined;
    return this.located(node, () => {
      this.host.budget.tick();
      reportProgress(spanOf(node));
      switch (node.type) {
        case 'ExpressionStatement': {
          const value = this.expression(node.expression, scope);
          if (topLevel) {
            this.result = value;
            this.hasResult = true;
          }
          // `s = s + x` shows the new s; other expressions show their value, as a REPL does.
          const target = node.expression.type === 'AssignmentExpression' && node.expression.left.type === 'Identifier' ? node.expression.left.name : '';
          if (value !== undefined) this.record(target, node, value);
          return undefined;
        }
        case 'VariableDeclaration':
          for (const declarator of node.declarations) this.declare(declarator, node, scope);
          return undefined;
        case 'FunctionDeclaration':
          return undefined;
        case 'ExportNamedDeclaration':
          return node.declaration ? this.statement(node.declaration, scope, topLevel) : undefined;
        case 'ReturnStatement':
          return { kind: 'return', value: node.argument ? this.expression(node.argument, scope) : undefined };
        case 'IfStatement':
          if (truthy(this.expression(node.test, scope))) return this.statement(node.consequent, scope);
          return node.alternate ? this.statement(node.alternate, scope) : undefined;
        case 'BlockStatement':
          return this.block(node.body, new Scope(scope));
        case 'ForStatement':
          return this.forStatement(node, scope);
        case 'ForOfStatement':
          return this.forOf(node, scope);
        case 'WhileStatement':
          while (truthy(this.expression(node.test, scope))) {
            this.host.budget.tick();
            const completion = this.statement(node.body, scope);
            if (completion === BREAK) break;
            if (completion && completion !== CONTINUE) return completion;
          }
          return undefined;
        case 'DoWhileStatement':
          do {
            this.host.budget.tick();
            const completion = this.statement(node.body, scope);
            if (completion === BREAK) break;
            if (completion && completion !== CONTINUE) return completion;
          } while (truthy(this.expression(node.test, scope)));
          return undefined;
        case 'BreakStatement':
        case 'ContinueStatement':
          if (node.label) throw notSupported('labelled break and continue');
          return node.type === 'BreakStatement' ? BREAK : CONTINUE;
        case 'ThrowStatement': {
          const value = this.expression(node.argument, scope);
          const message = value instanceof JsObject ? toText(value.properties.get('message')) : toText(value);
          throw new EngineError(value instanceof JsObject ? toText(value.properties.get('name') ?? 'Error') : 'Error', message);
        }
        case 'TryStatement':
          return this.tryStatement(node, scope);
        case 'ImportDeclaration':
          if (node.importKind === 'type') return undefined;
          throw refusedImport();
        default:
          throw notSupported(describeConstruct(node.type));
      }
    });
  }

  private declare(declarator: Babel.VariableDeclarator, declaration: Babel.VariableDeclaration, scope: Scope): void {
    const value = declarator.init ? (this.host.inputFor(declarator.init) ?? this.expression(declarator.init, scope)) : undefined;
    this.bindPattern(declarator.id, value, scope, declaration.kind, declaration);
  }

  /** Binds `x`, `[a, b]` or `{ a, b }` to a value, as a declaration of the given kind. */
  private bindPattern(pattern: Babel.LVal | Babel.Node, value: JsValue, scope: Scope, kind: string, recordAt?: Babel.Node): void {
    switch (pattern.type) {
      case 'Identifier':
        if (kind === 'var') scope.declareVar(pattern.name, value);
        else if (kind === 'assign') scope.set(pattern.name, value);
        else scope.declare(pattern.name, value, kind === 'const');
        if (recordAt) this.record(pattern.name, recordAt, value);
        return;
      case 'AssignmentPattern':
        return this.bindPattern(pattern.left, value === undefined ? this.expression(pattern.right, scope) : value, scope, kind, recordAt);
      case 'ArrayPattern': {
        const items = this.itemsOf(value);
        pattern.elements.forEach((element, i) => {
          if (!element) return;
          if (element.type === 'RestElement') this.bindPattern(element.argument, toArrayValue(items.slice(i)), scope, kind, recordAt);
          else this.bindPattern(element, items[i], scope, kind, recordAt);
        });
        return;
      }
      case 'ObjectPattern':
        for (const property of pattern.properties) {
          if (property.type === 'RestElement') throw notSupported('rest properties in destructuring');
          const key = property.key.type === 'Identifier' && !property.computed ? property.key.name : toText(this.expression(property.key as Babel.Expression, scope));
          this.bindPattern(property.value, this.member(value, key), scope, kind, recordAt);
        }
        return;
      default:
        throw notSupported(describeConstruct(pattern.type));
    }
  }

  private forStatement(node: Babel.ForStatement, outer: Scope): Completion {
    const scope = new Scope(outer);
    if (node.init) {
      if (node.init.type === 'VariableDeclaration') this.statement(node.init, scope);
      else this.expression(node.init, scope);
    }
    for (;;) {
      if (node.test && !truthy(this.expression(node.test, scope))) return undefined;
      this.host.budget.tick();
      const completion = this.statement(node.body, new Scope(scope));
      if (completion === BREAK) return undefined;
      if (completion && completion !== CONTINUE) return completion;
      if (node.update) this.expression(node.update, scope);
    }
  }

  private forOf(node: Babel.ForOfStatement, outer: Scope): Completion {
    const items = this.itemsOf(this.expression(node.right, outer));
    for (const item of items) {
      this.host.budget.tick();
      const scope = new Scope(outer);
      if (node.left.type === 'VariableDeclaration') this.bindPattern(node.left.declarations[0].id, item, scope, node.left.kind, node);
      else this.assign(node.left, item, scope);
      const completion = this.statement(node.body, scope);
      if (completion === BREAK) return undefined;
      if (completion && completion !== CONTINUE) return completion;
    }
    return undefined;
  }

  private tryStatement(node: Babel.TryStatement, scope: Scope): Completion {
    let completion: Completion;
    try {
      completion = this.block(node.block.body, new Scope(scope));
    } catch (error) {
      // A limit is not an exception a selection can catch.
      if (!node.handler || !(error instanceof EngineError) || error.type === 'LimitError') throw error;
      const handlerScope = new Scope(scope);
      if (node.handler.param) {
        const caught = new JsObject(new Map<string, JsValue>([['name', error.type], ['message', error.message]]));
        this.bindPattern(node.handler.param, caught, handlerScope, 'let');
      }
      completion = this.block(node.handler.body.body, handlerScope);
    } finally {
      if (node.finalizer) {
        const final = this.block(node.finalizer.body, new Scope(scope));
        if (final) completion = final;
      }
    }
    return completion;
  }

  expression(node: Babel.Expression | Babel.Node, scope: Scope): JsValue {
    return this.located(node, () => {
      switch (node.type) {
        case 'NumericLiteral':
        case 'StringLiteral':
        case 'BooleanLiteral':
          return node.value;
        case 'NullLiteral':
          return null;
        case 'TemplateLiteral':
          return node.quasis.map((quasi, i) => (quasi.value.cooked ?? '') + (i < node.expressions.length ? toText(this.expression(node.expressions[i], scope)) : '')).join('');
        case 'Identifier':
          return scope.get(node.name);
        case 'ArrayExpression':
          return toArrayValue(
            node.elements.flatMap((element) => {
              if (!element) return [undefined];
              if (element.type === 'SpreadElement') return this.itemsOf(this.expression(element.argument, scope));
              return [this.expression(element, scope)];
            }),
          );
        case 'ObjectExpression':
          return this.objectLiteral(node, scope);
        case 'UnaryExpression':
          if (node.operator === 'typeof' && node.argument.type === 'Identifier' && !scope.has(node.argument.name)) return 'undefined';
          if (node.operator === 'typeof') return typeOfValue(this.expression(node.argument, scope));
          if (node.operator === 'delete') throw notSupported('the delete operator');
          return this.withSpan(node, () => unary(node.operator, this.expression(node.argument, scope)));
        case 'BinaryExpression': {
          if (node.left.type === 'PrivateName') throw notSupported('private names');
          if (node.operator === 'in' || node.operator === 'instanceof') throw notSupported(`the ${node.operator} operator`);
          const left = this.expression(node.left, scope);
          const right = this.expression(node.right, scope);
          return this.withSpan(node, () => binary(node.operator, left, right));
        }
        case 'LogicalExpression': {
          const left = this.expression(node.left, scope);
          if (node.operator === '&&') return truthy(left) ? this.expression(node.right, scope) : left;
          if (node.operator === '||') return truthy(left) ? left : this.expression(node.right, scope);
          return left === undefined || left === null ? this.expression(node.right, scope) : left;
        }
        case 'ConditionalExpression':
          return truthy(this.expression(node.test, scope)) ? this.expression(node.consequent, scope) : this.expression(node.alternate, scope);
        case 'AssignmentExpression':
          return this.assignment(node, scope);
        case 'UpdateExpression':
          return this.update(node, scope);
        case 'SequenceExpression':
          return node.expressions.reduce<JsValue>((_, expression) => this.expression(expression, scope), undefined);
        case 'MemberExpression':
        case 'OptionalMemberExpression': {
          const object = this.expression(node.object, scope);
          if (node.type === 'OptionalMemberExpression' && (object === undefined || object === null)) return undefined;
          return this.withSpan(node, () => this.member(object, this.memberKey(node, scope)));
        }
        case 'CallExpression':
        case 'OptionalCallExpression':
          return this.call(node, scope);
        case 'ArrowFunctionExpression':
        case 'FunctionExpression':
          return this.makeFunction(node, scope);
        case 'NewExpression': {
          // Only the error types can be constructed: `throw new Error('…')`.
          const callee = node.callee.type === 'Identifier' ? scope.get(node.callee.name) : undefined;
          if (!(callee instanceof JsFunction) || !errorConstructors.includes(callee.name)) throw notSupported('new, except for errors,');
          return callee.call(node.arguments.map((argument) => this.expression(argument, scope)), spanOf(node));
        }
        default:
          if (typeWrappers.has(node.type)) return this.expression((node as Babel.TSAsExpression).expression, scope);
          throw notSupported(describeConstruct(node.type));
      }
    });
  }

  private withSpan<T>(node: Babel.Node, evaluate: () => T): T {
    setSourceSpan(spanOf(node));
    return evaluate();
  }

  private objectLiteral(node: Babel.ObjectExpression, scope: Scope): JsObject {
    const properties = new Map<string, JsValue>();
    for (const property of node.properties) {
      if (property.type === 'SpreadElement') {
        const source = this.expression(property.argument, scope);
        if (source instanceof JsObject) for (const [key, value] of source.properties) properties.set(key, value);
        continue;
      }
      const key = property.computed ? toText(this.expression(property.key, scope)) : property.key.type === 'Identifier' ? property.key.name : toText(this.expression(property.key, scope));
      checkMember(key);
      properties.set(key, property.type === 'ObjectMethod' ? this.makeFunction(property, scope) : this.expression(property.value, scope));
    }
    return new JsObject(properties);
  }

  private memberKey(node: Babel.MemberExpression | Babel.OptionalMemberExpression, scope: Scope): JsValue {
    if (node.computed) return this.expression(node.property, scope);
    if (node.property.type === 'Identifier') return node.property.name;
    throw notSupported('private names');
  }

  /** `object[key]`: only the members our values have; never a prototype's. */
  member(object: JsValue, key: JsValue): JsValue {
    if (object === undefined || object === null) throw new EngineError('TypeError', `Cannot read properties of ${String(object)} (reading '${toText(key)}')`);
    if (typeof key === 'string') checkMember(key);
    if (object instanceof JsNamespace) return typeof key === 'string' ? object.members.get(key) : undefined;
    if (object instanceof JsObject) return object.properties.get(toText(key));
    if (object instanceof JsArray) {
      if (key === 'length') return object.items.length;
      const index = typeof key === 'number' ? key : key instanceof Tensor && key.numel === 1 ? key.item() : undefined;
      if (index !== undefined) return Number.isInteger(index) && index >= 0 ? object.items[index] : undefined;
      return typeof key === 'string' ? arrayMethod(this, object.items, key, true) : undefined;
    }
    if (object instanceof Tensor && object.ndim > 0) {
      if (key === 'length') return object.shape[0];
      const index = typeof key === 'number' ? key : key instanceof Tensor && key.numel === 1 ? key.item() : undefined;
      if (index !== undefined) return Number.isInteger(index) && index >= 0 && index < object.shape[0] ? select(object, 0, index) : undefined;
      return typeof key === 'string' ? arrayMethod(this, this.itemsOf(object), key, false) : undefined;
    }
    if (typeof object === 'string') {
      if (key === 'length') return object.length;
      if (typeof key === 'number') return object[key];
    }
    return undefined;
  }

  /** The items `for…of`, spreads and array methods visit. */
  itemsOf(value: JsValue): JsValue[] {
    if (value instanceof JsArray) return value.items;
    if (value instanceof Tensor && value.ndim > 0) return Array.from({ length: value.shape[0] }, (_, i) => select(value, 0, i));
    if (typeof value === 'string') return [...value];
    throw new EngineError('TypeError', `${value instanceof Tensor ? 'a number' : toText(value)} is not iterable`);
  }

  private assignment(node: Babel.AssignmentExpression, scope: Scope): JsValue {
    if (node.operator === '=') {
      const value = this.expression(node.right, scope);
      this.assign(node.left, value, scope);
      return value;
    }
    const operator = node.operator.slice(0, -1);
    const current = this.expression(node.left as Babel.Expression, scope);
    if ((operator === '&&' && !truthy(current)) || (operator === '||' && truthy(current)) || (operator === '??' && current !== undefined && current !== null)) return current;
    const right = this.expression(node.right, scope);
    const value = ['&&', '||', '??'].includes(operator) ? right : this.withSpan(node, () => binary(operator, current, right));
    this.assign(node.left, value, scope);
    return value;
  }

  private update(node: Babel.UpdateExpression, scope: Scope): JsValue {
    const current = this.expression(node.argument, scope);
    const next = this.withSpan(node, () => binary(node.operator === '++' ? '+' : '-', current, 1));
    this.assign(node.argument, next, scope);
    return node.prefix ? next : current instanceof Tensor ? current : +(current as number);
  }

  private assign(target: Babel.LVal | Babel.Node, value: JsValue, scope: Scope): void {
    if (target.type === 'Identifier') return scope.set(target.name, value);
    if (target.type === 'MemberExpression') {
      const object = this.expression(target.object, scope);
      const key = this.memberKey(target, scope);
      if (typeof key === 'string') checkMember(key);
      if (object instanceof JsObject) {
        object.properties.set(toText(key), value);
        return;
      }
      if (object instanceof JsArray && typeof key === 'number' && Number.isInteger(key) && key >= 0) {
        object.items[key] = value;
        return;
      }
      if (object instanceof Tensor) throw notSupported('assigning to an element of a differentiated array');
      throw new EngineError('TypeError', `Cannot set properties of ${toText(object)}`);
    }
    if (target.type === 'ArrayPattern' || target.type === 'ObjectPattern') return this.bindPattern(target, value, scope, 'assign');
    throw notSupported(describeConstruct(target.type));
  }

  private call(node: Babel.CallExpression | Babel.OptionalCallExpression, scope: Scope): JsValue {
    if (node.callee.type === 'Import') throw refusedImport();
    if (node.callee.type === 'Super' || node.callee.type === 'V8IntrinsicIdentifier') throw notSupported(describeConstruct(node.callee.type));
    const callee = this.expression(node.callee, scope);
    if (node.type === 'OptionalCallExpression' && (callee === undefined || callee === null)) return undefined;
    const args = node.arguments.flatMap((argument) => {
      if (argument.type === 'SpreadElement') return this.itemsOf(this.expression(argument.argument, scope));
      if (argument.type === 'ArgumentPlaceholder') throw notSupported('argument placeholders');
      return [this.expression(argument, scope)];
    });
    if (!(callee instanceof JsFunction)) {
      const name = node.callee.type === 'Identifier' ? node.callee.name : node.callee.type === 'MemberExpression' && node.callee.property.type === 'Identifier' ? `${describeCallee(node.callee.object)}.${node.callee.property.name}` : 'expression';
      throw new EngineError('TypeError', `${name} is not a function`);
    }
    this.host.budget.tick();
    setSourceSpan(spanOf(node));
    return callee.call(args, spanOf(node));
  }

  /** A function the selection defines: parameters with defaults and rest, its own scope, the recursion limit. */
  makeFunction(node: Babel.FunctionDeclaration | Babel.FunctionExpression | Babel.ArrowFunctionExpression | Babel.ObjectMethod, closure: Scope): JsFunction {
    if (node.async || node.generator) throw notSupported(node.async ? 'async functions' : 'generator functions');
    const name = node.type !== 'ArrowFunctionExpression' && node.type !== 'ObjectMethod' && node.id ? node.id.name : 'anonymous';
    const parameterNames = node.params.flatMap((param) => (param.type === 'Identifier' ? [param.name] : param.type === 'AssignmentPattern' && param.left.type === 'Identifier' ? [param.left.name] : []));
    return new JsFunction(
      name,
      (args) => {
        if (this.callDepth >= this.host.maxCallDepth) {
          throw new EngineError('RangeError', `Maximum call stack size exceeded (the limit is ${this.host.maxCallDepth} nested calls)`);
        }
        this.callDepth++;
        try {
          const scope = new Scope(closure, true);
          node.params.forEach((param, i) => {
            if (param.type === 'RestElement') this.bindPattern(param.argument, toArrayValue(args.slice(i)), scope, 'let');
            else this.bindPattern(param, args[i], scope, 'let');
          });
          if (node.body.type !== 'BlockStatement') return this.expression(node.body, scope);
          const completion = this.block(node.body.body, scope);
          return completion?.kind === 'return' ? completion.value : undefined;
        } finally {
          this.callDepth--;
        }
      },
      parameterNames,
    );
  }

  /** Calls a value the selection made, from a builtin (array methods' callbacks). */
  callFunction(fn: JsValue, args: readonly JsValue[], span: SourceSpan): JsValue {
    if (!(fn instanceof JsFunction)) throw new EngineError('TypeError', `${toText(fn)} is not a function`);
    return fn.call(args, span);
  }
}

function typeOfValue(value: JsValue): string {
  if (value === null) return 'object';
  if (value instanceof Tensor) return 'number';
  if (value instanceof JsFunction) return 'function';
  if (value instanceof JsArray || value instanceof JsObject || value instanceof JsNamespace) return 'object';
  return typeof value;
}

function describeCallee(node: Babel.Node): string {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MemberExpression' && node.property.type === 'Identifier') return `${describeCallee(node.object)}.${node.property.name}`;
  return '(intermediate value)';
}
