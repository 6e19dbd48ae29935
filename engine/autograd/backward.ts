// The chain rule, in exactly one place: a topological order of the graph, walked from the outputs back.
import { EngineError } from '../errors';
import { add } from '../ops/arithmetic';
import type { BackwardContext } from '../ops/opDefinition';
import { toDType } from '../ops/convert';
import { sumTo } from '../ops/reduce';
import type { Tensor } from '../tensor/tensor';
import type { GraphNode } from './graphNode';
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
  /** Sees the gradient arriving at every non-leaf tensor: how the graph view shows ∂output/∂node. */
  readonly onNodeGradient?: (tensor: Tensor, gradient: Tensor) => void;
  /** The inspector reads a graph the script has already freed; PyTorch semantics hold for scripts only. */
  readonly ignoreFreedGraph?: boolean;
};

const freedGraphMessage =
  'Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). ' +
  'Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). ' +
  'Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.';

export function runBackward(outputs: readonly Tensor[], outputGradients: readonly Tensor[], options: BackwardOptions): void {
  withGradMode(options.createGraph, () => propagate(outputs, outputGradients, options));
}

function propagate(outputs: readonly Tensor[], outputGradients: readonly Tensor[], options: BackwardOptions): void {
  const accumulate = accumulateIntoGrad(options.createGraph);
  const collectLeaf = options.collectLeafGradient ?? accumulate;
  const pending = new Map<GraphNode, Tensor>();
  const roots: GraphNode[] = [];
  outputs.forEach((output, i) => {
    const gradient = outputGradients[i];
    if (output.gradFn === null) {
      if (output.requiresGrad) collectLeaf(output, gradient);
      return;
    }
    const earlier = pending.get(output.gradFn);
    pending.set(output.gradFn, earlier ? add(earlier, gradient) : gradient);
    roots.push(output.gradFn);
  });

  const consumers = countConsumers(roots);
  const ready = roots.filter((node, i) => roots.indexOf(node) === i && !consumers.has(node));
  while (ready.length > 0) {
    const node = ready.pop() as GraphNode;
    const gradient = pending.get(node) as Tensor;
    pending.delete(node);
    // retain_grad() fills .grad on Tensor.backward only, not when gradients are collected instead.
    if (node.output.retainsGrad && !options.collectLeafGradient) accumulate(node.output, gradient);
    options.onNodeGradient?.(node.output, gradient);
    const inputGradients = node.op.backward(gradient, backwardContext(node, options));
    if (!options.retainGraph) node.released = true;
    node.inputs.forEach((input, i) => {
      const inputGradient = inputGradients[i];
      if (!input.requiresGrad || !inputGradient) return;
      // As PyTorch's engine does, each gradient takes its input's shape and dtype.
      const shaped = toDType(sumTo(inputGradient, input.shape), input.dtype);
      if (input.gradFn === null) {
        collectLeaf(input, shaped);
        return;
      }
      const earlier = pending.get(input.gradFn);
      pending.set(input.gradFn, earlier ? add(earlier, shaped) : shaped);
      const remaining = (consumers.get(input.gradFn) as number) - 1;
      if (remaining === 0) {
        consumers.delete(input.gradFn);
        ready.push(input.gradFn);
      } else {
        consumers.set(input.gradFn, remaining);
      }
    });
  }
}

/** How many edges lead into each node from nodes reachable from the roots (iterative: graphs can be a million deep). */
function countConsumers(roots: readonly GraphNode[]): Map<GraphNode, number> {
  const consumers = new Map<GraphNode, number>();
  const seen = new Set<GraphNode>(roots);
  const stack = [...seen];
  while (stack.length > 0) {
    const node = stack.pop() as GraphNode;
    for (const input of node.inputs) {
      const producer = input.gradFn;
      if (producer === null || !input.requiresGrad) continue;
      consumers.set(producer, (consumers.get(producer) ?? 0) + 1);
      if (!seen.has(producer)) {
        seen.add(producer);
        stack.push(producer);
      }
    }
  }
  return consumers;
}

function backwardContext<Attrs>(node: GraphNode<Attrs>, options: BackwardOptions): BackwardContext<Attrs> {
  const checkSaved = () => {
    if (node.released && !options.ignoreFreedGraph) throw new EngineError('RuntimeError', freedGraphMessage);
  };
  return {
    attrs: node.attrs,
    input: (index) => {
      checkSaved();
      return node.inputs[index];
    },
    output: () => {
      checkSaved();
      return node.output;
    },
    needsInputGrad: (index) => node.inputs[index].requiresGrad,
  };
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
