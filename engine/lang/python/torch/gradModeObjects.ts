// torch.no_grad(), enable_grad(), set_grad_enabled(), inference_mode() and
// autograd.detect_anomaly() as the context managers `with` takes.
import { isAnomalyEnabled, setAnomalyEnabled } from '../../../autograd/anomaly';
import { isGradEnabled, setGradEnabled } from '../../../autograd/gradMode';
import { PyContextManager } from '../values';

/** A context manager that sets a mode on entry and restores the previous one on exit. */
export function modeSwitch(typeName: string, read: () => boolean, write: (value: boolean) => void, value: boolean): PyContextManager {
  const previous: boolean[] = [];
  return new PyContextManager(
    typeName,
    () => {
      previous.push(read());
      write(value);
    },
    () => write(previous.pop() ?? true),
  );
}

export const noGrad = () => modeSwitch('torch.no_grad', isGradEnabled, setGradEnabled, false);
export const enableGrad = () => modeSwitch('torch.enable_grad', isGradEnabled, setGradEnabled, true);
export const detectAnomaly = () => modeSwitch('torch.autograd.detect_anomaly', isAnomalyEnabled, setAnomalyEnabled, true);

/** set_grad_enabled(mode) switches at once; as a context manager it restores the previous mode on exit. */
export function setGradEnabledNow(mode: boolean): PyContextManager {
  const previous = isGradEnabled();
  setGradEnabled(mode);
  return new PyContextManager('torch.set_grad_enabled', () => setGradEnabled(mode), () => setGradEnabled(previous));
}

/** set_detect_anomaly(mode), likewise. */
export function setDetectAnomalyNow(mode: boolean): PyContextManager {
  const previous = isAnomalyEnabled();
  setAnomalyEnabled(mode);
  return new PyContextManager('torch.autograd.set_detect_anomaly', () => setAnomalyEnabled(mode), () => setAnomalyEnabled(previous));
}
