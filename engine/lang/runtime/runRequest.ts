// What a run is asked to do: the same for the worker, the command line and the tests.
import type { ScriptLanguage, SourcePosition } from '../../../protocol/runReport';
import type { RunLimits } from './limits';

export type RunRequest = {
  readonly language: ScriptLanguage;
  readonly text: string;
  /** Where the text starts in its document, so that reported ranges are document ranges. */
  readonly origin: SourcePosition;
  readonly limits: RunLimits;
  /** The document's text before the selection: where a TypeScript selection finds earlier declarations and `// @grad` comments. */
  readonly preamble?: string;
  /** Values for a TypeScript selection's inputs, as `x=2, w=[1, 2]` (the editor's input box, `--set`). */
  readonly inputs?: string;
  /** Where the run reports the statement it is on (see progress.ts); absent in-process. */
  readonly progress?: SharedArrayBuffer;
};
