// Compiles an expression node into a closure that evaluates it in a frame. Each closure that can
// raise gives the error its own span (the innermost wins) and sets the current span before it
// calls into the engine, so that every tensor and graph node knows the code that made it.
import { EngineError } from '../../../errors';
import { setSourceSpan } from '../../../sourceSpan';
import { locate, notSupported, describeConstruct } from '../../runtime/locate';
import { getAttribute } from '../attributes';
import { PyDict, PySet } from '../collections';
import { truthy } from '../convert';
import type { Evaluate, Frame } from '../frame';
import { itemsOf } from '../iteration';
import { numberLiteral, stringLiteral } from '../literals';
import { type ArithmeticOperator, type BitOperator, type ComparisonOperator, binaryOperation, bitOperation, compare, invert, negate, plus } from '../operators';
import { type SubscriptPart, getSubscript } from '../subscripts';
import { PyList, PyTuple, type PyValue } from '../values';
import { compileCall } from './calls';
import { compileComprehension, isComprehension } from './comprehensions';
import type { CompileContext } from './context';
import { compileFormatString } from './formatStrings';
import { compileLambda } from './functionDefinitions';
import { compileLoad } from './names';
import { type SyntaxNode, children, meaningful, splitAtCommas } from './syntax';

const constant = (value: PyValue): Evaluate => () => value;

/** Runs `evaluate`, giving an error raised inside it the span of `node` if it has none yet. */
export function guarded<T>(span: ReturnType<CompileContext['span']>, evaluate: () => T): T {
  try {
    return evaluate();
  } catch (error) {
    throw locate(error, span);
  }
}

export function compileExpression(context: CompileContext, node: SyntaxNode): Evaluate {
  switch (node.name) {
    case 'Number':
      return constant(guarded(context.span(node), () => numberLiteral(context.text(node))));
    case 'String':
      return constant(guarded(context.span(node), () => stringLiteral(context.text(node))));
    case 'FormatString':
      return compileFormatString(context, node);
    case 'ContinuedString':
      return concatenation(children(node).map((part) => compileExpression(context, part)));
    case 'Boolean':
      return constant(context.text(node) === 'True');
    case 'None':
      return constant(null);
    case 'VariableName':
      return compileLoad(context, context.text(node), context.span(node));
    case 'ParenthesizedExpression':
      return compileExpression(context, meaningful(node)[0]);
    case 'TupleExpression':
      return sequence(context, meaningful(node), (items) => new PyTuple(items));
    case 'ArrayExpression':
      return sequence(context, meaningful(node), (items) => new PyList(items));
    case 'SetExpression':
      return sequence(context, meaningful(node), (items) => new PySet(items));
    case 'DictionaryExpression':
      return dictionary(context, node);
    case 'UnaryExpression':
      return unary(context, node);
    case 'BinaryExpression':
      return binary(context, node);
    case 'ConditionalExpression':
      return conditional(context, node);
    case 'LambdaExpression':
      return compileLambda(context, node);
    case 'MemberExpression':
      return member(context, node);
    case 'CallExpression':
      return compileCall(context, node);
    default:
      if (isComprehension(node)) return compileComprehension(context, node);
      throw withSpan(notSupported(describeConstruct(node.name)), context, node);
  }
}

function withSpan(error: EngineError, context: CompileContext, node: SyntaxNode): EngineError {
  error.sourceSpan ??= context.span(node);
  return error;
}

function concatenation(parts: readonly Evaluate[]): Evaluate {
  return (frame) => parts.map((part) => part(frame) as string).join('');
}

/** Items of a tuple, list or set display, with `*iterable` spread in place. */
function sequence(context: CompileContext, nodes: readonly SyntaxNode[], make: (items: PyValue[]) => PyValue): Evaluate {
  const entries: { spread: boolean; evaluate: Evaluate }[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const spread = nodes[i].name === '*';
    entries.push({ spread, evaluate: compileExpression(context, spread ? nodes[++i] : nodes[i]) });
  }
  if (entries.every((entry) => !entry.spread)) {
    const items = entries.map((entry) => entry.evaluate);
    return (frame) => make(items.map((item) => item(frame)));
  }
  return (frame) => make(entries.flatMap((entry) => (entry.spread ? itemsOf(entry.evaluate(frame)) : [entry.evaluate(frame)])));
}

function dictionary(context: CompileContext, node: SyntaxNode): Evaluate {
  const entries = splitAtCommas(children(node).filter((child) => child.name !== '{' && child.name !== '}')).map((group) => {
    if (group[0].name === '**') {
      const source = compileExpression(context, group[1]);
      const span = context.span(group[1]);
      return (frame: Frame, dict: PyDict) => {
        const value = source(frame);
        if (!(value instanceof PyDict)) throw new EngineError('TypeError', `'${value === null ? 'NoneType' : typeof value}' object is not a mapping`, span);
        for (const [key, item] of value.items()) dict.set(key, item);
      };
    }
    const key = compileExpression(context, group[0]);
    const value = compileExpression(context, group[2]);
    const span = context.span(group[0]);
    return (frame: Frame, dict: PyDict) => {
      const keyValue = key(frame);
      guarded(span, () => dict.set(keyValue, value(frame)));
    };
  });
  return (frame) => {
    const dict = new PyDict();
    for (const entry of entries) entry(frame, dict);
    return dict;
  };
}

function unary(context: CompileContext, node: SyntaxNode): Evaluate {
  const [operatorNode, operandNode] = children(node);
  const operand = compileExpression(context, operandNode);
  const span = context.span(node);
  const operator = context.text(operatorNode);
  if (operator === 'not') return (frame) => !truthy(operand(frame));
  const apply = operator === '-' ? negate : operator === '+' ? plus : operator === '~' ? invert : undefined;
  if (!apply) throw withSpan(notSupported(`the unary ${operator} operator`), context, node);
  return (frame) => {
    const value = operand(frame);
    setSourceSpan(span);
    try {
      return apply(value);
    } catch (error) {
      throw locate(error, span);
    }
  };
}

const comparisonNodes = new Set(['CompareOp', 'in', 'is', 'not']);

/** The operator of a binary expression: `+`, `and`, `not in`, `is not`… */
function operatorOf(context: CompileContext, parts: readonly SyntaxNode[]): { operator: string; kind: string; right: SyntaxNode } {
  const [, operatorNode, ...rest] = parts;
  const operator = rest.length > 1 ? `${context.text(operatorNode)} ${context.text(rest[0])}` : context.text(operatorNode);
  return { operator, kind: operatorNode.name, right: rest[rest.length - 1] };
}

function binary(context: CompileContext, node: SyntaxNode): Evaluate {
  const parts = children(node);
  const { operator, kind, right: rightNode } = operatorOf(context, parts);
  if (comparisonNodes.has(kind)) return comparisonChain(context, node);
  const left = compileExpression(context, parts[0]);
  const right = compileExpression(context, rightNode);
  if (operator === 'and') return (frame) => {
    const value = left(frame);
    return truthy(value) ? right(frame) : value;
  };
  if (operator === 'or') return (frame) => {
    const value = left(frame);
    return truthy(value) ? value : right(frame);
  };
  const span = context.span(node);
  const operate =
    kind === 'BitOp'
      ? (a: PyValue, b: PyValue) => bitOperation(operator as BitOperator, a, b)
      : (a: PyValue, b: PyValue) => binaryOperation(operator as ArithmeticOperator, a, b);
  return (frame) => {
    const a = left(frame);
    const b = right(frame);
    setSourceSpan(span);
    try {
      return operate(a, b);
    } catch (error) {
      throw locate(error, span);
    }
  };
}

/** `a < b <= c`: each operand evaluated once, stopping at the first false comparison, as in Python. */
function comparisonChain(context: CompileContext, node: SyntaxNode): Evaluate {
  const operands: SyntaxNode[] = [];
  const operators: ComparisonOperator[] = [];
  let current = node;
  // The grammar nests a chain to the left: ((a < b) <= c).
  for (;;) {
    const parts = children(current);
    const { operator, right } = operatorOf(context, parts);
    operands.unshift(right);
    operators.unshift(operator as ComparisonOperator);
    const left = parts[0];
    const leftParts = left.name === 'BinaryExpression' ? children(left) : [];
    if (leftParts.length > 0 && comparisonNodes.has(operatorOf(context, leftParts).kind)) {
      current = left;
      continue;
    }
    operands.unshift(left);
    break;
  }
  const evaluators = operands.map((operand) => compileExpression(context, operand));
  const span = context.span(node);
  return (frame) => {
    let left = evaluators[0](frame);
    let result: PyValue = true;
    for (let i = 0; i < operators.length; i++) {
      const right = evaluators[i + 1](frame);
      setSourceSpan(span);
      try {
        result = compare(operators[i], left, right);
      } catch (error) {
        throw locate(error, span);
      }
      if (i < operators.length - 1 && !truthy(result)) return result;
      left = right;
    }
    return result;
  };
}

function conditional(context: CompileContext, node: SyntaxNode): Evaluate {
  const [whenTrue, , test, , whenFalse] = children(node);
  const [yes, condition, no] = [whenTrue, test, whenFalse].map((part) => compileExpression(context, part));
  return (frame) => (truthy(condition(frame)) ? yes(frame) : no(frame));
}

function member(context: CompileContext, node: SyntaxNode): Evaluate {
  const parts = children(node);
  const [objectNode, accessor] = parts;
  const span = context.span(node);
  // `2.` lexes as the number 2 followed by a dot with nothing after it: it is the float 2.0.
  if (objectNode.name === 'Number' && accessor?.name === '.' && (parts[2] === undefined || parts[2].type.isError)) {
    return constant(Number(context.text(objectNode).replace(/_/g, '')));
  }
  const object = compileExpression(context, objectNode);
  if (accessor.name === '.') {
    const name = context.text(parts[2]);
    const { runtime } = context;
    return (frame) => {
      const value = object(frame);
      try {
        return getAttribute(value, name, runtime);
      } catch (error) {
        throw locate(error, span);
      }
    };
  }
  const subscript = compileSubscriptParts(context, parts.slice(2, -1));
  return (frame) => {
    const value = object(frame);
    const key = subscript(frame);
    setSourceSpan(span);
    try {
      return getSubscript(value, key);
    } catch (error) {
      throw locate(error, span);
    }
  };
}

/** The parts between [ and ]: values, `...`, and start:stop:step slices. */
export function compileSubscriptParts(context: CompileContext, nodes: readonly SyntaxNode[]): (frame: Frame) => SubscriptPart[] {
  const compiled = splitAtCommas(nodes).map((group): ((frame: Frame) => SubscriptPart) => {
    if (!group.some((node) => node.name === ':')) {
      const [only] = group;
      if (only.name === 'Ellipsis') return () => ({ kind: 'ellipsis' });
      const value = compileExpression(context, only);
      return (frame) => ({ kind: 'value', value: value(frame) });
    }
    const fields: (Evaluate | undefined)[] = [undefined];
    for (const node of group) {
      if (node.name === ':') fields.push(undefined);
      else fields[fields.length - 1] = compileExpression(context, node);
    }
    const [start, stop, step] = fields;
    return (frame) => ({ kind: 'slice', start: start ? start(frame) : null, stop: stop ? stop(frame) : null, step: step ? step(frame) : null });
  });
  // `x[1,]` is x[(1,)]: a trailing comma makes a tuple.
  const trailingComma = nodes.length > 0 && nodes[nodes.length - 1].name === ',';
  if (trailingComma) return (frame) => [{ kind: 'value', value: new PyTuple(compiled.map((part) => valueOf(part(frame)))) }];
  return (frame) => compiled.map((part) => part(frame));
}

function valueOf(part: SubscriptPart): PyValue {
  if (part.kind === 'value') return part.value;
  throw new EngineError('NotImplementedError', 'slices inside a tuple index are not supported yet');
}
