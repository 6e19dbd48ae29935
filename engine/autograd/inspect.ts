// The inspector's own gradient pass: ∂output/∂(every value in its graph), leaving `.grad` and the
// script's view of the graph (freed or not) untouched.
import { add } from '../ops/arithmetic';
import { stack } from '../ops/joins';
import { reshape } from '../ops/views';
import { full, zerosLike } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { type BackwardOptions, runBackward } from './backward';
import type { GraphNode } from './graphNode';
import type { ScalarTape } from './scalarTape';
import type { TapeEntryGradients } from './tapeBackward';
import { TapeNode } from './tapeNode';

export type InspectedGradients = {
  /** ∂output/∂leaf for every leaf the output depends on. */
  readonly leaves: ReadonlyMap<Tensor, Tensor>;
  /** ∂output/∂(a node's output) for a node on the way, the output's own included. */
  gradientAt(node: GraphNode): Tensor | undefined;
};

type NodeGradientSinks = Pick<BackwardOptions, 'onNodeGradient' | 'onTapeGradients'>;

/**
 * One backward pass from `output` with gradient `seed`, over a graph that stays as it was:
 * ∂/∂leaf summed over the paths to each leaf, and each node's gradient to `sinks`.
 */
function inspectingBackward(output: Tensor, seed: Tensor, sinks: NodeGradientSinks = {}): Map<Tensor, Tensor> {
  const leaves = new Map<Tensor, Tensor>();
  runBackward([output], [seed], {
    retainGraph: true,
    createGraph: false,
    ignoreSavedChecks: true,
    collectLeafGradient: (leaf, gradient) => {
      const earlier = leaves.get(leaf);
      leaves.set(leaf, earlier ? add(earlier, gradient) : gradient);
    },
    ...sinks,
  });
  return leaves;
}

export function inspectGradients(output: Tensor): InspectedGradients {
  const nodes = new Map<GraphNode, Tensor>();
  if (!output.requiresGrad) return { leaves: new Map(), gradientAt: () => undefined };
  // Over scalar tapes the pass keeps each entry's gradient in its rows: the graph view looks up
  // the few hundred it draws, rather than a node and a tensor being made for each of a million.
  const tapes = new Map<ScalarTape, TapeEntryGradients>();
  const leaves = inspectingBackward(output, full(output.shape, 1, output.dtype), {
    onNodeGradient: (node, gradient) => nodes.set(node, gradient),
    onTapeGradients: (gradients) => tapes.set(gradients.tape, gradients),
  });
  return {
    leaves,
    gradientAt: (node) => (node instanceof TapeNode ? tapes.get(node.tape)?.at(node.index) : undefined) ?? nodes.get(node),
  };
}

/** ∂output/∂input for each input, each of shape output.shape + input.shape: one backward pass per output element. */
export function inspectJacobians(output: Tensor, inputs: readonly Tensor[]): Tensor[] {
  const rows: Tensor[][] = inputs.map(() => []);
  for (let element = 0; element < output.numel; element++) {
    const seed = full(output.shape, 0, output.dtype);
    seed.data[element] = 1;
    const found = inspectingBackward(output, seed);
    inputs.forEach((input, i) => rows[i].push(found.get(input) ?? zerosLike(input)));
  }
  return rows.map((row, i) => reshape(stack(row), [...output.shape, ...inputs[i].shape]));
}
