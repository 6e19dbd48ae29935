// Draws a graph snapshot: one focusable box per value (name, PyTorch node type, value, gradient,
// code), edges from inputs to the op that used them. Clicking a node, or Enter on it, reveals its code.
import type { GraphNodeSnapshot, GraphSnapshot, ValueSummary } from '../protocol/runReport';
import { type Layout, layOut } from './layout';

export type NodeActivation = (node: GraphNodeSnapshot) => void;

type NodeLine = { readonly className: string; readonly text: string };

const maxLineCharacters = 48;
const clip = (text: string) => (text.length > maxLineCharacters ? `${text.slice(0, maxLineCharacters - 1)}…` : text);
const summaryText = (value: ValueSummary) => value.text.replace(/\s*\n\s*/g, ' ');

function nodeLines(node: GraphNodeSnapshot): NodeLine[] {
  const title = node.names.length > 0 ? node.names.join(', ') : node.op ?? 'value';
  const operands = node.constants.length > 0 ? ` · ${node.constants.join(', ')}` : '';
  const lines: NodeLine[] = [
    { className: 'title', text: title },
    { className: 'kind', text: node.kind === 'leaf' ? 'leaf · AccumulateGrad' : `${node.nodeName}${operands}` },
    { className: 'value', text: `value ${summaryText(node.value)}` },
  ];
  if (node.grad) lines.push({ className: 'grad', text: `grad  ${summaryText(node.grad)}` });
  if (node.code && node.kind === 'op') lines.push({ className: 'code', text: node.code });
  return lines.map((line) => ({ ...line, text: clip(line.text) }));
}

/** The width of one character of the panel's monospace font, measured once. */
function characterWidth(element: HTMLElement): number {
  const context = document.createElement('canvas').getContext('2d');
  if (!context) return 8;
  context.font = getComputedStyle(element).font;
  return context.measureText('0'.repeat(100)).width / 100;
}

export async function renderGraph(container: HTMLElement, graph: GraphSnapshot, activate: NodeActivation): Promise<void> {
  container.replaceChildren();
  if (graph.nodes.length === 0) {
    const empty = document.createElement('p');
    empty.className = 'empty';
    empty.textContent = 'This run built no graph: no tensor in it requires grad.';
    container.append(empty);
    return;
  }
  const probe = document.createElement('div');
  probe.className = 'node';
  container.append(probe);
  const charWidth = characterWidth(probe);
  const lineHeight = parseFloat(getComputedStyle(probe).lineHeight) || 18;
  probe.remove();

  const linesById = new Map(graph.nodes.map((node) => [String(node.id), nodeLines(node)]));
  const padding = 12;
  const layout = await layOut({
    nodes: graph.nodes.map((node) => {
      const lines = linesById.get(String(node.id)) ?? [];
      const longest = Math.max(...lines.map((line) => line.text.length));
      return { id: String(node.id), width: Math.ceil(longest * charWidth) + 2 * padding, height: lines.length * lineHeight + padding };
    }),
    edges: graph.edges.map((edge, i) => ({ id: `e${i}`, from: String(edge.from), to: String(edge.to) })),
  });
  draw(container, graph, layout, linesById, activate);
}

function draw(
  container: HTMLElement,
  graph: GraphSnapshot,
  layout: Layout,
  linesById: ReadonlyMap<string, NodeLine[]>,
  activate: NodeActivation,
): void {
  const canvas = document.createElement('div');
  canvas.className = 'canvas';
  canvas.style.width = `${layout.size.width}px`;
  canvas.style.height = `${layout.size.height}px`;

  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('width', String(layout.size.width));
  svg.setAttribute('height', String(layout.size.height));
  svg.setAttribute('aria-hidden', 'true');
  const marker = document.createElementNS(svgNs, 'marker');
  marker.id = 'arrow';
  for (const [name, value] of Object.entries({ viewBox: '0 0 10 10', refX: '10', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto' })) {
    marker.setAttribute(name, value);
  }
  const tip = document.createElementNS(svgNs, 'path');
  tip.setAttribute('d', 'M 0 0 L 10 5 L 0 10 z');
  marker.append(tip);
  const defs = document.createElementNS(svgNs, 'defs');
  defs.append(marker);
  svg.append(defs);
  for (const points of layout.edges.values()) {
    if (points.length < 2) continue;
    const path = document.createElementNS(svgNs, 'path');
    path.setAttribute('class', 'edge');
    path.setAttribute('d', `M ${points.map((p) => `${p.x} ${p.y}`).join(' L ')}`);
    path.setAttribute('marker-end', 'url(#arrow)');
    svg.append(path);
  }
  canvas.append(svg);

  for (const node of graph.nodes) {
    const position = layout.nodes.get(String(node.id));
    if (!position) continue;
    const box = document.createElement('div');
    box.className = `node ${node.kind}${node.isOutput ? ' output' : ''}`;
    box.style.left = `${position.x}px`;
    box.style.top = `${position.y}px`;
    box.tabIndex = 0;
    box.setAttribute('role', 'button');
    box.dataset.nodeId = String(node.id);
    const lines = linesById.get(String(node.id)) ?? [];
    box.setAttribute('aria-label', lines.map((line) => line.text).join(', '));
    if (node.range) box.title = 'Click or press Enter to show the code';
    for (const line of lines) {
      const row = document.createElement('div');
      row.className = line.className;
      row.textContent = line.text;
      box.append(row);
    }
    box.addEventListener('click', () => activate(node));
    box.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        activate(node);
      }
    });
    canvas.append(box);
  }
  container.append(canvas);
  fitToPanel(container, canvas, layout.size.width, layout.size.height);
}

/** Zooms a large graph out to fit the panel (down to a readable minimum); the rest scrolls. */
function fitToPanel(container: HTMLElement, canvas: HTMLElement, width: number, height: number): void {
  const minimumScale = 0.5;
  const availableWidth = container.clientWidth || document.documentElement.clientWidth;
  const availableHeight = document.documentElement.clientHeight - container.getBoundingClientRect().top;
  const scale = Math.max(minimumScale, Math.min(1, availableWidth / width, availableHeight / height));
  canvas.style.transform = `scale(${scale})`;
  canvas.style.transformOrigin = '0 0';
  // A transform leaves the layout box as it was: negative margins make scrolling match what is drawn.
  canvas.style.marginBottom = `${height * (scale - 1)}px`;
  canvas.style.marginRight = `${width * (scale - 1)}px`;
}
