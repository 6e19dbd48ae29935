// Backward over scalar tapes, row by row, on numbers: entries in reverse order of recording are in
// dependency order, so no counting and no node objects are needed. It runs when the rows give all
// the pass needs: no create_graph, no per-node gradients (autograd.grad, the inspector), no anomaly
// mode, and a history that reaches no tensor node; otherwise the general pass runs over TapeNodes.
import { scalarTensor } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { toDType } from '../ops/convert';
import type { OpDefinition, SavedScalar, ScalarDerivative } from '../ops/opDefinition';
import { isAnomalyEnabled } from './anomaly';
import type { BackwardOptions } from './backward';
import { NodeContext } from './nodeContext';
import { runOutputHooks } from './hooks';
import { type ScalarTape, binaryKind, dtypeCode, dtypeOfCode, wrappedNumberSource } from './scalarTape';
import { type ExternalInput, held } from './tapeInputs';

const keep = (x: number) => x;
/** Rounding to the dtype of a dtype code: float32 (2) rounds, float64 keeps; others never carry gradients. */
const roundingOf = (code: number) => ((code & 3) === 2 ? Math.fround : keep);

export function canBackwardOnTape(outputs: readonly Tensor[], gradients: readonly Tensor[], options: BackwardOptions): boolean {
  if (outputs.length !== 1 || options.createGraph || isAnomalyEnabled()) return false;
  if (options.onNodeGradient && !options.onTapeGradients) return false;
  const [output] = outputs;
  const gradient = gradients[0];
  if (output.tape === null || gradient.dtype !== output.dtype || gradient.numel !== 1) return false;
  return !output.tape.entryReachesNode(output.tapeIndex);
}

/** Gradient buffers, all zero between uses: two are enough for a pass that walks a chain of tapes. */
type Buffers = { readonly gradients: Float64Array; readonly reached: Uint8Array };
const spareBuffers: Buffers[] = [];

/** The gradients that reached one tape's entries in a pass, for looking up afterwards. */
export class TapeEntryGradients {
  constructor(
    readonly tape: ScalarTape,
    private readonly gradients: Float64Array,
    private readonly reached: Uint8Array,
  ) {}

  at(index: number): Tensor | undefined {
    return this.reached[index] === 1 ? scalarTensor(this.gradients[index], this.tape.outputDType(index)) : undefined;
  }
}

/** What one pass keeps for one tape: the gradients arriving at its entries, and the span reached. */
class TapeGradients {
  readonly gradients: Float64Array;
  readonly reached: Uint8Array;
  top = -1;
  lowest = Number.MAX_SAFE_INTEGER;
  /** Set when the buffers went to the pass's caller (onTapeGradients) instead of back to the spares. */
  private handedOver = false;

  constructor(readonly tape: ScalarTape) {
    const spare = spareBuffers.pop();
    const buffers = spare && spare.reached.length >= tape.length ? spare : { gradients: new Float64Array(tape.capacity), reached: new Uint8Array(tape.capacity) };
    this.gradients = buffers.gradients;
    this.reached = buffers.reached;
  }

  arrive(index: number, gradient: number): void {
    if (this.reached[index] === 1) {
      this.gradients[index] = roundingOf(this.tape.kinds[index])(this.gradients[index] + gradient);
      return;
    }
    this.reached[index] = 1;
    this.gradients[index] = gradient;
    if (index > this.top) this.top = index;
    if (index < this.lowest) this.lowest = index;
  }

  handOver(): TapeEntryGradients {
    this.handedOver = true;
    return new TapeEntryGradients(this.tape, this.gradients, this.reached);
  }

  /** Zeroes what the pass touched (also after an error mid-pass) and hands the buffers back. */
  release(): void {
    if (this.handedOver) return;
    if (this.top >= 0) {
      this.reached.fill(0, this.lowest, this.top + 1);
      this.gradients.fill(0, this.lowest, this.top + 1);
    }
    if (spareBuffers.length < 2) spareBuffers.push({ gradients: this.gradients, reached: this.reached });
  }
}

/** What the pass hands back: each leaf's summed gradient, and the gradient of a tensor that retains it. */
type Deliveries = {
  readonly toLeaf: (leaf: Tensor, gradient: Tensor) => void;
  readonly toRetained: (tensor: Tensor, gradient: Tensor) => void;
};

/** The pass from one output's tape entry. Leaves' gradients are summed per leaf, as the general pass does. */
export function backwardOnTape(
  output: Tensor,
  gradient: Tensor,
  options: BackwardOptions,
  deliverToLeaf: Deliveries['toLeaf'],
  deliverToRetained: Deliveries['toRetained'],
): void {
  const pass = new TapePass(options, deliverToRetained);
  pass.run(output.tape as ScalarTape, output.tapeIndex, gradient.item());
  for (const [leaf, value] of pass.leaves) deliverToLeaf(leaf, scalarTensor(value, leaf.dtype));
}

class TapePass {
  readonly leaves = new Map<Tensor, number>();
  private readonly pending = new Map<ScalarTape, TapeGradients>();
  private readonly checks: boolean;

  constructor(
    private readonly options: BackwardOptions,
    private readonly deliverToRetained: Deliveries['toRetained'],
  ) {
    this.checks = !options.ignoreSavedChecks;
  }

  run(tape: ScalarTape, index: number, gradient: number): void {
    this.gradientsOf(tape).arrive(index, gradient);
    // Later tapes first: an entry's inputs come from its own tape's earlier rows or from earlier tapes.
    for (let next = this.latest(); next !== undefined; next = this.latest()) {
      try {
        this.throughTape(next);
      } finally {
        this.pending.delete(next.tape);
        next.release();
      }
    }
  }

  private gradientsOf(tape: ScalarTape): TapeGradients {
    let gradients = this.pending.get(tape);
    if (gradients === undefined) this.pending.set(tape, (gradients = new TapeGradients(tape)));
    return gradients;
  }

  private latest(): TapeGradients | undefined {
    let found: TapeGradients | undefined;
    for (const gradients of this.pending.values()) if (found === undefined || gradients.tape.order > found.tape.order) found = gradients;
    return found;
  }

  private throughTape(own: TapeGradients): void {
    const { tape, gradients, reached } = own;
    const release = !this.options.retainGraph;
    for (let index = own.top; index >= own.lowest; index--) {
      if (reached[index] === 0) continue;
      const gradient = tape.hooked?.has(index) ? this.runHooks(tape, index, gradients[index]) : gradients[index];
      const derivatives = tape.op(index).scalarBackward;
      if (derivatives === undefined) this.throughGeneralEntry(own, index, gradient);
      else this.throughEntry(own, index, gradient, derivatives);
      if (release) tape.released[index] = 1;
    }
    this.options.onTapeGradients?.(own.handOver());
  }

  /** The entry output's hooks, as the general pass runs them: on its whole gradient, before its backward. */
  private runHooks(tape: ScalarTape, index: number, value: number): number {
    const { gradient, retained } = runOutputHooks(tape.node(index), 0, scalarTensor(value, tape.outputDType(index)));
    // retain_grad() fills .grad on Tensor.backward only, not when gradients are collected instead.
    if (retained && !this.options.collectLeafGradient) this.deliverToRetained(retained, gradient);
    return gradient.item();
  }

  private throughEntry(own: TapeGradients, index: number, gradient: number, derivatives: readonly ScalarDerivative<unknown>[]): void {
    const { tape } = own;
    const kind = tape.kinds[index];
    const round = roundingOf(kind);
    const arity = kind & binaryKind ? 2 : 1;
    const a = round(tape.savedValue0(index));
    const b = arity === 2 ? round(tape.savedValue1(index)) : 0;
    const output = tape.values[index];
    const attrs = tape.attrs(index);
    // Saved values can be freed or stale only after a pass, a write, or through an input from elsewhere.
    const check = this.checks && (tape.released[index] === 1 || tape.hasWrites || tape.sources0[index] < -1 || (arity === 2 && tape.sources1[index] < -1));
    for (let slot = 0; slot < arity; slot++) {
      const source = slot === 0 ? tape.sources0[index] : tape.sources1[index];
      if (source === wrappedNumberSource) continue;
      const external = source < -1 ? tape.externals[-2 - source] : undefined;
      if (external !== undefined && !wantsGradient(external)) continue;
      const derivative = derivatives[slot];
      // An input whose tensor formula gives no gradient (rsub's number) has no derivative.
      if (derivative === undefined) continue;
      if (check) checkSaved(tape, index, derivative.reads);
      const value = roundingOf(kind >> (2 + 2 * slot))(derivative.of(gradient, a, b, output, round, attrs));
      if (external === undefined) own.arrive(source, value);
      else this.sendOut(external, value);
    }
  }

  private sendOut(external: ExternalInput, value: number): void {
    if (external.tape !== null) {
      this.gradientsOf(held(external.tape)).arrive(external.tapeIndex, value);
      return;
    }
    const leaf = external.leaf as Tensor;
    const earlier = this.leaves.get(leaf);
    this.leaves.set(leaf, earlier === undefined ? value : roundingOf(dtypeCode(leaf.dtype))(earlier + value));
  }

  /** An op without scalar derivatives: its tensor formula, on 0-d tensors. */
  private throughGeneralEntry(own: TapeGradients, index: number, gradient: number): void {
    const { tape } = own;
    const node = tape.node(index);
    const op = node.op as OpDefinition<unknown>;
    const results = op.backward(scalarTensor(gradient, dtypeOfCode(tape.kinds[index])), new NodeContext(node, !this.checks));
    for (let slot = 0; slot < node.inputCount; slot++) {
      const result = results[slot];
      const source = tape.source(index, slot);
      if (!result || source === wrappedNumberSource) continue;
      const value = toDType(result, node.inputDType(slot)).item();
      if (source >= 0) own.arrive(source, value);
      else {
        const external = tape.externals[-2 - source];
        if (wantsGradient(external)) this.sendOut(external, value);
      }
    }
  }
}

/** An input from elsewhere takes a gradient when another tape made it or it is a leaf that requires grad. */
const wantsGradient = (external: ExternalInput) => external.tape !== null || external.requiresGrad;

/** PyTorch's checks on the saved values a derivative reads; the entry's node raises the error. */
function checkSaved(tape: ScalarTape, index: number, reads: readonly SavedScalar[]): void {
  for (const saved of reads) {
    const stale = saved === 'output' ? tape.outputIsStale(index) : tape.inputIsStale(index, saved === 'a' ? 0 : 1);
    if (tape.released[index] === 1 || stale) {
      const node = tape.node(index);
      if (saved === 'output') node.savedOutput(0);
      else node.savedInput(saved === 'a' ? 0 : 1);
    }
  }
}
