// Each run starts from PyTorch's defaults, whatever the run before it switched.
import { setGradEnabled } from '../../autograd/gradMode';
import { type EngineLimits, setEngineLimits } from '../../resourceLimits';
import { resetPrintOptions } from '../../report/printOptions';
import { defaultSeed, manualSeed } from '../../tensor/random';

export function resetEngineState(limits: EngineLimits): void {
  setEngineLimits(limits);
  setGradEnabled(true);
  resetPrintOptions();
  manualSeed(defaultSeed);
}
