// The host's side of the engine worker (the extension host and the command line): requests with
// ids and timeouts, a worker that is terminated and replaced when a run outlives its limit or
// runs out of memory, and pending requests rejected with a reason, and with the statement the
// worker was running, when the worker dies.
import { Worker } from 'node:worker_threads';
import type { FromWorker, RunScriptRequest, RunScriptResult } from '../../protocol/messages';
import type { SourceSpan } from '../sourceSpan';
import { createProgressBuffer, readProgress } from '../lang/runtime/progress';

type Pending = { resolve(result: RunScriptResult): void; reject(error: Error): void; timer: NodeJS.Timeout; progress: SharedArrayBuffer };

/** A run that ended without a report: the worker was stopped. `span` is the statement it was running, as offsets into the run's text. */
export class EngineStoppedError extends Error {
  constructor(
    message: string,
    /** 'limit' when the run went past its time or memory; 'failure' when the worker broke or was shut down. */
    readonly stopCause: StopCause,
    readonly span?: SourceSpan,
  ) {
    super(message);
  }
}

export type StopCause = 'limit' | 'failure';

/** Time beyond the run's own limit before the worker is terminated: the interpreter stops itself first when it can. */
const defaultTerminationGraceMs = 2000;

/** JS stack for the worker: deep enough for the recursion limit of scripts' own functions. */
const workerStackMb = 16;

export class EngineClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly workerPath: string,
    private readonly memoryMb: () => number,
    private readonly terminationGraceMs = defaultTerminationGraceMs,
  ) {}

  run(request: Omit<RunScriptRequest, 'kind' | 'id' | 'progress'>): Promise<RunScriptResult> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const progress = createProgressBuffer();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.restart(`stopped after ${request.limits.timeMs / 1000} s (the time limit, setting gradientLens.limits.timeSeconds); the engine was restarted`, 'limit');
      }, request.limits.timeMs + this.terminationGraceMs);
      this.pending.set(id, { resolve, reject, timer, progress });
      worker.postMessage({ kind: 'runScript', id, progress, ...request } satisfies RunScriptRequest);
    });
  }

  dispose(): void {
    this.restart('the engine was shut down', 'failure');
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const memoryMb = this.memoryMb();
    const worker = new Worker(this.workerPath, {
      // A larger young generation makes graph building faster (bench notes); the old generation is the memory limit.
      resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: 64, stackSizeMb: workerStackMb },
    });
    worker.on('message', (message: FromWorker) => this.settle(message));
    worker.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        this.workerDied(worker, `ran out of memory: the script needed more than the engine's ${memoryMb} MiB (setting gradientLens.limits.memoryMb); the engine was restarted`, 'limit');
      } else {
        this.workerDied(worker, `failed: ${error.message}; the engine was restarted`, 'failure');
      }
    });
    worker.on('exit', (code) => this.workerDied(worker, `stopped unexpectedly (exit code ${code}); the engine was restarted`, 'failure'));
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

  private workerDied(worker: Worker, reason: string, cause: StopCause): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.rejectAll(reason, cause);
  }

  private restart(reason: string, cause: StopCause): void {
    const worker = this.worker;
    this.worker = undefined;
    this.rejectAll(reason, cause);
    void worker?.terminate();
  }

  private rejectAll(reason: string, cause: StopCause): void {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new EngineStoppedError(reason, cause, readProgress(pending.progress)));
    }
    this.pending.clear();
  }
}
