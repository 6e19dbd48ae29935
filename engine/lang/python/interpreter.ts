// Runs a tensor script's syntax tree (from @lezer/python) statement by statement. Every value an
// expression makes carries that expression's span; every error leaves with the span that raised it.
import type { SyntaxNode } from '@lezer/common';
import { EngineError } from '../../errors';
import { type SourceSpan, withSourceSpan } from '../../sourceSpan';
import { Tensor } from '../../tensor/tensor';
import type { StepBudget } from '../runtime/limits';
import { describeConstruct, locate, notSupported } from '../runtime/locate';
import { RunRecorder } from '../runtime/runRecorder';
import { createBuiltins } from './builtins';
import { truthy } from './convert';
import { numberLiteral, stringLiteral } from './literals';
import { type ModuleImporter, createModuleImporter } from './modules';
import { type ArithmeticOperator, binaryOperation, negate, plus } from './operators';
import type { ScriptSession } from './session';
import { setTensorAttribute, tensorAttribute } from './tensorAttributes';
import { type Kwargs, PyBuiltin, PyList, PyObject, PyTuple, type PyValue, typeError, typeName } from './values';

const spanOf = (node: SyntaxNode): SourceSpan => ({ from: node.from, to: node.to });

/** A node's children that carry meaning: comments and punctuation the grammar keeps are dropped. */
function children(node: SyntaxNode): SyntaxNode[] {
  const result: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.name !== 'Comment') result.push(child);
  }
  return result;
}

const isPunctuation = (node: SyntaxNode) => /^[()[\]{},:;.]$/.test(node.name);

export class PythonInterpreter implements ScriptSession {
  readonly recorder = new RunRecorder<PyValue>();
  private readonly scope = new Map<string, PyValue>();
  private readonly builtins: ReadonlyMap<string, PyValue>;
  private readonly importModule: ModuleImporter = createModuleImporter();
  /** The root of the last backward() call. */
  backwardRoot: Tensor | undefined;

  constructor(
    private readonly source: string,
    private readonly budget: StepBudget,
  ) {
    this.builtins = createBuiltins((text, span) => this.recorder.print(text, span));
  }

  recordBackward(root: Tensor): void {
    this.backwardRoot = root;
  }

  executeScript(script: SyntaxNode): void {
    for (const statement of children(script)) this.statement(statement);
  }

  private text(node: SyntaxNode): string {
    return this.source.slice(node.from, node.to);
  }

  /** Gives an error that has no span yet the span of `node`: the innermost node being evaluated wins. */
  private located<T>(node: SyntaxNode, evaluate: () => T): T {
    try {
      return evaluate();
    } catch (error) {
      throw locate(error, spanOf(node));
    }
  }

  private statement(node: SyntaxNode): void {
    this.located(node, () => {
      this.budget.tick();
      switch (node.name) {
        case 'ExpressionStatement':
          return this.expressionStatement(node);
        case 'AssignStatement':
          return this.assignStatement(node);
        case 'ImportStatement':
          return this.importStatement(node);
        case 'PassStatement':
          return;
        case 'StatementGroup':
          return children(node).filter((child) => child.name !== ';').forEach((child) => this.statement(child));
        default:
          throw notSupported(describeConstruct(node.name));
      }
    });
  }

  private expressionStatement(node: SyntaxNode): void {
    const parts = children(node);
    const value = parts.length === 1 ? this.expression(parts[0]) : this.tuple(parts);
    // A bare expression's value is shown after its line, as a notebook shows a cell's last value.
    if (value !== null) this.recordAssignment('', node, value);
  }

  private assignStatement(node: SyntaxNode): void {
    const groups: SyntaxNode[][] = [[]];
    for (const child of children(node)) {
      if (child.name === 'AssignOp') groups.push([]);
      else if (child.name !== 'TypeDef') groups[groups.length - 1].push(child);
    }
    const valueNodes = groups.pop() as SyntaxNode[];
    if (groups.length === 0) return; // a bare annotation, `x: int`
    const value = this.expressionList(valueNodes);
    for (const targets of groups) this.assign(targets, value, node);
  }

  /** `a`, `a, b` or `(a, b)` / `[a, b]`: one expression, or several separated by commas (a tuple). */
  private expressionList(nodes: readonly SyntaxNode[]): PyValue {
    const items = nodes.filter((n) => n.name !== ',');
    return items.length === 1 && !nodes.some((n) => n.name === ',') ? this.expression(items[0]) : this.tuple(items);
  }

  private tuple(nodes: readonly SyntaxNode[]): PyTuple {
    return new PyTuple(nodes.filter((n) => !isPunctuation(n)).map((n) => this.expression(n)));
  }

  private assign(targets: readonly SyntaxNode[], value: PyValue, statement: SyntaxNode): void {
    const items = targets.filter((n) => n.name !== ',');
    if (items.length === 1 && !targets.some((n) => n.name === ',')) return this.assignTarget(items[0], value, statement);
    this.unpack(items, value, statement);
  }

  private unpack(targets: readonly SyntaxNode[], value: PyValue, statement: SyntaxNode): void {
    if (!(value instanceof PyList || value instanceof PyTuple)) {
      throw typeError(`cannot unpack non-iterable ${typeName(value)} object`);
    }
    if (value.items.length < targets.length) {
      throw new EngineError('ValueError', `not enough values to unpack (expected ${targets.length}, got ${value.items.length})`);
    }
    if (value.items.length > targets.length) throw new EngineError('ValueError', `too many values to unpack (expected ${targets.length})`);
    targets.forEach((target, i) => this.assignTarget(target, value.items[i], statement));
  }

  private assignTarget(target: SyntaxNode, value: PyValue, statement: SyntaxNode): void {
    switch (target.name) {
      case 'VariableName': {
        const name = this.text(target);
        this.scope.set(name, value);
        this.recordAssignment(name, statement, value);
        return;
      }
      case 'TupleExpression':
      case 'ArrayExpression':
        return this.unpack(children(target).filter((n) => !isPunctuation(n)), value, statement);
      case 'ParenthesizedExpression':
        return this.assignTarget(children(target).filter((n) => !isPunctuation(n))[0], value, statement);
      case 'MemberExpression': {
        const [objectNode, accessor, property] = children(target);
        if (accessor.name !== '.' || !property) throw notSupported('assignment to an item');
        const object = this.expression(objectNode);
        if (!(object instanceof Tensor)) throw new EngineError('AttributeError', `'${typeName(object)}' object attribute '${this.text(property)}' is read-only`);
        setTensorAttribute(object, this.text(property), value);
        return;
      }
      default:
        throw new EngineError('SyntaxError', `cannot assign to ${describeConstruct(target.name)}`);
    }
  }

  private recordAssignment(name: string, statement: SyntaxNode, value: PyValue): void {
    this.recorder.assign(name, spanOf(statement), value);
  }

  private importStatement(node: SyntaxNode): void {
    const parts = children(node);
    if (parts[0].name === 'from') {
      const importIndex = parts.findIndex((n) => n.name === 'import');
      const moduleName = parts.slice(1, importIndex).map((n) => this.text(n)).join('');
      const module = this.importModule(moduleName);
      for (const { name, alias } of this.importedNames(parts.slice(importIndex + 1))) {
        const value = module.getAttribute(name);
        if (value === undefined) throw new EngineError('ImportError', `cannot import name '${name}' from '${moduleName}'`);
        this.scope.set(alias ?? name, value);
      }
      return;
    }
    for (const { name, alias } of this.importedNames(parts.slice(1))) {
      const module = this.importModule(name);
      // `import torch.nn as nn` binds the submodule; `import torch.nn` binds `torch`.
      if (alias) this.scope.set(alias, module);
      else this.scope.set(name.split('.')[0], this.importModule(name.split('.')[0]));
    }
  }

  /** `a.b as c, d` → [{name: 'a.b', alias: 'c'}, {name: 'd'}]. */
  private importedNames(nodes: readonly SyntaxNode[]): { name: string; alias?: string }[] {
    const result: { name: string; alias?: string }[] = [];
    let name = '';
    let aliasNext = false;
    for (const node of nodes) {
      if (node.name === '*') throw notSupported('import *');
      if (node.name === 'as') {
        aliasNext = true;
      } else if (node.name === 'VariableName' && aliasNext) {
        result.push({ name, alias: this.text(node) });
        name = '';
        aliasNext = false;
      } else if (node.name === 'VariableName' || node.name === '.') {
        name += this.text(node);
      } else if (node.name === ',' && name) {
        result.push({ name });
        name = '';
      }
    }
    if (name) result.push({ name });
    return result;
  }

  expression(node: SyntaxNode): PyValue {
    return this.located(node, () => {
      switch (node.name) {
        case 'Number':
          return numberLiteral(this.text(node));
        case 'String':
          return stringLiteral(this.text(node));
        case 'ContinuedString':
          return children(node).map((part) => this.expression(part)).join('');
        case 'Boolean':
          return this.text(node) === 'True';
        case 'None':
          return null;
        case 'VariableName':
          return this.lookup(this.text(node));
        case 'ParenthesizedExpression':
          return this.expression(children(node).filter((n) => !isPunctuation(n))[0]);
        case 'TupleExpression':
          return this.tuple(children(node));
        case 'ArrayExpression':
          return new PyList(children(node).filter((n) => !isPunctuation(n)).map((n) => this.expression(n)));
        case 'UnaryExpression':
          return this.unary(node);
        case 'BinaryExpression':
          return this.binary(node);
        case 'MemberExpression':
          return this.member(node);
        case 'CallExpression':
          return this.call(node);
        default:
          throw notSupported(describeConstruct(node.name));
      }
    });
  }

  private lookup(name: string): PyValue {
    const value = this.scope.get(name) ?? this.builtins.get(name);
    if (value === undefined) throw new EngineError('NameError', `name '${name}' is not defined`);
    return value;
  }

  private unary(node: SyntaxNode): PyValue {
    const [operator, operandNode] = children(node);
    const operand = this.expression(operandNode);
    return withSourceSpan(spanOf(node), () => {
      switch (this.text(operator)) {
        case '-':
          return negate(operand);
        case '+':
          return plus(operand);
        case 'not':
          return !truthy(operand);
        default:
          throw notSupported(`the unary ${this.text(operator)} operator`);
      }
    });
  }

  private binary(node: SyntaxNode): PyValue {
    const [leftNode, operatorNode, ...rest] = children(node);
    const operator = rest.length > 1 ? `${this.text(operatorNode)} ${this.text(rest[0])}` : this.text(operatorNode);
    const rightNode = rest[rest.length - 1];
    const left = this.expression(leftNode);
    if (operator === 'and') return truthy(left) ? this.expression(rightNode) : left;
    if (operator === 'or') return truthy(left) ? left : this.expression(rightNode);
    const right = this.expression(rightNode);
    if (operatorNode.name === 'ArithOp') {
      return withSourceSpan(spanOf(node), () => binaryOperation(operator as ArithmeticOperator, left, right));
    }
    return compare(operator, left, right);
  }

  private member(node: SyntaxNode): PyValue {
    const parts = children(node);
    const [objectNode, accessor] = parts;
    // `2.` lexes as the number 2 followed by a dot with nothing after it: it is the float 2.0.
    if (objectNode.name === 'Number' && accessor?.name === '.' && (parts[2] === undefined || parts[2].type.isError)) {
      return Number(this.text(objectNode).replace(/_/g, ''));
    }
    const object = this.expression(objectNode);
    if (accessor.name === '.') return this.attribute(object, this.text(parts[2]));
    return this.subscript(object, parts.slice(2, -1));
  }

  private attribute(object: PyValue, name: string): PyValue {
    const value =
      object instanceof Tensor ? tensorAttribute(object, name, this) : object instanceof PyObject ? object.getAttribute(name) : undefined;
    if (value === undefined) throw new EngineError('AttributeError', `'${typeName(object)}' object has no attribute '${name}'`);
    return value;
  }

  private subscript(object: PyValue, indexNodes: readonly SyntaxNode[]): PyValue {
    if (indexNodes.length !== 1) throw notSupported('slices and multi-dimensional indexing');
    const index = this.expression(indexNodes[0]);
    const items = object instanceof PyList || object instanceof PyTuple ? object.items : typeof object === 'string' ? [...object] : undefined;
    if (!items) throw notSupported(`indexing a ${typeName(object)}`);
    if (typeof index !== 'bigint') throw typeError(`${typeName(object)} indices must be integers or slices, not ${typeName(index)}`);
    const position = index < 0n ? items.length + Number(index) : Number(index);
    if (position < 0 || position >= items.length) throw new EngineError('IndexError', `${typeName(object)} index out of range`);
    return items[position];
  }

  private call(node: SyntaxNode): PyValue {
    this.budget.tick();
    const [calleeNode, argList] = children(node);
    const callee = this.expression(calleeNode);
    const args: PyValue[] = [];
    const kwargs = new Map<string, PyValue>();
    const parts = children(argList).filter((n) => !isPunctuation(n));
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (part.name === 'VariableName' && parts[i + 1]?.name === 'AssignOp') {
        kwargs.set(this.text(part), this.expression(parts[i + 2]));
        i += 2;
      } else if (part.name === '*') {
        const spread = this.expression(parts[++i]);
        if (!(spread instanceof PyList || spread instanceof PyTuple)) throw typeError(`argument after * must be an iterable, not ${typeName(spread)}`);
        args.push(...spread.items);
      } else if (part.name === '**') {
        throw notSupported('** arguments');
      } else {
        args.push(this.expression(part));
      }
    }
    return withSourceSpan(spanOf(node), () => callValue(callee, args, kwargs, spanOf(node)));
  }
}

function callValue(callee: PyValue, args: readonly PyValue[], kwargs: Kwargs, span: SourceSpan): PyValue {
  if (callee instanceof PyBuiltin) return callee.call(args, kwargs, { span });
  throw typeError(`'${typeName(callee)}' object is not callable`);
}

function compare(operator: string, left: PyValue, right: PyValue): PyValue {
  switch (operator) {
    case 'is':
      return left === right;
    case 'is not':
      return left !== right;
    case '==':
      return equal(left, right);
    case '!=':
      return !equal(left, right);
  }
  if (left instanceof Tensor || right instanceof Tensor) throw notSupported(`the ${operator} operator on tensors`);
  const ordered = orderable(left, right);
  if (!ordered) throw typeError(`'${operator}' not supported between instances of '${typeName(left)}' and '${typeName(right)}'`);
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
      throw notSupported(`the ${operator} operator`);
  }
}

function orderable(left: PyValue, right: PyValue): [number | bigint | string, number | bigint | string] | undefined {
  const numeric = (v: PyValue) => (typeof v === 'boolean' ? BigInt(v) : typeof v === 'bigint' || typeof v === 'number' ? v : undefined);
  const a = numeric(left);
  const b = numeric(right);
  if (a !== undefined && b !== undefined) return [a, b];
  if (typeof left === 'string' && typeof right === 'string') return [left, right];
  return undefined;
}

function equal(left: PyValue, right: PyValue): boolean {
  if (left instanceof Tensor || right instanceof Tensor) throw notSupported('== on tensors');
  const ordered = orderable(left, right);
  if (ordered) return ordered[0] == ordered[1];
  if ((left instanceof PyList && right instanceof PyList) || (left instanceof PyTuple && right instanceof PyTuple)) {
    return left.items.length === right.items.length && left.items.every((item, i) => equal(item, right.items[i]));
  }
  return left === right;
}
