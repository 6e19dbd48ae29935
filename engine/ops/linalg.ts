// Matrix products: mm, bmm, dot, mv, and matmul (@) with PyTorch's broadcasting of batch dims.
import { type MatrixView, matmulInto } from '../backends/cpu/matmul';
import { EngineError } from '../errors';
import { allocate, cppTypeNames, scalarTypeNames } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';
import { apply } from './apply';
import { mul } from './arithmetic';
import type { OpDefinition } from './opDefinition';
import { expand, reshape, squeeze, transpose, unsqueeze } from './views';


/** The matrix at `batchOffset` of a tensor whose last two dims are (rows, cols). */
function matrixOf(t: Tensor, batchOffset = 0): MatrixView {
  const rank = t.ndim;
  return {
    data: t.storage.data,
    offset: t.offset + batchOffset,
    rowStride: t.strides[rank - 2],
    colStride: t.strides[rank - 1],
    rows: t.shape[rank - 2],
    cols: t.shape[rank - 1],
  };
}

function checkSameDType(a: Tensor, b: Tensor, first: string, second: string): void {
  if (a.dtype !== b.dtype) {
    throw new EngineError('RuntimeError', `expected ${first} and ${second} to have the same dtype, but got: ${cppTypeNames[a.dtype]} != ${cppTypeNames[b.dtype]}`);
  }
}

// d(AB) = dA B + A dB: grad_A = grad Bᵀ, grad_B = Aᵀ grad
export const mmOp: OpDefinition = {
  name: 'mm',
  nodeName: 'MmBackward0',
  forward: ([a, b]) => {
    const data = allocate(a.dtype, a.shape[0] * b.shape[1]);
    matmulInto(matrixOf(a), matrixOf(b), data, 0);
    return { data, shape: [a.shape[0], b.shape[1]], dtype: a.dtype };
  },
  backward: (grad, c) => [
    c.needsInputGrad(0) ? mm(grad, transpose(c.input(1), 0, 1)) : null,
    c.needsInputGrad(1) ? mm(transpose(c.input(0), 0, 1), grad) : null,
  ],
};

export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 2) throw new EngineError('RuntimeError', 'self must be a matrix');
  if (b.ndim !== 2) throw new EngineError('RuntimeError', 'mat2 must be a matrix');
  if (a.shape[1] !== b.shape[0]) {
    throw new EngineError('RuntimeError', `mat1 and mat2 shapes cannot be multiplied (${a.shape.join('x')} and ${b.shape.join('x')})`);
  }
  checkSameDType(a, b, 'm1', 'm2');
  return apply(mmOp, [a, b], undefined);
}

export const bmmOp: OpDefinition = {
  name: 'bmm',
  nodeName: 'BmmBackward0',
  forward: ([a, b]) => {
    const [batches, m] = a.shape;
    const n = b.shape[2];
    const data = allocate(a.dtype, batches * m * n);
    for (let i = 0; i < batches; i++) matmulInto(matrixOf(a, i * a.strides[0]), matrixOf(b, i * b.strides[0]), data, i * m * n);
    return { data, shape: [batches, m, n], dtype: a.dtype };
  },
  backward: (grad, c) => [
    c.needsInputGrad(0) ? bmm(grad, transpose(c.input(1), 1, 2)) : null,
    c.needsInputGrad(1) ? bmm(transpose(c.input(0), 1, 2), grad) : null,
  ],
};

export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 3) throw new EngineError('RuntimeError', `batch1 must be a 3D tensor`);
  if (b.ndim !== 3) throw new EngineError('RuntimeError', `batch2 must be a 3D tensor`);
  if (a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1]) {
    throw new EngineError(
      'RuntimeError',
      `Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`,
    );
  }
  checkSameDType(a, b, 'batch1', 'batch2');
  return apply(bmmOp, [a, b], undefined);
}

// d(a·b) = b da + a db
export const dotOp: OpDefinition = {
  name: 'dot',
  nodeName: 'DotBackward0',
  forward: ([a, b]) => {
    const x = a.data;
    const y = b.data;
    let total = 0;
    for (let i = 0; i < x.length; i++) total += x[i] * y[i];
    const data = allocate(a.dtype, 1);
    data[0] = total;
    return { data, shape: [], dtype: a.dtype };
  },
  backward: (grad, c) => [c.needsInputGrad(0) ? mul(grad, c.input(1)) : null, c.needsInputGrad(1) ? mul(grad, c.input(0)) : null],
};

export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1) throw new EngineError('RuntimeError', `1D tensors expected, but got ${a.ndim}D and ${b.ndim}D tensors`);
  if (a.dtype !== b.dtype) {
    throw new EngineError('RuntimeError', `dot : expected both vectors to have same dtype, but found ${scalarTypeNames[a.dtype]} and ${scalarTypeNames[b.dtype]}`);
  }
  if (a.numel !== b.numel) {
    throw new EngineError(
      'RuntimeError',
      `inconsistent tensor size, expected tensor [${a.numel}] and src [${b.numel}] to have the same number of elements, but got ${a.numel} and ${b.numel} elements respectively`,
    );
  }
  return apply(dotOp, [a, b], undefined);
}

// d(Ax) = dA x + A dx: grad_A = grad ⊗ x, grad_x = Aᵀ grad
export const mvOp: OpDefinition = {
  name: 'mv',
  nodeName: 'MvBackward0',
  forward: ([a, x]) => {
    const data = allocate(a.dtype, a.shape[0]);
    matmulInto(matrixOf(a), { data: x.storage.data, offset: x.offset, rowStride: x.strides[0], colStride: 1, rows: x.shape[0], cols: 1 }, data, 0);
    return { data, shape: [a.shape[0]], dtype: a.dtype };
  },
  backward: (grad, c) => [
    c.needsInputGrad(0) ? mul(unsqueeze(grad, 1), unsqueeze(c.input(1), 0)) : null,
    c.needsInputGrad(1) ? mv(transpose(c.input(0), 0, 1), grad) : null,
  ],
};

export function mv(a: Tensor, x: Tensor): Tensor {
  if (a.ndim !== 2 || x.ndim !== 1) throw new EngineError('RuntimeError', `vector + matrix @ vector expected, got ${a.ndim}, ${x.ndim}`);
  if (a.shape[1] !== x.shape[0]) {
    throw new EngineError('RuntimeError', `size mismatch, got input (${a.shape[0]}), mat (${a.shape.join('x')}), vec (${x.shape[0]})`);
  }
  // mv writes into a result of the vector's dtype, which addmv checks first.
  if (a.dtype !== x.dtype) {
    const [result, mat, vec] = [x.dtype, a.dtype, x.dtype].map((dtype) => scalarTypeNames[dtype]);
    throw new EngineError('RuntimeError', `addmv input tensors must have the same dtype, but got ${result}, ${mat}, and ${vec}`);
  }
  return apply(mvOp, [a, x], undefined);
}

/** torch.outer: the column of a times the row of b. */
export function outer(a: Tensor, b: Tensor): Tensor {
  return mul(reshape(a, [-1, 1]), b);
}

/** a @ b, as torch.matmul: vectors, matrices, and batches broadcast against each other. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new EngineError('RuntimeError', `both arguments to matmul need to be at least 1D, but they are ${a.ndim}D and ${b.ndim}D`);
  }
  if (a.ndim === 1 && b.ndim === 1) return dot(a, b);
  if (a.ndim === 2 && b.ndim === 1) return mv(a, b);
  if (a.ndim === 1 && b.ndim === 2) return squeeze(mm(unsqueeze(a, 0), b), 0);
  if (a.ndim === 2 && b.ndim === 2) return mm(a, b);
  // Batched: vectors become matrices, batch dims broadcast, then one bmm.
  const left = a.ndim === 1 ? unsqueeze(a, 0) : a;
  const right = b.ndim === 1 ? unsqueeze(b, 1) : b;
  const batchA = left.shape.slice(0, -2);
  const batchB = right.shape.slice(0, -2);
  const rank = Math.max(batchA.length, batchB.length);
  const batch = Array.from({ length: rank }, (_, i) => {
    const x = batchA[batchA.length - rank + i] ?? 1;
    const y = batchB[batchB.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new EngineError('RuntimeError', `The size of tensor a (${x}) must match the size of tensor b (${y}) at non-singleton dimension ${i}`);
    }
    return Math.max(x, y);
  });
  const [m, k] = left.shape.slice(-2);
  const [k2, n] = right.shape.slice(-2);
  if (k !== k2) {
    throw new EngineError('RuntimeError', `Expected size for first two dimensions of batch2 tensor to be: [${batch.reduce((x, y) => x * y, 1)}, ${k}] but got: [${batch.reduce((x, y) => x * y, 1)}, ${k2}].`);
  }
  const batches = batch.reduce((x, y) => x * y, 1);
  const product = bmm(reshape(expand(left, [...batch, m, k]), [batches, m, k]), reshape(expand(right, [...batch, k, n]), [batches, k, n]));
  let result = reshape(product, [...batch, m, n]);
  if (a.ndim === 1) result = squeeze(result, -2);
  if (b.ndim === 1) result = squeeze(result, -1);
  return result;
}

