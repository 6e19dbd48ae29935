// Anomaly mode (torch.autograd.set_detect_anomaly / detect_anomaly), as PyTorch's: the forward pass
// runs as usual, and backward stops at the first node whose gradients hold a NaN, naming it.
import { EngineError } from '../errors';
import type { SourceSpan } from '../sourceSpan';
import { isFloatingPoint } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';

let anomalyEnabled = false;

export function isAnomalyEnabled(): boolean {
  return anomalyEnabled;
}

export function setAnomalyEnabled(enabled: boolean): void {
  anomalyEnabled = enabled;
}

/** Whether a floating tensor holds a NaN. */
function hasNaN(tensor: Tensor | null | undefined): boolean {
  if (!tensor || !isFloatingPoint(tensor.dtype)) return false;
  for (const value of tensor.data) if (Number.isNaN(value)) return true;
  return false;
}

/**
 * After a node's backward, as PyTorch's engine checks it: a NaN in a gradient the node produced
 * (an Inf is let through), reported at the code that made the node.
 */
export function checkBackward(nodeName: string, produced: readonly (Tensor | null)[], span: SourceSpan | undefined): void {
  produced.forEach((gradient, i) => {
    if (hasNaN(gradient)) throw new EngineError('RuntimeError', `Function '${nodeName}' returned nan values in its ${i}th output.`, span);
  });
}
