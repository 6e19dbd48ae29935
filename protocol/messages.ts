// Every message between the extension, the engine worker and the graph webview: one union per
// direction. Requests carry an id and replies name it; document messages carry (uri, version) so
// that results for an older version of a document are dropped.
import type { GraphSnapshot, RunReport, ScriptLanguage, SourcePosition, SourceRange } from './runReport';

export type DocumentRef = { readonly uri: string; readonly version: number };

/** Limits of one run; the worker also has a memory limit, set when it starts. */
export type RunLimits = {
  /** Wall time for the whole run. */
  readonly timeMs: number;
  /** Interpreter steps (statements, calls, loop iterations). */
  readonly maxSteps: number;
  /** Nested calls of a script's own functions. */
  readonly maxRecursionDepth: number;
  /** Elements in any one tensor. */
  readonly maxTensorElements: number;
  /** Memory all live tensors hold together, in MiB (measured where the host can tell). */
  readonly maxTensorMemoryMb: number;
  /** Nodes the autograd graph may record in one run. */
  readonly maxGraphNodes: number;
};

// extension → worker
export type RunScriptRequest = {
  readonly kind: 'runScript';
  readonly id: number;
  readonly document: DocumentRef;
  readonly language: ScriptLanguage;
  readonly text: string;
  readonly origin: SourcePosition;
  readonly limits: RunLimits;
  /** The document's text before the selection: where a TypeScript selection finds earlier declarations and `// @grad` comments. */
  readonly preamble?: string;
  /** Values for a TypeScript selection's inputs, as `x=2, w=[1, 2]`. */
  readonly inputs?: string;
  /** Two int32 the worker keeps pointing at the statement it runs (offsets into text), for the host to read if it must stop the worker. */
  readonly progress?: SharedArrayBuffer;
};
export type ToWorker = RunScriptRequest;

// worker → extension
export type RunScriptResult = { readonly kind: 'runResult'; readonly inReplyTo: number; readonly document: DocumentRef; readonly report: RunReport };
export type WorkerFailure = { readonly kind: 'failure'; readonly inReplyTo: number; readonly message: string };
export type FromWorker = RunScriptResult | WorkerFailure;

// extension → webview
export type ShowGraphMessage = {
  readonly kind: 'showGraph';
  readonly document: DocumentRef;
  /** The document's file name, for the panel's heading. */
  readonly title: string;
  readonly graph: GraphSnapshot;
};
export type ToWebview = ShowGraphMessage;

// webview → extension
export type WebviewReady = { readonly kind: 'ready' };
export type RevealSourceMessage = { readonly kind: 'revealSource'; readonly document: DocumentRef; readonly range: SourceRange };
export type FromWebview = WebviewReady | RevealSourceMessage;
