// A node of the autograd graph is data: the op, its attributes, its inputs, where each input's
// gradient goes next (PyTorch's next_functions, fixed when the node is made), and the code that
// made it. TensorNode holds tensors; ScalarNode is the compact form for ops on 0-d tensors, which
// keeps only storages, so that a chain of a million scalar ops stays small.
import { countGraphNode } from '../resourceLimits';
import { EngineError } from '../errors';
import { nextObjectId } from '../ids';
import type { OpDefinition } from '../ops/opDefinition';
import type { SourceSpan } from '../sourceSpan';
import type { DType } from '../tensor/dtype';
import type { Shape } from '../tensor/shape';
import { type Storage, Tensor } from '../tensor/tensor';

/** Where a gradient flows: into a node's output, or into a leaf's `.grad` (AccumulateGrad). */
export type GradientTarget = GraphNode | Tensor;

const legacyTypeNames = { float32: 'FloatTensor', float64: 'DoubleTensor', int64: 'LongTensor', bool: 'BoolTensor' } as const;

export const freedGraphMessage =
  'Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). ' +
  'Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). ' +
  'Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.';

/** The node a tensor's gradient goes to, or the tensor itself for a leaf; null when it needs none. */
export function targetOf(tensor: Tensor): GradientTarget | null {
  if (!tensor.requiresGrad) return null;
  return tensor.gradFn ?? tensor;
}

/** Node ids are given when first asked for (graph snapshots, grad_fn reprs): most nodes never need one. */
const nodeIds = new WeakMap<GraphNode, number>();

export abstract class GraphNode<Attrs = unknown> {
  /** Set when a backward pass without retain_graph has run through it: its saved tensors count as freed. */
  released = false;
  /** Backward's bookkeeping, on the node rather than in maps (a million-node pass is then cheap): */
  /** how many consumers have yet to send their gradient, */
  dependencies = 0;
  /** and what has arrived so far (one tensor, or one slot per output for several outputs). */
  pendingGradient: Tensor | (Tensor | undefined)[] | undefined = undefined;

  constructor(
    readonly op: OpDefinition<Attrs>,
    readonly attrs: Attrs,
    readonly sourceSpan: SourceSpan | undefined,
  ) {
    countGraphNode();
  }

  get id(): number {
    let id = nodeIds.get(this);
    if (id === undefined) nodeIds.set(this, (id = nextObjectId()));
    return id;
  }

  /** PyTorch's name for the node's type, e.g. MulBackward0. */
  get name(): string {
    return this.op.nodeName;
  }

  abstract readonly inputCount: number;
  abstract readonly outputCount: number;
  /** Where input i's gradient goes (null when it needs none), and which output of that node it is. */
  abstract target(index: number): GradientTarget | null;
  abstract targetOutput(index: number): number;
  abstract inputShape(index: number): Shape;
  abstract inputDType(index: number): DType;
  /** Input i as a tensor, unchecked: for display and for constants. */
  abstract input(index: number): Tensor;
  /** Output i as a tensor, unchecked: for display. */
  abstract output(index: number): Tensor;
  protected abstract inputVersions(index: number): { saved: number; current: number };
  protected abstract outputVersions(index: number): { saved: number; current: number };

  /** A saved input, checked as PyTorch checks saved variables: not freed, not modified in place since. */
  savedInput(index: number, ignoreChecks = false): Tensor {
    if (!ignoreChecks) this.check(() => this.input(index), this.inputVersions(index));
    return this.input(index);
  }

  savedOutput(index: number, ignoreChecks = false): Tensor {
    if (!ignoreChecks) this.check(() => this.output(index), this.outputVersions(index));
    return this.output(index);
  }

  private check(tensor: () => Tensor, versions: { saved: number; current: number }): void {
    if (this.released) throw new EngineError('RuntimeError', freedGraphMessage);
    if (versions.current === versions.saved) return;
    const t = tensor();
    const producer = t.gradFn && t.gradFn !== this ? `, which is output ${t.outputIndex} of ${t.gradFn.name},` : '';
    throw new EngineError(
      'RuntimeError',
      `one of the variables needed for gradient computation has been modified by an inplace operation: ` +
        `[torch.${legacyTypeNames[t.dtype]} [${t.shape.join(', ')}]]${producer} is at version ${versions.current}; ` +
        `expected version ${versions.saved} instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, ` +
        `with torch.autograd.set_detect_anomaly(True).`,
    );
  }
}

/** The general node: holds its input and output tensors. */
export class TensorNode<Attrs = unknown> extends GraphNode<Attrs> {
  private readonly targets: readonly (GradientTarget | null)[];
  private readonly targetOutputs: readonly number[];
  private readonly savedInputVersions: readonly number[];
  private readonly savedOutputVersions: readonly number[];

  constructor(
    op: OpDefinition<Attrs>,
    private readonly inputs: readonly Tensor[],
    attrs: Attrs,
    private readonly outputs: readonly Tensor[],
    sourceSpan: SourceSpan | undefined,
  ) {
    super(op, attrs, sourceSpan);
    this.targets = inputs.map(targetOf);
    this.targetOutputs = inputs.map((input) => input.outputIndex);
    this.savedInputVersions = inputs.map((input) => input.version);
    this.savedOutputVersions = outputs.map((output) => output.version);
  }

  get inputCount(): number {
    return this.inputs.length;
  }
  get outputCount(): number {
    return this.outputs.length;
  }
  target(index: number): GradientTarget | null {
    return this.targets[index];
  }
  targetOutput(index: number): number {
    return this.targetOutputs[index];
  }
  inputShape(index: number): Shape {
    return this.inputs[index].shape;
  }
  inputDType(index: number): DType {
    return this.inputs[index].dtype;
  }
  input(index: number): Tensor {
    return this.inputs[index];
  }
  output(index: number): Tensor {
    return this.outputs[index];
  }
  protected inputVersions(index: number) {
    return { saved: this.savedInputVersions[index], current: this.inputs[index].version };
  }
  protected outputVersions(index: number) {
    return { saved: this.savedOutputVersions[index], current: this.outputs[index].version };
  }
}

const versionBase = 2 ** 26;

/** A 0-d input as a scalar node keeps it: the storage of a computed value, or the tensor of a leaf or constant. */
type ScalarInput = Storage | Tensor;

/**
 * The node of an op on owned 0-d tensors with one 0-d output. It keeps storages rather than
 * tensors: a tensor the script no longer holds can be collected, and the node rebuilds it on demand.
 */
export class ScalarNode<Attrs = unknown> extends GraphNode<Attrs> {
  private readonly input0: ScalarInput;
  private readonly input1: ScalarInput | undefined;
  private readonly target0: GradientTarget | null;
  private readonly target1: GradientTarget | null;
  /** Both inputs' versions when saved, in one number: version0 + version1·2²⁶. */
  private readonly savedVersions: number;
  private readonly result: Storage;

  constructor(op: OpDefinition<Attrs>, inputs: readonly Tensor[], attrs: Attrs, output: Tensor, sourceSpan: SourceSpan | undefined) {
    super(op, attrs, sourceSpan);
    const [a, b] = inputs;
    this.input0 = a.gradFn ? a.storage : a;
    this.target0 = targetOf(a);
    this.input1 = b === undefined ? undefined : b.gradFn ? b.storage : b;
    this.target1 = b === undefined ? null : targetOf(b);
    this.savedVersions = a.version + (b === undefined ? 0 : b.version) * versionBase;
    this.result = output.storage;
  }

  get inputCount(): number {
    return this.input1 === undefined ? 1 : 2;
  }
  get outputCount(): number {
    return 1;
  }
  target(index: number): GradientTarget | null {
    return index === 0 ? this.target0 : this.target1;
  }
  /** Ops on owned scalars only read outputs 0 of their producers (split and chunk never make 0-d owned scalars). */
  targetOutput(): number {
    return 0;
  }
  inputShape(): Shape {
    return [];
  }
  inputDType(index: number): DType {
    const input = index === 0 ? this.input0 : (this.input1 as ScalarInput);
    return input.dtype;
  }
  input(index: number): Tensor {
    const input = index === 0 ? this.input0 : (this.input1 as ScalarInput);
    if (input instanceof Tensor) return input;
    return rebuild(input, this.target(index));
  }
  output(): Tensor {
    return rebuild(this.result, this);
  }
  protected inputVersions(index: number) {
    const input = index === 0 ? this.input0 : (this.input1 as ScalarInput);
    const saved = index === 0 ? this.savedVersions % versionBase : Math.floor(this.savedVersions / versionBase);
    return { saved, current: input.version };
  }
  protected outputVersions() {
    return { saved: 0, current: this.result.version };
  }
}

/** A 0-d tensor on a kept storage, with the history it had. */
function rebuild(storage: Storage, producer: GradientTarget | null): Tensor {
  const tensor = new Tensor(storage, [], storage.dtype);
  if (producer instanceof GraphNode) {
    tensor.gradFn = producer;
    tensor.requiresGrad = true;
  }
  return tensor;
}
