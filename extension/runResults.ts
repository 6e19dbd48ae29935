// The last run report of each document, kept while the document is unchanged: every view of a
// result (decorations, hovers, the graph) reads it from here, and an edit makes it stale.
import * as vscode from 'vscode';
import type { RunReport } from '../protocol/runReport';

export type DocumentRun = {
  readonly uri: vscode.Uri;
  readonly version: number;
  /** The part of the document that ran (the selection, or all of it). */
  readonly range: vscode.Range;
  readonly report: RunReport;
};

export class RunResults implements vscode.Disposable {
  private readonly runs = new Map<string, DocumentRun>();
  private latestUri: string | undefined;
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires when a document's run is stored or dropped. */
  readonly onDidChange = this.changed.event;

  set(run: DocumentRun): void {
    this.runs.set(run.uri.toString(), run);
    this.latestUri = run.uri.toString();
    this.changed.fire(run.uri);
  }

  get(uri: vscode.Uri): DocumentRun | undefined {
    return this.runs.get(uri.toString());
  }

  /** The given document's run if it has one, else the most recent run of any document. */
  preferring(uri: vscode.Uri | undefined): DocumentRun | undefined {
    return (uri && this.get(uri)) ?? (this.latestUri ? this.runs.get(this.latestUri) : undefined);
  }

  delete(uri: vscode.Uri): void {
    if (this.runs.delete(uri.toString())) this.changed.fire(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
