// Compiles statements into closures that run in a frame and say how they ended (on, break,
// continue, return). Each statement counts one step of the budget and gives errors without a
// span its own.
import { EngineError } from '../../../errors';
import { applyInPlace } from '../../../ops/inPlace';
import { setSourceSpan, type SourceSpan } from '../../../sourceSpan';
import { Tensor } from '../../../tensor/tensor';
import { describeConstruct, locate, notSupported } from '../../runtime/locate';
import { reportProgress } from '../../runtime/progress';
import { recordSlot } from '../../runtime/runRecorder';
import { truthy } from '../convert';
import { builtinException } from '../exceptions';
import { BREAK, CONTINUE, type Completion, type Evaluate, type Execute, type Frame, NORMAL, RETURN } from '../frame';
import { iterate, itemsOf, PyRange } from '../iteration';
import { type ArithmeticOperator, type BitOperator, augmentedOperation, binaryOperation, bitOperation } from '../operators';
import { PyList, PyTuple, type PyValue } from '../values';
import { compileDecorator } from './calls';
import { compileClassDefinition } from './classDefinitions';
import type { CompileContext } from './context';
import { compileExpression } from './expressions';
import { compileFunctionDefinition } from './functionDefinitions';
import { compileImport } from './imports';
import { type SyntaxNode, children, splitAtCommas } from './syntax';
import { compileDeleteTargets, compileTargets } from './targets';
import { compileRaise, compileTry } from './tryStatements';
import { compileWith } from './withStatements';

/** The statements of a Body node (or of the whole module), in order. */
export function compileBlock(context: CompileContext, body: SyntaxNode | undefined): Execute {
  const statements = body ? children(body).filter((child) => child.name !== ':').map((child) => compileStatement(context, child)) : [];
  return compileSequence(statements);
}

export function compileSequence(statements: readonly Execute[]): Execute {
  if (statements.length === 1) return statements[0];
  return (frame) => {
    for (let i = 0; i < statements.length; i++) {
      const completion = statements[i](frame);
      if (completion !== NORMAL) return completion;
    }
    return NORMAL;
  };
}

export function compileStatement(context: CompileContext, node: SyntaxNode): Execute {
  const run = compileStatementBody(context, node);
  const span = context.span(node);
  const { budget } = context.runtime;
  return (frame) => {
    try {
      budget.tick();
      reportProgress(span);
      return run(frame);
    } catch (error) {
      throw locate(error, span);
    }
  };
}

/** A construct compiled to fail when it runs, so that the statements before it still run. */
function failing(error: EngineError): Execute {
  return () => {
    throw error;
  };
}

function compileStatementBody(context: CompileContext, node: SyntaxNode): Execute {
  try {
    if (node.firstChild?.name === 'async') return failing(notSupported('async functions and statements'));
    switch (node.name) {
      case 'ExpressionStatement':
        return expressionStatement(context, node);
      case 'AssignStatement':
        return assignStatement(context, node);
      case 'UpdateStatement':
        return updateStatement(context, node);
      case 'IfStatement':
        return ifStatement(context, node);
      case 'WhileStatement':
        return whileStatement(context, node);
      case 'ForStatement':
        return forStatement(context, node);
      case 'FunctionDefinition':
        return compileFunctionDefinition(context, node);
      case 'ClassDefinition':
        return compileClassDefinition(context, node);
      case 'DecoratedStatement':
        return decoratedStatement(context, node);
      case 'ReturnStatement':
        return returnStatement(context, node);
      case 'BreakStatement':
      case 'ContinueStatement':
        return loopControl(context, node);
      case 'PassStatement':
      case 'ScopeStatement':
        return () => NORMAL;
      case 'TryStatement':
        return compileTry(context, node);
      case 'RaiseStatement':
        return compileRaise(context, node);
      case 'AssertStatement':
        return assertStatement(context, node);
      case 'DeleteStatement':
        return deleteStatement(context, node);
      case 'ImportStatement':
        return compileImport(context, node);
      case 'WithStatement':
        return compileWith(context, node);
      case 'StatementGroup':
        return compileSequence(children(node).filter((child) => child.name !== ';').map((child) => compileStatement(context, child)));
      default:
        return failing(notSupported(describeConstruct(node.name)));
    }
  } catch (error) {
    // A construct the compiler does not support fails when (and only if) it runs.
    if (error instanceof EngineError && error.type !== 'SyntaxError') return failing(locate(error, context.span(node)));
    throw error;
  }
}

/** `a`, `a, b` or `*a, b`: one expression, or a tuple when there are commas. */
export function compileExpressionList(context: CompileContext, nodes: readonly SyntaxNode[]): Evaluate {
  const groups = splitAtCommas(nodes);
  if (groups.length === 1 && !nodes.some((node) => node.name === ',') && groups[0][0].name !== '*') return compileExpression(context, groups[0][0]);
  const items = groups.map((group) => ({ spread: group[0].name === '*', evaluate: compileExpression(context, group[group.length - 1]) }));
  return (frame) => new PyTuple(items.flatMap((item) => (item.spread ? itemsOf(item.evaluate(frame)) : [item.evaluate(frame)])));
}

function expressionStatement(context: CompileContext, node: SyntaxNode): Execute {
  const parts = children(node);
  const value = compileExpressionList(context, parts);
  // A bare string is a docstring or a comment: nothing to show.
  if (parts.length === 1 && (parts[0].name === 'String' || parts[0].name === 'ContinuedString')) return () => NORMAL;
  const slot = recordSlot('', context.span(node));
  const { recorder } = context.runtime;
  // A bare expression's value is shown after its line, as a notebook shows a cell's last value.
  return (frame) => {
    const result = value(frame);
    if (result !== null) recorder.record(slot, result);
    return NORMAL;
  };
}

function assignStatement(context: CompileContext, node: SyntaxNode): Execute {
  const groups: SyntaxNode[][] = [[]];
  for (const child of children(node)) {
    if (child.name === 'AssignOp') groups.push([]);
    else if (child.name !== 'TypeDef') groups[groups.length - 1].push(child);
  }
  const valueNodes = groups.pop() as SyntaxNode[];
  if (groups.length === 0) return () => NORMAL; // a bare annotation, `x: int`
  const value = compileExpressionList(context, valueNodes);
  const span = context.span(node);
  const targets = groups.map((group) => compileTargets(context, group, span));
  if (targets.length === 1) {
    const [target] = targets;
    return (frame) => {
      target(frame, value(frame));
      return NORMAL;
    };
  }
  return (frame) => {
    const result = value(frame);
    for (const target of targets) target(frame, result);
    return NORMAL;
  };
}

const bitOperators = new Set(['&', '|', '^', '<<', '>>']);

/** `x += y`: in place on tensors (Tensor.__iadd__) and lists (list.__iadd__), a new value otherwise. */
function updateStatement(context: CompileContext, node: SyntaxNode): Execute {
  const [targetNode, operatorNode, ...valueNodes] = children(node);
  const operator = context.text(operatorNode).slice(0, -1);
  const current = compileExpression(context, targetNode);
  const value = compileExpressionList(context, valueNodes);
  const span = context.span(node);
  const assign = compileTargets(context, [targetNode], span);
  const combine = bitOperators.has(operator)
    ? (left: PyValue, right: PyValue) => bitOperation(operator as BitOperator, left, right)
    : (left: PyValue, right: PyValue) => binaryOperation(operator as ArithmeticOperator, left, right);
  return (frame) => {
    const left = current(frame);
    const right = value(frame);
    setSourceSpan(span);
    const inPlace = augmentedOperation(operator as ArithmeticOperator | BitOperator, left, right);
    if (inPlace !== undefined) {
      assign(frame, inPlace);
      return NORMAL;
    }
    if (left instanceof Tensor && operator !== '@') applyInPlace(left, (snapshot) => combine(snapshot, right) as Tensor);
    else if (left instanceof PyList && operator === '+') left.items.push(...itemsOf(right));
    else {
      assign(frame, combine(left, right));
      return NORMAL;
    }
    assign(frame, left);
    return NORMAL;
  };
}

/** if/elif/else and while/for's else: the clauses after a keyword. */
function clauses(parts: readonly SyntaxNode[]): { keyword: string; test?: SyntaxNode; body: SyntaxNode }[] {
  const result: { keyword: string; test?: SyntaxNode; body: SyntaxNode }[] = [];
  for (let i = 0; i < parts.length; i++) {
    const keyword = parts[i].name;
    if (keyword === 'if' || keyword === 'elif' || keyword === 'while') {
      result.push({ keyword, test: parts[i + 1], body: parts[i + 2] });
      i += 2;
    } else if (keyword === 'else') {
      result.push({ keyword, body: parts[++i] });
    }
  }
  return result;
}

function ifStatement(context: CompileContext, node: SyntaxNode): Execute {
  const branches = clauses(children(node)).map((clause) => ({ test: clause.test ? compileExpression(context, clause.test) : undefined, body: compileBlock(context, clause.body) }));
  return (frame) => {
    for (const branch of branches) {
      if (!branch.test || truthy(branch.test(frame))) return branch.body(frame);
    }
    return NORMAL;
  };
}

function whileStatement(context: CompileContext, node: SyntaxNode): Execute {
  const [loop, otherwise] = clauses(children(node));
  const test = compileExpression(context, loop.test as SyntaxNode);
  const body = compileBlock(context.loopBody(), loop.body);
  const orElse = otherwise ? compileBlock(context, otherwise.body) : undefined;
  const { budget } = context.runtime;
  return (frame) => {
    while (truthy(test(frame))) {
      budget.tick();
      const completion = body(frame);
      if (completion === BREAK) return NORMAL;
      if (completion === RETURN) return RETURN;
    }
    return orElse ? orElse(frame) : NORMAL;
  };
}

function forStatement(context: CompileContext, node: SyntaxNode): Execute {
  const parts = children(node);
  const inIndex = parts.findIndex((part) => part.name === 'in');
  const bodies = parts.filter((part) => part.name === 'Body');
  const span: SourceSpan = { from: node.from, to: bodies[0].from };
  const assign = compileTargets(context, parts.slice(1, inIndex), span);
  const iterable = compileExpressionList(context, parts.slice(inIndex + 1, parts.indexOf(bodies[0])));
  const body = compileBlock(context.loopBody(), bodies[0]);
  const orElse = bodies[1] ? compileBlock(context, bodies[1]) : undefined;
  const { budget } = context.runtime;
  const step = (frame: Frame, item: PyValue): Completion => {
    budget.tick();
    assign(frame, item);
    return body(frame);
  };
  return (frame) => {
    const source = iterable(frame);
    // range() is the common case: count without making an iterator.
    if (source instanceof PyRange) {
      const { start, stop, step: stride } = source;
      for (let i = start; stride > 0n ? i < stop : i > stop; i += stride) {
        const completion = step(frame, i);
        if (completion === BREAK) return NORMAL;
        if (completion === RETURN) return RETURN;
      }
    } else {
      for (const item of iterate(source)) {
        const completion = step(frame, item);
        if (completion === BREAK) return NORMAL;
        if (completion === RETURN) return RETURN;
      }
    }
    return orElse ? orElse(frame) : NORMAL;
  };
}

function decoratedStatement(context: CompileContext, node: SyntaxNode): Execute {
  const parts = children(node);
  const decorators = parts.filter((part) => part.name === 'Decorator').map((decorator) => compileDecorator(context, decorator));
  const definition = parts[parts.length - 1];
  if (definition.name === 'ClassDefinition') return compileClassDefinition(context, definition, decorators);
  return compileFunctionDefinition(context, definition, decorators);
}

function returnStatement(context: CompileContext, node: SyntaxNode): Execute {
  if (context.scope.kind !== 'function') throw new EngineError('SyntaxError', "'return' outside function", context.span(node));
  const valueNodes = children(node).slice(1);
  if (valueNodes.length === 0) {
    return (frame) => {
      frame.returnValue = null;
      return RETURN;
    };
  }
  const value = compileExpressionList(context, valueNodes);
  return (frame) => {
    frame.returnValue = value(frame);
    return RETURN;
  };
}

function loopControl(context: CompileContext, node: SyntaxNode): Execute {
  const isBreak = node.name === 'BreakStatement';
  if (!context.inLoop) throw new EngineError('SyntaxError', `'${isBreak ? 'break' : 'continue'}' ${isBreak ? 'outside loop' : 'not properly in loop'}`, context.span(node));
  return isBreak ? () => BREAK : () => CONTINUE;
}

function assertStatement(context: CompileContext, node: SyntaxNode): Execute {
  const [, testNode, , messageNode] = children(node);
  const test = compileExpression(context, testNode);
  const message = messageNode ? compileExpression(context, messageNode) : undefined;
  const classes = context.runtime.exceptionClasses;
  return (frame) => {
    if (!truthy(test(frame))) throw builtinException(classes, 'AssertionError', message ? [message(frame)] : []);
    return NORMAL;
  };
}

function deleteStatement(context: CompileContext, node: SyntaxNode): Execute {
  const remove = compileDeleteTargets(context, children(node).slice(1));
  return (frame) => {
    remove(frame);
    return NORMAL;
  };
}
