// Python's float formatting ('{:.4f}', '{:.4e}', repr), exactly: JS's toFixed rounds ties away from zero
// and writes other exponents, so digits are computed here from the double's exact binary value.

/** |x| as an exact fraction numerator / 2^shift. */
function exactFraction(x: number): { numerator: bigint; shift: bigint } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const exponentBits = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = exponentBits === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (exponentBits === 0 ? 1 : exponentBits) - 1075;
  return exponent >= 0 ? { numerator: mantissa << BigInt(exponent), shift: 0n } : { numerator: mantissa, shift: BigInt(-exponent) };
}

/** round(|x| * 10^power) with ties to even, as Python's formatting rounds. */
function scaledRound(x: number, power: number): bigint {
  const fraction = exactFraction(x);
  let numerator = fraction.numerator;
  let denominator = 1n << fraction.shift;
  if (power >= 0) numerator *= 10n ** BigInt(power);
  else denominator *= 10n ** BigInt(-power);
  const quotient = numerator / denominator;
  const twiceRemainder = 2n * (numerator - quotient * denominator);
  if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n)) return quotient + 1n;
  return quotient;
}

function nonFinite(x: number): string | undefined {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return undefined;
}

const signOf = (x: number) => (x < 0 || Object.is(x, -0) ? '-' : '');

/** Python's '{:.<digits>f}'.format(x). */
export function formatFixed(x: number, digits: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  const text = scaledRound(x, digits).toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  return signOf(x) + (digits === 0 ? whole : `${whole}.${text.slice(text.length - digits)}`);
}

/** Python's '{:.<digits>e}'.format(x). */
export function formatExponent(x: number, digits: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  let exponent = x === 0 ? 0 : Math.floor(Math.log10(Math.abs(x)));
  let mantissa = scaledRound(x, digits - exponent);
  // log10 can be off by one near powers of ten; the exact mantissa says which way.
  const limit = 10n ** BigInt(digits + 1);
  if (mantissa >= limit) mantissa = scaledRound(x, digits - ++exponent);
  else if (x !== 0 && mantissa < limit / 10n) mantissa = scaledRound(x, digits - --exponent);
  if (mantissa >= limit) mantissa = scaledRound(x, digits - ++exponent);
  const text = mantissa.toString().padStart(digits + 1, '0');
  const body = digits === 0 ? text : `${text[0]}.${text.slice(1)}`;
  const exponentText = Math.abs(exponent).toString().padStart(2, '0');
  return `${signOf(x)}${body}e${exponent < 0 ? '-' : '+'}${exponentText}`;
}

/** Python's repr(float): the shortest digits that round-trip, in Python's layout (63.0, 1e-05, 1e+16). */
export function pythonFloatRepr(x: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  // JS finds the same shortest round-trip digits; only the layout differs.
  const [digitsPart, exponentPart] = Math.abs(x).toExponential().split('e');
  const digits = digitsPart.replace('.', '');
  const exponent = Number(exponentPart);
  const sign = signOf(x);
  if (exponent < -4 || exponent >= 16) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${Math.abs(exponent).toString().padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction || '0'}`;
}
