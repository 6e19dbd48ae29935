// What a run is asked to do: the same for the worker, the command line and the tests.
import type { ScriptLanguage, SourcePosition } from '../../../protocol/runReport';
import type { RunLimits } from './limits';

export type RunRequest = {
  readonly language: ScriptLanguage;
  readonly text: string;
  /** Where the text starts in its document, so that reported ranges are document ranges. */
  readonly origin: SourcePosition;
  readonly limits: RunLimits;
  /** Where the run reports the statement it is on (see progress.ts); absent in-process. */
  readonly progress?: SharedArrayBuffer;
};
