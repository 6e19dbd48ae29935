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
import { type ArithmeticOperator, type BitOperator, type ComparisonOperator, binaryOperation, bitOperation, compare, invert, negate, plus } from './operators';
import type { ScriptSession } from './session';
import { type IndexItem, getItem, indexItem, setItem } from './torch/indexing';
import { setTensorAttribute, tensorAttribute } from './torch/tensorMethods';
import { applyInPlace } from '../../ops/inPlace';
import { type CallSite, type Kwargs, PyContextManager, PyList, PyObject, PyTuple, type PyValue, typeError, typeName } from './values';

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
        case 'UpdateStatement':
          return this.updateStatement(node);
        case 'WithStatement':
          return this.withStatement(node);
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

  /** `x += y`: in place on tensors (as Tensor.__iadd__ is), a new value otherwise. */
  private updateStatement(node: SyntaxNode): void {
    const [target, operatorNode, ...valueNodes] = children(node);
    const operator = this.text(operatorNode).slice(0, -1);
    const value = this.expressionList(valueNodes);
    const current = this.expression(target);
    const combine = (left: PyValue) =>
      withSourceSpan(spanOf(node), () =>
        ['&', '|', '^', '<<', '>>'].includes(operator) ? bitOperation(operator as BitOperator, left, value) : binaryOperation(operator as ArithmeticOperator, left, value),
      );
    if (current instanceof Tensor && operator !== '@') {
      withSourceSpan(spanOf(node), () => applyInPlace(current, (snapshot) => combine(snapshot) as Tensor));
      this.recordUpdate(target, node, current);
      return;
    }
    this.assignTarget(target, combine(current), node);
  }

  /** An in-place update keeps the binding; the statement still shows the value it made. */
  private recordUpdate(target: SyntaxNode, statement: SyntaxNode, value: PyValue): void {
    if (target.name === 'VariableName') this.recordAssignment(this.text(target), statement, value);
  }

  /** `with torch.no_grad():` and the like: enter, run the body, exit even when the body raises. */
  private withStatement(node: SyntaxNode): void {
    const parts = children(node);
    const body = parts.find((part) => part.name === 'Body') as SyntaxNode;
    const managers: { manager: PyContextManager; alias?: SyntaxNode }[] = [];
    for (let i = 1; i < parts.length && parts[i] !== body; i++) {
      if (parts[i].name === ',' ) continue;
      const value = this.expression(parts[i]);
      if (!(value instanceof PyContextManager)) {
        throw typeError(`'${typeName(value)}' object does not support the context manager protocol`);
      }
      const alias = parts[i + 1]?.name === 'as' ? parts[i + 2] : undefined;
      if (alias) i += 2;
      managers.push({ manager: value, ...(alias ? { alias } : {}) });
    }
    const entered: PyContextManager[] = [];
    try {
      for (const { manager, alias } of managers) {
        manager.enter();
        entered.push(manager);
        if (alias) this.assignTarget(alias, manager, node);
      }
      this.block(body);
    } finally {
      for (const manager of entered.reverse()) manager.exit();
    }
  }

  /** The statements of a Body node. */
  private block(body: SyntaxNode): void {
    for (const statement of children(body)) {
      if (statement.name !== ':') this.statement(statement);
    }
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
        const [objectNode, accessor, ...rest] = children(target);
        const object = this.expression(objectNode);
        if (accessor.name === '[') return withSourceSpan(spanOf(statement), () => this.setSubscript(object, rest.slice(0, -1), value));
        const name = this.text(rest[0]);
        if (object instanceof Tensor) return setTensorAttribute(object, name, value);
        if (object instanceof PyObject && object.setAttribute(name, value)) return;
        throw new EngineError('AttributeError', `'${typeName(object)}' object attribute '${name}' is read-only`);
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
        case '~':
          return invert(operand);
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
    return withSourceSpan(spanOf(node), () => {
      if (operatorNode.name === 'ArithOp') return binaryOperation(operator as ArithmeticOperator, left, right);
      if (operatorNode.name === 'BitOp') return bitOperation(operator as BitOperator, left, right);
      return compare(operator as ComparisonOperator, left, right);
    });
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
    return withSourceSpan(spanOf(node), () => this.subscript(object, parts.slice(2, -1)));
  }

  private attribute(object: PyValue, name: string): PyValue {
    const value =
      object instanceof Tensor ? tensorAttribute(object, name, this) : object instanceof PyObject ? object.getAttribute(name) : undefined;
    if (value === undefined) throw new EngineError('AttributeError', `'${typeName(object)}' object has no attribute '${name}'`);
    return value;
  }

  /** The parts between [ and ]: values, and start:stop:step slices. */
  private subscriptParts(nodes: readonly SyntaxNode[]): SubscriptPart[] {
    const groups: SyntaxNode[][] = [[]];
    for (const node of nodes) {
      if (node.name === ',') groups.push([]);
      else groups[groups.length - 1].push(node);
    }
    if (groups.at(-1)?.length === 0) groups.pop();
    const parts = groups.map((group): SubscriptPart => {
      if (!group.some((node) => node.name === ':')) {
        const only = group[0];
        return { kind: 'value', value: only.name === 'Ellipsis' ? ELLIPSIS : this.expression(only) };
      }
      const fields: (PyValue | undefined)[] = [undefined];
      for (const node of group) {
        if (node.name === ':') fields.push(undefined);
        else fields[fields.length - 1] = this.expression(node);
      }
      return { kind: 'slice', start: fields[0], stop: fields[1], step: fields[2] };
    });
    // x[idx] where idx is a tuple: its elements are the indices, as in Python.
    const [first] = parts;
    if (parts.length === 1 && first.kind === 'value' && first.value instanceof PyTuple) return first.value.items.map((value) => ({ kind: 'value', value }));
    return parts;
  }

  private subscript(object: PyValue, indexNodes: readonly SyntaxNode[]): PyValue {
    const parts = this.subscriptParts(indexNodes);
    if (object instanceof Tensor) return getItem(object, parts.map(toIndexItem));
    if (object instanceof PyObject && object.getItem) {
      const [part] = parts;
      if (parts.length !== 1 || part.kind !== 'value' || part.value === ELLIPSIS) throw typeError(`${typeName(object)} indices must be integers`);
      return object.getItem(part.value);
    }
    const items = object instanceof PyList || object instanceof PyTuple ? object.items : typeof object === 'string' ? [...object] : undefined;
    if (!items) throw typeError(`'${typeName(object)}' object is not subscriptable`);
    if (parts.length !== 1) throw typeError(`${typeName(object)} indices must be integers or slices, not tuple`);
    const [part] = parts;
    if (part.kind === 'slice') {
      const selected = sliceItems(items, part);
      return typeof object === 'string' ? selected.join('') : object instanceof PyTuple ? new PyTuple(selected) : new PyList(selected);
    }
    return items[listPosition(object, items.length, part.value)];
  }

  private setSubscript(object: PyValue, indexNodes: readonly SyntaxNode[], value: PyValue): void {
    const parts = this.subscriptParts(indexNodes);
    if (object instanceof Tensor) return setItem(object, parts.map(toIndexItem), value);
    if (object instanceof PyList && parts.length === 1 && parts[0].kind === 'value') {
      object.items[listPosition(object, object.items.length, parts[0].value)] = value;
      return;
    }
    throw typeError(`'${typeName(object)}' object does not support item assignment`);
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
    return withSourceSpan(spanOf(node), () => this.callValue(callee, args, kwargs, spanOf(node)));
  }

  /** Calls a callable value; builtins get a site through which they can call script values back. */
  callValue(callee: PyValue, args: readonly PyValue[], kwargs: Kwargs, span: SourceSpan): PyValue {
    if (!(callee instanceof PyObject) || !callee.invoke) throw typeError(`'${typeName(callee)}' object is not callable`);
    const site: CallSite = { span, call: (inner, innerArgs, innerKwargs) => this.callValue(inner, innerArgs, innerKwargs ?? new Map(), span) };
    return callee.invoke(args, kwargs, site);
  }
}

const ELLIPSIS: unique symbol = Symbol('Ellipsis');

type SubscriptPart =
  | { readonly kind: 'value'; readonly value: PyValue | typeof ELLIPSIS }
  | { readonly kind: 'slice'; readonly start: PyValue | undefined; readonly stop: PyValue | undefined; readonly step: PyValue | undefined };

function sliceBound(value: PyValue | undefined, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Tensor && value.numel === 1 && value.dtype === 'int64') return value.item();
  throw typeError(`slice ${name} must be an integer or None, not ${typeName(value)}`);
}

function toIndexItem(part: SubscriptPart): IndexItem {
  if (part.kind === 'slice') {
    const [start, stop, step] = [sliceBound(part.start, 'indices'), sliceBound(part.stop, 'indices'), sliceBound(part.step, 'step')];
    return { kind: 'slice', ...(start !== undefined ? { start } : {}), ...(stop !== undefined ? { stop } : {}), ...(step !== undefined ? { step } : {}) };
  }
  return part.value === ELLIPSIS ? { kind: 'ellipsis' } : indexItem(part.value);
}

/** Python's list slicing, negative steps included. */
function sliceItems<T>(items: readonly T[], part: Extract<SubscriptPart, { kind: 'slice' }>): T[] {
  const length = items.length;
  const step = sliceBound(part.step, 'step') ?? 1;
  if (step === 0) throw new EngineError('ValueError', 'slice step cannot be zero');
  const clampBound = (value: number | undefined, fallback: number, low: number, high: number) => {
    if (value === undefined) return fallback;
    const resolved = value < 0 ? value + length : value;
    return Math.min(Math.max(resolved, low), high);
  };
  const result: T[] = [];
  if (step > 0) {
    const start = clampBound(sliceBound(part.start, 'indices'), 0, 0, length);
    const stop = clampBound(sliceBound(part.stop, 'indices'), length, 0, length);
    for (let i = start; i < stop; i += step) result.push(items[i]);
  } else {
    const start = clampBound(sliceBound(part.start, 'indices'), length - 1, -1, length - 1);
    const stop = clampBound(sliceBound(part.stop, 'indices'), -1, -1, length - 1);
    for (let i = start; i > stop; i += step) result.push(items[i]);
  }
  return result;
}

function listPosition(object: PyValue, length: number, index: PyValue | typeof ELLIPSIS): number {
  const value = index === ELLIPSIS ? undefined : index instanceof Tensor && index.numel === 1 && index.dtype === 'int64' ? BigInt(index.item()) : index;
  if (typeof value !== 'bigint' && typeof value !== 'boolean') {
    throw typeError(`${typeName(object)} indices must be integers or slices, not ${typeName(value === undefined ? null : value)}`);
  }
  const number = Number(value);
  const position = number < 0 ? length + number : number;
  if (position < 0 || position >= length) throw new EngineError('IndexError', `${typeName(object)} index out of range`);
  return position;
}
