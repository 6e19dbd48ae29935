// What an interpreter records while it runs, in the same form for every language: the report is
// built from it.
import type { SourceSpan } from '../../sourceSpan';
import type { Assigned, Printed } from './runOutcome';

type Binding<Value> = { readonly name: string; readonly span: SourceSpan; value: Value };

/** Where a value is shown: a statement and the name it binds ('' for an expression statement's value). */
export class RecordSlot {
  readonly key: string;
  /** What the slot recorded last, and for which run: a statement run again (in a loop) updates it in place. */
  binding: Binding<unknown> | undefined = undefined;
  recorder: RunRecorder<unknown> | undefined = undefined;
  /** The run's latest binding of the slot's name, shared by every slot of that name. */
  latest: { current: Binding<unknown> | undefined } | undefined = undefined;

  constructor(
    readonly name: string,
    readonly span: SourceSpan,
  ) {
    this.key = `${span.from}:${name}`;
  }
}

export function recordSlot(name: string, span: SourceSpan): RecordSlot {
  return new RecordSlot(name, span);
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
    let binding = slot.binding as Binding<Value> | undefined;
    if (binding === undefined || slot.recorder !== this) {
      slot.binding = binding = { name: slot.name, span: slot.span, value };
      slot.recorder = this as RunRecorder<unknown>;
      this.assignmentsByTarget.set(slot.key, binding);
      if (slot.name !== '') slot.latest = this.latestOf(slot.name);
    } else {
      binding.value = value;
    }
    // The name's binding changes only when another statement bound it since: a loop re-binding it
    // from the same statement costs a comparison, not a map write.
    const latest = slot.latest;
    if (latest !== undefined && latest.current !== binding) {
      latest.current = binding;
      this.variables.set(slot.name, binding);
    }
  }

  private readonly latestByName = new Map<string, { current: Binding<unknown> | undefined }>();

  private latestOf(name: string): { current: Binding<unknown> | undefined } {
    let latest = this.latestByName.get(name);
    if (latest === undefined) this.latestByName.set(name, (latest = { current: undefined }));
    return latest;
  }

  /** A name bound before the code ran (TypeScript's given inputs): known to hovers and the report, shown after no line. */
  bind(name: string, span: SourceSpan, value: Value): void {
    const binding = { name, span, value };
    this.latestOf(name).current = binding;
    this.variables.set(name, binding);
  }

  get assignments(): Assigned<Value>[] {
    return [...this.assignmentsByTarget.values()];
  }
}
