// PyTorch's printing, checked against outputs printed in PyTorch's documentation and tutorials.
import assert from 'node:assert/strict';
import { tensorFromNested, type NestedScalars } from '../../engine/tensor/create';
import type { DType } from '../../engine/tensor/dtype';
import { tensorRepr } from '../../engine/report/tensorRepr';
import { printOptions, resetPrintOptions } from '../../engine/report/printOptions';

const f = (value: number) => ({ value, kind: 'float' as const });
const i = (value: number) => ({ value, kind: 'int' as const });
const floats = (values: number[]) => values.map(f);
const repr = (data: NestedScalars, dtype?: DType) => tensorRepr(tensorFromNested(data, dtype));

describe('tensor printing', () => {
  afterEach(resetPrintOptions);

  // Each expected text is what PyTorch prints for the same tensor, as shown in its docs.
  const cases: [string, () => string, string][] = [
    ['a 0-d float in integer mode', () => repr(f(93)), 'tensor(93.)'],
    ['a leaf that requires grad', () => tensorRepr(tensorFromNested(f(2)).setRequiresGrad(true)), 'tensor(2., requires_grad=True)'],
    ['floats with four decimals', () => repr(floats([0.1, 1.2])), 'tensor([0.1000, 1.2000])'],
    ['integers', () => repr([i(1), i(2), i(3)]), 'tensor([1, 2, 3])'],
    ['booleans', () => repr([{ value: 1, kind: 'bool' }, { value: 0, kind: 'bool' }]), 'tensor([ True, False])'],
    ['a float64 suffix', () => repr(floats([1, 2]), 'float64'), 'tensor([1., 2.], dtype=torch.float64)'],
    ['scientific mode for a wide range', () => repr(floats([1e-5, 1])), 'tensor([1.0000e-05, 1.0000e+00])'],
    ['negative values padded to one width', () => repr(floats([-1.5, 2.25, 10])), 'tensor([-1.5000,  2.2500, 10.0000])'],
    [
      'a matrix (torch.tensor docs)',
      () => repr([floats([0.1, 1.2]), floats([2.2, 3.1]), floats([4.9, 5.2])]),
      'tensor([[0.1000, 1.2000],\n        [2.2000, 3.1000],\n        [4.9000, 5.2000]])',
    ],
    ['an empty tensor', () => repr([]), 'tensor([])'],
    ['nan and inf in integer mode', () => repr(floats([NaN, Infinity, 1])), 'tensor([nan, inf, 1.])'],
    ['ties rounded to even, as Python formats', () => repr(floats([0.03125, 1])), 'tensor([0.0312, 1.0000])'],
  ];
  for (const [name, actual, expected] of cases) {
    it(name, () => assert.equal(actual(), expected));
  }

  it('summarises beyond the threshold (torch.set_printoptions docs: threshold=5, arange(10))', () => {
    printOptions.threshold = 5;
    assert.equal(repr(Array.from({ length: 10 }, (_, k) => i(k))), 'tensor([0, 1, 2,  ..., 7, 8, 9])');
  });

  it('honours precision (torch.set_printoptions docs: precision=2)', () => {
    printOptions.precision = 2;
    assert.equal(repr(floats([1.12345])), 'tensor([1.12])');
  });

  it('wraps long vectors at 80 columns, aligned under the first element', () => {
    const text = repr(Array.from({ length: 20 }, (_, k) => f(k + 0.5)));
    const lines = text.split('\n');
    assert.ok(lines.every((line) => line.length <= 80), text);
    assert.ok(lines.slice(1).every((line) => line.startsWith('        ')), text);
  });
});
