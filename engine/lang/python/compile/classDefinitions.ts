// `class Name(Base): body`: the body runs once in a namespace of its own, which becomes the
// class's attributes; the methods learn their class (for zero-argument super()).
import { EngineError } from '../../../errors';
import { PyClass } from '../classes';
import { type Evaluate, type Execute, Frame, NORMAL } from '../frame';
import { PyFunction } from '../functions';
import { type PyValue, typeName } from '../values';
import { callSite, callValue, noKeywords } from './calls';
import type { CompileContext } from './context';
import { compileExpression } from './expressions';
import { compileStore } from './names';
import { Scope, collectBindings } from './scopes';
import { type SyntaxNode, children, meaningful } from './syntax';
import { compileBlock } from './statements';

export function compileClassDefinition(context: CompileContext, node: SyntaxNode, decorators: readonly Evaluate[] = []): Execute {
  const parts = children(node);
  const name = context.text(parts.find((part) => part.name === 'VariableName') as SyntaxNode);
  const body = parts.find((part) => part.name === 'Body');
  const argList = parts.find((part) => part.name === 'ArgList');
  const baseNodes = argList ? meaningful(argList) : [];
  const keyword = baseNodes.find((part) => part.name === 'AssignOp');
  if (keyword) throw new EngineError('NotImplementedError', 'class keyword arguments (metaclass=…) are not supported yet', context.span(node));
  const bases = baseNodes.map((base) => ({ evaluate: compileExpression(context, base), span: context.span(base) }));
  const scope = new Scope('class', context.scope);
  if (body) collectBindings(children(body), scope, (n) => context.text(n));
  const inner = context.nested(scope, `${context.qualifiedPrefix}${name}.`);
  const run = compileBlock(inner, body);
  const store = compileStore(context, name);
  const site = callSite(context.span(node));
  return (frame) => {
    const applied = decorators.map((decorator) => decorator(frame));
    const baseClasses = bases.map(({ evaluate, span }) => {
      const base = evaluate(frame);
      if (base instanceof PyClass) return base;
      throw new EngineError('TypeError', baseTypeMessage(base), span);
    });
    const namespace = new Map<string, PyValue>();
    run(new Frame(namespace, frame.closure, frame.owner, undefined, true));
    let cls: PyValue = new PyClass(name, baseClasses, namespace);
    for (const value of namespace.values()) if (value instanceof PyFunction) value.definingClass = cls;
    for (const decorator of applied.reverse()) cls = callValue(decorator, [cls], noKeywords, site);
    store(frame, cls);
    return NORMAL;
  };
}

function baseTypeMessage(base: PyValue): string {
  const described = typeName(base);
  if (described === 'type') return `subclassing this builtin type is not supported yet`;
  return `bases must be classes, not '${described}'`;
}
