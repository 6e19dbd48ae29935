// Tensor hooks and retain_grad, where PyTorch keeps them: a leaf's on the leaf, a non-leaf's on the
// node that produced it (so the node, not the tensor object, carries them through backward).
import type { Tensor } from '../tensor/tensor';
import type { GraphNode } from './graphNode';
import { TapeNode } from './tapeNode';

export type GradientHook = (gradient: Tensor) => Tensor | undefined;

/** A node output's hooks, and the tensor whose .grad it fills (held weakly, as PyTorch's retain_grad hook holds it). */
export type OutputHooks = { hooks: GradientHook[]; retained?: WeakRef<Tensor> };

const leafHooks = new WeakMap<Tensor, GradientHook[]>();
const nodeHooks = new WeakMap<GraphNode, Map<number, OutputHooks>>();

/** A tape entry's hooks live on its tape, whose nodes are made (and collected) on demand. */
function hooksOf(node: GraphNode, create: boolean): Map<number, OutputHooks> | undefined {
  if (node instanceof TapeNode) return node.tape.hooksAt(node.index, create);
  let perOutput = nodeHooks.get(node);
  if (!perOutput && create) nodeHooks.set(node, (perOutput = new Map()));
  return perOutput;
}
/** Whether any node output has hooks: most runs have none, and backward then skips the lookups. */
let nodeHooksRegistered = false;

export const hasHooks = (): boolean => nodeHooksRegistered;

function outputHooks(node: GraphNode, outputIndex: number): OutputHooks {
  nodeHooksRegistered = true;
  const perOutput = hooksOf(node, true) as Map<number, OutputHooks>;
  let entry = perOutput.get(outputIndex);
  if (!entry) perOutput.set(outputIndex, (entry = { hooks: [] }));
  return entry;
}

/**
 * Tensor.register_hook: runs on the gradient computed for the tensor and may replace it. Returns
 * what the handle's remove() does.
 */
export function registerHook(tensor: Tensor, hook: GradientHook): () => void {
  let hooks: GradientHook[];
  if (tensor.gradFn) hooks = outputHooks(tensor.gradFn, tensor.outputIndex).hooks;
  else leafHooks.set(tensor, (hooks = leafHooks.get(tensor) ?? []));
  hooks.push(hook);
  return () => {
    const index = hooks.indexOf(hook);
    if (index >= 0) hooks.splice(index, 1);
  };
}

/** Tensor.retain_grad: a non-leaf's .grad is filled by backward, as a leaf's is. */
export function retainGrad(tensor: Tensor): void {
  tensor.retainsGrad = true;
  if (tensor.gradFn) outputHooks(tensor.gradFn, tensor.outputIndex).retained = new WeakRef(tensor);
}

/**
 * The tensor's history moved to a new node (an in-place write): its retain_grad follows it, as
 * since PyTorch 2.0, so that .grad is the gradient of its latest value. Its other hooks stay with
 * the node they were registered on.
 */
export function moveRetainedGrad(tensor: Tensor, previous: GraphNode | null, previousOutput: number): void {
  if (!tensor.retainsGrad || previous === null) return;
  const entry = hooksOf(previous, false)?.get(previousOutput);
  if (entry?.retained?.deref() === tensor) delete entry.retained;
  const current = tensor.recordedGradFn;
  if (current) outputHooks(current, tensor.outputIndex).retained = new WeakRef(tensor);
}

const applyHooks = (hooks: readonly GradientHook[] | undefined, gradient: Tensor) => {
  let result = gradient;
  for (const hook of hooks ?? []) result = hook(result) ?? result;
  return result;
};

export const runLeafHooks = (leaf: Tensor, gradient: Tensor): Tensor => applyHooks(leafHooks.get(leaf), gradient);

/** The node output's hooks applied to its gradient, and the tensor whose .grad it fills, if retained. */
export function runOutputHooks(node: GraphNode, outputIndex: number, gradient: Tensor): { gradient: Tensor; retained?: Tensor } {
  const entry = hooksOf(node, false)?.get(outputIndex);
  if (!entry) return { gradient };
  const retained = entry.retained?.deref();
  return { gradient: applyHooks(entry.hooks, gradient), ...(retained ? { retained } : {}) };
}
