// Backward over scalar tapes, row by row, on numbers: entries in reverse order of recording are in
// dependency order, so no counting and no node objects are needed. It runs when the rows give all
// the pass needs: no create_graph, no per-node gradients (autograd.grad, the inspector), no anomaly
// mode, and a history that reaches no tensor node; otherwise the general pass runs over TapeNodes.
import { scalarTensor } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { toDType } from '../ops/convert';
import type { OpDefinition, SavedScalar, ScalarDerivative, ScalarPoint } from '../ops/opDefinition';
import { isAnomalyEnabled } from './anomaly';
import type { BackwardOptions } from './backward';
import { NodeContext } from './nodeContext';
import { runOutputHooks } from './hooks';
import { type ScalarTape, binaryKind, dtypeCode, dtypeOfCode, wrappedNumberSource } from './scalarTape';
import { type ExternalInput, held } from './tapeInputs';

const keep = (x: number) => x;
/** Rounding to the dtype of a dtype code: float32 (2) rounds, float64 keeps; others never carry gradients. */
const roundingOf = (code: number) => ((code & 3) === 2 ? Math.fround : keep);
/** The same, applied: a call the compiler can inline, unlike one through a chosen function. */
const roundTo = (code: number, x: number) => ((code & 3) === 2 ? Math.fround(x) : x);

export function canBackwardOnTape(outputs: readonly Tensor[], gradients: readonly Tensor[], options: BackwardOptions): boolean {
  if (outputs.length !== 1 || options.createGraph || isAnomalyEnabled()) return false;
  if (options.onNodeGradient && !options.onTapeGradients) return false;
  const [output] = outputs;
  const gradient = gradients[0];
  if (output.tape === null || gradient.dtype !== output.dtype || gradient.numel !== 1) return false;
  return !output.tape.entryReachesNode(output.tapeIndex);
}

// The pass's own objects (TapeGradients, TapePass) are kept and reused from pass to pass. Besides
// sparing the allocation, that keeps the backward loop's compiled code: V8 discards code compiled
// for a hidden class once every object of that class has been collected, which would otherwise
// happen between any two runs, and the next pass would start unoptimised.

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

const noKinds = new Uint8Array(0);

/** What one pass keeps for one tape: the gradients arriving at its entries, and the span reached. */
class TapeGradients {
  readonly gradients: Float64Array;
  readonly reached: Uint8Array;
  /** The tape's kinds column, for rounding sums to each entry's dtype. */
  private kinds: Uint8Array = noKinds;
  top = -1;
  lowest = Number.MAX_SAFE_INTEGER;
  /** Set when the buffers went to the pass's caller (onTapeGradients) instead of back to the spares. */
  private handedOver = false;

  private constructor(capacity: number) {
    this.gradients = new Float64Array(capacity);
    this.reached = new Uint8Array(capacity);
  }

  /** Buffers for `tape`, all zero: a spare's, where one is large enough. Two spares serve a pass down a chain of tapes. */
  static for(tape: ScalarTape): TapeGradients {
    const spare = spareGradients.pop();
    const own = spare !== undefined && spare.reached.length >= tape.length ? spare : new TapeGradients(tape.capacity);
    own.kinds = tape.kinds;
    return own;
  }

  arrive(index: number, gradient: number): void {
    if (this.reached[index] === 1) {
      this.gradients[index] = roundTo(this.kinds[index], this.gradients[index] + gradient);
      return;
    }
    this.reached[index] = 1;
    this.gradients[index] = gradient;
    if (index > this.top) this.top = index;
    if (index < this.lowest) this.lowest = index;
  }

  handOver(tape: ScalarTape): TapeEntryGradients {
    this.handedOver = true;
    return new TapeEntryGradients(tape, this.gradients, this.reached);
  }

  /** Zeroes what the pass touched (also after an error mid-pass) and becomes a spare. */
  release(): void {
    if (this.handedOver) return;
    if (this.top >= 0) {
      this.reached.fill(0, this.lowest, this.top + 1);
      this.gradients.fill(0, this.lowest, this.top + 1);
    }
    this.top = -1;
    this.lowest = Number.MAX_SAFE_INTEGER;
    this.kinds = noKinds;
    if (spareGradients.length < 2) spareGradients.push(this);
  }
}

const spareGradients: TapeGradients[] = [];

/** What the pass hands back: each leaf's summed gradient, and the gradient of a tensor that retains it. */
type Deliveries = {
  readonly toLeaf: (leaf: Tensor, gradient: Tensor) => void;
  readonly toRetained: (tensor: Tensor, gradient: Tensor) => void;
};

/** The one pass: backward passes never nest (runBackward refuses one inside another). */
let pass: TapePass | undefined;

/** The pass from one output's tape entry. Leaves' gradients are summed per leaf, as the general pass does. */
export function backwardOnTape(
  output: Tensor,
  gradient: Tensor,
  options: BackwardOptions,
  deliverToLeaf: Deliveries['toLeaf'],
  deliverToRetained: Deliveries['toRetained'],
): void {
  pass ??= new TapePass();
  try {
    pass.start(options, deliverToRetained);
    pass.run(output.tape as ScalarTape, output.tapeIndex, gradient.item());
    for (const [leaf, value] of pass.leaves) deliverToLeaf(leaf, scalarTensor(value, leaf.dtype));
  } finally {
    pass.finish();
  }
}

/** A point to evaluate derivatives at, reused: its number fields are then written in place. */
class DerivativePoint implements ScalarPoint<unknown> {
  g = Number.NaN;
  a = Number.NaN;
  b = Number.NaN;
  output = Number.NaN;
  round = keep;
  attrs: unknown = undefined;
}

/** One for all passes: a derivative runs no script, so nothing comes between setting the point and reading it. */
const point = new DerivativePoint();

const noOptions: BackwardOptions = { retainGraph: false, createGraph: false };
const noDelivery = () => {};

class TapePass {
  readonly leaves = new Map<Tensor, number>();
  private readonly pending = new Map<ScalarTape, TapeGradients>();
  private options = noOptions;
  private deliverToRetained: Deliveries['toRetained'] = noDelivery;
  private checks = true;

  start(options: BackwardOptions, deliverToRetained: Deliveries['toRetained']): void {
    this.options = options;
    this.deliverToRetained = deliverToRetained;
    this.checks = !options.ignoreSavedChecks;
  }

  /** Lets go of everything the pass was given and found, so that an idle pass holds nothing. */
  finish(): void {
    for (const own of this.pending.values()) own.release();
    this.pending.clear();
    this.leaves.clear();
    this.options = noOptions;
    this.deliverToRetained = noDelivery;
  }

  run(tape: ScalarTape, index: number, gradient: number): void {
    this.gradientsOf(tape).arrive(index, gradient);
    // Later tapes first: an entry's inputs come from its own tape's earlier rows or from earlier tapes.
    for (let next = this.latest(); next !== undefined; next = this.latest()) {
      const own = this.pending.get(next) as TapeGradients;
      try {
        this.throughTape(next, own);
      } finally {
        this.pending.delete(next);
        own.release();
      }
    }
  }

  private gradientsOf(tape: ScalarTape): TapeGradients {
    let gradients = this.pending.get(tape);
    if (gradients === undefined) this.pending.set(tape, (gradients = TapeGradients.for(tape)));
    return gradients;
  }

  private latest(): ScalarTape | undefined {
    let found: ScalarTape | undefined;
    for (const tape of this.pending.keys()) if (found === undefined || tape.order > found.order) found = tape;
    return found;
  }

  private throughTape(tape: ScalarTape, own: TapeGradients): void {
    const { gradients, reached } = own;
    const { kinds, sources0, sources1, released } = tape;
    const release = !this.options.retainGraph;
    for (let index = own.top; index >= own.lowest; index--) {
      if (reached[index] === 0) continue;
      const gradient = tape.hooked?.has(index) ? this.runHooks(tape, index, gradients[index]) : gradients[index];
      const derivatives = tape.derivatives(index);
      const kind = kinds[index];
      const binary = (kind & binaryKind) !== 0;
      if (derivatives === undefined) this.throughGeneralEntry(tape, own, index, gradient);
      else {
        const fromElsewhere = sources0[index] < wrappedNumberSource || (binary && sources1[index] < wrappedNumberSource);
        // Saved values can be freed or stale only after a pass, a write, or through an input from elsewhere.
        const check = this.checks && (fromElsewhere || tape.hasWrites || released[index] === 1);
        if (fromElsewhere || check) this.throughEntry(tape, own, index, gradient, derivatives, check);
        else this.withinTape(tape, own, index, gradient, derivatives, kind, binary);
      }
      if (release) released[index] = 1;
    }
    this.options.onTapeGradients?.(own.handOver(tape));
  }

  /** Most entries: inputs from the same tape or numbers, nothing to check. */
  private withinTape(tape: ScalarTape, own: TapeGradients, index: number, gradient: number, derivatives: readonly ScalarDerivative<unknown>[], kind: number, binary: boolean): void {
    const at = this.pointAt(tape, index, gradient, kind, binary);
    const source0 = tape.sources0[index];
    const of0 = derivatives[0];
    if (source0 !== wrappedNumberSource && of0 !== undefined) own.arrive(source0, roundTo(kind >> 2, of0.of(at)));
    if (!binary) return;
    const source1 = tape.sources1[index];
    const of1 = derivatives[1];
    if (source1 !== wrappedNumberSource && of1 !== undefined) own.arrive(source1, roundTo(kind >> 4, of1.of(at)));
  }

  /** The pass's one point, set to an entry's values. */
  private pointAt(tape: ScalarTape, index: number, gradient: number, kind: number, binary: boolean): ScalarPoint<unknown> {
    const at = point;
    at.g = gradient;
    at.a = roundTo(kind, tape.savedValue0(index));
    at.b = binary ? roundTo(kind, tape.savedValue1(index)) : 0;
    at.output = tape.values[index];
    at.round = roundingOf(kind);
    at.attrs = tape.attrs(index);
    return at;
  }

  /** The entry output's hooks, as the general pass runs them: on its whole gradient, before its backward. */
  private runHooks(tape: ScalarTape, index: number, value: number): number {
    const { gradient, retained } = runOutputHooks(tape.node(index), 0, scalarTensor(value, tape.outputDType(index)));
    // retain_grad() fills .grad on Tensor.backward only, not when gradients are collected instead.
    if (retained && !this.options.collectLeafGradient) this.deliverToRetained(retained, gradient);
    return gradient.item();
  }

  /** An entry with an input from elsewhere (another tape, a leaf), or whose saved values `check` must check. */
  private throughEntry(tape: ScalarTape, own: TapeGradients, index: number, gradient: number, derivatives: readonly ScalarDerivative<unknown>[], check: boolean): void {
    const kind = tape.kinds[index];
    const arity = kind & binaryKind ? 2 : 1;
    const at = this.pointAt(tape, index, gradient, kind, arity === 2);
    for (let slot = 0; slot < arity; slot++) {
      const source = slot === 0 ? tape.sources0[index] : tape.sources1[index];
      if (source === wrappedNumberSource) continue;
      const external = source < -1 ? tape.externals[-2 - source] : undefined;
      if (external !== undefined && !wantsGradient(external)) continue;
      const derivative = derivatives[slot];
      // An input whose tensor formula gives no gradient (rsub's number) has no derivative.
      if (derivative === undefined) continue;
      if (check) checkSaved(tape, index, derivative.reads);
      const value = roundTo(kind >> (2 + 2 * slot), derivative.of(at));
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
    this.leaves.set(leaf, earlier === undefined ? value : roundTo(dtypeCode(leaf.dtype), earlier + value));
  }

  /** An op without scalar derivatives: its tensor formula, on 0-d tensors. */
  private throughGeneralEntry(tape: ScalarTape, own: TapeGradients, index: number, gradient: number): void {
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
