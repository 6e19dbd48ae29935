// The graph webview's page: a strict content security policy, nonce scripts, assets from dist/webview only.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function graphPanelHtml(webview: vscode.Webview, assets: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(assets, 'main.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(assets, 'graph.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    // The layout runs in a worker made from a blob: URL, off the panel's main thread.
    'worker-src blob:',
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${style}">
  <title>Gradient Graph</title>
</head>
<body>
  <header id="heading" role="banner"></header>
  <main id="graph" aria-label="Computational graph" tabindex="-1"><p class="empty">Run “Gradient Lens: Inspect Gradients” to draw a graph.</p></main>
  <script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
