// Forward values of ops, against results worked out by hand or printed in PyTorch's docs, and the
// view semantics PyTorch users rely on (views share storage).
import assert from 'node:assert/strict';
import { argExtreme, logsumexp, maxAlong, mean, norm, prod, std, sum, variance } from '../../engine/ops/reduce';
import { gather, index, indexPut, maskIndices, maskedFill } from '../../engine/ops/indexing';
import { cat, chunk, repeat, split, stack } from '../../engine/ops/joins';
import { matmul } from '../../engine/ops/linalg';
import { cumsum, softmax } from '../../engine/ops/scan';
import { gt } from '../../engine/ops/comparison';
import { reshape, select, slice, transpose } from '../../engine/ops/views';
import { tensorFromNested, type NestedScalars } from '../../engine/tensor/create';
import type { Tensor } from '../../engine/tensor/tensor';

const nest = (v: unknown, kind: 'float' | 'int'): NestedScalars => (Array.isArray(v) ? v.map((x) => nest(x, kind)) : { value: v as number, kind });
const floats = (values: unknown) => tensorFromNested(nest(values, 'float'), 'float64');
const ints = (values: unknown) => tensorFromNested(nest(values, 'int'));
const values = (t: Tensor) => [...t.data];
const close = (actual: number[], expected: number[]) =>
  assert.ok(actual.length === expected.length && actual.every((v, i) => Math.abs(v - expected[i]) < 1e-12), `${actual} ≉ ${expected}`);

describe('op values', () => {
  const m = floats([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  it('reduces over all elements and over dims, with keepdim', () => {
    assert.deepEqual(values(sum(m)), [21]);
    assert.deepEqual(values(sum(m, 0)), [5, 7, 9]);
    assert.deepEqual(sum(m, 1, true).shape, [2, 1]);
    assert.deepEqual(values(mean(m, 1)), [2, 5]);
    assert.deepEqual(values(prod(m, 1)), [6, 120]);
    assert.deepEqual(values(sum(ints([true, true, false].map(Number)))), [2]);
  });

  it('computes var and std with Bessel’s correction by default', () => {
    const x = floats([1, 2, 3, 4]);
    close(values(variance(x, undefined)), [5 / 3]);
    close(values(variance(x, undefined, 0)), [1.25]);
    close(values(std(x, undefined)), [Math.sqrt(5 / 3)]);
  });

  it('computes norms and logsumexp', () => {
    close(values(norm(floats([3, 4]))), [5]);
    close(values(norm(floats([3, -4]), 1)), [7]);
    close(values(norm(floats([3, -4]), Infinity)), [4]);
    close(values(logsumexp(floats([0, 0]), 0)), [Math.log(2)]);
  });

  it('returns the first index of a tie from max(dim) and argmax, as PyTorch does', () => {
    const x = floats([
      [1, 5, 5],
      [7, 7, 0],
    ]);
    assert.deepEqual(values(maxAlong(x, 1)), [5, 7]);
    assert.deepEqual(values(argExtreme(x, 'max', 1)), [1, 0]);
    assert.deepEqual(values(argExtreme(x, 'max')), [3]);
    assert.equal(argExtreme(x, 'max').dtype, 'int64');
  });

  it('scans: cumsum and softmax', () => {
    assert.deepEqual(values(cumsum(m, 1)), [1, 3, 6, 4, 9, 15]);
    const s = softmax(floats([0, Math.log(3)]), 0);
    close(values(s), [0.25, 0.75]);
  });

  it('joins and splits', () => {
    assert.deepEqual(cat([m, m], 0).shape, [4, 3]);
    assert.deepEqual(values(cat([m, floats([[7], [8]])], 1)), [1, 2, 3, 7, 4, 5, 6, 8]);
    assert.deepEqual(stack([floats([1, 2]), floats([3, 4])], 1).shape, [2, 2]);
    assert.deepEqual(split(floats([1, 2, 3, 4, 5]), 2).map((p) => values(p)), [[1, 2], [3, 4], [5]]);
    assert.deepEqual(chunk(floats([1, 2, 3, 4, 5]), 2).map((p) => values(p)), [[1, 2, 3], [4, 5]]);
    assert.deepEqual(values(repeat(floats([1, 2]), [2, 2])), [1, 2, 1, 2, 1, 2, 1, 2]);
  });

  it('gathers along a dim (torch.gather docs example)', () => {
    const t = floats([
      [1, 2],
      [3, 4],
    ]);
    assert.deepEqual(values(gather(t, 1, ints([[0, 0], [1, 0]]))), [1, 1, 4, 3]);
  });

  it('indexes with integer tensors and bool masks, following NumPy’s rules', () => {
    const x = reshape(floats([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), [3, 4]);
    assert.deepEqual(values(index(x, [ints([2, 0])])), [8, 9, 10, 11, 0, 1, 2, 3]);
    assert.deepEqual(values(index(x, [ints([0, 2]), ints([1, 3])])), [1, 11]);
    assert.deepEqual(index(x, [null, ints([[0, 1]])]).shape, [3, 1, 2]);
    assert.deepEqual(values(index(x, maskIndices(gt(x, 8)))), [9, 10, 11]);
    assert.deepEqual(values(indexPut(floats([0, 0, 0]), [ints([2])], floats([5]))), [0, 0, 5]);
    assert.deepEqual(values(maskedFill(floats([1, 2, 3]), gt(floats([1, 2, 3]), 1.5), -1)), [1, -1, -1]);
  });

  it('multiplies matrices, vectors and broadcast batches', () => {
    const a = floats([
      [1, 2],
      [3, 4],
    ]);
    assert.deepEqual(values(matmul(a, a)), [7, 10, 15, 22]);
    assert.deepEqual(values(matmul(a, floats([1, 1]))), [3, 7]);
    assert.deepEqual(values(matmul(floats([1, 1]), a)), [4, 6]);
    assert.deepEqual(values(matmul(floats([1, 2]), floats([3, 4]))), [11]);
    assert.deepEqual(matmul(reshape(floats(Array.from({ length: 24 }, (_, i) => i)), [2, 1, 3, 4]), reshape(floats(Array.from({ length: 20 }, (_, i) => i)), [5, 4, 1])).shape, [2, 5, 3, 1]);
    assert.deepEqual(values(matmul(transpose(a, 0, 1), a)), [10, 14, 14, 20]);
  });

  it('makes views that share storage with their base', () => {
    const x = floats([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const column = select(x, 1, 1);
    const every = slice(x, 1, 0, 3, 2);
    const transposed = transpose(x, 0, 1);
    assert.equal(column.storage, x.storage);
    assert.deepEqual(values(column), [2, 5]);
    assert.deepEqual(values(every), [1, 3, 4, 6]);
    assert.deepEqual(values(transposed), [1, 4, 2, 5, 3, 6]);
    assert.equal(transposed.isContiguous, false);
    x.storage.data[1] = 20;
    assert.deepEqual(values(column), [20, 5]);
  });
});
