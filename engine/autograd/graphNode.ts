// A node of the autograd graph is data: the op, its attributes, its inputs, where each input's
// gradient goes next (PyTorch's next_functions, fixed when the node is made), and the code that
// made it. TensorNode holds tensors; ops on 0-d tensors are recorded on a scalar tape instead
// (scalarTape.ts), whose entries are seen as TapeNodes when asked for.
import { countGraphNode } from '../resourceLimits';
import { EngineError } from '../errors';
import { nextObjectId } from '../ids';
import type { OpDefinition } from '../ops/opDefinition';
import type { SourceSpan } from '../sourceSpan';
import { type DType, legacyTypeName } from '../tensor/dtype';
import type { Shape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';

/** Where a gradient flows: into a node's output, or into a leaf's `.grad` (AccumulateGrad). */
export type GradientTarget = GraphNode | Tensor;


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
  private releasedFlag = false;
  /** Backward's bookkeeping, on the node rather than in maps (a million-node pass is then cheap): */
  /** how many consumers have yet to send their gradient, */
  dependencies = 0;
  /** and what has arrived so far (one tensor, or one slot per output for several outputs). */
  pendingGradient: Tensor | (Tensor | undefined)[] | undefined = undefined;

  constructor(
    readonly op: OpDefinition<Attrs>,
    readonly attrs: Attrs,
    readonly sourceSpan: SourceSpan | undefined,
  ) {}

  /** Set when a backward pass without retain_graph has run through it: its saved tensors count as freed. */
  get released(): boolean {
    return this.releasedFlag;
  }

  set released(value: boolean) {
    this.releasedFlag = value;
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

  /** The name PyTorch's messages give the node (its C++ name): the type's name but for a few. */
  get qualifiedName(): string {
    return this.op.nodeQualifiedName ?? this.op.nodeName;
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
    if (!ignoreChecks) this.check(this.input(index), this.inputVersions(index), 'input');
    return this.input(index);
  }

  savedOutput(index: number, ignoreChecks = false): Tensor {
    if (!ignoreChecks) this.check(this.output(index), this.outputVersions(index), 'output');
    return this.output(index);
  }

  private check(t: Tensor, versions: { saved: number; current: number }, saved: 'input' | 'output'): void {
    if (this.released) throw new EngineError('RuntimeError', freedGraphMessage);
    if (versions.current === versions.saved) return;
    // As PyTorch's SavedVariable names it: a saved output by the node that saved it, a saved
    // input by the node that produces it now (the in-place op that wrote it), a leaf by nothing.
    const producer = saved === 'output' ? this : t.gradFn;
    const which = producer ? `, which is output ${saved === 'output' ? 0 : t.outputIndex} of ${producer.qualifiedName},` : '';
    throw new EngineError(
      'RuntimeError',
      `one of the variables needed for gradient computation has been modified by an inplace operation: ` +
        `[torch.${legacyTypeName(t.dtype)} [${t.shape.join(', ')}]]${which} is at version ${versions.current}; ` +
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
    countGraphNode();
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
