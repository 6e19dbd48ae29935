// One entry for every host (worker, command line, tests): run a script in its language.
import type { RunReport, ScriptLanguage } from '../protocol/runReport';
import { runPython } from './lang/python/runPython';
import type { RunRequest } from './lang/runtime/runRequest';
import { runTypeScript } from './lang/typescript/runTypeScript';

const runners: Record<ScriptLanguage, (request: RunRequest) => RunReport> = {
  python: runPython,
  typescript: runTypeScript,
};

export function runScript(request: RunRequest): RunReport {
  return runners[request.language](request);
}

/** The language a file runs as, by its extension. */
export function languageOfFile(extension: string): ScriptLanguage | undefined {
  const key = extension.replace(/^\./, '').toLowerCase();
  if (key === 'py') return 'python';
  if (['ts', 'mts', 'cts', 'tsx', 'js', 'mjs', 'cjs', 'jsx'].includes(key)) return 'typescript';
  return undefined;
}
