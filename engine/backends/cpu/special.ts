// Scalar functions JavaScript's Math lacks, to double precision.

const twoOverSqrtPi = 2 / Math.sqrt(Math.PI);

/** erfc(x) for x ≥ 2, by its continued fraction (modified Lentz), which converges fast there. */
function erfcLarge(x: number): number {
  // erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 200; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax >= 2) return Math.sign(x) * (1 - erfcLarge(ax));
  // erf(x) = 2/√π Σ (-1)ⁿ x²ⁿ⁺¹ / (n! (2n+1)), converging well for |x| < 2.
  let term = x;
  let sum = x;
  const x2 = x * x;
  for (let n = 1; n < 100; n++) {
    term *= -x2 / n;
    const next = term / (2 * n + 1);
    sum += next;
    if (Math.abs(next) < 1e-17 * Math.abs(sum)) break;
  }
  return twoOverSqrtPi * sum;
}
