// The chain rule, in exactly one place: the graph's nodes in dependency order, walked from the
// outputs back along each node's edges.
import { add } from '../ops/arithmetic';
import { toDType } from '../ops/convert';
import type { BackwardContext } from '../ops/opDefinition';
import { sumTo } from '../ops/reduce';
import type { Tensor } from '../tensor/tensor';
import { type Edge, type GraphNode, edgeTo } from './graphNode';
import { checkBackward, isAnomalyEnabled } from './anomaly';
import { withGradMode } from './gradMode';

export type BackwardOptions = {
  /** Keep saved tensors for another pass; without it the graph counts as freed afterwards. */
  readonly retainGraph: boolean;
  /** Record the backward pass itself as a graph, for higher-order gradients. */
  readonly createGraph: boolean;
  /**
   * Where a leaf's gradient goes: accumulated into `.grad` (Tensor.backward), or handed to this
   * function (autograd.grad and the inspector, which must not touch `.grad`).
   */
  readonly collectLeafGradient?: (leaf: Tensor, gradient: Tensor) => void;
  /** Sees the gradient arriving at every node: how the graph view shows ∂output/∂value. */
  readonly onNodeGradient?: (node: GraphNode, gradient: Tensor) => void;
  /** The inspector reads a graph the script has already freed or modified; PyTorch's checks hold for scripts only. */
  readonly ignoreSavedChecks?: boolean;
};

export function runBackward(outputs: readonly Tensor[], outputGradients: readonly Tensor[], options: BackwardOptions): void {
  withGradMode(options.createGraph, () => propagate(outputs, outputGradients, options));
}

function propagate(outputs: readonly Tensor[], outputGradients: readonly Tensor[], options: BackwardOptions): void {
  const accumulate = accumulateIntoGrad(options.createGraph);
  const collect = options.collectLeafGradient ?? accumulate;
  const collectLeaf = (leaf: Tensor, gradient: Tensor) => collect(leaf, runHooks(leaf, gradient));
  // Gradients waiting at each node, one slot per output.
  const pending = new Map<GraphNode, (Tensor | undefined)[]>();
  const deliver = (edge: Edge, gradient: Tensor) => {
    if ('leaf' in edge) {
      collectLeaf(edge.leaf, gradient);
      return;
    }
    const slots = pending.get(edge.node) ?? new Array<Tensor | undefined>(edge.node.outputs.length);
    const earlier = slots[edge.outputIndex];
    slots[edge.outputIndex] = earlier ? add(earlier, gradient) : gradient;
    pending.set(edge.node, slots);
  };

  const roots: GraphNode[] = [];
  outputs.forEach((output, i) => {
    const edge = edgeTo(output);
    if (!edge) return;
    deliver(edge, outputGradients[i]);
    if ('node' in edge) roots.push(edge.node);
  });

  const consumers = countConsumers(roots);
  const ready = [...new Set(roots)].filter((node) => !consumers.has(node));
  while (ready.length > 0) {
    const node = ready.pop() as GraphNode;
    const slots = pending.get(node);
    pending.delete(node);
    // A node no gradient reached still counts as done, so that the nodes below it are not kept waiting.
    const inputGradients = slots ? backwardThrough(node, slots, options, accumulate) : [];
    node.next.forEach((edge, i) => {
      const inputGradient = inputGradients[i];
      if (edge && inputGradient) {
        // As PyTorch's engine does, each gradient takes its input's shape and dtype.
        const input = node.inputs[i];
        deliver(edge, toDType(sumTo(inputGradient, input.shape), input.dtype));
      }
      if (edge && 'node' in edge) {
        const remaining = (consumers.get(edge.node) as number) - 1;
        if (remaining === 0) {
          consumers.delete(edge.node);
          ready.push(edge.node);
        } else {
          consumers.set(edge.node, remaining);
        }
      }
    });
  }
}

function backwardThrough(
  node: GraphNode,
  slots: readonly (Tensor | undefined)[],
  options: BackwardOptions,
  accumulate: (tensor: Tensor, gradient: Tensor) => void,
): readonly (Tensor | null)[] {
  const gradients = node.outputs.map((output, i) => {
    const gradient = slots[i] && output.gradFn === node ? runHooks(output, slots[i]) : slots[i];
    // retain_grad() fills .grad on Tensor.backward only, not when gradients are collected instead.
    if (gradient && output.retainsGrad && output.gradFn === node && !options.collectLeafGradient) accumulate(output, gradient);
    return gradient;
  });
  const context = backwardContext(node, options);
  let inputGradients: readonly (Tensor | null)[] = [];
  if (node.op.backwardMany) {
    inputGradients = node.op.backwardMany(gradients.map((gradient) => gradient ?? null), context);
  } else if (gradients[0]) {
    options.onNodeGradient?.(node, gradients[0]);
    inputGradients = node.op.backward(gradients[0], context);
  }
  if (isAnomalyEnabled()) checkBackward(node.name, gradients, inputGradients, node.sourceSpan);
  if (!options.retainGraph) node.released = true;
  return inputGradients;
}

/** How many edges lead into each node from nodes reachable from the roots (iterative: graphs can be a million deep). */
function countConsumers(roots: readonly GraphNode[]): Map<GraphNode, number> {
  const consumers = new Map<GraphNode, number>();
  const seen = new Set<GraphNode>(roots);
  const stack = [...seen];
  while (stack.length > 0) {
    const node = stack.pop() as GraphNode;
    for (const edge of node.next) {
      if (!edge || !('node' in edge)) continue;
      consumers.set(edge.node, (consumers.get(edge.node) ?? 0) + 1);
      if (!seen.has(edge.node)) {
        seen.add(edge.node);
        stack.push(edge.node);
      }
    }
  }
  return consumers;
}

function backwardContext<Attrs>(node: GraphNode<Attrs>, options: BackwardOptions): BackwardContext<Attrs> {
  const ignore = options.ignoreSavedChecks ?? false;
  return {
    attrs: node.attrs,
    input: (index) => node.savedInput(index, ignore),
    output: () => node.savedOutput(0, ignore),
    needsInputGrad: (index) => node.next[index] !== null,
  };
}

/** Tensor hooks, in registration order; a hook that returns a tensor replaces the gradient. */
function runHooks(tensor: Tensor, gradient: Tensor): Tensor {
  let result = gradient;
  for (const hook of tensor.hooks ?? []) result = hook(result) ?? result;
  return result;
}

/**
 * AccumulateGrad: the first gradient is stored (a copy: gradients flowing through `add` are shared
 * between its inputs), later ones are added; they stay part of a graph only under create_graph.
 */
function accumulateIntoGrad(createGraph: boolean) {
  return (tensor: Tensor, gradient: Tensor): void => {
    if (tensor.grad !== null) tensor.grad = add(tensor.grad, gradient);
    else tensor.grad = createGraph ? gradient : gradient.copy();
  };
}
