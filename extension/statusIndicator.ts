// A status bar item: shows that Gradient Lens is active, when it is running, and how the last run
// ended; clicking it opens the graph.
import * as vscode from 'vscode';
import type { RunReport } from '../protocol/runReport';
import { CommandId } from './commands';

export class StatusIndicator implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('gradientLens.status', vscode.StatusBarAlignment.Left, 0);

  constructor() {
    this.item.name = 'Gradient Lens';
    this.item.command = CommandId.ShowGraph;
    this.idle('Gradient Lens is ready: run “Gradient Lens: Inspect Gradients” on a selection');
    this.item.show();
  }

  running(): void {
    this.set('$(sync~spin) Gradient Lens', 'Gradient Lens is running the selection');
  }

  finished(report: RunReport): void {
    const error = report.diagnostics.find((diagnostic) => diagnostic.severity === 'error');
    if (error) this.set('$(error) Gradient Lens', error.message);
    else this.set('$(pulse) Gradient Lens', `Ran in ${report.timings.runMs} ms, ${report.graph.nodes.length} graph nodes. Click to show the graph.`);
  }

  failed(message: string): void {
    this.set('$(error) Gradient Lens', message);
  }

  private idle(tooltip: string): void {
    this.set('$(pulse) Gradient Lens', tooltip);
  }

  private set(text: string, tooltip: string): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
  }

  dispose(): void {
    this.item.dispose();
  }
}
