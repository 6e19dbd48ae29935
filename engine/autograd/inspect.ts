// The inspector's own gradient pass: ∂output/∂(every value in its graph), leaving `.grad` and the
// script's view of the graph (freed or not) untouched.
import { add } from '../ops/arithmetic';
import { full } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { runBackward } from './backward';
import type { GraphNode } from './graphNode';

export type InspectedGradients = {
  /** ∂output/∂leaf for every leaf the output depends on. */
  readonly leaves: ReadonlyMap<Tensor, Tensor>;
  /** ∂output/∂(a node's output) for every node on the way, the output's own included. */
  readonly nodes: ReadonlyMap<GraphNode, Tensor>;
};

export function inspectGradients(output: Tensor): InspectedGradients {
  const leaves = new Map<Tensor, Tensor>();
  const nodes = new Map<GraphNode, Tensor>();
  if (!output.requiresGrad) return { leaves, nodes };
  runBackward([output], [full(output.shape, 1, output.dtype)], {
    retainGraph: true,
    createGraph: false,
    ignoreSavedChecks: true,
    collectLeafGradient: (leaf, gradient) => {
      const earlier = leaves.get(leaf);
      leaves.set(leaf, earlier ? add(earlier, gradient) : gradient);
    },
    onNodeGradient: (node, gradient) => nodes.set(node, gradient),
  });
  return { leaves, nodes };
}
