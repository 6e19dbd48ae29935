// Running scripts in tests the way the worker does.
import type { RunReport, ScriptLanguage } from '../../protocol/runReport';
import { defaultRunLimits } from '../../engine/lang/runtime/limits';
import { runScript } from '../../engine/run';

/** What a run may be given besides its text: the text before the selection and input values (TypeScript). */
export type RunExtras = { readonly preamble?: string; readonly inputs?: string };

export function run(language: ScriptLanguage, text: string, limits = defaultRunLimits, extras: RunExtras = {}): RunReport {
  return runScript({ language, text, origin: { line: 0, character: 0 }, limits, ...extras });
}

export const runPythonText = (text: string) => run('python', text);
export const runTypeScriptText = (text: string, extras: RunExtras = {}) => run('typescript', text, defaultRunLimits, extras);

/** What the script printed, as one string. */
export const printed = (report: RunReport) => report.prints.map((p) => p.text).join('');

export const lines = (...text: string[]) => `${text.join('\n')}\n`;
