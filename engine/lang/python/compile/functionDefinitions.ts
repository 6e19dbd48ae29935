// `def` and `lambda`: parameters with defaults (evaluated when the definition runs), `*args`,
// keyword-only parameters and `**kwargs`; the body compiled in a scope of its own.
import type { Evaluate, Execute, Frame } from '../frame';
import { NORMAL, RETURN } from '../frame';
import { type FunctionCode, type Parameter, PyFunction } from '../functions';
import type { PyValue } from '../values';
import { callSite, callValue, noKeywords } from './calls';
import type { CompileContext } from './context';
import { compileExpression } from './expressions';
import { compileStore } from './names';
import { Scope, collectBindings } from './scopes';
import { type SyntaxNode, children } from './syntax';
import { compileBlock } from './statements';

type DefaultValue = { readonly name: string; readonly evaluate: Evaluate };

function compileParameters(context: CompileContext, paramList: SyntaxNode | undefined): { parameters: Parameter[]; defaults: DefaultValue[] } {
  const parameters: Parameter[] = [];
  const defaults: DefaultValue[] = [];
  const parts = paramList ? children(paramList).filter((part) => part.name !== 'TypeDef' && part.name !== '(' && part.name !== ')') : [];
  let keywordOnly = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.name === '*') {
      keywordOnly = true;
      if (parts[i + 1]?.name === 'VariableName') parameters.push({ name: context.text(parts[++i]), kind: 'varargs', hasDefault: false });
    } else if (part.name === '**') {
      parameters.push({ name: context.text(parts[++i]), kind: 'varkw', hasDefault: false });
    } else if (part.name === 'VariableName') {
      const name = context.text(part);
      const hasDefault = parts[i + 1]?.name === 'AssignOp';
      if (hasDefault) {
        defaults.push({ name, evaluate: compileExpression(context, parts[i + 2]) });
        i += 2;
      }
      parameters.push({ name, kind: keywordOnly ? 'keywordOnly' : 'positional', hasDefault });
    }
  }
  return { parameters, defaults };
}

function functionScope(context: CompileContext, parameters: readonly Parameter[], body: SyntaxNode | undefined): Scope {
  const scope = new Scope('function', context.scope);
  for (const parameter of parameters) scope.assigned.add(parameter.name);
  if (body) collectBindings(children(body), scope, (node) => context.text(node));
  return scope;
}

function evaluateDefaults(defaults: readonly DefaultValue[], frame: Frame): Map<string, PyValue> {
  const values = new Map<string, PyValue>();
  for (const entry of defaults) values.set(entry.name, entry.evaluate(frame));
  return values;
}

/** `def name(params): body`, with its decorators applied from the innermost out. */
export function compileFunctionDefinition(context: CompileContext, node: SyntaxNode, decorators: readonly Evaluate[] = []): Execute {
  const parts = children(node);
  const name = context.text(parts.find((part) => part.name === 'VariableName') as SyntaxNode);
  const body = parts.find((part) => part.name === 'Body');
  const { parameters, defaults } = compileParameters(context, parts.find((part) => part.name === 'ParamList'));
  const qualifiedName = context.qualifiedPrefix + name;
  const inner = context.nested(functionScope(context, parameters, body), `${qualifiedName}.<locals>.`);
  const code: FunctionCode = { name, qualifiedName, parameters, body: compileBlock(inner, body), runtime: context.runtime };
  const store = compileStore(context, name);
  const site = callSite(context.span(node));
  return (frame) => {
    const applied = decorators.map((decorator) => decorator(frame));
    let value: PyValue = new PyFunction(code, evaluateDefaults(defaults, frame), frame.closure);
    for (const decorator of applied.reverse()) value = callValue(decorator, [value], noKeywords, site);
    store(frame, value);
    return NORMAL;
  };
}

export function compileLambda(context: CompileContext, node: SyntaxNode): Evaluate {
  const parts = children(node);
  const { parameters, defaults } = compileParameters(context, parts.find((part) => part.name === 'ParamList'));
  const inner = context.nested(functionScope(context, parameters, undefined), `${context.qualifiedPrefix}<lambda>.<locals>.`);
  const result = compileExpression(inner, parts[parts.length - 1]);
  const code: FunctionCode = {
    name: '<lambda>',
    qualifiedName: `${context.qualifiedPrefix}<lambda>`,
    parameters,
    body: (frame) => {
      frame.returnValue = result(frame);
      return RETURN;
    },
    runtime: context.runtime,
  };
  return (frame) => new PyFunction(code, evaluateDefaults(defaults, frame), frame.closure);
}
