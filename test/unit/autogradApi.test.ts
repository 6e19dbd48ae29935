// The autograd API beyond backward: backward(inputs=), hooks, retain_grad, higher-order gradients,
// the functional API against closed forms, and anomaly mode's report of where a NaN was born.
import assert from 'node:assert/strict';
import { isAnomalyEnabled, setAnomalyEnabled } from '../../engine/autograd/anomaly';
import * as functional from '../../engine/autograd/functional';
import { grad } from '../../engine/autograd/grad';
import { registerHook, retainGrad } from '../../engine/autograd/hooks';
import { tensorBackward } from '../../engine/autograd/tensorBackward';
import { EngineError } from '../../engine/errors';
import { div, mul, pow } from '../../engine/ops/arithmetic';
import { sum } from '../../engine/ops/reduce';
import { log, sin, sqrt } from '../../engine/ops/unaryMath';
import { withSourceSpan } from '../../engine/sourceSpan';
import { tensorFromNested } from '../../engine/tensor/create';
import type { Tensor } from '../../engine/tensor/tensor';

const vector = (values: number[]) => tensorFromNested(values.map((value) => ({ value, kind: 'float' as const })), 'float64');
const leaf = (values: number[]) => vector(values).setRequiresGrad(true);
const values = (t: Tensor | null | undefined) => [...(t?.data ?? [])];
const close = (actual: number[], expected: number[]) => assert.ok(actual.every((v, i) => Math.abs(v - expected[i]) < 1e-9), `${actual} ≉ ${expected}`);

describe('autograd API', () => {
  it('backward(inputs=…) fills only the listed tensors, non-leaves included', () => {
    const x = leaf([1, 2]);
    const w = leaf([3, 4]);
    const h = mul(x, w);
    tensorBackward(sum(mul(h, h)), { inputs: [x, h] });
    close(values(x.grad), [2 * 3 * 3 * 1, 2 * 4 * 4 * 2]);
    close(values(h.grad), [6, 16]);
    assert.equal(w.grad, null);
  });

  it('runs hooks on leaves and non-leaves, and a hook may replace the gradient', () => {
    const x = leaf([1, 2]);
    const h = mul(x, 3);
    const seen: number[][] = [];
    registerHook(h, (g) => (seen.push(values(g)), mul(g, 10)));
    registerHook(x, (g) => void seen.push(values(g)));
    tensorBackward(sum(h));
    assert.deepEqual(seen, [[1, 1], [30, 30]]);
    close(values(x.grad), [30, 30]);
  });

  it('fills a non-leaf .grad after retain_grad', () => {
    const x = leaf([2]);
    const h = pow(x, 2);
    retainGrad(h);
    tensorBackward(sum(mul(h, 5)));
    close(values(h.grad), [5]);
  });

  it('takes third derivatives with create_graph: d³/dx³ sin x = -cos x', () => {
    const x = leaf([0.7]);
    const [first] = grad([sin(x)], [x], { createGraph: true, gradOutputs: [vector([1])] });
    const [second] = grad([first as Tensor], [x], { createGraph: true, gradOutputs: [vector([1])] });
    const [third] = grad([second as Tensor], [x], { gradOutputs: [vector([1])] });
    close(values(third), [-Math.cos(0.7)]);
  });

  it('computes jacobian, hessian, vjp, jvp and hvp of closed forms', () => {
    const x = vector([1, 2]);
    // f(x) = x ⊙ x: J = diag(2x)
    const square = ([v]: Tensor[]) => mul(v, v);
    const [[jacobian]] = functional.jacobian(square, [x]);
    assert.deepEqual(jacobian.shape, [2, 2]);
    close(values(jacobian), [2, 0, 0, 4]);
    // g(x) = Σ x³: H = diag(6x)
    const cubes = ([v]: Tensor[]) => sum(pow(v, 3));
    const [[hessian]] = functional.hessian(cubes, [x]);
    close(values(hessian), [6, 0, 0, 12]);
    const [, [vjpResult]] = functional.vjp(square, [x], [vector([1, 1])]);
    close(values(vjpResult), [2, 4]);
    const [, [jvpResult]] = functional.jvp(square, [x], [vector([1, 0])]);
    close(values(jvpResult), [2, 0]);
    const [, [hvpResult]] = functional.hvp(cubes, [x], [vector([1, 1])]);
    close(values(hvpResult), [6, 12]);
  });

  describe('anomaly mode', () => {
    afterEach(() => setAnomalyEnabled(false));

    // As in PyTorch (its docs_anomaly_detection fixture): the forward pass is not checked, and
    // backward stops at a node whose gradient holds a NaN; an Inf is let through.
    it('lets the forward pass make NaNs', () => {
      setAnomalyEnabled(true);
      assert.ok(Number.isNaN(values(log(leaf([-1])))[0]));
    });

    it('blames the backward node that made a NaN gradient, at the span of its forward code', () => {
      const x = leaf([0]);
      // √x at 0: the derivative 1/(2√x) is inf, and 0·inf is NaN.
      const y = withSourceSpan({ from: 3, to: 9 }, () => sqrt(x));
      setAnomalyEnabled(true);
      assert.ok(isAnomalyEnabled());
      assert.throws(
        () => tensorBackward(sum(mul(y, 0))),
        (error: unknown) => error instanceof EngineError && error.message === "Function 'SqrtBackward0' returned nan values in its 0th output." && error.sourceSpan?.from === 3,
      );
    });

    it('lets an infinite gradient through', () => {
      const x = leaf([0]);
      const y = sqrt(x);
      setAnomalyEnabled(true);
      tensorBackward(sum(y));
      assert.equal(values(x.grad as Tensor)[0], Infinity);
    });
  });

  it('divides by zero to inf without anomaly mode, as PyTorch does', () => {
    assert.equal(values(div(vector([1]), vector([0])))[0], Infinity);
  });
});
