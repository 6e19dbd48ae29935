// Tensor hooks and retain_grad, where PyTorch keeps them: a leaf's on the leaf, a non-leaf's on the
// node that produced it (so the node, not the tensor object, carries them through backward).
import type { Tensor } from '../tensor/tensor';
import type { GraphNode } from './graphNode';
import { TapeNode } from './tapeNode';

export type GradientHook = (gradient: Tensor) => Tensor | undefined;

type OutputHooks = { hooks: GradientHook[]; retained?: Tensor };

const leafHooks = new WeakMap<Tensor, GradientHook[]>();
const nodeHooks = new WeakMap<GraphNode, Map<number, OutputHooks>>();
/** Whether any node output has hooks: most runs have none, and backward then skips the lookups. */
let nodeHooksRegistered = false;

export const hasHooks = (): boolean => nodeHooksRegistered;

function outputHooks(node: GraphNode, outputIndex: number): OutputHooks {
  nodeHooksRegistered = true;
  // The tape's own backward pass looks for hooks only on the entries that have some.
  if (node instanceof TapeNode) node.tape.noteHooks(node.index);
  let perOutput = nodeHooks.get(node);
  if (!perOutput) nodeHooks.set(node, (perOutput = new Map()));
  let entry = perOutput.get(outputIndex);
  if (!entry) perOutput.set(outputIndex, (entry = { hooks: [] }));
  return entry;
}

/** Tensor.register_hook: runs on the gradient computed for the tensor and may replace it. */
export function registerHook(tensor: Tensor, hook: GradientHook): void {
  if (tensor.gradFn) outputHooks(tensor.gradFn, tensor.outputIndex).hooks.push(hook);
  else leafHooks.set(tensor, [...(leafHooks.get(tensor) ?? []), hook]);
}

/** Tensor.retain_grad: a non-leaf's .grad is filled by backward, as a leaf's is. */
export function retainGrad(tensor: Tensor): void {
  tensor.retainsGrad = true;
  if (tensor.gradFn) outputHooks(tensor.gradFn, tensor.outputIndex).retained = tensor;
}

const applyHooks = (hooks: readonly GradientHook[] | undefined, gradient: Tensor) => {
  let result = gradient;
  for (const hook of hooks ?? []) result = hook(result) ?? result;
  return result;
};

export const runLeafHooks = (leaf: Tensor, gradient: Tensor): Tensor => applyHooks(leafHooks.get(leaf), gradient);

/** The node output's hooks applied to its gradient, and the tensor whose .grad it fills, if retained. */
export function runOutputHooks(node: GraphNode, outputIndex: number, gradient: Tensor): { gradient: Tensor; retained?: Tensor } {
  const entry = nodeHooks.get(node)?.get(outputIndex);
  if (!entry) return { gradient };
  return { gradient: applyHooks(entry.hooks, gradient), ...(entry.retained ? { retained: entry.retained } : {}) };
}
