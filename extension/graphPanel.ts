// The graph panel: one webview panel owning its disposables, updated with each run, restored
// after a reload by its serializer, and able to reveal a node's code in the editor.
import * as vscode from 'vscode';
import type { FromWebview, ShowGraphMessage } from '../protocol/messages';
import { toVscodeRange } from './diagnostics';
import type { DocumentRun } from './runResults';
import { graphPanelHtml } from './webviewHtml';

export const graphViewType = 'gradientLens.graph';

export class GraphPanel implements vscode.Disposable {
  private static current: GraphPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private pendingMessage: ShowGraphMessage | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly assets: vscode.Uri,
  ) {
    panel.webview.options = { enableScripts: true, localResourceRoots: [assets] };
    panel.webview.html = graphPanelHtml(panel.webview, assets);
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    panel.webview.onDidReceiveMessage((message: FromWebview) => this.receive(message), undefined, this.disposables);
  }

  static show(extensionUri: vscode.Uri, run: DocumentRun | undefined): GraphPanel {
    const assets = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    if (!GraphPanel.current) {
      const panel = vscode.window.createWebviewPanel(graphViewType, 'Gradient Graph', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
        enableScripts: true,
        localResourceRoots: [assets],
        retainContextWhenHidden: false,
      });
      GraphPanel.current = new GraphPanel(panel, assets);
    } else {
      GraphPanel.current.panel.reveal(undefined, true);
    }
    if (run) GraphPanel.current.update(run);
    return GraphPanel.current;
  }

  /** Shows a newer run in the panel, if the panel is open. */
  static updateIfOpen(run: DocumentRun): void {
    GraphPanel.current?.update(run);
  }

  /** After a reload: the webview restores its own last graph from its state. */
  static restore(panel: vscode.WebviewPanel, extensionUri: vscode.Uri): void {
    GraphPanel.current?.dispose();
    GraphPanel.current = new GraphPanel(panel, vscode.Uri.joinPath(extensionUri, 'dist', 'webview'));
  }

  update(run: DocumentRun): void {
    const message: ShowGraphMessage = {
      kind: 'showGraph',
      document: { uri: run.uri.toString(), version: run.version },
      title: vscode.workspace.asRelativePath(run.uri),
      graph: run.report.graph,
    };
    this.panel.title = `Gradient Graph: ${message.title.split('/').pop()}`;
    if (this.ready) void this.panel.webview.postMessage(message);
    else this.pendingMessage = message;
  }

  private receive(message: FromWebview): void {
    switch (message.kind) {
      case 'ready':
        this.ready = true;
        if (this.pendingMessage) void this.panel.webview.postMessage(this.pendingMessage);
        this.pendingMessage = undefined;
        return;
      case 'revealSource':
        void revealSource(vscode.Uri.parse(message.document.uri), toVscodeRange(message.range));
        return;
      default:
        return message satisfies never;
    }
  }

  dispose(): void {
    if (GraphPanel.current === this) GraphPanel.current = undefined;
    this.panel.dispose();
    this.disposables.forEach((disposable) => disposable.dispose());
    this.disposables.length = 0;
  }
}

async function revealSource(uri: vscode.Uri, range: vscode.Range): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  const column = vscode.window.visibleTextEditors.find((editor) => editor.document === document)?.viewColumn ?? vscode.ViewColumn.One;
  await vscode.window.showTextDocument(document, { selection: range, viewColumn: column, preserveFocus: false });
}
