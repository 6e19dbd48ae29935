// The frame of every run, whatever the language: engine defaults restored, parse, execute (an
// error ends the run but keeps what it recorded), then the report, each phase timed.
import type { RunReport } from '../../../protocol/runReport';
import type { EngineError } from '../../errors';
import { buildRunReport } from '../../report/buildReport';
import type { ValueStyle } from '../../report/valueStyle';
import type { Tensor } from '../../tensor/tensor';
import { resetEngineState } from './engineState';
import { setProgressBuffer } from './progress';
import { locate } from './locate';
import { PositionMapper } from './positions';
import type { RunOutcome } from './runOutcome';
import type { RunRecorder } from './runRecorder';
import type { RunRequest } from './runRequest';

export type LanguageRun<Program, Value> = {
  readonly style: ValueStyle<Value>;
  /** A syntax error stops the run before anything executes, as in Python and JavaScript. */
  parse(text: string): { readonly program: Program } | { readonly error: EngineError };
  execute(program: Program): void;
  readonly recorder: RunRecorder<Value>;
  /** Leaves reported even when the result does not use them (TypeScript's inputs). */
  inputs(): readonly Tensor[];
  /** The value whose gradients the graph shows. */
  output(): Tensor | undefined;
  /** Inputs that had no value (TypeScript). */
  missingInputs?(): readonly string[];
};

export function runAndReport<Program, Value>(request: RunRequest, language: LanguageRun<Program, Value>): RunReport {
  resetEngineState(request.limits);
  setProgressBuffer(request.progress);
  const parseStarted = Date.now();
  let parsed: ReturnType<typeof language.parse>;
  try {
    parsed = language.parse(request.text);
  } catch (thrown) {
    // A text that breaks the parser or the compiler (nesting deeper than the stack) is still just an error in the text.
    parsed = { error: locate(thrown, { from: 0, to: 0 }) };
  }
  const parseMs = Date.now() - parseStarted;

  const runStarted = Date.now();
  let error: EngineError | undefined;
  if ('error' in parsed) {
    error = parsed.error;
  } else {
    try {
      language.execute(parsed.program);
    } catch (thrown) {
      error = locate(thrown, { from: 0, to: 0 });
    }
  }
  const runMs = Date.now() - runStarted;

  const { recorder } = language;
  const context = { style: language.style, positions: new PositionMapper(request.text, request.origin), parseMs, runMs };
  const outcome: RunOutcome<Value> = {
    prints: recorder.prints,
    assignments: recorder.assignments,
    variables: recorder.variables,
    inputs: language.inputs(),
    output: language.output(),
    error,
    missingInputs: language.missingInputs?.() ?? [],
  };
  try {
    return buildRunReport(outcome, context);
  } catch (thrown) {
    // A report that cannot be built (a value the summary chokes on) still says what happened.
    return buildRunReport({ ...outcome, assignments: [], variables: new Map(), inputs: [], output: undefined, error: error ?? locate(thrown, { from: 0, to: 0 }) }, context);
  }
}
