// What a run shows after each line: what the line printed, and the value it assigned with
// ∂name/∂input beside it, e.g. `63.  ∂y/∂x = 93.`.
import type { AssignmentReport, RunReport, ValueSummary } from '../protocol/runReport';

const maxLineText = 160;

export function valueText(value: ValueSummary): string {
  return value.text.replace(/\s*\n\s*/g, ' ');
}

export function assignmentText(assignment: AssignmentReport): string {
  const partials = assignment.partials.map((partial) => `∂${assignment.name}/∂${partial.withRespectTo} = ${valueText(partial.value)}`);
  return [valueText(assignment.value), ...partials].join('  ');
}

/** The text to show after each 0-based line that has something to show. */
export function inlineTextByLine(report: RunReport): Map<number, string> {
  const parts = new Map<number, string[]>();
  const add = (line: number, text: string) => parts.set(line, [...(parts.get(line) ?? []), text]);
  for (const printed of report.prints) add(printed.range.end.line, printed.text.replace(/\n$/, '').replace(/\n/g, ' ⏎ '));
  for (const assignment of report.assignments) add(assignment.range.end.line, assignmentText(assignment));
  const result = new Map<number, string>();
  for (const [line, texts] of parts) {
    const text = texts.join('   ');
    result.set(line, text.length > maxLineText ? `${text.slice(0, maxLineText - 1)}…` : text);
  }
  return result;
}
