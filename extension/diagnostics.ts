// A run's errors as VS Code diagnostics, with the range of the code that raised them.
import * as vscode from 'vscode';
import type { DiagnosticSeverity, SourceRange } from '../protocol/runReport';
import type { RunResults } from './runResults';

const severities: Record<DiagnosticSeverity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

export function toVscodeRange(range: SourceRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export class RunDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('gradientLens');
  private readonly subscription: vscode.Disposable;

  constructor(private readonly results: RunResults) {
    this.subscription = results.onDidChange((uri) => this.refresh(uri));
  }

  /** Reports a failure that has no run report (the engine was stopped), at the statement it was running. */
  showFailure(uri: vscode.Uri, range: vscode.Range, message: string): void {
    const diagnostic = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Error);
    diagnostic.source = 'Gradient Lens';
    this.collection.set(uri, [diagnostic]);
  }

  private refresh(uri: vscode.Uri): void {
    const run = this.results.get(uri);
    if (!run) {
      this.collection.delete(uri);
      return;
    }
    this.collection.set(
      uri,
      run.report.diagnostics.map((reported) => {
        const diagnostic = new vscode.Diagnostic(toVscodeRange(reported.range), reported.message, severities[reported.severity]);
        diagnostic.source = 'Gradient Lens';
        diagnostic.code = reported.code;
        return diagnostic;
      }),
    );
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}
