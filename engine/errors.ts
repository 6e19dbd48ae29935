// Errors the engine raises on behalf of the user's script, typed as PyTorch/Python raises them.
import type { SourceSpan } from './sourceSpan';

/** The Python exception types users catch and read; the languages map them to their own. */
export type ErrorType =
  | 'RuntimeError'
  | 'TypeError'
  | 'ValueError'
  | 'NameError'
  | 'AttributeError'
  | 'IndexError'
  | 'KeyError'
  | 'ZeroDivisionError'
  | 'NotImplementedError'
  | 'ImportError'
  | 'ModuleNotFoundError'
  | 'SyntaxError'
  | 'AssertionError'
  | 'RecursionError'
  | 'ReferenceError'
  | 'OverflowError'
  | 'UnboundLocalError'
  | 'StopIteration'
  | 'LimitError';

export class EngineError extends Error {
  constructor(
    /** One of ErrorType, or the name of an exception class a script defined and raised. */
    readonly type: ErrorType | (string & {}),
    message: string,
    /** Where in the script it was raised; the interpreter fills it in when an op does not know. */
    public sourceSpan?: SourceSpan,
  ) {
    super(message);
  }
}
