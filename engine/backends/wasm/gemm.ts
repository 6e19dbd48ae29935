// The WebAssembly SIMD matrix product for float32: operands packed into panels in the module's
// memory, the generated kernel run, the product copied out. Where WebAssembly cannot be compiled
// (a page whose CSP forbids it), `wasmGemm` is undefined and the JavaScript kernel is used.
import type { MatrixView } from '../cpu/matmul';
import { gemmModuleBytes, tileCols, tileRows } from './gemmKernel';

type Kernel = { gemm(a: number, b: number, c: number, m: number, n: number, k: number): void };

let memory: WebAssembly.Memory | undefined;
let kernel: Kernel | undefined;
let unavailable = false;

function instantiate(): Kernel | undefined {
  if (kernel || unavailable) return kernel;
  try {
    memory = new WebAssembly.Memory({ initial: 16 });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(gemmModuleBytes()), { env: { memory } });
    kernel = instance.exports as unknown as Kernel;
  } catch {
    unavailable = true;
  }
  return kernel;
}

const roundUp = (value: number, multiple: number) => Math.ceil(value / multiple) * multiple;

function ensureBytes(bytes: number): Float32Array {
  const mem = memory as WebAssembly.Memory;
  const needed = Math.ceil((bytes - mem.buffer.byteLength) / 65536);
  if (needed > 0) mem.grow(needed);
  return new Float32Array(mem.buffer);
}

/** out (m×n, row-major at outOffset) = a·b in float32 with WebAssembly SIMD; false when not available. */
export function wasmGemm(a: MatrixView, b: MatrixView, out: Float32Array, outOffset: number): boolean {
  const gemm = instantiate();
  if (!gemm) return false;
  const [m, k, n] = [a.rows, a.cols, b.cols];
  const [mp, np] = [roundUp(m, tileRows), roundUp(n, tileCols)];
  const aBytes = mp * k * 4;
  const bBytes = np * k * 4;
  const heap = ensureBytes(aBytes + bBytes + mp * np * 4);
  const aBase = 0;
  const bBase = aBytes / 4;
  const cBase = (aBytes + bBytes) / 4;
  packRows(a, heap, aBase, k);
  packColumns(b, heap, bBase, k);
  gemm.gemm(aBase * 4, bBase * 4, cBase * 4, mp, np, k);
  if (np === n) out.set(heap.subarray(cBase, cBase + m * n), outOffset);
  else for (let i = 0; i < m; i++) out.set(heap.subarray(cBase + i * np, cBase + i * np + n), outOffset + i * n);
  return true;
}

/** A in panels of 4 rows: for each k, the panel's 4 values side by side (zeros past the last row). */
function packRows(a: MatrixView, heap: Float32Array, base: number, k: number): void {
  const { data, offset, rowStride, colStride, rows } = a;
  let target = base;
  for (let first = 0; first < rows; first += tileRows) {
    const present = Math.min(tileRows, rows - first);
    for (let p = 0; p < k; p++) {
      let source = offset + first * rowStride + p * colStride;
      for (let r = 0; r < present; r++, source += rowStride) heap[target + r] = data[source];
      for (let r = present; r < tileRows; r++) heap[target + r] = 0;
      target += tileRows;
    }
  }
}

/** B in panels of 8 columns: for each k, the panel's 8 values side by side (zeros past the last column). */
function packColumns(b: MatrixView, heap: Float32Array, base: number, k: number): void {
  const { data, offset, rowStride, colStride, cols } = b;
  let target = base;
  for (let first = 0; first < cols; first += tileCols) {
    const present = Math.min(tileCols, cols - first);
    for (let p = 0; p < k; p++) {
      let source = offset + p * rowStride + first * colStride;
      for (let c = 0; c < present; c++, source += colStride) heap[target + c] = data[source];
      for (let c = present; c < tileCols; c++) heap[target + c] = 0;
      target += tileCols;
    }
  }
}
