// The autograd graph as plain data for the graph view: one node per value, edges from inputs to
// the op that consumed them, constants folded into their consumer's node.
import type { GraphEdge, GraphNodeSnapshot, GraphSnapshot } from '../../protocol/runReport';
import type { PositionMapper } from '../lang/runtime/positions';
import type { Tensor } from '../tensor/tensor';
import { type ValueStyle, summarizeTensor } from './valueStyle';

export const maxSnapshotNodes = 2000;
const maxCodeLength = 60;

export type SnapshotInput<Value> = {
  /** Values the graph is drawn from: every named value and the output. */
  readonly roots: readonly Tensor[];
  readonly output: Tensor | undefined;
  /** ∂output/∂value for the values on the way to the output. */
  readonly gradients: ReadonlyMap<Tensor, Tensor>;
  readonly names: ReadonlyMap<Tensor, readonly string[]>;
  readonly style: ValueStyle<Value>;
  readonly positions: PositionMapper;
};

export function graphSnapshot<Value>(input: SnapshotInput<Value>): GraphSnapshot {
  const { style, positions } = input;
  const nodes: GraphNodeSnapshot[] = [];
  const edges: GraphEdge[] = [];
  const seen = new Set<Tensor>();
  const stack = input.roots.filter((root) => root.requiresGrad);
  let truncated = false;
  while (stack.length > 0) {
    const tensor = stack.pop() as Tensor;
    if (seen.has(tensor)) continue;
    if (seen.size >= maxSnapshotNodes) {
      truncated = true;
      break;
    }
    seen.add(tensor);
    const node = tensor.gradFn;
    const constants: string[] = [];
    if (node) {
      node.inputs.forEach((operand, inputIndex) => {
        if (operand.requiresGrad) {
          edges.push({ from: operand.id, to: tensor.id, inputIndex });
          stack.push(operand);
        } else {
          constants.push(operand.isWrappedNumber ? style.tensorText(operand) : style.tensorRepr(operand));
        }
      });
      const attrs = node.op.describeAttrs?.(node.attrs);
      if (attrs) constants.push(attrs);
    }
    const gradient = input.gradients.get(tensor);
    const span = tensor.sourceSpan;
    const code = span ? positions.textOf(span).replace(/\s+/g, ' ') : undefined;
    nodes.push({
      id: tensor.id,
      kind: node ? 'op' : 'leaf',
      ...(node ? { op: node.op.name } : {}),
      nodeName: node ? node.name : 'AccumulateGrad',
      names: input.names.get(tensor) ?? [],
      value: summarizeTensor(tensor, style),
      ...(gradient ? { grad: summarizeTensor(gradient, style) } : {}),
      constants,
      ...(span ? { range: positions.range(span) } : {}),
      ...(code ? { code: code.length > maxCodeLength ? `${code.slice(0, maxCodeLength - 1)}…` : code } : {}),
      isOutput: tensor === input.output,
    });
  }
  const included = new Set(nodes.map((node) => node.id));
  return {
    nodes,
    edges: edges.filter((edge) => included.has(edge.from) && included.has(edge.to)),
    ...(input.output ? { outputId: input.output.id } : {}),
    truncated,
  };
}
