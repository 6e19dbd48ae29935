// Anomaly mode (torch.autograd.set_detect_anomaly / detect_anomaly), stricter than PyTorch's: it
// checks the forward pass too, for NaN and Inf, and blames the first op that made a non-finite
// value from finite inputs, with the span of the code that ran that op.
import { EngineError } from '../errors';
import type { SourceSpan } from '../sourceSpan';
import { isFloatingPoint } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';

let anomalyEnabled = false;
/** Ops run by backward rules belong to their node's backward: the backward check reports them. */
let backwardDepth = 0;

export function duringBackward<T>(run: () => T): T {
  backwardDepth++;
  try {
    return run();
  } finally {
    backwardDepth--;
  }
}

export function isAnomalyEnabled(): boolean {
  return anomalyEnabled;
}

export function setAnomalyEnabled(enabled: boolean): void {
  anomalyEnabled = enabled;
}

/** 'nan', 'inf' or undefined for finite values. */
function nonFinite(tensor: Tensor | null | undefined): 'nan' | 'inf' | undefined {
  if (!tensor || !isFloatingPoint(tensor.dtype)) return undefined;
  let found: 'nan' | 'inf' | undefined;
  for (const value of tensor.data) {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) found = 'inf';
  }
  return found;
}

const allFinite = (tensors: readonly (Tensor | null | undefined)[]) => tensors.every((tensor) => nonFinite(tensor) === undefined);

/** After an op's forward: a non-finite output from finite inputs is the anomaly's origin. */
export function checkForward(opName: string, inputs: readonly Tensor[], outputs: readonly Tensor[], span: SourceSpan | undefined): void {
  if (backwardDepth > 0) return;
  const bad = outputs.map(nonFinite).find((kind) => kind !== undefined);
  if (bad === undefined || !allFinite(inputs)) return;
  throw new EngineError('RuntimeError', `Anomaly detected in the forward pass: ${opName} returned ${bad} values from finite inputs.`, span);
}

/** After a node's backward: non-finite gradients from finite ones, reported at the code that made the node. */
export function checkBackward(nodeName: string, incoming: readonly (Tensor | null | undefined)[], produced: readonly (Tensor | null)[], span: SourceSpan | undefined): void {
  if (!allFinite(incoming)) return;
  produced.forEach((gradient, i) => {
    const bad = nonFinite(gradient);
    if (bad !== undefined) throw new EngineError('RuntimeError', `Function '${nodeName}' returned ${bad} values in its ${i}th output.`, span);
  });
}
