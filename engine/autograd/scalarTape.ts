// The scalar tape: ops on 0-d tensors are recorded as rows of typed arrays rather than as node
// objects. A chain of a million scalar ops (micrograd-style scripts) then leaves the garbage
// collector nothing to trace per op, and backward can run over the rows directly (tapeBackward.ts).
// A node (TapeNode) is made for an entry only when something asks for one: grad_fn, a hook, the
// graph view, the general backward pass.
import { countGraphNode } from '../resourceLimits';
import type { OpDefinition } from '../ops/opDefinition';
import { type SourceSpan, currentSourceSpan } from '../sourceSpan';
import { wrappedNumber } from '../tensor/create';
import type { DType } from '../tensor/dtype';
import { scalarShape } from '../tensor/shape';
import { Storage, Tensor } from '../tensor/tensor';
import type { GradientTarget, GraphNode } from './graphNode';
import { TapeNode } from './tapeNode';

/**
 * An input recorded from outside the tape (a leaf, a constant tensor, a value another tape or a
 * tensor node made), with its history as it was then: PyTorch fixes an edge when the op runs.
 */
export type ExternalInput = {
  readonly tensor: Tensor;
  readonly requiresGrad: boolean;
  readonly tape: ScalarTape | null;
  readonly tapeIndex: number;
  readonly node: GraphNode | null;
  readonly outputIndex: number;
  /** Whether its history leads to a tensor node (directly, or through another tape's entry). */
  readonly reachesNode: boolean;
};

/** An entry's output storage once written in place: its current version is read from it. */
type WrittenOutput = { readonly storage: Storage; readonly savedVersion: number };

/** Where an input came from: an entry of the same tape (≥ 0), a wrapped number, or externals[-2 - source]. */
export const wrappedNumberSource = -1;

const dtypes: readonly DType[] = ['bool', 'int64', 'float32', 'float64'];
const dtypeCode = (dtype: DType) => (dtype === 'float32' ? 2 : dtype === 'float64' ? 3 : dtype === 'int64' ? 1 : 0);
/** Bit set in an entry's kind when it has a second input. */
export const binaryKind = 64;
/**
 * Bit set when the entry's history reaches a tensor node, fixed when recorded (as its edges are):
 * the tape's own backward pass cannot follow those, so a pass from such an entry is the general one.
 */
export const reachesNodeKind = 128;
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
  // memory (≈ 4 MB a tape) that a short script leaves unused.
  readonly ops: OpDefinition<unknown>[] = new Array(maxEntries);
  readonly attrs: unknown[] = new Array(maxEntries);
  readonly spans: (SourceSpan | undefined)[] = new Array(maxEntries);
  /** Per entry: the output's value, and each input's value, version and source when saved. */
  readonly values = new Float64Array(maxEntries);
  readonly saved0 = new Float64Array(maxEntries);
  readonly saved1 = new Float64Array(maxEntries);
  readonly sources0 = new Int32Array(maxEntries);
  readonly sources1 = new Int32Array(maxEntries);
  readonly versions0 = new Int32Array(maxEntries);
  readonly versions1 = new Int32Array(maxEntries);
  /** dtype codes of the output (bits 0–1), input 0 (2–3) and input 1 (4–5); binaryKind, reachesNodeKind. */
  readonly kinds = new Uint8Array(maxEntries);
  /** Set when a backward pass without retain_graph has run through the entry. */
  readonly released = new Uint8Array(maxEntries);
  readonly externals: ExternalInput[] = [];
  /** Entries whose output has hooks or retains its gradient: the backward pass runs them there. */
  hooked: Set<number> | undefined;
  private readonly externalIndexes = new Map<Tensor, number>();
  private readonly nodes = new Map<number, TapeNode>();
  private written: Map<number, WrittenOutput> | undefined;

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
    this.ops[index] = op;
    this.attrs[index] = attrs;
    this.spans[index] = currentSourceSpan();
    this.values[index] = output.storage.first;
    this.kinds[index] = dtypeCode(output.dtype) | (binary ? binaryKind : 0);
    return index;
  }

  setInput(index: number, slot: 0 | 1, input: Tensor): void {
    const { storage } = input;
    const source = input.tape === this ? input.tapeIndex : input.isWrappedNumber ? wrappedNumberSource : -2 - this.externalIndex(input);
    // A copy carrying an entry's history (an in-place op's snapshot) is never written: only the entry's own output storage can go stale.
    const version = source >= 0 && (storage.producer !== this || storage.producerIndex !== source) ? unwrittenCopy : storage.version;
    if (slot === 0) {
      this.saved0[index] = storage.first;
      this.versions0[index] = version;
      this.sources0[index] = source;
    } else {
      this.saved1[index] = storage.first;
      this.versions1[index] = version;
      this.sources1[index] = source;
    }
    this.kinds[index] |= (dtypeCode(input.dtype) << (2 + 2 * slot)) | this.reachesNode(source);
  }

  /** reachesNodeKind if an input from `source` leads to a tensor node, else 0. */
  private reachesNode(source: number): number {
    if (source >= 0) return this.kinds[source] & reachesNodeKind;
    return source < wrappedNumberSource && this.externals[-2 - source].reachesNode ? reachesNodeKind : 0;
  }

  private externalIndex(tensor: Tensor): number {
    const known = this.externalIndexes.get(tensor);
    if (known !== undefined && sameHistory(this.externals[known], tensor)) return known;
    const { tape, tapeIndex } = tensor;
    const node = tensor.nodeOutsideTape;
    const external: ExternalInput = {
      tensor,
      requiresGrad: tensor.requiresGrad,
      tape,
      tapeIndex,
      node,
      outputIndex: tensor.outputIndex,
      reachesNode: node !== null || (tape !== null && (tape.kinds[tapeIndex] & reachesNodeKind) !== 0),
    };
    this.externals.push(external);
    this.externalIndexes.set(tensor, this.externals.length - 1);
    return this.externals.length - 1;
  }

  /** The entry as a graph node, one per entry so that `is` comparisons of grad_fn hold. */
  node(index: number): TapeNode {
    let node = this.nodes.get(index);
    if (node === undefined) this.nodes.set(index, (node = new TapeNode(this, index)));
    return node;
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
    if (external.tape !== null) return external.tape.node(external.tapeIndex);
    return external.node ?? (external.requiresGrad ? external.tensor : null);
  }

  targetOutput(index: number, slot: number): number {
    const source = this.source(index, slot);
    return source <= -2 ? this.externals[-2 - source].outputIndex : 0;
  }

  /** Input `slot` as a tensor, with the value and history it had when saved. */
  input(index: number, slot: number): Tensor {
    const source = this.source(index, slot);
    const value = slot === 0 ? this.saved0[index] : this.saved1[index];
    const dtype = this.inputDType(index, slot);
    if (source >= 0) return this.rebuild(value, dtype, source);
    if (source === wrappedNumberSource) return wrappedNumber(value, dtype === 'bool' ? 'bool' : dtype === 'int64' ? 'int' : 'float');
    return this.externals[-2 - source].tensor;
  }

  output(index: number): Tensor {
    return this.rebuild(this.values[index], this.outputDType(index), index);
  }

  private rebuild(value: number, dtype: DType, producer: number): Tensor {
    const tensor = new Tensor(new Storage(value, dtype), scalarShape, dtype);
    tensor.requiresGrad = true;
    tensor.tape = this;
    tensor.tapeIndex = producer;
    return tensor;
  }

  /** Input `slot`'s version when saved and now: they differ once something wrote to it in place. */
  inputVersions(index: number, slot: number): { saved: number; current: number } {
    const saved = slot === 0 ? this.versions0[index] : this.versions1[index];
    const source = this.source(index, slot);
    if (saved === unwrittenCopy) return { saved: 0, current: 0 };
    if (source >= 0) return { saved, current: this.written?.get(source)?.storage.version ?? saved };
    if (source === wrappedNumberSource) return { saved, current: saved };
    return { saved, current: this.externals[-2 - source].tensor.version };
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

  noteHooks(index: number): void {
    (this.hooked ??= new Set()).add(index);
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

const sameHistory = (external: ExternalInput, tensor: Tensor) =>
  external.requiresGrad === tensor.requiresGrad &&
  external.tape === tensor.tape &&
  external.tapeIndex === tensor.tapeIndex &&
  external.node === tensor.nodeOutsideTape &&
  external.outputIndex === tensor.outputIndex;

let current: ScalarTape | undefined;

/** Records an op on owned 0-d inputs that made `output`, and makes the entry the output's history. */
export function recordScalarOp(op: OpDefinition<unknown>, inputs: readonly Tensor[], attrs: unknown, output: Tensor): void {
  countGraphNode();
  if (current === undefined || current.isFull) current = new ScalarTape();
  const tape = current;
  const binary = inputs.length === 2;
  const index = tape.append(op, attrs, output, binary);
  tape.setInput(index, 0, inputs[0]);
  if (binary) tape.setInput(index, 1, inputs[1]);
  output.requiresGrad = true;
  output.tape = tape;
  output.tapeIndex = index;
  output.storage.producer = tape;
  output.storage.producerIndex = index;
}

/** For tests: tapes this many entries long, so that graphs across several tapes are cheap to make. */
export function setTapeLengthForTests(entries: number): void {
  maxEntries = entries;
  current = undefined;
}
