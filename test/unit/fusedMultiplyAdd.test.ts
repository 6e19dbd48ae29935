// The fused multiply-add emulation against exact rational arithmetic: a·b + c computed with
// BigInt at a common power of two, rounded once to the nearest float64 or float32 (ties to even).
import assert from 'node:assert/strict';
import { fmaFloat32, fmaFloat64 } from '../../engine/backends/cpu/fusedMultiplyAdd';
import { seededRandom } from '../support/random';

/** x as (integer, exponent) with x = integer · 2^exponent, exactly. */
function exact(x: number): [bigint, number] {
  let exponent = 0;
  let value = x;
  while (!Number.isInteger(value)) {
    value *= 2;
    exponent--;
  }
  return [BigInt(value), exponent];
}

/** The exact integer·2^exponent rounded to nearest, ties to even, with `bits` significant bits. */
function roundExact(integer: bigint, exponent: number, bits: number): number {
  if (integer === 0n) return 0;
  const negative = integer < 0n;
  let magnitude = negative ? -integer : integer;
  const shift = magnitude.toString(2).length - bits;
  if (shift > 0) {
    const half = 1n << BigInt(shift - 1);
    const rest = magnitude & ((1n << BigInt(shift)) - 1n);
    magnitude >>= BigInt(shift);
    if (rest > half || (rest === half && (magnitude & 1n) === 1n)) magnitude += 1n;
    exponent += shift;
  }
  const value = Number(magnitude) * 2 ** exponent;
  return negative ? -value : value;
}

function exactFma(a: number, b: number, c: number, bits: number): number {
  const [ia, ea] = exact(a);
  const [ib, eb] = exact(b);
  const [ic, ec] = exact(c);
  const low = Math.min(ea + eb, ec);
  const sum = ((ia * ib) << BigInt(ea + eb - low)) + (ic << BigInt(ec - low));
  return roundExact(sum, low, bits);
}

describe('fused multiply-add emulation', () => {
  const random = seededRandom(31);
  /** Values whose products and sums stay normal: the cases that matter for tensors of training scripts. */
  const draw = (round: (x: number) => number) => round((random() - 0.5) * 2 ** Math.floor(random() * 40 - 20));

  it('float64: one rounding of the exact a·b + c, including near-cancellation', () => {
    for (let i = 0; i < 20000; i++) {
      const a = draw((x) => x);
      const b = draw((x) => x);
      // Half the time c cancels most of the product: where two roundings differ from one.
      const c = i % 2 === 0 ? -(a * b) * (1 + (random() - 0.5) * 2 ** -30) : draw((x) => x);
      assert.equal(fmaFloat64(a, b, c), exactFma(a, b, c, 53), `fma(${a}, ${b}, ${c})`);
    }
  });

  it('float32: one rounding to float32 of the exact a·b + c, including midpoints', () => {
    for (let i = 0; i < 20000; i++) {
      const a = draw(Math.fround);
      const b = draw(Math.fround);
      const c = i % 2 === 0 ? Math.fround(-(a * b)) : draw(Math.fround);
      assert.equal(fmaFloat32(a, b, c), exactFma(a, b, c, 24), `fmaf(${a}, ${b}, ${c})`);
    }
  });

  it('differs from a multiply then an add where it should (the test can fail)', () => {
    // (1 + 2⁻²⁷)² − (1 + 2⁻²⁶): the product's last bits are lost by rounding it first.
    const a = 1 + 2 ** -27;
    assert.notEqual(fmaFloat64(a, a, -(1 + 2 ** -26)), a * a - (1 + 2 ** -26));
    assert.equal(fmaFloat64(a, a, -(1 + 2 ** -26)), 2 ** -54);
  });
});
