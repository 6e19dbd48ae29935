// Autograd semantics as PyTorch defines them: what accumulates into .grad, when the graph is
// freed, PyTorch's messages for common mistakes, and dtype promotion.
import assert from 'node:assert/strict';
import { retainGrad } from '../../engine/autograd/hooks';
import { tensorBackward } from '../../engine/autograd/tensorBackward';
import { EngineError } from '../../engine/errors';
import { add, div, mul, pow, sub } from '../../engine/ops/arithmetic';
import { sum } from '../../engine/ops/reduce';
import { tensorFromNested, wrappedNumber } from '../../engine/tensor/create';
import type { Tensor } from '../../engine/tensor/tensor';

const leaf = (value: number) => tensorFromNested({ value, kind: 'float' }).setRequiresGrad(true);
const vector = (values: number[], dtype: 'float32' | 'float64' | 'int64' = 'float32') =>
  tensorFromNested(values.map((value) => ({ value, kind: dtype === 'int64' ? ('int' as const) : ('float' as const) })), dtype);

function throwsEngineError(fn: () => unknown, type: string, message: string | RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof EngineError, String(error));
    assert.equal(error.type, type);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

describe('autograd', () => {
  it('computes the reference example: dy/dx = 8x³ + 3x² + 6x + 5 = 93 at x = 2', () => {
    const x = leaf(2);
    const y = add(add(add(add(mul(pow(x, 4), 2), pow(x, 3)), mul(pow(x, 2), 3)), mul(x, 5)), 1);
    assert.equal(y.item(), 63);
    tensorBackward(y);
    assert.equal(x.grad?.item(), 93);
  });

  it('accumulates into .grad on repeated backward with retain_graph', () => {
    const x = leaf(3);
    const y = mul(x, x);
    tensorBackward(y, { retainGraph: true });
    tensorBackward(y);
    assert.equal(x.grad?.item(), 12);
  });

  it("raises PyTorch's error on a second backward through freed saved tensors", () => {
    const x = leaf(3);
    const y = mul(x, x);
    tensorBackward(y);
    throwsEngineError(() => tensorBackward(y), 'RuntimeError', /^Trying to backward through the graph a second time/);
  });

  it('allows a second backward through ops that save nothing, as PyTorch does', () => {
    const x = leaf(3);
    const y = add(x, 1);
    tensorBackward(y);
    tensorBackward(y);
    assert.equal(x.grad?.item(), 2);
  });

  it('leaves .grad of non-leaves as None and of unused leaves untouched', () => {
    const x = leaf(1);
    const unused = leaf(5);
    const hidden = mul(x, 2);
    tensorBackward(mul(hidden, 3));
    assert.equal(hidden.grad, null);
    assert.equal(unused.grad, null);
    assert.equal(x.grad?.item(), 6);
  });

  it('fills .grad of a non-leaf after retain_grad', () => {
    const x = leaf(1);
    const hidden = mul(x, 2);
    retainGrad(hidden);
    tensorBackward(mul(hidden, 3));
    assert.equal(hidden.grad?.item(), 3);
  });

  it('needs an explicit gradient for a non-scalar output', () => {
    const x = vector([1, 2]).setRequiresGrad(true);
    throwsEngineError(() => tensorBackward(mul(x, 2)), 'RuntimeError', 'grad can be implicitly created only for scalar outputs');
    tensorBackward(mul(x, 2), { gradient: vector([1, 10]) });
    assert.deepEqual([...(x.grad as Tensor).data], [2, 20]);
  });

  it('checks the shape of an explicit gradient', () => {
    const x = vector([1, 2]).setRequiresGrad(true);
    throwsEngineError(
      () => tensorBackward(mul(x, 2), { gradient: vector([1, 2, 3]) }),
      'RuntimeError',
      'Mismatch in shape: grad_output[0] has a shape of torch.Size([3]) and output[0] has a shape of torch.Size([2]).',
    );
  });

  it('refuses backward on a tensor without grad_fn', () => {
    throwsEngineError(() => tensorBackward(vector([1])), 'RuntimeError', 'element 0 of tensors does not require grad and does not have a grad_fn');
  });

  it('refuses requires_grad on integer tensors', () => {
    throwsEngineError(() => vector([1], 'int64').setRequiresGrad(true), 'RuntimeError', 'Only Tensors of floating point and complex dtype can require gradients');
  });

  it('reduces broadcast gradients to each input shape', () => {
    const column = tensorFromNested([[{ value: 1, kind: 'float' }], [{ value: 2, kind: 'float' }]]).setRequiresGrad(true);
    const row = vector([10, 20, 30]).setRequiresGrad(true);
    tensorBackward(sum(mul(column, row)));
    assert.deepEqual(column.grad?.shape, [2, 1]);
    assert.deepEqual([...(column.grad as Tensor).data], [60, 60]);
    assert.deepEqual([...(row.grad as Tensor).data], [3, 3, 3]);
  });

  it('gives each gradient its input dtype', () => {
    const x = vector([1, 2], 'float64').setRequiresGrad(true);
    const y = vector([3, 4]).setRequiresGrad(true);
    tensorBackward(sum(mul(x, y)));
    assert.equal(x.grad?.dtype, 'float64');
    assert.equal(y.grad?.dtype, 'float32');
  });

  it('names nodes as PyTorch does, scalar and reflected forms included', () => {
    const x = leaf(2);
    const names = [pow(x, 2), pow(x, x), pow(wrappedNumber(2), x), sub(wrappedNumber(1), x), div(wrappedNumber(1), x), sub(x, 1)].map(
      (t) => t.gradFn?.name,
    );
    assert.deepEqual(names, ['PowBackward0', 'PowBackward1', 'PowBackward2', 'RsubBackward1', 'MulBackward0', 'SubBackward0']);
  });
});

describe('type promotion', () => {
  const cases: [string, () => Tensor, string][] = [
    ['int64 tensor * Python float → float32', () => mul(vector([1, 2], 'int64'), wrappedNumber(2.5)), 'float32'],
    ['int64 tensor * Python int → int64', () => mul(vector([1, 2], 'int64'), wrappedNumber(2, 'int')), 'int64'],
    ['float64 tensor * Python float → float64', () => mul(vector([1], 'float64'), wrappedNumber(2.5)), 'float64'],
    ['1-d float32 * 0-d float64 → float32', () => mul(vector([1]), tensorFromNested({ value: 2, kind: 'float' }, 'float64')), 'float32'],
    ['int64 / int64 → float32 (true division)', () => div(vector([1], 'int64'), vector([2], 'int64')), 'float32'],
  ];
  for (const [name, make, dtype] of cases) it(name, () => assert.equal(make().dtype, dtype));

  it('computes float32 results in float32', () => {
    const third = div(vector([1]), vector([3]));
    assert.equal(third.data[0], Math.fround(1 / 3));
  });
});
