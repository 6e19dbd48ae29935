// Runs an op's forward kernel and, when gradients are being recorded, adds its node to the graph.
import { isAnomalyEnabled } from '../autograd/anomaly';
import { TensorNode } from '../autograd/graphNode';
import { isGradEnabled, withGradMode } from '../autograd/gradMode';
import { recordScalarOp, recordScalarOpWithNumber } from '../autograd/scalarTape';
import { markView } from '../autograd/viewHistory';
import { currentSourceSpan } from '../sourceSpan';
import { wrappedNumber } from '../tensor/create';
import { isFloatingPoint } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import type { ForwardResult, OpDefinition } from './opDefinition';

export function apply<Attrs>(op: OpDefinition<Attrs>, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  if (op.scalar !== undefined && !isAnomalyEnabled() && allOwnedScalars(inputs)) return applyToScalars(op, op.scalar(inputs, attrs), inputs, attrs);
  return applyMany(op, inputs, attrs)[0];
}

/**
 * `op(a, n)` for a tensor and a number (a Python float): as apply(op, [a, wrappedNumber(n)]),
 * without the wrapped number where `a` is a floating owned 0-d tensor.
 */
export function applyWithNumber(op: OpDefinition, a: Tensor, n: number): Tensor {
  // A wrapped number with another number promotes as two Python numbers do: the general path.
  const fast = op.scalarWithNumber !== undefined && a.isOwnedScalar && !a.isWrappedNumber && !isAnomalyEnabled();
  const output = fast ? op.scalarWithNumber?.(a, n) : undefined;
  if (output === undefined) return apply(op, [a, wrappedNumber(n)], undefined);
  if (a.requiresGrad && isGradEnabled()) recordScalarOpWithNumber(op as OpDefinition<unknown>, a, n, output);
  return output;
}

function allOwnedScalars(inputs: readonly Tensor[]): boolean {
  for (let i = 0; i < inputs.length; i++) if (!inputs[i].isOwnedScalar) return false;
  return true;
}

/** The fast path for an op on owned 0-d tensors: numbers in, a number out, a row on the scalar tape. */
function applyToScalars<Attrs>(op: OpDefinition<Attrs>, output: Tensor, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  if (isGradEnabled() && isFloatingPoint(output.dtype) && anyRequiresGrad(inputs)) recordScalarOp(op as OpDefinition<unknown>, inputs, attrs, output);
  return output;
}

function anyRequiresGrad(inputs: readonly Tensor[]): boolean {
  for (let i = 0; i < inputs.length; i++) if (inputs[i].requiresGrad) return true;
  return false;
}

/** For ops with several outputs (split, chunk): one node, each output knowing its index. */
export function applyMany<Attrs>(op: OpDefinition<Attrs>, inputs: readonly Tensor[], attrs: Attrs): Tensor[] {
  // A forward kernel may use other ops for its arithmetic; those never belong in the graph.
  const result = withGradMode(false, () => op.forward(inputs, attrs));
  const outputs = result instanceof Tensor ? [result] : Array.isArray(result) ? [...(result as readonly Tensor[])] : [toTensor(result as ForwardResult)];
  // An output sharing its input's storage is a view of it, whatever the grad mode.
  const source = inputs[0] as Tensor | undefined;
  for (const output of outputs) if (source !== undefined && output.storage === source.storage && output !== source) markView(output, source, outputs.length > 1);
  if (isGradEnabled() && outputs.every((output) => isFloatingPoint(output.dtype)) && inputs.some((input) => input.requiresGrad)) {
    const node = new TensorNode(op, inputs, attrs, outputs, currentSourceSpan());
    outputs.forEach((output, i) => {
      output.requiresGrad = true;
      output.gradFn = node;
      output.outputIndex = i;
    });
  }
  return outputs;
}

const toTensor = (result: ForwardResult) => new Tensor(result.data, result.shape, result.dtype);
