// Tensor.to(dtype): a copy in another dtype; the engine also uses it to give each gradient its input's dtype.
import { allocate, type DType } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';
import { apply } from './apply';
import type { OpDefinition } from './opDefinition';

export const toDTypeOp: OpDefinition<{ readonly dtype: DType }> = {
  name: 'to',
  nodeName: 'ToCopyBackward0',
  forward: ([a], { dtype }) => {
    const data = allocate(dtype, a.data.length);
    if (dtype === 'int64') a.data.forEach((x, i) => (data[i] = Math.trunc(x)));
    else if (dtype === 'bool') a.data.forEach((x, i) => (data[i] = x !== 0 ? 1 : 0));
    else data.set(a.data);
    return { data, shape: a.shape, dtype };
  },
  backward: (grad, context) => [toDType(grad, context.inputDType(0))],
  describeAttrs: ({ dtype }) => `dtype=torch.${dtype}`,
};

export function toDType(a: Tensor, dtype: DType): Tensor {
  return a.dtype === dtype ? a : apply(toDTypeOp, [a], { dtype });
}
