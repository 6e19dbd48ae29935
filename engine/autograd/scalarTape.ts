// The scalar tape: ops on 0-d tensors are recorded as rows of typed arrays rather than as node
// objects. A chain of a million scalar ops (micrograd-style scripts) then leaves the garbage
// collector nothing to trace per op, and backward can run over the rows directly (tapeBackward.ts).
// A node (TapeNode) is made for an entry only when something asks for one: grad_fn, a hook, the
// graph view, the general backward pass.
import { countGraphNode } from '../resourceLimits';
import type { OpDefinition, ScalarDerivative } from '../ops/opDefinition';
import { type SourceSpan, currentSourceSpan } from '../sourceSpan';
import { wrappedNumber } from '../tensor/create';
import type { DType } from '../tensor/dtype';
import { scalarShape } from '../tensor/shape';
import { Storage, Tensor } from '../tensor/tensor';
import type { GradientTarget } from './graphNode';
import type { OutputHooks } from './hooks';
import { type ExternalInput, anchorDuringPass, anchorOf, externalInput, held, joinAnchors, sameHistory } from './tapeInputs';
import { TapeNode } from './tapeNode';
import { takeRows } from './tapeRows';

/** An entry's output storage once written in place: its current version is read from it. */
type WrittenOutput = { readonly storage: Storage; readonly savedVersion: number };

/** Where an input came from: an entry of the same tape (≥ 0), a wrapped number, or externals[-2 - source]. */
export const wrappedNumberSource = -1;

const dtypes: readonly DType[] = ['bool', 'int64', 'float32', 'float64'];
export const dtypeCode = (dtype: DType) => (dtype === 'float32' ? 2 : dtype === 'float64' ? 3 : dtype === 'int64' ? 1 : 0);
/** Bit set in an entry's kind when it has a second input. */
export const binaryKind = 64;
/**
 * Bit set when the entry's history reaches a tensor node, fixed when recorded (as its edges are):
 * the tape's own backward pass cannot follow those, so a pass from such an entry is the general one.
 */
const reachesNodeKind = 128;
export const dtypeOfCode = (code: number): DType => dtypes[code & 3];

/** The saved version of an input that is a copy of an entry's output rather than its storage. */
const unwrittenCopy = -1;

/** A full tape is left to its tensors (and collected with them) and a new one started. */
let maxEntries = 1 << 16;
let nextOrder = 0;

export class ScalarTape {
  /** Tapes made later hold later ops: a backward pass visits tapes in descending order. */
  readonly order = nextOrder++;
  length = 0;
  // Rows are allocated whole when the tape starts: growing them as it fills cost more than the
  // memory (≈ 3 MB a tape) that a short script leaves unused. They hold numbers only: storing a
  // pointer per op into a long-lived array costs a write barrier each time. The columns are the
  // rows' (tapeRows.ts), held here too so that the hot paths read them with one load: reading
  // them through `rows` made the backward pass ≈40 % slower (21 → 29 ns an entry).
  private readonly opCodes: Uint16Array;
  private readonly spanFrom: Int32Array;
  private readonly spanTo: Int32Array;
  readonly values: Float64Array;
  readonly saved0: Float64Array;
  readonly saved1: Float64Array;
  readonly sources0: Int32Array;
  readonly sources1: Int32Array;
  readonly versions0: Int32Array;
  readonly versions1: Int32Array;
  /** dtype codes of the output (bits 0–1), input 0 (2–3) and input 1 (4–5); binaryKind, reachesNodeKind. */
  readonly kinds: Uint8Array;
  readonly released: Uint8Array;
  /** Attributes of the few ops that have some (leaky_relu's slope, clamp's bounds). */
  private attributes: Map<number, unknown> | undefined;
  readonly externals: ExternalInput[] = [];
  /** Hooks and retain_grad of entries' outputs, by entry: the backward pass looks here for those with some. */
  hooked: Map<number, Map<number, OutputHooks>> | undefined;
  private readonly externalIndexes = new WeakMap<Tensor, number>();
  /** Nodes made for entries, one per entry (made when first asked for). */
  private nodes: (TapeNode | undefined)[] | undefined;
  private written: Map<number, WrittenOutput> | undefined;

  constructor() {
    const rows = takeRows(this, maxEntries);
    this.opCodes = rows.opCodes;
    this.spanFrom = rows.spanFrom;
    this.spanTo = rows.spanTo;
    this.values = rows.values;
    this.saved0 = rows.saved0;
    this.saved1 = rows.saved1;
    this.sources0 = rows.sources0;
    this.sources1 = rows.sources1;
    this.versions0 = rows.versions0;
    this.versions1 = rows.versions1;
    this.kinds = rows.kinds;
    this.released = rows.released;
  }

  get capacity(): number {
    return this.values.length;
  }

  /** Whether anything was written in place since it was saved: only then can a saved value be stale. */
  get hasWrites(): boolean {
    return this.written !== undefined;
  }

  get isFull(): boolean {
    return this.length === maxEntries;
  }

  /** Records an op's row; its inputs follow with setInput. */
  append(op: OpDefinition<unknown>, attrs: unknown, output: Tensor, binary: boolean): number {
    const index = this.length++;
    this.opCodes[index] = opCodeOf(op);
    if (attrs !== undefined) (this.attributes ??= new Map()).set(index, attrs);
    const span = currentSourceSpan();
    // A tape's rows start zero: what is zero (no span, version 0) is not written.
    if (span !== undefined) {
      this.spanFrom[index] = span.from + 1;
      this.spanTo[index] = span.to;
    }
    this.values[index] = output.storage.first;
    this.kinds[index] = dtypeCode(output.dtype) | (binary ? binaryKind : 0);
    return index;
  }

  setInput(index: number, slot: 0 | 1, input: Tensor): void {
    const { storage } = input;
    const source = input.tape === this ? input.tapeIndex : input.isWrappedNumber ? wrappedNumberSource : -2 - this.externalIndex(input);
    // A copy carrying an entry's history (an in-place op's snapshot) is never written: only the
    // entry's own output storage can go stale.
    const isCopy = input.tape !== null && (storage.producer !== input.tape || storage.producerIndex !== input.tapeIndex);
    const version = isCopy ? unwrittenCopy : storage.version;
    // An entry's own output, never written, has the value its row already holds (see savedValue).
    const needsValue = source < 0 || version !== 0;
    if (slot === 0) {
      if (needsValue) this.saved0[index] = storage.first;
      if (version !== 0) this.versions0[index] = version;
      this.sources0[index] = source;
    } else {
      if (needsValue) this.saved1[index] = storage.first;
      if (version !== 0) this.versions1[index] = version;
      this.sources1[index] = source;
    }
    this.kinds[index] |= (dtypeCode(input.dtype) << (2 + 2 * slot)) | this.reachesNode(source);
  }

  entryReachesNode(index: number): boolean {
    return (this.kinds[index] & reachesNodeKind) !== 0;
  }

  /** A number (a Python float) as input 1, recorded as its wrapped number (float64) would be. */
  setNumberInput(index: number, value: number): void {
    this.saved1[index] = value;
    this.sources1[index] = wrappedNumberSource;
    this.kinds[index] |= dtypeCode('float64') << 4;
  }

  /** reachesNodeKind if an input from `source` leads to a tensor node, else 0. */
  private reachesNode(source: number): number {
    if (source >= 0) return this.kinds[source] & reachesNodeKind;
    return source < wrappedNumberSource && this.externals[-2 - source].reachesNode ? reachesNodeKind : 0;
  }

  private externalIndex(tensor: Tensor): number {
    const known = this.externalIndexes.get(tensor);
    if (known !== undefined && sameHistory(this.externals[known], tensor)) return known;
    this.externals.push(externalInput(tensor));
    this.externalIndexes.set(tensor, this.externals.length - 1);
    return this.externals.length - 1;
  }

  /** The entry as a graph node, one per entry so that `is` comparisons of grad_fn hold. */
  node(index: number): TapeNode {
    this.nodes ??= new Array<TapeNode | undefined>(this.capacity);
    return (this.nodes[index] ??= new TapeNode(this, index));
  }

  op(index: number): OpDefinition<unknown> {
    return opsByCode[this.opCodes[index]];
  }

  /** The entry's op's derivatives on numbers (scalarBackward), in the form the backward pass calls. */
  derivatives(index: number): readonly ScalarDerivative<unknown>[] | undefined {
    return derivativesByCode[this.opCodes[index]];
  }

  attrs(index: number): unknown {
    return this.attributes?.get(index);
  }

  span(index: number): SourceSpan | undefined {
    const from = this.spanFrom[index];
    return from === 0 ? undefined : { from: from - 1, to: this.spanTo[index] };
  }

  arity(index: number): number {
    return this.kinds[index] & binaryKind ? 2 : 1;
  }

  source(index: number, slot: number): number {
    return slot === 0 ? this.sources0[index] : this.sources1[index];
  }

  inputDType(index: number, slot: number): DType {
    return dtypeOfCode(this.kinds[index] >> (2 + 2 * slot));
  }

  outputDType(index: number): DType {
    return dtypeOfCode(this.kinds[index]);
  }

  /** Where input `slot`'s gradient goes: an entry's node, a leaf, or nowhere. */
  target(index: number, slot: number): GradientTarget | null {
    const source = this.source(index, slot);
    if (source >= 0) return this.node(source);
    if (source === wrappedNumberSource) return null;
    const external = this.externals[-2 - source];
    if (external.tape !== null) return held(external.tape).node(external.tapeIndex);
    if (external.node !== null) return held(external.node);
    return external.requiresGrad ? external.leaf : null;
  }

  targetOutput(index: number, slot: number): number {
    const source = this.source(index, slot);
    return source <= -2 ? this.externals[-2 - source].outputIndex : 0;
  }

  /** The value input 0 had when saved: in its producer's row while that output was never written. */
  savedValue0(index: number): number {
    const source = this.sources0[index];
    return source >= 0 && this.versions0[index] === 0 ? this.values[source] : this.saved0[index];
  }

  savedValue1(index: number): number {
    const source = this.sources1[index];
    return source >= 0 && this.versions1[index] === 0 ? this.values[source] : this.saved1[index];
  }

  /** Input `slot` as a tensor, with the value and history it had when saved. */
  input(index: number, slot: number): Tensor {
    const source = this.source(index, slot);
    const value = slot === 0 ? this.savedValue0(index) : this.savedValue1(index);
    const dtype = this.inputDType(index, slot);
    if (source >= 0) return this.rebuild(value, dtype, source);
    if (source === wrappedNumberSource) return wrappedNumber(value, dtype === 'bool' ? 'bool' : dtype === 'int64' ? 'int' : 'float');
    const external = this.externals[-2 - source];
    if (external.leaf !== null) return external.leaf;
    if (external.tape !== null) return held(external.tape).rebuild(value, dtype, external.tapeIndex);
    return held(external.made as WeakRef<Tensor>);
  }

  output(index: number): Tensor {
    return this.rebuild(this.values[index], this.outputDType(index), index);
  }

  /**
   * A tensor with an entry's value and history, for a backward formula. Under create_graph it may
   * become part of a new graph that outlives the pass's outputs: it takes their anchor.
   */
  private rebuild(value: number, dtype: DType, producer: number): Tensor {
    const tensor = new Tensor(new Storage(value, dtype), scalarShape, dtype);
    tensor.requiresGrad = true;
    tensor.tape = this;
    tensor.tapeIndex = producer;
    tensor.anchor = anchorDuringPass();
    return tensor;
  }

  /** Input `slot`'s version when saved and now: they differ once something wrote to it in place. */
  inputVersions(index: number, slot: number): { saved: number; current: number } {
    const saved = slot === 0 ? this.versions0[index] : this.versions1[index];
    const source = this.source(index, slot);
    if (saved === unwrittenCopy) return { saved: 0, current: 0 };
    if (source >= 0) return { saved, current: this.written?.get(source)?.storage.version ?? saved };
    if (source === wrappedNumberSource) return { saved, current: saved };
    const external = this.externals[-2 - source];
    if (external.leaf !== null) return { saved, current: external.leaf.version };
    if (external.tape !== null) return { saved, current: held(external.tape).written?.get(external.tapeIndex)?.storage.version ?? saved };
    return { saved, current: held(external.made as WeakRef<Tensor>).version };
  }

  outputVersions(index: number): { saved: number; current: number } {
    const written = this.written?.get(index);
    return written ? { saved: written.savedVersion, current: written.storage.version } : { saved: 0, current: 0 };
  }

  inputIsStale(index: number, slot: number): boolean {
    if (this.written === undefined && this.source(index, slot) > wrappedNumberSource) return false;
    const { saved, current } = this.inputVersions(index, slot);
    return saved !== current;
  }

  outputIsStale(index: number): boolean {
    if (this.written === undefined) return false;
    const { saved, current } = this.outputVersions(index);
    return saved !== current;
  }

  /** The entry's hooks (by output), kept on the tape so that they last as long as the entry. */
  hooksAt(index: number, create: boolean): Map<number, OutputHooks> | undefined {
    let hooks = this.hooked?.get(index);
    if (hooks === undefined && create) (this.hooked ??= new Map()).set(index, (hooks = new Map()));
    return hooks;
  }

  /** Called before an in-place write bumps the version of the storage entry `index` produced. */
  noteWrite(index: number, storage: Storage): void {
    this.written ??= new Map();
    if (!this.written.has(index)) this.written.set(index, { storage, savedVersion: storage.version });
  }

  /** An in-place op's entry now produces `storage` (the written tensor's), at its current version. */
  noteRebase(index: number, storage: Storage): void {
    this.written ??= new Map();
    this.written.set(index, { storage, savedVersion: storage.version });
    storage.producer = this;
    storage.producerIndex = index;
  }
}

/** Ops by the code rows keep; an op learns its code the first time it is recorded. */
const opsByCode: OpDefinition<unknown>[] = [];
/**
 * Ops' derivatives on numbers by code, each copied onto an object with a prototype of its own. The
 * backward pass's call `derivative.of(at)` then meets a different shape for each derivative, whose
 * `of` the compiler knows, and inlines the few a graph uses; derivatives written as plain objects
 * share one shape, and the call through it is never inlined (≈ 10 ns an entry).
 */
const derivativesByCode: (readonly ScalarDerivative<unknown>[] | undefined)[] = [];
const withShapeOfItsOwn = ({ reads, of }: ScalarDerivative<unknown>): ScalarDerivative<unknown> => Object.assign(Object.create({ of }), { reads });
const opCode = Symbol('scalar tape op code');
type CodedOp = OpDefinition<unknown> & { [opCode]?: number };

function opCodeOf(op: OpDefinition<unknown>): number {
  const coded = op as CodedOp;
  let code = coded[opCode];
  if (code === undefined) {
    code = opsByCode.push(op) - 1;
    derivativesByCode.push(op.scalarBackward?.map(withShapeOfItsOwn));
    coded[opCode] = code;
  }
  return code;
}

let current: ScalarTape | undefined;

/** Records an op on owned 0-d inputs that made `output`, and makes the entry the output's history. */
export function recordScalarOp(op: OpDefinition<unknown>, inputs: readonly Tensor[], attrs: unknown, output: Tensor): void {
  const binary = inputs.length === 2;
  const tape = startRow(op, attrs, output, binary);
  const index = tape.length - 1;
  tape.setInput(index, 0, inputs[0]);
  if (binary) tape.setInput(index, 1, inputs[1]);
  finishRow(tape, index, output, binary ? joinAnchors(anchorOf(tape, inputs[0]), anchorOf(tape, inputs[1])) : anchorOf(tape, inputs[0]));
}

/** The same for `op(a, n)` with a number (a Python float) as the second input: a wrapped number's row. */
export function recordScalarOpWithNumber(op: OpDefinition<unknown>, a: Tensor, n: number, output: Tensor): void {
  const tape = startRow(op, undefined, output, true);
  const index = tape.length - 1;
  tape.setInput(index, 0, a);
  tape.setNumberInput(index, n);
  finishRow(tape, index, output, anchorOf(tape, a));
}

function startRow(op: OpDefinition<unknown>, attrs: unknown, output: Tensor, binary: boolean): ScalarTape {
  countGraphNode();
  if (current === undefined || current.isFull) current = new ScalarTape();
  current.append(op, attrs, output, binary);
  return current;
}

function finishRow(tape: ScalarTape, index: number, output: Tensor, anchor: object | null): void {
  output.requiresGrad = true;
  output.tape = tape;
  output.tapeIndex = index;
  output.anchor = anchor;
  output.storage.producer = tape;
  output.storage.producerIndex = index;
}

/** The next op starts a new tape: what the current one holds (leaves, hooks) goes when its values do. */
export function startNewTape(): void {
  current = undefined;
}

/** For tests: tapes this many entries long, so that graphs across several tapes are cheap to make. */
export function setTapeLengthForTests(entries: number): void {
  maxEntries = entries;
  startNewTape();
}
