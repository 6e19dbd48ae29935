// Every op in the registry, forward and backward: the analytical Jacobian against central finite
// differences in float64, on random inputs, with broadcasting where the op broadcasts.
import assert from 'node:assert/strict';
import { gradcheck } from '../../engine/autograd/gradcheck';
import { add, div, mul, neg, pow, reciprocal, sub } from '../../engine/ops/arithmetic';
import { toDType } from '../../engine/ops/convert';
import { expand, sum, sumTo } from '../../engine/ops/reduce';
import { apply } from '../../engine/ops/apply';
import type { GradCheckDomain, OpDefinition } from '../../engine/ops/opDefinition';
import { type OpName, opRegistry } from '../../engine/ops/registry';
import { abs, cos, exp, log, sign, sin, sqrt, tanh } from '../../engine/ops/unaryMath';
import { Tensor } from '../../engine/tensor/tensor';
import { seededRandom } from '../support/random';

type GradCase = {
  /** Input shapes; several entries check broadcasting. */
  readonly shapes: readonly (readonly number[])[];
  readonly call: (inputs: Tensor[]) => Tensor;
};

const unary = (op: (a: Tensor) => Tensor): GradCase => ({ shapes: [[3, 2]], call: ([a]) => op(a) });
const binary = (op: (a: Tensor, b: Tensor) => Tensor): GradCase => ({ shapes: [[2, 3], [3]], call: ([a, b]) => op(a, b) });

// Keyed by every op name: an op added to the registry without a case here does not compile.
const cases: Record<OpName, GradCase> = {
  add: binary(add),
  sub: binary(sub),
  rsub: { shapes: [[4]], call: ([a]) => sub(2.5, a) },
  mul: binary(mul),
  div: binary(div),
  neg: unary(neg),
  reciprocal: unary(reciprocal),
  powTensorScalar: { shapes: [[5]], call: ([a]) => add(pow(a, 3), pow(a, 2.5)) },
  powTensorTensor: binary(pow),
  powScalarTensor: { shapes: [[4]], call: ([a]) => pow(1.7, a) },
  exp: unary(exp),
  log: unary(log),
  sqrt: unary(sqrt),
  sin: unary(sin),
  cos: unary(cos),
  tanh: unary(tanh),
  abs: unary(abs),
  sign: unary(sign),
  sum: unary(sum),
  sumTo: { shapes: [[2, 3]], call: ([a]) => sumTo(a, [1, 3]) },
  expand: { shapes: [[3, 1]], call: ([a]) => expand(a, [2, 3, 4]) },
  toDType: { shapes: [[3]], call: ([a]) => toDType(mul(toDType(a, 'float32'), 3), 'float64') },
};

const defaultDomain: GradCheckDomain = { min: -2, max: 2 };

function randomInput(shape: readonly number[], domain: GradCheckDomain, random: () => number): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  // Stay away from 0, where abs and sign have no derivative and powers of negative bases are undefined.
  const data = Float64Array.from({ length: size }, () => {
    const value = domain.min + (domain.max - domain.min) * random();
    return Math.abs(value) < 0.1 ? value + 0.3 : value;
  });
  return new Tensor(data, shape, 'float64').setRequiresGrad(true);
}

describe('gradients of every op against finite differences (float64)', () => {
  const random = seededRandom(2026);
  for (const name of Object.keys(opRegistry) as OpName[]) {
    const op = opRegistry[name];
    const gradCase = cases[name];
    it(`${name} (${op.nodeName})`, () => {
      const needsPositive = name === 'powTensorTensor' || name === 'powTensorScalar';
      const domain = op.gradCheckDomain ?? (needsPositive ? { min: 0.5, max: 2 } : defaultDomain);
      for (let trial = 0; trial < 3; trial++) {
        const inputs = gradCase.shapes.map((shape) => randomInput(shape, domain, random));
        // float32 inside toDType's case is too coarse for float64 tolerances: a looser bound there.
        const options = name === 'toDType' ? { eps: 1e-3, atol: 1e-3 } : {};
        const result = gradcheck(gradCase.call, inputs, options);
        assert.ok(result.ok, result.mismatch);
      }
    });
  }

  it('detects a wrong gradient (the check itself can fail)', () => {
    // d/dx x² written as x instead of 2x must be caught.
    const wrongSquare: OpDefinition = {
      name: 'square',
      nodeName: 'WrongSquareBackward',
      forward: ([a]) => ({ data: a.data.map((v) => v * v), shape: a.shape, dtype: a.dtype }),
      backward: (grad, context) => [mul(grad, context.input(0))],
    };
    const result = gradcheck(([a]) => apply(wrongSquare, [a], undefined), [randomInput([3], defaultDomain, seededRandom(1))]);
    assert.equal(result.ok, false);
  });
});
