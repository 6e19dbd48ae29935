// A node of the autograd graph is data: the op, its inputs, its attributes, where each input's
// gradient goes next (PyTorch's next_functions, fixed when the node is made), and the code that made it.
import { EngineError } from '../errors';
import { nextObjectId } from '../ids';
import type { OpDefinition } from '../ops/opDefinition';
import type { SourceSpan } from '../sourceSpan';
import type { Tensor } from '../tensor/tensor';

/** Where a gradient flows: into another node's output, or into a leaf's `.grad` (AccumulateGrad). */
export type Edge = { readonly node: GraphNode; readonly outputIndex: number } | { readonly leaf: Tensor };

const legacyTypeNames = { float32: 'FloatTensor', float64: 'DoubleTensor', int64: 'LongTensor', bool: 'BoolTensor' } as const;

export class GraphNode<Attrs = unknown> {
  readonly id = nextObjectId();
  /** Set when a backward pass without retain_graph has run through it: its saved tensors count as freed. */
  released = false;
  /** One per input: null for inputs that do not require grad. */
  readonly next: readonly (Edge | null)[];
  private readonly inputVersions: readonly number[];
  private readonly outputVersions: readonly number[];

  constructor(
    readonly op: OpDefinition<Attrs>,
    readonly inputs: readonly Tensor[],
    readonly attrs: Attrs,
    readonly outputs: readonly Tensor[],
    readonly sourceSpan: SourceSpan | undefined,
  ) {
    this.next = inputs.map((input) => edgeTo(input));
    this.inputVersions = inputs.map((input) => input.version);
    this.outputVersions = outputs.map((output) => output.version);
  }

  /** PyTorch's name for the node's type, e.g. MulBackward0. */
  get name(): string {
    return this.op.nodeName;
  }

  /** A saved input, checked as PyTorch checks saved variables: not freed, not modified in place since. */
  savedInput(index: number, ignoreFreed = false): Tensor {
    return this.checkSaved(this.inputs[index], this.inputVersions[index], ignoreFreed);
  }

  savedOutput(index: number, ignoreFreed = false): Tensor {
    return this.checkSaved(this.outputs[index], this.outputVersions[index], ignoreFreed);
  }

  private checkSaved(tensor: Tensor, savedVersion: number, ignoreFreed: boolean): Tensor {
    if (ignoreFreed) return tensor;
    if (this.released) throw new EngineError('RuntimeError', freedGraphMessage);
    if (tensor.version !== savedVersion) {
      const producer = tensor.gradFn && tensor.gradFn !== this ? `, which is output ${tensor.outputIndex} of ${tensor.gradFn.name},` : '';
      throw new EngineError(
        'RuntimeError',
        `one of the variables needed for gradient computation has been modified by an inplace operation: ` +
          `[torch.${legacyTypeNames[tensor.dtype]} [${tensor.shape.join(', ')}]]${producer} is at version ${tensor.version}; ` +
          `expected version ${savedVersion} instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, ` +
          `with torch.autograd.set_detect_anomaly(True).`,
      );
    }
    return tensor;
  }
}

export function edgeTo(tensor: Tensor): Edge | null {
  if (!tensor.requiresGrad) return null;
  return tensor.gradFn ? { node: tensor.gradFn, outputIndex: tensor.outputIndex } : { leaf: tensor };
}

export const freedGraphMessage =
  'Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). ' +
  'Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). ' +
  'Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.';
