// What the commands do: run the selection (or the whole document) in the engine worker, store the
// report, and show the graph. The extension host never runs user code itself.
import * as vscode from 'vscode';
import type { RunReport } from '../protocol/runReport';
import { languageOf } from './languages';
import { type EngineClient, EngineStoppedError } from '../engine/host/engineClient';
import { GraphPanel } from './graphPanel';
import type { InputValues } from './inputValues';
import type { RunDiagnostics } from './diagnostics';
import type { RunResults } from './runResults';
import { runLimits } from './settings';
import type { StatusIndicator } from './statusIndicator';

export class Inspector {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly engine: EngineClient,
    private readonly results: RunResults,
    private readonly diagnostics: RunDiagnostics,
    private readonly status: StatusIndicator,
    private readonly inputValues: InputValues,
  ) {}

  /**
   * Runs the active editor's selection, or its whole document when nothing is selected. Returns the
   * report (for tests and other extensions). A TypeScript selection that uses names without values
   * asks for them once, then runs again.
   */
  async inspect(editor = vscode.window.activeTextEditor, askForInputs = true): Promise<RunReport | undefined> {
    if (!editor) {
      void vscode.window.showInformationMessage('Gradient Lens: open a tensor script (.py) or a TypeScript/JavaScript file first.');
      return undefined;
    }
    const document = editor.document;
    const language = languageOf(document.languageId);
    if (!language) {
      void vscode.window.showWarningMessage(`Gradient Lens runs Python tensor scripts and TypeScript/JavaScript, not ${document.languageId}.`);
      return undefined;
    }
    const selection = editor.selection;
    const range = selection.isEmpty ? new vscode.Range(0, 0, document.lineCount, 0) : new vscode.Range(selection.start, selection.end);
    const evaluated = document.validateRange(range);
    const version = document.version;
    // A TypeScript selection finds its inputs in the lines before it and in the values given for this document.
    const inputs = language === 'typescript' ? { preamble: document.getText(new vscode.Range(new vscode.Position(0, 0), evaluated.start)), inputs: this.inputValues.get(document.uri) } : {};
    this.status.running();
    try {
      const { report } = await this.engine.run({
        document: { uri: document.uri.toString(), version },
        language,
        text: document.getText(evaluated),
        origin: { line: evaluated.start.line, character: evaluated.start.character },
        limits: runLimits(),
        ...inputs,
      });
      // A result for an older version of the document is dropped.
      if (document.version !== version) return report;
      const run = { uri: document.uri, version, range: evaluated, report };
      this.results.set(run);
      GraphPanel.updateIfOpen(run);
      this.status.finished(report);
      if (askForInputs && report.missingInputs.length > 0 && (await this.inputValues.ask(document.uri, report.missingInputs)) !== undefined) {
        return this.inspect(editor, false);
      }
      return report;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.results.delete(document.uri);
      // The statement the worker was running when it had to be stopped, else the start of what ran.
      const span = error instanceof EngineStoppedError ? error.span : undefined;
      const base = document.offsetAt(evaluated.start);
      const where = span ? new vscode.Range(document.positionAt(base + span.from), document.positionAt(base + span.to)) : new vscode.Range(evaluated.start, evaluated.start.translate(0, 1));
      this.diagnostics.showFailure(document.uri, where, `Gradient Lens ${message}`);
      this.status.failed(message);
      return undefined;
    }
  }

  async showGraph(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    let run = this.results.preferring(editor?.document.uri);
    if (!run && editor) {
      await this.inspect(editor);
      run = this.results.get(editor.document.uri);
    }
    GraphPanel.show(this.extensionUri, run);
  }

  /** Edits the values given for the active document's TypeScript inputs, then runs again. */
  async setInputs(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return;
    if ((await this.inputValues.ask(editor.document.uri, [])) !== undefined) await this.inspect(editor, false);
  }

  clear(): void {
    const editor = vscode.window.activeTextEditor;
    if (editor) this.results.delete(editor.document.uri);
  }
}
