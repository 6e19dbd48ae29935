// The chain rule, in exactly one place: the graph's nodes in dependency order, walked from the
// outputs back along each node's edges.
import { add } from '../ops/arithmetic';
import { toDType } from '../ops/convert';
import { EngineError } from '../errors';
import { sumTo } from '../ops/reduce';
import type { Tensor } from '../tensor/tensor';
import { type GradientTarget, GraphNode, targetOf } from './graphNode';
import { checkBackward, isAnomalyEnabled } from './anomaly';
import { withGradMode } from './gradMode';
import { hasHooks, runLeafHooks, runOutputHooks } from './hooks';
import { NodeContext } from './nodeContext';
import { withPassAnchor } from './tapeInputs';
import { type TapeEntryGradients, backwardOnTape, canBackwardOnTape } from './tapeBackward';

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
  /**
   * Takes, instead, the gradients of a scalar tape's entries, tape by tape, when the pass runs on
   * the tapes: a node is then made only for the entries someone looks up (see tapeBackward.ts).
   */
  readonly onTapeGradients?: (gradients: TapeEntryGradients) => void;
  /** The inspector reads a graph the script has already freed or modified; PyTorch's checks hold for scripts only. */
  readonly ignoreSavedChecks?: boolean;
};

/** A backward pass keeps its bookkeeping on the nodes, so passes cannot nest (a hook that calls backward). */
let passInProgress = false;

export function runBackward(outputs: readonly Tensor[], outputGradients: readonly Tensor[], options: BackwardOptions): void {
  if (passInProgress) throw new EngineError('RuntimeError', 'backward() cannot run inside another backward pass (from a hook, say)');
  passInProgress = true;
  try {
    withGradMode(options.createGraph, () => withPassAnchor(outputs, () => runPass(outputs, outputGradients, options)));
  } finally {
    passInProgress = false;
  }
}

function runPass(outputs: readonly Tensor[], outputGradients: readonly Tensor[], options: BackwardOptions): void {
  const leaves = new Map<Tensor, Tensor>();
  const arriveAtLeaf = (leaf: Tensor, gradient: Tensor) => {
    const earlier = leaves.get(leaf);
    leaves.set(leaf, earlier ? add(earlier, gradient) : gradient);
  };
  if (canBackwardOnTape(outputs, outputGradients, options)) backwardOnTape(outputs[0], outputGradients[0], options, arriveAtLeaf, accumulateIntoGrad(false));
  else propagate(outputs, outputGradients, options, arriveAtLeaf);
  // As PyTorch's AccumulateGrad does, a leaf's hooks see the sum of what reached it, once.
  const collect = options.collectLeafGradient ?? accumulateIntoGrad(options.createGraph);
  for (const [leaf, gradient] of leaves) collect(leaf, runLeafHooks(leaf, gradient));
}

/** Adds a gradient to what waits at a node's output. */
function deliverToNode(node: GraphNode, outputIndex: number, gradient: Tensor): void {
  if (node.outputCount === 1) {
    const earlier = node.pendingGradient as Tensor | undefined;
    node.pendingGradient = earlier ? add(earlier, gradient) : gradient;
    return;
  }
  const slots = (node.pendingGradient as (Tensor | undefined)[] | undefined) ?? new Array<Tensor | undefined>(node.outputCount);
  const earlier = slots[outputIndex];
  slots[outputIndex] = earlier ? add(earlier, gradient) : gradient;
  node.pendingGradient = slots;
}

function propagate(
  outputs: readonly Tensor[],
  outputGradients: readonly Tensor[],
  options: BackwardOptions,
  arriveAtLeaf: (leaf: Tensor, gradient: Tensor) => void,
): void {
  const accumulate = accumulateIntoGrad(options.createGraph);
  const deliver = (target: GradientTarget, outputIndex: number, gradient: Tensor) => {
    if (target instanceof GraphNode) deliverToNode(target, outputIndex, gradient);
    else arriveAtLeaf(target, gradient);
  };

  const roots: GraphNode[] = [];
  outputs.forEach((output, i) => {
    const target = targetOf(output);
    if (!target) return;
    if (target instanceof GraphNode) roots.push(target);
    deliver(target, output.outputIndex, outputGradients[i]);
  });

  const reached = countDependencies(roots);
  try {
    const ready = [...new Set(roots)].filter((node) => node.dependencies === 0);
    while (ready.length > 0) {
      const node = ready.pop() as GraphNode;
      const pending = node.pendingGradient;
      node.pendingGradient = undefined;
      // A node no gradient reached still counts as done, so that the nodes below it are not kept waiting.
      const inputGradients = pending ? backwardThrough(node, pending, options, accumulate) : [];
      for (let i = 0; i < node.inputCount; i++) {
        const target = node.target(i);
        if (target === null) continue;
        const inputGradient = inputGradients[i];
        // As PyTorch's engine does, each gradient takes its input's shape and dtype.
        if (inputGradient) deliver(target, node.targetOutput(i), toDType(sumTo(inputGradient, node.inputShape(i)), node.inputDType(i)));
        if (target instanceof GraphNode && --target.dependencies === 0) ready.push(target);
      }
    }
  } finally {
    // An error mid-pass must not leave gradients or counts behind for the next pass.
    for (const node of reached) {
      node.pendingGradient = undefined;
      node.dependencies = 0;
    }
  }
}

function backwardThrough(
  node: GraphNode,
  pending: Tensor | readonly (Tensor | undefined)[],
  options: BackwardOptions,
  accumulate: (tensor: Tensor, gradient: Tensor) => void,
): readonly (Tensor | null)[] {
  const slots = Array.isArray(pending) ? pending : [pending as Tensor];
  const gradients = slots.map((arriving, i) => {
    if (!arriving || !hasHooks()) return arriving;
    const { gradient, retained } = runOutputHooks(node, i, arriving);
    // retain_grad() fills .grad on Tensor.backward only, not when gradients are collected instead.
    if (retained && !options.collectLeafGradient) accumulate(retained, gradient);
    return gradient;
  });
  const context = new NodeContext(node, options.ignoreSavedChecks ?? false);
  let inputGradients: readonly (Tensor | null)[] = [];
  if (node.op.backwardMany) {
    inputGradients = node.op.backwardMany(Array.from({ length: node.outputCount }, (_, i) => gradients[i] ?? null), context);
  } else if (gradients[0]) {
    options.onNodeGradient?.(node, gradients[0]);
    inputGradients = node.op.backward(gradients[0], context);
  }
  if (isAnomalyEnabled()) checkBackward(node.name, inputGradients, node.sourceSpan);
  if (!options.retainGraph) node.released = true;
  return inputGradients;
}

/**
 * How many edges lead into each node from the nodes reachable from the roots, counted into
 * node.dependencies (iteratively: graphs can be a million deep). Returns the nodes reached.
 */
function countDependencies(roots: readonly GraphNode[]): GraphNode[] {
  const rootSet = new Set(roots);
  const reached = [...rootSet];
  const stack = [...rootSet];
  while (stack.length > 0) {
    const node = stack.pop() as GraphNode;
    for (let i = 0; i < node.inputCount; i++) {
      const target = node.target(i);
      if (!(target instanceof GraphNode)) continue;
      // Counts are 0 between passes, so a node's first count is its first visit (roots are already in).
      if (target.dependencies++ === 0 && !rootSet.has(target)) {
        reached.push(target);
        stack.push(target);
      }
    }
  }
  return reached;
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
