// The autograd graph as plain data for the graph view: one node per op node and per leaf, edges
// from where an input came from to the op that used it, constants folded into their op's node.
import type { GraphEdge, GraphNodeSnapshot, GraphSnapshot } from '../../protocol/runReport';
import type { InspectedGradients } from '../autograd/inspect';
import { type GradientTarget, GraphNode, targetOf } from '../autograd/graphNode';
import type { PositionMapper } from '../lang/runtime/positions';
import type { SourceSpan } from '../sourceSpan';
import type { Tensor } from '../tensor/tensor';
import { type ValueStyle, summarizeTensor } from './valueStyle';

export const maxSnapshotNodes = 2000;
const maxCodeLength = 60;

export type SnapshotInput<Value> = {
  /** Values the graph is drawn from: every named value and the output. */
  readonly roots: readonly Tensor[];
  readonly output: Tensor | undefined;
  /** ∂output/∂value for the values on the way to the output. */
  readonly gradients: InspectedGradients | undefined;
  readonly names: ReadonlyMap<Tensor, readonly string[]>;
  readonly style: ValueStyle<Value>;
  readonly positions: PositionMapper;
};

const idOf = (target: GradientTarget) => target.id;

/** Where a tensor's gradient goes; null where reading its history raises (a view PyTorch refuses to rebuild). */
function readableTarget(tensor: Tensor): GradientTarget | null {
  try {
    return targetOf(tensor);
  } catch {
    return null;
  }
}

export function graphSnapshot<Value>(input: SnapshotInput<Value>): GraphSnapshot {
  const { style, positions, gradients } = input;
  // A name belongs to the node that made the tensor's current value.
  const namesOfNode = new Map<GraphNode, readonly string[]>();
  for (const [tensor, names] of input.names) {
    const node = readableTarget(tensor);
    if (node instanceof GraphNode) namesOfNode.set(node, names);
  }
  const outputTarget = input.output ? readableTarget(input.output) : null;

  const codeOf = (span: SourceSpan | undefined) => {
    if (!span) return {};
    const code = positions.textOf(span).replace(/\s+/g, ' ');
    return { range: positions.range(span), code: code.length > maxCodeLength ? `${code.slice(0, maxCodeLength - 1)}…` : code };
  };

  const nodes: GraphNodeSnapshot[] = [];
  const edges: GraphEdge[] = [];
  const seen = new Set<number>();
  const stack = input.roots.flatMap((root) => readableTarget(root) ?? []);
  let truncated = false;
  while (stack.length > 0) {
    const target = stack.pop() as GradientTarget;
    const id = idOf(target);
    if (seen.has(id)) continue;
    if (seen.size >= maxSnapshotNodes) {
      truncated = true;
      break;
    }
    seen.add(id);
    const isOutput = outputTarget !== null && idOf(outputTarget) === id;
    if (!(target instanceof GraphNode)) {
      const leaf = target;
      const gradient = gradients?.leaves.get(leaf);
      nodes.push({
        id,
        kind: 'leaf',
        nodeName: 'AccumulateGrad',
        names: input.names.get(leaf) ?? [],
        value: summarizeTensor(leaf, style),
        ...(gradient ? { grad: summarizeTensor(gradient, style) } : {}),
        constants: [],
        ...codeOf(leaf.sourceSpan),
        isOutput,
      });
      continue;
    }
    const node = target;
    const constants: string[] = [];
    for (let inputIndex = 0; inputIndex < node.inputCount; inputIndex++) {
      const next = node.target(inputIndex);
      if (next) {
        edges.push({ from: idOf(next), to: id, inputIndex });
        stack.push(next);
      } else {
        const operand = node.input(inputIndex);
        constants.push(operand.isWrappedNumber ? style.tensorText(operand) : style.tensorRepr(operand));
      }
    }
    const attrs = node.op.describeAttrs?.(node.attrs);
    if (attrs) constants.push(attrs);
    const gradient = gradients?.gradientAt(node);
    nodes.push({
      id,
      kind: 'op',
      op: node.op.name,
      nodeName: node.name,
      names: namesOfNode.get(node) ?? [],
      value: summarizeTensor(node.output(0), style),
      ...(gradient ? { grad: summarizeTensor(gradient, style) } : {}),
      constants,
      ...codeOf(node.sourceSpan),
      isOutput,
    });
  }
  const included = new Set(nodes.map((node) => node.id));
  return {
    nodes,
    edges: edges.filter((edge) => included.has(edge.from) && included.has(edge.to)),
    ...(outputTarget ? { outputId: idOf(outputTarget) } : {}),
    truncated,
  };
}
