// What one registry entry says about an op: everything keyed by op lives here, once.
import type { GraphNode } from '../autograd/graphNode';
import type { DType, ElementArray } from '../tensor/dtype';
import type { Shape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';

export type ForwardResult = { readonly data: ElementArray; readonly shape: Shape; readonly dtype: DType };

export interface BackwardContext<Attrs> {
  readonly attrs: Attrs;
  /**
   * An input saved for backward: reading it after the graph was freed, or after it was written in
   * place, raises PyTorch's error. A rule that needs only its shape or dtype asks for those below.
   */
  input(index: number): Tensor;
  output(): Tensor;
  inputShape(index: number): Shape;
  inputDType(index: number): DType;
  needsInputGrad(index: number): boolean;
  /** Another node's backward, under the same checks: CopySlices runs its in-place op's. */
  backwardOf(node: GraphNode, grad: Tensor): readonly (Tensor | null)[];
}

/** Inputs the gradient check draws from: ops such as log and sqrt are checked away from their poles. */
export type GradCheckDomain = { readonly min: number; readonly max: number };

/** A saved value a derivative reads: PyTorch's freed-graph and version checks apply to those. */
export type SavedScalar = 'a' | 'b' | 'output';

/**
 * What a derivative on numbers reads: the output's gradient `g`, inputs a and b (b is 0 for a unary
 * op) and the output, all already in the op's dtype. `round` rounds to that dtype: applied after
 * each step as the tensor formula's ops round, it gives the tensor formula's result to the bit.
 */
export interface ScalarPoint<Attrs> {
  readonly g: number;
  readonly a: number;
  readonly b: number;
  readonly output: number;
  readonly round: (x: number) => number;
  readonly attrs: Attrs;
}

/**
 * Input i's gradient at a point. The point comes as one object, which the pass reuses: a call the
 * compiler does not inline would otherwise box each number it passes.
 */
export interface ScalarDerivative<Attrs> {
  readonly reads: readonly SavedScalar[];
  of(at: ScalarPoint<Attrs>): number;
}

export interface OpDefinition<Attrs = void> {
  /** The op's name as scripts and the graph view know it, e.g. 'mul'. */
  readonly name: string;
  /** PyTorch's backward node type, shown in grad_fn=<...>, e.g. 'MulBackward0'. */
  readonly nodeName: string;
  /** The node's C++ name in PyTorch's messages, where it differs: 'torch::autograd::CopySlices'. */
  readonly nodeQualifiedName?: string;
  /** New elements, or (for view ops) a tensor sharing its input's storage, or several (split, chunk). */
  forward(inputs: readonly Tensor[], attrs: Attrs): ForwardResult | Tensor | readonly Tensor[];
  /**
   * Gradients of the inputs given the output's gradient, written with other ops so that the
   * backward pass is itself a graph (higher-order gradients). Shapes may be broadcast: the caller
   * sums each back to its input's shape.
   */
  backward(grad: Tensor, context: BackwardContext<Attrs>): readonly (Tensor | null)[];
  /**
   * For ops with several outputs: the inputs' gradients from every output's gradient (null for an
   * output no gradient reached). When present, the engine calls it instead of `backward`.
   */
  backwardMany?(grads: readonly (Tensor | null)[], context: BackwardContext<Attrs>): readonly (Tensor | null)[];
  /**
   * The op on owned 0-d inputs as arithmetic on numbers, for the fast path: no typed arrays, and
   * the op is recorded on the scalar tape rather than as a node object.
   */
  scalar?(inputs: readonly Tensor[], attrs: Attrs): Tensor;
  /**
   * `scalar` for a floating 0-d tensor and a Python number (as a wrapped number would be), without
   * making the number a tensor; undefined where the number could change the result's dtype.
   */
  scalarWithNumber?(a: Tensor, n: number): Tensor | undefined;
  /**
   * The backward of `scalar`, one derivative per input, for the tape's own backward pass: the same
   * formula as `backward`, on numbers. Ops without it fall back to `backward` on 0-d tensors.
   */
  readonly scalarBackward?: readonly ScalarDerivative<Attrs>[];
  /** Attributes to show beside the node in the graph view, e.g. 'exponent=4'. */
  describeAttrs?(attrs: Attrs): string;
  readonly gradCheckDomain?: GradCheckDomain;
}
