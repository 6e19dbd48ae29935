// What an interpreter records while it runs, in the same form for every language: the report is
// built from it.
import type { SourceSpan } from '../../sourceSpan';
import type { Assigned, Printed } from './runOutcome';

/** Where a value is shown: a statement and the name it binds ('' for an expression statement's value). */
export type RecordSlot = { readonly key: string; readonly name: string; readonly span: SourceSpan };

export function recordSlot(name: string, span: SourceSpan): RecordSlot {
  return { key: `${span.from}:${name}`, name, span };
}

export class RunRecorder<Value> {
  readonly prints: Printed[] = [];
  /** Each name's latest binding. */
  readonly variables = new Map<string, Assigned<Value>>();
  /** Keyed by statement position and name: a statement run again (in a loop) keeps its place and shows its last value. */
  private readonly assignmentsByTarget = new Map<string, Assigned<Value>>();

  print(text: string, span: SourceSpan): void {
    this.prints.push({ text, span });
  }

  /** `name` is '' for the value of an expression statement. */
  assign(name: string, span: SourceSpan, value: Value): void {
    this.record(recordSlot(name, span), value);
  }

  /** The same with the slot made once, at compile time: cheap enough for a loop body. */
  record(slot: RecordSlot, value: Value): void {
    const assigned = { name: slot.name, span: slot.span, value };
    this.assignmentsByTarget.set(slot.key, assigned);
    if (slot.name !== '') this.variables.set(slot.name, assigned);
  }

  /** A name bound before the code ran (TypeScript's given inputs): known to hovers and the report, shown after no line. */
  bind(name: string, span: SourceSpan, value: Value): void {
    this.variables.set(name, { name, span, value });
  }

  get assignments(): Assigned<Value>[] {
    return [...this.assignmentsByTarget.values()];
  }
}
