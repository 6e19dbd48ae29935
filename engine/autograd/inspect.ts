// The inspector's own gradient pass: ∂output/∂(every value in its graph), leaving `.grad` and the
// script's view of the graph (freed or not) untouched.
import { add } from '../ops/arithmetic';
import { full } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { runBackward } from './backward';

export type InspectedGradients = {
  /** ∂output/∂leaf for every leaf the output depends on. */
  readonly leaves: ReadonlyMap<Tensor, Tensor>;
  /** ∂output/∂value for every non-leaf value on the way, the output included. */
  readonly values: ReadonlyMap<Tensor, Tensor>;
};

export function inspectGradients(output: Tensor): InspectedGradients {
  const leaves = new Map<Tensor, Tensor>();
  const values = new Map<Tensor, Tensor>();
  if (!output.requiresGrad) return { leaves, values };
  runBackward([output], [full(output.shape, 1, output.dtype)], {
    retainGraph: true,
    createGraph: false,
    ignoreFreedGraph: true,
    collectLeafGradient: (leaf, gradient) => {
      const earlier = leaves.get(leaf);
      leaves.set(leaf, earlier ? add(earlier, gradient) : gradient);
    },
    onNodeGradient: (tensor, gradient) => values.set(tensor, gradient),
  });
  return { leaves, values };
}
