// What an interpreter records while it runs, in the same form for every language: the report is
// built from it.
import type { SourceSpan } from '../../sourceSpan';
import type { Assigned, Printed } from './runOutcome';

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
    const assigned = { name, span, value };
    this.assignmentsByTarget.set(`${span.from}:${name}`, assigned);
    if (name !== '') this.variables.set(name, assigned);
  }

  get assignments(): Assigned<Value>[] {
    return [...this.assignmentsByTarget.values()];
  }
}
