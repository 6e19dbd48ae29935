// Errors on their way out of an interpreter: every one leaves with a span and a readable type.
import { EngineError } from '../../errors';
import type { SourceSpan } from '../../sourceSpan';

/** Gives an error its span (the innermost node wins), and turns what is not an EngineError into one. */
export function locate(error: unknown, span: SourceSpan): EngineError {
  if (error instanceof EngineError) {
    error.sourceSpan ??= span;
    return error;
  }
  // Checked without a regular expression: with the stack exhausted, even compiling one can fail.
  if (error instanceof RangeError && error.message.includes('call stack')) {
    return new EngineError('RecursionError', 'maximum recursion depth exceeded', span);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new EngineError('RuntimeError', `internal error in Gradient Lens: ${message}`, span);
}

export function notSupported(what: string): EngineError {
  return new EngineError('NotImplementedError', `${what} ${what.endsWith('s') ? 'are' : 'is'} not supported yet`);
}

/** A syntax node's type as words for messages: `IfStatement` → '`if` statements'. */
export function describeConstruct(nodeType: string): string {
  const words = nodeType.replace(/^TS/, 'TypeScript ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.replace(/^(\w+) statement$/, '`$1` statements');
}
