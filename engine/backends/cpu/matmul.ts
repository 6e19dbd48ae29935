// The CPU matrix product: operands are packed into row-major copies (so transposed and strided
// views cost one pass), then multiplied in 4×4 register tiles, which V8 keeps in registers.
import type { ElementArray } from '../../tensor/dtype';
import { wasmGemm } from '../wasm/gemm';

/** A matrix given by its storage, offset and strides, as a (possibly transposed) view lays it out. */
export type MatrixView = {
  readonly data: ElementArray;
  readonly offset: number;
  readonly rowStride: number;
  readonly colStride: number;
  readonly rows: number;
  readonly cols: number;
};

function pack(view: MatrixView): Float64Array {
  const { data, offset, rowStride, colStride, rows, cols } = view;
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const base = offset + r * rowStride;
    for (let c = 0; c < cols; c++) out[r * cols + c] = data[base + c * colStride];
  }
  return out;
}

/** out (m×n, row-major, written at outOffset) = a (m×k) · b (k×n). */
export function matmulInto(a: MatrixView, b: MatrixView, out: ElementArray, outOffset: number): void {
  // float32 products of some size go to the WebAssembly SIMD kernel when it is available.
  if (out instanceof Float32Array && a.rows * a.cols * b.cols >= 4096 && wasmGemm(a, b, out, outOffset)) return;
  const m = a.rows;
  const k = a.cols;
  const n = b.cols;
  const A = pack(a);
  const B = pack(b);
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    for (let j = 0; j < n4; j += 4) tile4x4(A, B, out, outOffset, i, j, k, n);
    for (let j = n4; j < n; j++) for (let r = i; r < i + 4; r++) out[outOffset + r * n + j] = dotColumn(A, B, r, j, k, n);
  }
  for (let i = m4; i < m; i++) for (let j = 0; j < n; j++) out[outOffset + i * n + j] = dotColumn(A, B, i, j, k, n);
}

function dotColumn(A: Float64Array, B: Float64Array, row: number, col: number, k: number, n: number): number {
  let total = 0;
  for (let p = 0; p < k; p++) total += A[row * k + p] * B[p * n + col];
  return total;
}

/** Sixteen accumulators for out[i..i+4][j..j+4]: each loaded A and B value is used four times. */
function tile4x4(A: Float64Array, B: Float64Array, out: ElementArray, outOffset: number, i: number, j: number, k: number, n: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let a0 = i * k;
  let a1 = a0 + k;
  let a2 = a1 + k;
  let a3 = a2 + k;
  let bp = j;
  for (let p = 0; p < k; p++, bp += n) {
    const b0 = B[bp], b1 = B[bp + 1], b2 = B[bp + 2], b3 = B[bp + 3];
    const x0 = A[a0++], x1 = A[a1++], x2 = A[a2++], x3 = A[a3++];
    c00 += x0 * b0; c01 += x0 * b1; c02 += x0 * b2; c03 += x0 * b3;
    c10 += x1 * b0; c11 += x1 * b1; c12 += x1 * b2; c13 += x1 * b3;
    c20 += x2 * b0; c21 += x2 * b1; c22 += x2 * b2; c23 += x2 * b3;
    c30 += x3 * b0; c31 += x3 * b1; c32 += x3 * b2; c33 += x3 * b3;
  }
  const o = outOffset + i * n + j;
  out[o] = c00; out[o + 1] = c01; out[o + 2] = c02; out[o + 3] = c03;
  out[o + n] = c10; out[o + n + 1] = c11; out[o + n + 2] = c12; out[o + n + 3] = c13;
  out[o + 2 * n] = c20; out[o + 2 * n + 1] = c21; out[o + 2 * n + 2] = c22; out[o + 2 * n + 3] = c23;
  out[o + 3 * n] = c30; out[o + 3 * n + 1] = c31; out[o + 3 * n + 2] = c32; out[o + 3 * n + 3] = c33;
}
