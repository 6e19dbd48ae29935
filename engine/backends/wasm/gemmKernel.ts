// The f32 matrix-product kernel, generated as WebAssembly SIMD: each step of the inner loop loads
// two 4-wide vectors of B and four scalars of A and updates a 4×8 tile of C held in eight vector
// registers. Operands arrive packed (see gemm.ts): A in panels of 4 rows, B in panels of 8 columns.
import { ValueType, op, wasmModuleBytes } from './wasmModule';

export const tileRows = 4;
export const tileCols = 8;

// Parameters: a, b, c (byte addresses), m, n, k (m a multiple of 4, n of 8).
const [A, B, C, M, N, K] = [0, 1, 2, 3, 4, 5];
// Locals: the panel pointers, loop bounds, then the accumulators and vector temporaries.
const [aPanel, bPanel, ap, bp, aEnd, rowBase, column, cRow] = [6, 7, 8, 9, 10, 11, 12, 13];
const accumulator = (row: number, half: number) => 14 + row * 2 + half;
const [b0, b1, splat] = [22, 23, 24];

const locals = [...new Array<ValueType>(8).fill(ValueType.I32), ...new Array<ValueType>(11).fill(ValueType.V128)];

function tile(): number[] {
  const code: number[] = [];
  // Zero the accumulators.
  for (let r = 0; r < tileRows; r++) for (let h = 0; h < 2; h++) code.push(...op.f32Const0(), ...op.f32x4Splat(), ...op.localSet(accumulator(r, h)));
  // ap = aPanel, bp = bPanel, aEnd = aPanel + 16k
  code.push(...op.localGet(aPanel), ...op.localSet(ap), ...op.localGet(bPanel), ...op.localSet(bp));
  code.push(...op.localGet(aPanel), ...op.localGet(K), ...op.i32Const(16), ...op.i32Mul(), ...op.i32Add(), ...op.localSet(aEnd));
  code.push(...op.block(), ...op.loop());
  code.push(...op.localGet(ap), ...op.localGet(aEnd), ...op.i32GeU(), ...op.brIf(1));
  code.push(...op.localGet(bp), ...op.v128Load(0), ...op.localSet(b0), ...op.localGet(bp), ...op.v128Load(16), ...op.localSet(b1));
  for (let r = 0; r < tileRows; r++) {
    code.push(...op.localGet(ap), ...op.f32Load(r * 4), ...op.f32x4Splat(), ...op.localSet(splat));
    for (let h = 0; h < 2; h++) {
      code.push(...op.localGet(accumulator(r, h)), ...op.localGet(splat), ...op.localGet(h === 0 ? b0 : b1), ...op.f32x4Mul(), ...op.f32x4Add(), ...op.localSet(accumulator(r, h)));
    }
  }
  code.push(...op.localGet(ap), ...op.i32Const(16), ...op.i32Add(), ...op.localSet(ap));
  code.push(...op.localGet(bp), ...op.i32Const(32), ...op.i32Add(), ...op.localSet(bp));
  code.push(...op.br(0), ...op.end(), ...op.end());
  // Store the tile: row r of C starts at c + 4·((rowBase + r)·n + column).
  for (let r = 0; r < tileRows; r++) {
    code.push(...op.localGet(C), ...op.localGet(rowBase), ...op.i32Const(r), ...op.i32Add(), ...op.localGet(N), ...op.i32Mul(), ...op.localGet(column), ...op.i32Add(), ...op.i32Const(4), ...op.i32Mul(), ...op.i32Add(), ...op.localSet(cRow));
    for (let h = 0; h < 2; h++) code.push(...op.localGet(cRow), ...op.localGet(accumulator(r, h)), ...op.v128Store(h * 16));
  }
  return code;
}

/** for rowBase in 0..m step 4: for column in 0..n step 8: tile. */
function body(): number[] {
  const code: number[] = [];
  code.push(...op.i32Const(0), ...op.localSet(rowBase), ...op.localGet(A), ...op.localSet(aPanel));
  code.push(...op.block(), ...op.loop());
  code.push(...op.localGet(rowBase), ...op.localGet(M), ...op.i32GeU(), ...op.brIf(1));
  code.push(...op.i32Const(0), ...op.localSet(column), ...op.localGet(B), ...op.localSet(bPanel));
  code.push(...op.block(), ...op.loop());
  code.push(...op.localGet(column), ...op.localGet(N), ...op.i32GeU(), ...op.brIf(1));
  code.push(...tile());
  // Next B panel: 8 columns further, k·8 floats further.
  code.push(...op.localGet(column), ...op.i32Const(tileCols), ...op.i32Add(), ...op.localSet(column));
  code.push(...op.localGet(bPanel), ...op.localGet(K), ...op.i32Const(32), ...op.i32Mul(), ...op.i32Add(), ...op.localSet(bPanel));
  code.push(...op.br(0), ...op.end(), ...op.end());
  // Next A panel: 4 rows further, k·4 floats further.
  code.push(...op.localGet(rowBase), ...op.i32Const(tileRows), ...op.i32Add(), ...op.localSet(rowBase));
  code.push(...op.localGet(aPanel), ...op.localGet(K), ...op.i32Const(16), ...op.i32Mul(), ...op.i32Add(), ...op.localSet(aPanel));
  code.push(...op.br(0), ...op.end(), ...op.end());
  return code;
}

export function gemmModuleBytes(): Uint8Array<ArrayBuffer> {
  return wasmModuleBytes([{ exportName: 'gemm', params: new Array<ValueType>(6).fill(ValueType.I32), locals, body: body() }]);
}
