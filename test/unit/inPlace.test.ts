// In-place ops as PyTorch defines them: errors on leaves that require grad, updates under no_grad,
// version counters that catch a modified saved tensor, and gradients through rebased history.
import assert from 'node:assert/strict';
import { withGradMode } from '../../engine/autograd/gradMode';
import { tensorBackward } from '../../engine/autograd/tensorBackward';
import { add, mul, sub } from '../../engine/ops/arithmetic';
import { applyInPlace, copyInto } from '../../engine/ops/inPlace';
import { sum } from '../../engine/ops/reduce';
import { select, slice } from '../../engine/ops/views';
import { tensorFromNested, wrappedNumber } from '../../engine/tensor/create';
import type { Tensor } from '../../engine/tensor/tensor';
import { throwsMessage } from '../support/engineErrors';

const vector = (values: number[]) => tensorFromNested(values.map((value) => ({ value, kind: 'float' as const })));
const grads = (t: Tensor) => [...(t.grad as Tensor).data];

describe('in-place ops', () => {
  it('refuse a leaf that requires grad, and a view of one', () => {
    const x = vector([1, 2]).setRequiresGrad(true);
    throwsMessage(() => applyInPlace(x, (c) => add(c, 1)), 'a leaf Variable that requires grad is being used in an in-place operation.');
    throwsMessage(() => copyInto(select(x, 0, 0), wrappedNumber(5)), 'a view of a leaf Variable that requires grad is being used in an in-place operation.');
  });

  it('update a leaf under no_grad, as a hand-written SGD step does', () => {
    const w = vector([1, 2]).setRequiresGrad(true);
    tensorBackward(sum(mul(w, w)));
    withGradMode(false, () => applyInPlace(w, (c) => sub(c, mul(w.grad as Tensor, 0.25))));
    assert.deepEqual([...w.data], [0.5, 1]);
    assert.equal(w.isLeaf, true);
    assert.equal(w.version, 1);
  });

  it('catch a saved tensor modified after use, with PyTorch’s message', () => {
    const x = vector([1, 2, 3]).setRequiresGrad(true);
    const y = mul(x, 2);
    const z = mul(y, y);
    applyInPlace(y, (c) => add(c, 1));
    throwsMessage(
      () => tensorBackward(sum(z)),
      'one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]], which is output 0 of AddBackward0, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).',
    );
  });

  it('differentiate through the rebased history: y = 2x; y *= 3 gives dy/dx = 6', () => {
    const x = vector([1, 2]).setRequiresGrad(true);
    const y = mul(x, 2);
    applyInPlace(y, (c) => mul(c, 3));
    assert.equal(y.gradFn?.name, 'MulBackward0');
    tensorBackward(sum(y));
    assert.deepEqual(grads(x), [6, 6]);
  });

  it('route gradients around a written slice: y = x * 1; y[0] = 5 gives ∂Σy/∂x = [0, 1, 1]', () => {
    const x = vector([1, 2, 3]).setRequiresGrad(true);
    const v = vector([7]).setRequiresGrad(true);
    const y = mul(x, 1);
    copyInto(select(y, 0, 0), select(v, 0, 0));
    assert.deepEqual([...y.data], [7, 2, 3]);
    assert.equal(y.gradFn?.name, 'CopySlices');
    tensorBackward(sum(mul(y, y)));
    assert.deepEqual(grads(x), [0, 4, 6]);
    assert.deepEqual(grads(v), [14]);
  });

  it('write through a strided view into its base', () => {
    const x = vector([0, 0, 0, 0]);
    copyInto(slice(x, 0, 0, 4, 2), vector([1, 2]));
    assert.deepEqual([...x.data], [1, 0, 2, 0]);
  });

  it('refuse a float result in an integer tensor', () => {
    const n = tensorFromNested([{ value: 1, kind: 'int' }]);
    throwsMessage(() => applyInPlace(n, (c) => add(c, 0.5)), "result type Float can't be cast to the desired output type Long");
  });
});
