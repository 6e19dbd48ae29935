// Each run starts from PyTorch's defaults, whatever the run before it switched.
import { setGradEnabled } from '../../autograd/gradMode';
import { startNewTape } from '../../autograd/scalarTape';
import { type EngineLimits, setEngineLimits } from '../../resourceLimits';
import { resetPrintOptions } from '../../report/printOptions';
import { defaultSeed, manualSeed } from '../../tensor/random';

export function resetEngineState(limits: EngineLimits): void {
  setEngineLimits(limits);
  setGradEnabled(true);
  resetPrintOptions();
  manualSeed(defaultSeed);
  // A tape keeps its rows' leaves and hooks: a run records on one of its own, not the last run's.
  startNewTape();
}
