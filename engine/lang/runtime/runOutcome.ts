// What a language's interpreter hands to the report: events with spans, the final variables, and
// the error that ended the run, if any. Values are live engine values; the report summarises them.
import type { EngineError } from '../../errors';
import type { SourceSpan } from '../../sourceSpan';
import type { Tensor } from '../../tensor/tensor';

export type Printed = { readonly span: SourceSpan; readonly text: string };

/** `name` is '' for an expression statement (TypeScript's result, a bare expression in Python). */
export type Assigned<Value> = { readonly name: string; readonly span: SourceSpan; readonly value: Value };

export type RunOutcome<Value> = {
  readonly prints: readonly Printed[];
  /** The last value each assignment statement produced, in source order. */
  readonly assignments: readonly Assigned<Value>[];
  readonly variables: ReadonlyMap<string, Assigned<Value>>;
  /** Leaves whose gradients TypeScript reports even when the result does not use them. */
  readonly inputs: readonly Tensor[];
  /** The tensor the graph view shows gradients of: the last backward() root, else the last scalar result. */
  readonly output: Tensor | undefined;
  readonly error: EngineError | undefined;
  /** TypeScript's inputs that have no value (empty for Python). */
  readonly missingInputs: readonly string[];
};
