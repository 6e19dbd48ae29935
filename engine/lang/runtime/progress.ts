// Where a run is, readable from outside the worker: the statement running now, written into memory
// the host shares with the worker. When the host has to stop a worker (a kernel that will not end,
// a heap that ran out), it reads the statement from here, so that the error still has its line.
import type { SourceSpan } from '../../sourceSpan';

let cells: Int32Array | undefined;

/** The buffer a run reports into (two int32: from, to); undefined when nobody is watching. */
export function setProgressBuffer(buffer: SharedArrayBuffer | undefined): void {
  cells = buffer ? new Int32Array(buffer) : undefined;
}

export function reportProgress(span: SourceSpan): void {
  if (cells) {
    cells[0] = span.from;
    cells[1] = span.to;
  }
}

/** The host's side: a fresh buffer for a run, and what it says afterwards. */
export function createProgressBuffer(): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(8);
  new Int32Array(buffer).fill(-1);
  return buffer;
}

export function readProgress(buffer: SharedArrayBuffer): SourceSpan | undefined {
  const [from, to] = new Int32Array(buffer);
  return from >= 0 ? { from, to } : undefined;
}
