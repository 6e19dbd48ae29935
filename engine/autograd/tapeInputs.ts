// What a scalar tape keeps of inputs from outside it (leaves, constants, values other tapes or
// tensor nodes made), and the anchors that keep alive what a value's history needs.
import type { Tensor } from '../tensor/tensor';
import type { GraphNode } from './graphNode';
import type { ScalarTape } from './scalarTape';

/**
 * An input recorded from outside the tape, with its history as it was then (PyTorch fixes an edge
 * when the op runs). A leaf or constant is held. A value another tape or a tensor node made is
 * held only weakly: a tape is shared by every graph recorded while it was current, and holding
 * such values would keep each earlier tape, and all on it, alive through the next one. The
 * values whose history needs it hold it instead, as their anchor (see anchorOf). A WeakRef keeps
 * its target until the current job ends (ECMAScript's KeepDuringJob), so within one synchronous
 * run earlier tapes go only when the run ends: that memory is bounded by the graph-node limit.
 */
export type ExternalInput = {
  readonly leaf: Tensor | null;
  readonly made: WeakRef<Tensor> | null;
  readonly tape: WeakRef<ScalarTape> | null;
  readonly tapeIndex: number;
  readonly node: WeakRef<GraphNode> | null;
  readonly outputIndex: number;
  readonly requiresGrad: boolean;
  /** Whether its history leads to a tensor node (directly, or through another tape's entry). */
  readonly reachesNode: boolean;
};

/** A weakly held input that a live value's anchor must be holding. */
export function held<T extends object>(reference: WeakRef<T>): T {
  const target = reference.deref();
  if (target === undefined) throw new Error('scalar tape: an input made elsewhere was collected while a value still needed it');
  return target;
}

/** The record of `tensor` as an input from outside a tape. */
export function externalInput(tensor: Tensor): ExternalInput {
  const { tape, tapeIndex } = tensor;
  const node = tensor.nodeOutsideTape;
  return {
    leaf: tensor.isLeaf ? tensor : null,
    made: tensor.isLeaf ? null : new WeakRef(tensor),
    tape: tape === null ? null : new WeakRef(tape),
    tapeIndex,
    node: node === null ? null : new WeakRef(node),
    outputIndex: tensor.outputIndex,
    requiresGrad: tensor.requiresGrad,
    reachesNode: node !== null || (tape !== null && tape.entryReachesNode(tapeIndex)),
  };
}

/** Whether `tensor` still has the history it had when `external` was recorded. */
export const sameHistory = (external: ExternalInput, tensor: Tensor) =>
  external.requiresGrad === tensor.requiresGrad &&
  (external.leaf !== null ? tensor.isLeaf : external.made?.deref() === tensor) &&
  external.tape?.deref() === (tensor.tape ?? undefined) &&
  external.tapeIndex === tensor.tapeIndex &&
  external.node?.deref() === (tensor.nodeOutsideTape ?? undefined) &&
  external.outputIndex === tensor.outputIndex;

/**
 * What an input adds to its result's anchor: what the result's history needs kept alive that the
 * tape holds only weakly. A value made on this tape brings its own anchor; a value made elsewhere
 * brings itself and its history as it is now (a later in-place op may give it another).
 */
export function anchorOf(tape: ScalarTape, input: Tensor): object | null {
  if (input.tape === tape) return input.anchor;
  if (input.isLeaf) return null;
  return [input, input.tape ?? input.nodeOutsideTape, input.anchor];
}

export const joinAnchors = (a: object | null, b: object | null) => (a === null ? b : b === null || a === b ? a : [a, b]);

let passAnchor: object | null = null;

/** The outputs of the backward pass now running, whose histories hold all it can reach. */
export const anchorDuringPass = (): object | null => passAnchor;

/** Runs a backward pass from `outputs`, whose histories hold all the pass can reach. */
export function withPassAnchor<T>(outputs: readonly Tensor[], pass: () => T): T {
  const outer = passAnchor;
  passAnchor = outputs;
  try {
    return pass();
  } finally {
    passAnchor = outer;
  }
}
