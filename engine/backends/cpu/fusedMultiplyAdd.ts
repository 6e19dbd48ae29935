// Fused multiply-add, fma(a, b, c) = round(a·b + c) with one rounding, as the C library's fmaf/fma
// and the FMA instructions that oneDNN, SLEEF and GCC-contracted loops use. JavaScript has no FMA.
//
// float32 (a, b, c float32 values): a·b has at most 48 significant bits, so it is exact in a double,
// and s = a·b + c costs one rounding to double. Rounding s again to float32 gives the fused result
// except when s lands exactly on a midpoint between two float32 neighbours while a·b + c itself is
// not there: then the exact error of the addition (TwoSum) says which neighbour is nearer. This is
// round-to-odd in effect (a midpoint is an even double; the exact value lies off it), only needed
// on the rare midpoint, about once in 2^29 operations on random data.
//
// float64: a·b = ph + pl exactly (Dekker's product with Veltkamp's split), c + ph = th + tl exactly
// (TwoSum), then round(th + odd(tl + pl)), where odd() rounds to odd: Boldo and Melquiond, "Emulation
// of FMA and correctly rounded sums: proved algorithms using rounding to odd", IEEE Trans. Computers
// 57(4), 2008. Where a step could overflow or lose bits to underflow (huge or tiny operands and
// results), the exact sum is formed with BigInt and rounded once instead.

const FLOAT32_MAX = 3.4028234663852886e38;
/** The midpoint between FLOAT32_MAX and 2^128: from it up, round-to-nearest gives infinity. */
const FLOAT32_OVERFLOW_MIDPOINT = 3.4028235677973366e38;

/** fmaf(a, b, c) for float32 values a, b, c; the result is a float32 value. */
export function fmaFloat32(a: number, b: number, c: number): number {
  const s = a * b + c;
  const r = Math.fround(s);
  const d = s - r; // exact: r is within a float32 spacing of s
  const other = s + d; // the other float32 neighbour when s is a midpoint
  if (d === 0 || Math.fround(other) !== other) return r;
  return float32Midpoint(a * b, c, s, r, other);
}

/** s = p + c (rounded) is a midpoint between float32 values r (its tie-to-even) and other. */
function float32Midpoint(p: number, c: number, s: number, r: number, other: number): number {
  const pp = s - c;
  const error = p - pp + (c - (s - pp)); // TwoSum: p + c = s + error exactly
  if (!Number.isFinite(r)) {
    // Above FLOAT32_MAX: only the overflow midpoint itself can go either way.
    return Math.abs(s) === FLOAT32_OVERFLOW_MIDPOINT && error !== 0 && error > 0 !== s > 0 ? Math.sign(s) * FLOAT32_MAX : r;
  }
  if (error === 0) return r;
  return error > 0 === other > r ? other : r;
}

const SPLITTER = 134217729; // 2^27 + 1
const TWO_POW_995 = 2 ** 995;
const TWO_POW_MINUS_968 = 2 ** -968;
const TWO_POW_MINUS_1020 = 2 ** -1020;

/** fma(a, b, c) for doubles. */
export function fmaFloat64(a: number, b: number, c: number): number {
  const p = a * b;
  if (a === 0 || b === 0) return p + c; // the product is an exact (signed) zero
  const magnitude = Math.abs(p);
  // Outside these bounds the split could overflow or the product's low part could underflow.
  if (!(magnitude >= TWO_POW_MINUS_968 && magnitude < Infinity && Math.abs(a) < TWO_POW_995 && Math.abs(b) < TWO_POW_995 && Number.isFinite(c))) {
    return exactFma(a, b, c);
  }
  // Dekker: a·b = p + pl exactly.
  const as = a * SPLITTER;
  const ah = as - (as - a);
  const al = a - ah;
  const bs = b * SPLITTER;
  const bh = bs - (bs - b);
  const bl = b - bh;
  const pl = ah * bh - p + ah * bl + al * bh + al * bl;
  // TwoSum: c + p = th + tl exactly.
  const th = c + p;
  const cc = th - p;
  const tl = c - cc + (p - (th - cc));
  // v = odd(tl + pl): the sum, moved one unit toward the exact value when it is inexact and even.
  let v = tl + pl;
  const vv = v - tl;
  const ve = tl - (v - vv) + (pl - vv);
  if (ve !== 0) v = roundToOdd(v, ve);
  const result = th + v;
  if (!Number.isFinite(th) || Math.abs(result) < TWO_POW_MINUS_1020) return exactFma(a, b, c);
  return result;
}

const word = new Float64Array(1);
const low32 = new Uint32Array(word.buffer); // little-endian: [0] is the low word
const bits = new BigInt64Array(word.buffer);

/**
 * v (rounded to nearest, non-zero: a sum that rounds to zero is exact) whose exact value is
 * v + error, error ≠ 0, rounded to odd instead: an even v moves one unit toward the exact value.
 */
function roundToOdd(v: number, error: number): number {
  word[0] = v;
  if ((low32[0] & 1) === 1) return v;
  bits[0] += error > 0 === v > 0 ? 1n : -1n;
  return word[0];
}

/** The sign, integer significand and exponent of a finite double: x = sign · significand · 2^exponent. */
function decompose(x: number): { significand: bigint; exponent: number } {
  word[0] = x;
  const raw = bits[0];
  const biased = Number((raw >> 52n) & 0x7ffn);
  const fraction = raw & 0xfffffffffffffn;
  const significand = biased === 0 ? fraction : fraction | 0x10000000000000n;
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  return { significand: x < 0 ? -significand : significand, exponent };
}

/** The exact a·b + c, rounded once to the nearest double (ties to even). */
function exactFma(a: number, b: number, c: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a * b + c;
  if (!Number.isFinite(c)) return c; // the exact product is finite, even where a·b overflows
  const x = decompose(a);
  const y = decompose(b);
  const z = decompose(c);
  const productExponent = x.exponent + y.exponent;
  const low = Math.min(productExponent, z.exponent);
  const sum = ((x.significand * y.significand) << BigInt(productExponent - low)) + (z.significand << BigInt(z.exponent - low));
  if (sum === 0n) return a * b + c; // an exact zero takes the sign round-to-nearest gives it
  const negative = sum < 0n;
  const magnitude = negative ? -sum : sum;
  const length = magnitude.toString(2).length;
  const lsbExponent = Math.max(low + length - 53, -1074);
  const drop = lsbExponent - low;
  let value: number;
  if (drop > 0) {
    let kept = magnitude >> BigInt(drop);
    const rest = magnitude - (kept << BigInt(drop));
    const half = 1n << BigInt(drop - 1);
    if (rest > half || (rest === half && (kept & 1n) === 1n)) kept += 1n;
    value = Number(kept) * 2 ** lsbExponent; // kept ≤ 2^53: both factors and the product exact (or overflow)
  } else {
    value = Number(magnitude) * 2 ** low;
  }
  return negative ? -value : value;
}
