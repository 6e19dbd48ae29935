// The engine's share of a run's limits: elements per tensor, memory held by all tensors, and nodes
// in the autograd graph. A script that goes over one stops with an error that names the limit and
// its setting, instead of exhausting the worker.
import { EngineError } from './errors';

export type EngineLimits = {
  readonly maxTensorElements: number;
  readonly maxTensorMemoryMb: number;
  readonly maxGraphNodes: number;
};

const unlimited: EngineLimits = { maxTensorElements: Infinity, maxTensorMemoryMb: Infinity, maxGraphNodes: Infinity };

/** Bytes of tensor memory in use, where the host can tell (Node's process.memoryUsage()). */
type MemoryProbe = () => number;

let limits = unlimited;
let graphNodes = 0;
let bytesSinceProbe = 0;
/** Array-buffer memory the engine keeps for reuse (scalar tape rows), which no tensor holds. */
let idleBytes = 0;
/** Reading the host's memory figure costs microseconds: only after this much new allocation. */
const probeIntervalBytes = 16 * 1024 * 1024;

const hostProcess = (globalThis as { process?: { memoryUsage?: () => { arrayBuffers: number } } }).process;
const memoryProbe: MemoryProbe | undefined = typeof hostProcess?.memoryUsage === 'function' ? () => (hostProcess.memoryUsage as () => { arrayBuffers: number })().arrayBuffers : undefined;

const count = (n: number) => n.toLocaleString('en');

/** Starts a run's accounting under these limits. */
export function setEngineLimits(next: EngineLimits): void {
  limits = next;
  graphNodes = 0;
  bytesSinceProbe = 0;
}

/** The engine's own reserve of array buffers, left out of the tensor memory a run is charged with. */
export function setIdleBytes(bytes: number): void {
  idleBytes = bytes;
}

/** Called before a tensor's storage is allocated. */
export function checkAllocation(elements: number, bytesPerElement: number): void {
  if (elements > limits.maxTensorElements) {
    throw new EngineError('LimitError', `a tensor of ${count(elements)} elements is over the limit of ${count(limits.maxTensorElements)} elements per tensor (setting gradientLens.limits.tensorElements)`);
  }
  bytesSinceProbe += elements * bytesPerElement;
  if (memoryProbe && bytesSinceProbe >= probeIntervalBytes) {
    bytesSinceProbe = 0;
    const usedMb = (memoryProbe() - idleBytes + elements * bytesPerElement) / (1024 * 1024);
    if (usedMb > limits.maxTensorMemoryMb) {
      throw new EngineError('LimitError', `tensors would hold ${count(Math.round(usedMb))} MiB, over the limit of ${count(limits.maxTensorMemoryMb)} MiB (setting gradientLens.limits.tensorMemoryMb)`);
    }
  }
}

/** Called for each node the autograd graph records. */
export function countGraphNode(): void {
  if (++graphNodes > limits.maxGraphNodes) {
    throw new EngineError('LimitError', `the autograd graph is over the limit of ${count(limits.maxGraphNodes)} nodes (setting gradientLens.limits.graphNodes)`);
  }
}
