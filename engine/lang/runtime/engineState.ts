// Each run starts from PyTorch's defaults, whatever the run before it switched.
import { setGradEnabled } from '../../autograd/gradMode';
import { resetPrintOptions } from '../../report/printOptions';
import { defaultSeed, manualSeed } from '../../tensor/random';

export function resetEngineState(): void {
  setGradEnabled(true);
  resetPrintOptions();
  manualSeed(defaultSeed);
}
