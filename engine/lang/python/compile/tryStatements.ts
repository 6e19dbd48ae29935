// try/except/else/finally and raise. The engine's errors are caught as the Python exception types
// they name; a limit (time, steps, memory) is not an exception a script can catch or swallow.
import { EngineError } from '../../../errors';
import { exceptionMatches, exceptionOf, type ScriptException, toRaisable } from '../exceptions';
import { type Completion, type Evaluate, type Execute, NORMAL } from '../frame';
import { callSite, callValue, noKeywords } from './calls';
import type { CompileContext } from './context';
import { compileExpression } from './expressions';
import { compileDelete } from './names';
import { type SyntaxNode, children } from './syntax';
import { compileBlock } from './statements';
import { type Assign, compileTargets } from './targets';

type Handler = { readonly type?: Evaluate; readonly bind?: Assign; readonly unbind?: Execute; readonly body: Execute };

export function compileTry(context: CompileContext, node: SyntaxNode): Execute {
  const parts = children(node);
  const body = compileBlock(context, parts[1]);
  const handlers: Handler[] = [];
  let orElse: Execute | undefined;
  let finalBody: Execute | undefined;
  for (let i = 2; i < parts.length; i++) {
    const keyword = parts[i].name;
    if (keyword === 'except') {
      const bodyIndex = parts.findIndex((part, j) => j > i && part.name === 'Body');
      const between = parts.slice(i + 1, bodyIndex);
      const asIndex = between.findIndex((part) => part.name === 'as');
      const typeNode = asIndex === 0 ? undefined : between[0];
      const nameNode = asIndex >= 0 ? between[asIndex + 1] : undefined;
      const remove = nameNode ? compileDelete(context, context.text(nameNode), context.span(nameNode)) : undefined;
      handlers.push({
        ...(typeNode ? { type: compileExpression(context, typeNode) } : {}),
        ...(nameNode ? { bind: compileTargets(context, [nameNode]), unbind: (frame) => (remove?.(frame), NORMAL) } : {}),
        body: compileBlock(context, parts[bodyIndex]),
      });
      i = bodyIndex;
    } else if (keyword === 'else') {
      orElse = compileBlock(context, parts[++i]);
    } else if (keyword === 'finally') {
      finalBody = compileBlock(context, parts[++i]);
    }
  }
  const { runtime } = context;
  const classes = runtime.exceptionClasses;

  const tryExcept: Execute = (frame) => {
    let completion: Completion;
    try {
      completion = body(frame);
    } catch (error) {
      const exception = handlers.length > 0 ? exceptionOf(error, classes) : undefined;
      if (!exception) throw error;
      const handler = handlers.find((candidate) => !candidate.type || exceptionMatches(exception, candidate.type(frame)));
      if (!handler) throw error;
      handler.bind?.(frame, exception);
      const outer = runtime.handling;
      runtime.handling = error;
      try {
        return handler.body(frame);
      } finally {
        runtime.handling = outer;
        // Python deletes the `as` name at the end of the handler.
        handler.unbind?.(frame);
      }
    }
    return completion === NORMAL && orElse ? orElse(frame) : completion;
  };
  if (!finalBody) return tryExcept;
  const cleanup = finalBody;
  return (frame) => {
    let completion: Completion = NORMAL;
    let pending: { error: unknown } | undefined;
    try {
      completion = tryExcept(frame);
    } catch (error) {
      pending = { error };
    }
    const finalCompletion = cleanup(frame);
    // return/break/continue in `finally` ends the statement there and drops a pending exception,
    // as in Python, but never a limit: that must reach the top.
    if (finalCompletion !== NORMAL && !(pending && isLimit(pending.error))) return finalCompletion;
    if (pending) throw pending.error;
    return completion;
  };
}

const isLimit = (error: unknown) => error instanceof EngineError && error.type === 'LimitError';

export function compileRaise(context: CompileContext, node: SyntaxNode): Execute {
  const parts = children(node);
  const span = context.span(node);
  const { runtime } = context;
  if (parts.length === 1) {
    return () => {
      if (runtime.handling === undefined) throw new EngineError('RuntimeError', 'No active exception to reraise', span);
      throw runtime.handling;
    };
  }
  const value = compileExpression(context, parts[1]);
  const cause = parts[2]?.name === 'from' ? compileExpression(context, parts[3]) : undefined;
  const site = callSite(span);
  return (frame) => {
    const raised = value(frame);
    cause?.(frame);
    const error: ScriptException = toRaisable(raised, (cls) => callValue(cls, [], noKeywords, site));
    error.sourceSpan = span;
    throw error;
  };
}
