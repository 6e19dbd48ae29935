// Every run has limits, so that a runaway script ends in a clear error instead of a frozen worker.
import type { RunLimits } from '../../../protocol/messages';
import { EngineError } from '../../errors';

export type { RunLimits };

export const defaultRunLimits: RunLimits = {
  timeMs: 10_000,
  maxSteps: 5_000_000,
  maxRecursionDepth: 1000,
  maxTensorElements: 50_000_000,
  maxTensorMemoryMb: 2048,
  maxGraphNodes: 5_000_000,
};

export class StepBudget {
  private steps = 0;
  private readonly deadline: number;

  constructor(private readonly limits: RunLimits) {
    this.deadline = Date.now() + limits.timeMs;
  }

  /** Counts one step; the clock is read every 64 steps, which keeps ticking cheap and stops a loop of heavy statements soon after its time. */
  tick(): void {
    this.steps++;
    if (this.steps > this.limits.maxSteps) {
      throw new EngineError('LimitError', `stopped after ${this.limits.maxSteps.toLocaleString('en')} steps (the step limit, setting gradientLens.limits.steps)`);
    }
    if ((this.steps & 63) === 0 && Date.now() > this.deadline) {
      throw new EngineError('LimitError', `stopped after ${this.limits.timeMs / 1000} s (the time limit, setting gradientLens.limits.timeSeconds)`);
    }
  }
}
