// Activation: wires the engine client, the run results and their views, and the commands.
import * as vscode from 'vscode';
import { CommandId } from './commands';
import { RunDiagnostics } from './diagnostics';
import { EngineClient } from '../engine/host/engineClient';
import { GraphPanel, graphViewType } from './graphPanel';
import { ResultHoverProvider } from './hoverProvider';
import { InlineDecorations } from './inlineDecorations';
import { InputValues } from './inputValues';
import { Inspector } from './inspector';
import { supportedLanguageIds } from './languages';
import { RunResults } from './runResults';
import { workerMemoryMb } from './settings';
import { StatusIndicator } from './statusIndicator';

export function activate(context: vscode.ExtensionContext): { inspect: Inspector['inspect'] } {
  const results = new RunResults();
  const engine = new EngineClient(vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath, workerMemoryMb);
  const diagnostics = new RunDiagnostics(results);
  const status = new StatusIndicator();
  const inspector = new Inspector(context.extensionUri, engine, results, diagnostics, status, new InputValues(context.workspaceState));

  context.subscriptions.push(
    results,
    engine,
    diagnostics,
    status,
    new InlineDecorations(results),
    vscode.languages.registerHoverProvider(
      supportedLanguageIds.map((language) => ({ language })),
      new ResultHoverProvider(results),
    ),
    vscode.commands.registerCommand(CommandId.InspectGradients, () => inspector.inspect()),
    vscode.commands.registerCommand(CommandId.ShowGraph, () => inspector.showGraph()),
    vscode.commands.registerCommand(CommandId.ClearResults, () => inspector.clear()),
    vscode.commands.registerCommand(CommandId.SetInputs, () => inspector.setInputs()),
    vscode.window.registerWebviewPanelSerializer(graphViewType, {
      deserializeWebviewPanel: async (panel) => GraphPanel.restore(panel, context.extensionUri),
    }),
    // A result describes the text that ran: once that text changes, it is dropped.
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.contentChanges.length > 0) results.delete(event.document.uri);
    }),
    vscode.workspace.onDidCloseTextDocument((document) => results.delete(document.uri)),
  );
  return { inspect: (editor, askForInputs) => inspector.inspect(editor, askForInputs) };
}

export function deactivate(): void {}
