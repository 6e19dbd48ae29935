// Calls: arguments (positional, keyword, *spread, **spread, a lone generator expression), one
// step of the budget per call, and zero-argument super(), which reads the frame it is called in.
import { EngineError } from '../../../errors';
import { setSourceSpan, type SourceSpan } from '../../../sourceSpan';
import { locate } from '../../runtime/locate';
import { PyClass, PySuper } from '../classes';
import { PyDict } from '../collections';
import type { Evaluate, Frame } from '../frame';
import { PyFunction } from '../functions';
import { itemsOf } from '../iteration';
import { type CallSite, type Kwargs, PyObject, type PyValue, typeError, typeName } from '../values';
import { compileGeneratorArgument } from './comprehensions';
import type { CompileContext } from './context';
import { getAttribute } from '../attributes';
import { compileExpression, guarded } from './expressions';
import { compileLoad } from './names';
import { type SyntaxNode, children, meaningful } from './syntax';

export const noKeywords: Kwargs = new Map();

/** Calls any callable value: a script's function directly, anything else through its invoke. */
export function callValue(callee: PyValue, args: readonly PyValue[], kwargs: Kwargs, site: CallSite): PyValue {
  if (callee instanceof PyFunction) return callee.call(args, kwargs);
  if (callee instanceof PyObject && callee.invoke) return callee.invoke(args, kwargs, site);
  throw typeError(`'${typeName(callee)}' object is not callable`);
}

/** The site builtins receive: its span, and a way to call back into the script (hooks, key=, map). */
export function callSite(span: SourceSpan): CallSite {
  const site: CallSite = { span, call: (callee, args, kwargs) => callValue(callee, args, kwargs ?? noKeywords, site) };
  return site;
}

type Argument =
  | { readonly kind: 'positional' | 'spread' | 'keywords'; readonly evaluate: Evaluate }
  | { readonly kind: 'keyword'; readonly name: string; readonly evaluate: Evaluate };

function compileArguments(context: CompileContext, argList: SyntaxNode): Argument[] {
  if (children(argList).some((child) => child.name === 'for')) return [{ kind: 'positional', evaluate: compileGeneratorArgument(context, argList) }];
  const parts = meaningful(argList);
  const result: Argument[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.name === 'VariableName' && parts[i + 1]?.name === 'AssignOp') {
      result.push({ kind: 'keyword', name: context.text(part), evaluate: compileExpression(context, parts[i + 2]) });
      i += 2;
    } else if (part.name === '*' || part.name === '**') {
      result.push({ kind: part.name === '*' ? 'spread' : 'keywords', evaluate: compileExpression(context, parts[++i]) });
    } else {
      result.push({ kind: 'positional', evaluate: compileExpression(context, part) });
    }
  }
  return result;
}

function collect(arguments_: readonly Argument[], frame: Frame): { args: PyValue[]; kwargs: Map<string, PyValue> } {
  const args: PyValue[] = [];
  const kwargs = new Map<string, PyValue>();
  const addKeyword = (name: string, value: PyValue) => {
    if (kwargs.has(name)) throw typeError(`got multiple values for keyword argument '${name}'`);
    kwargs.set(name, value);
  };
  for (const argument of arguments_) {
    const value = argument.evaluate(frame);
    switch (argument.kind) {
      case 'positional':
        args.push(value);
        break;
      case 'spread':
        args.push(...itemsOf(value));
        break;
      case 'keyword':
        addKeyword(argument.name, value);
        break;
      case 'keywords':
        if (!(value instanceof PyDict)) throw typeError(`argument after ** must be a mapping, not ${typeName(value)}`);
        for (const [key, item] of value.items()) {
          if (typeof key !== 'string') throw typeError('keywords must be strings');
          addKeyword(key, item);
        }
        break;
    }
  }
  return { args, kwargs };
}

export function compileCall(context: CompileContext, node: SyntaxNode): Evaluate {
  const [calleeNode, argList] = children(node);
  const span = context.span(node);
  const arguments_ = compileArguments(context, argList);
  if (calleeNode.name === 'VariableName' && context.text(calleeNode) === 'super' && arguments_.length === 0 && context.scope.resolve('super').kind === 'global') {
    return (frame) => guarded(span, () => zeroArgumentSuper(frame));
  }
  return compileCallOf(context, compileExpression(context, calleeNode), arguments_, span);
}

/**
 * A decorator, `@torch.no_grad()` or `@name`: the grammar gives its dotted name and argument list
 * as flat parts rather than as an expression.
 */
export function compileDecorator(context: CompileContext, node: SyntaxNode): Evaluate {
  const parts = children(node).filter((part) => part.name !== 'At' && part.name !== '@');
  const names = parts.filter((part) => part.name === 'VariableName');
  const argList = parts.find((part) => part.name === 'ArgList');
  const span = context.span(node);
  const { runtime } = context;
  const [first, ...attributes] = names.map((name) => context.text(name));
  const load = compileLoad(context, first, context.span(names[0]));
  const target: Evaluate = (frame) => attributes.reduce((value, name) => guarded(span, () => getAttribute(value, name, runtime)), load(frame));
  return argList ? compileCallOf(context, target, compileArguments(context, argList), span) : target;
}

function compileCallOf(context: CompileContext, callee: Evaluate, arguments_: readonly Argument[], span: SourceSpan): Evaluate {
  const site = callSite(span);
  const { budget } = context.runtime;
  if (arguments_.every((argument) => argument.kind === 'positional')) {
    const evaluators = arguments_.map((argument) => argument.evaluate);
    return (frame) => {
      const fn = callee(frame);
      const args = new Array<PyValue>(evaluators.length);
      for (let i = 0; i < evaluators.length; i++) args[i] = evaluators[i](frame);
      budget.tick();
      setSourceSpan(span);
      try {
        return callValue(fn, args, noKeywords, site);
      } catch (error) {
        throw locate(error, span);
      }
    };
  }
  return (frame) => {
    const fn = callee(frame);
    try {
      const { args, kwargs } = collect(arguments_, frame);
      budget.tick();
      setSourceSpan(span);
      return callValue(fn, args, kwargs, site);
    } catch (error) {
      throw locate(error, span);
    }
  };
}

/** super() in a method: the class that defined the method, and the method's first argument. */
function zeroArgumentSuper(frame: Frame): PyValue {
  const owner = frame.owner;
  const cls = owner?.definingClass;
  const self = frame.firstArgument;
  if (!(cls instanceof PyClass) || self === undefined) throw new EngineError('RuntimeError', 'super(): no arguments');
  const instanceClass = self instanceof PyObject ? self.cls : undefined;
  if (!instanceClass?.isSubclassOf(cls)) throw typeError('super(type, obj): obj must be an instance or subtype of type');
  return new PySuper(cls, self, instanceClass);
}
