// The extension's side of the engine worker: requests with ids and timeouts, a worker that is
// terminated and replaced when a run outlives its limit, and pending requests rejected with a
// reason when the worker dies.
import { Worker } from 'node:worker_threads';
import type { FromWorker, RunScriptRequest, RunScriptResult } from '../protocol/messages';

type Pending = { resolve(result: RunScriptResult): void; reject(error: Error): void; timer: NodeJS.Timeout };

export class EngineStoppedError extends Error {}

/** Time beyond the run's own limit before the worker is terminated: the interpreter stops itself first when it can. */
const defaultTerminationGraceMs = 2000;

export class EngineClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly workerPath: string,
    private readonly memoryMb: () => number,
    private readonly terminationGraceMs = defaultTerminationGraceMs,
  ) {}

  run(request: Omit<RunScriptRequest, 'kind' | 'id'>): Promise<RunScriptResult> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.restart(new EngineStoppedError(`stopped after ${request.limits.timeMs / 1000} s (the time limit); the engine was restarted`));
      }, request.limits.timeMs + this.terminationGraceMs);
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ kind: 'runScript', id, ...request } satisfies RunScriptRequest);
    });
  }

  dispose(): void {
    this.restart(new EngineStoppedError('the extension was deactivated'));
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerPath, {
      // A larger young generation makes graph building faster (bench notes); the old generation is the memory limit.
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb(), maxYoungGenerationSizeMb: 64 },
    });
    worker.on('message', (message: FromWorker) => this.settle(message));
    worker.on('error', (error) => this.workerDied(worker, `the engine failed: ${error.message}`));
    worker.on('exit', (code) => this.workerDied(worker, `the engine stopped unexpectedly (exit code ${code})`));
    this.worker = worker;
    return worker;
  }

  private settle(message: FromWorker): void {
    const pending = this.pending.get(message.inReplyTo);
    if (!pending) return;
    this.pending.delete(message.inReplyTo);
    clearTimeout(pending.timer);
    if (message.kind === 'runResult') pending.resolve(message);
    else pending.reject(new Error(message.message));
  }

  private workerDied(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.rejectAll(new EngineStoppedError(reason));
  }

  private restart(reason: Error): void {
    const worker = this.worker;
    this.worker = undefined;
    this.rejectAll(reason);
    void worker?.terminate();
  }

  private rejectAll(reason: Error): void {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(reason);
    }
    this.pending.clear();
  }
}
