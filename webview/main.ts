// The graph panel app: draws the graph the extension sends, keeps it in the webview state so that
// it survives a reload, and asks the extension to reveal a node's code.
import type { ShowGraphMessage, ToWebview } from '../protocol/messages';
import { renderGraph } from './graphView';
import { vscode } from './vscodeApi';

const heading = document.getElementById('heading') as HTMLElement;
const graphElement = document.getElementById('graph') as HTMLElement;

async function show(message: ShowGraphMessage): Promise<void> {
  vscode.setState({ lastGraph: message });
  const { nodes, truncated } = message.graph;
  heading.textContent = `${message.title} — ${nodes.length} node${nodes.length === 1 ? '' : 's'}${truncated ? ' (truncated)' : ''}`;
  try {
    await renderGraph(graphElement, message.graph, (node) => {
      if (node.range) vscode.postMessage({ kind: 'revealSource', document: message.document, range: node.range });
    });
    document.body.dataset.rendered = 'true';
  } catch (error) {
    graphElement.textContent = `The graph could not be drawn: ${error instanceof Error ? error.message : String(error)}`;
  }
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  switch (message.kind) {
    case 'showGraph':
      void show(message);
      return;
    default:
      return message.kind satisfies never;
  }
});

const restored = vscode.getState()?.lastGraph;
if (restored) void show(restored);
vscode.postMessage({ kind: 'ready' });
