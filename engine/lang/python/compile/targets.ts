// Assignment targets: names, attributes, subscripts, and tuples of them with one starred target
// (`a, *rest = items`), as `=`, `for` and `with … as` bind them.
import { EngineError } from '../../../errors';
import { setSourceSpan, type SourceSpan } from '../../../sourceSpan';
import { locate } from '../../runtime/locate';
import { recordSlot } from '../../runtime/runRecorder';
import { deleteAttribute, setAttribute } from '../attributes';
import type { Frame } from '../frame';
import { isIterable, itemsOf } from '../iteration';
import { deleteSubscript, setSubscript } from '../subscripts';
import { PyList, type PyValue, typeName } from '../values';
import type { CompileContext } from './context';
import { compileExpression, compileSubscriptParts, guarded } from './expressions';
import { compileDelete, compileStore } from './names';
import { type SyntaxNode, children, isPunctuation, splitAtCommas } from './syntax';

export type Assign = (frame: Frame, value: PyValue) => void;

/**
 * Compiles the target nodes of one assignment (`a`, `a, b`, `x.w`, `x[0]`). With `recordAt`, each
 * bound name is recorded with that statement's span, so the editor can show it after the line.
 */
export function compileTargets(context: CompileContext, nodes: readonly SyntaxNode[], recordAt?: SourceSpan): Assign {
  const groups = splitAtCommas(nodes);
  if (groups.length === 1 && !nodes.some((node) => node.name === ',') && groups[0][0].name !== '*') return compileTarget(context, groups[0][0], recordAt);
  return compileUnpack(context, groups, recordAt, spanOfNodes(context, nodes));
}

function spanOfNodes(context: CompileContext, nodes: readonly SyntaxNode[]): SourceSpan {
  return { from: nodes[0].from, to: nodes[nodes.length - 1].to };
}

function compileTarget(context: CompileContext, node: SyntaxNode, recordAt: SourceSpan | undefined): Assign {
  switch (node.name) {
    case 'VariableName': {
      const name = context.text(node);
      const store = compileStore(context, name);
      if (!recordAt) return store;
      const slot = recordSlot(name, recordAt);
      const { recorder } = context.runtime;
      return (frame, value) => {
        store(frame, value);
        recorder.record(slot, value);
      };
    }
    case 'TupleExpression':
    case 'ArrayExpression':
      return compileUnpack(context, splitAtCommas(children(node).filter((child) => !isPunctuation(child) || child.name === ',')), recordAt, context.span(node));
    case 'ParenthesizedExpression':
      return compileTargets(context, children(node).filter((child) => child.name !== '(' && child.name !== ')'), recordAt);
    case 'MemberExpression':
      return compileMemberTarget(context, node);
    default:
      throw new EngineError('SyntaxError', `cannot assign to ${describe(node.name)}`, context.span(node));
  }
}

const describe = (nodeName: string) =>
  ({ CallExpression: 'function call', Number: 'literal', String: 'literal', BinaryExpression: 'expression', Boolean: 'True or False', None: 'None' })[nodeName] ?? 'expression';

function compileMemberTarget(context: CompileContext, node: SyntaxNode): Assign {
  const [objectNode, accessor, ...rest] = children(node);
  const object = compileExpression(context, objectNode);
  const span = context.span(node);
  if (accessor.name === '.') {
    const name = context.text(rest[0]);
    return (frame, value) => {
      const target = object(frame);
      try {
        setAttribute(target, name, value);
      } catch (error) {
        throw locate(error, span);
      }
    };
  }
  const parts = compileSubscriptParts(context, rest.slice(0, -1));
  return (frame, value) => {
    const target = object(frame);
    const key = parts(frame);
    setSourceSpan(span);
    try {
      setSubscript(target, key, value);
    } catch (error) {
      throw locate(error, span);
    }
  };
}

/** `a, *b, c = items`: the starred target takes what the others leave, as a list. */
function compileUnpack(context: CompileContext, groups: readonly SyntaxNode[][], recordAt: SourceSpan | undefined, span: SourceSpan): Assign {
  const starIndex = groups.findIndex((group) => group[0].name === '*');
  if (groups.filter((group) => group[0].name === '*').length > 1) throw new EngineError('SyntaxError', 'multiple starred expressions in assignment', span);
  const targets = groups.map((group) => compileTarget(context, group[group[0].name === '*' ? 1 : 0], recordAt));
  return (frame, value) => {
    if (!isIterable(value)) throw new EngineError('TypeError', `cannot unpack non-iterable ${typeName(value)} object`, span);
    const items = guarded(span, () => itemsOf(value));
    if (starIndex < 0) {
      if (items.length < targets.length) throw new EngineError('ValueError', `not enough values to unpack (expected ${targets.length}, got ${items.length})`, span);
      if (items.length > targets.length) throw new EngineError('ValueError', `too many values to unpack (expected ${targets.length})`, span);
      targets.forEach((target, i) => target(frame, items[i]));
      return;
    }
    const after = targets.length - starIndex - 1;
    if (items.length < targets.length - 1) throw new EngineError('ValueError', `not enough values to unpack (expected at least ${targets.length - 1}, got ${items.length})`, span);
    targets.forEach((target, i) => {
      if (i < starIndex) target(frame, items[i]);
      else if (i === starIndex) target(frame, new PyList(items.slice(starIndex, items.length - after)));
      else target(frame, items[items.length - (targets.length - i)]);
    });
  };
}

/** `del a, b[0], c.x`. */
export function compileDeleteTargets(context: CompileContext, nodes: readonly SyntaxNode[]): (frame: Frame) => void {
  const deletions = splitAtCommas(nodes).map((group) => compileDeleteTarget(context, group[0]));
  return (frame) => deletions.forEach((deletion) => deletion(frame));
}

function compileDeleteTarget(context: CompileContext, node: SyntaxNode): (frame: Frame) => void {
  const span = context.span(node);
  switch (node.name) {
    case 'VariableName':
      return compileDelete(context, context.text(node), span);
    case 'TupleExpression':
    case 'ArrayExpression':
    case 'ParenthesizedExpression':
      return compileDeleteTargets(context, children(node).filter((child) => !['(', ')', '[', ']'].includes(child.name)));
    case 'MemberExpression': {
      const [objectNode, accessor, ...rest] = children(node);
      const object = compileExpression(context, objectNode);
      if (accessor.name === '.') {
        const name = context.text(rest[0]);
        return (frame) => {
          const target = object(frame);
          try {
            deleteAttribute(target, name);
          } catch (error) {
            throw locate(error, span);
          }
        };
      }
      const parts = compileSubscriptParts(context, rest.slice(0, -1));
      return (frame) => {
        const target = object(frame);
        const key = parts(frame);
        try {
          deleteSubscript(target, key);
        } catch (error) {
          throw locate(error, span);
        }
      };
    }
    default:
      throw new EngineError('SyntaxError', `cannot delete ${describe(node.name)}`, span);
  }
}
