// The VS Code languages Gradient Lens runs, and the engine language each runs as.
import type { ScriptLanguage } from '../protocol/runReport';

const languages: ReadonlyMap<string, ScriptLanguage> = new Map([
  ['python', 'python'],
  ['typescript', 'typescript'],
  ['typescriptreact', 'typescript'],
  ['javascript', 'typescript'],
  ['javascriptreact', 'typescript'],
]);

export const supportedLanguageIds = [...languages.keys()];

export function languageOf(languageId: string): ScriptLanguage | undefined {
  return languages.get(languageId);
}
