// A scalar tape's rows: one typed array per column. Fresh typed arrays cost more than the ops they
// record (the allocator zeroes them and the first write to each page faults), so the rows of a
// tape that was collected wait in a pool for the next tape: a script run again and again, as the
// editor runs it on each change, records into memory it has already touched.
import { setIdleBytes } from '../resourceLimits';

export class TapeRows {
  readonly opCodes: Uint16Array;
  /** The code that made each entry, as offsets: from + 1 (0 for none), and to. */
  readonly spanFrom: Int32Array;
  readonly spanTo: Int32Array;
  /** Per entry: the output's value, and each input's value, version and source when saved. */
  readonly values: Float64Array;
  readonly saved0: Float64Array;
  readonly saved1: Float64Array;
  readonly sources0: Int32Array;
  readonly sources1: Int32Array;
  readonly versions0: Int32Array;
  readonly versions1: Int32Array;
  /** dtype codes of the output (bits 0–1), input 0 (2–3) and input 1 (4–5), and flags (see scalarTape.ts). */
  readonly kinds: Uint8Array;
  /** Set when a backward pass without retain_graph has run through the entry. */
  readonly released: Uint8Array;

  /** What the columns take together. */
  readonly bytes: number;

  constructor(readonly capacity: number) {
    this.opCodes = new Uint16Array(capacity);
    this.spanFrom = new Int32Array(capacity);
    this.spanTo = new Int32Array(capacity);
    this.values = new Float64Array(capacity);
    this.saved0 = new Float64Array(capacity);
    this.saved1 = new Float64Array(capacity);
    this.sources0 = new Int32Array(capacity);
    this.sources1 = new Int32Array(capacity);
    this.versions0 = new Int32Array(capacity);
    this.versions1 = new Int32Array(capacity);
    this.kinds = new Uint8Array(capacity);
    this.released = new Uint8Array(capacity);
    this.bytes = Object.values(this).reduce((sum: number, column) => sum + (ArrayBuffer.isView(column) ? column.byteLength : 0), 0);
  }

  /**
   * Zeroes the columns where a tape leaves zero unwritten: no span, version 0, not released. The
   * others are written with each entry before anything reads them.
   */
  clear(): void {
    this.spanFrom.fill(0);
    this.versions0.fill(0);
    this.versions1.fill(0);
    this.released.fill(0);
  }
}

/** Rows kept for reuse: a million entries' worth (about 50 MB), what one long run of scalar ops records. */
const poolBudgetBytes = 64 * 1024 * 1024;
const pool: TapeRows[] = [];
let pooledBytes = 0;

const collected = new FinalizationRegistry<TapeRows>((rows) => {
  if (pooledBytes + rows.bytes > poolBudgetBytes) return;
  pool.push(rows);
  pooledBytes += rows.bytes;
  setIdleBytes(pooledBytes);
});

/** Rows for a new tape, from the pool where rows of that capacity wait there; they return when `owner` is collected. */
export function takeRows(owner: object, capacity: number): TapeRows {
  let rows: TapeRows | undefined;
  while (rows === undefined && pool.length > 0) {
    const pooled = pool.pop() as TapeRows;
    pooledBytes -= pooled.bytes;
    if (pooled.capacity === capacity) rows = pooled;
  }
  setIdleBytes(pooledBytes);
  if (rows === undefined) rows = new TapeRows(capacity);
  else rows.clear();
  collected.register(owner, rows);
  return rows;
}

/** For tests: how many tapes' rows wait in the pool, and their bytes. */
export const poolForTests = () => ({ tapes: pool.length, bytes: pooledBytes });

/** For tests: empties the pool, so that the next rows pooled are the only ones there. */
export function emptyPoolForTests(): void {
  pool.length = 0;
  pooledBytes = 0;
  setIdleBytes(0);
}
