// conv2d and its two gradients. The three are one trilinear form Σ y·g, so each one's backward is
// written with the other two, and higher-order gradients come for free.
import { type ConvGeometry, convForward, convInputGradient, convWeightGradient } from '../backends/cpu/convolution';
import { EngineError } from '../errors';
import { formatShape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { apply } from './apply';
import type { OpDefinition } from './opDefinition';
import { sum } from './reduce';
import { reshape } from './views';

export type ConvAttrs = { readonly stride: readonly [number, number]; readonly padding: readonly [number, number]; readonly dilation: readonly [number, number] };

function geometry(xShape: readonly number[], wShape: readonly number[], attrs: ConvAttrs): ConvGeometry {
  const [batch, inChannels, height, width] = xShape;
  const [outChannels, , kernelHeight, kernelWidth] = wShape;
  const out = (size: number, kernel: number, axis: 0 | 1) =>
    Math.floor((size + 2 * attrs.padding[axis] - attrs.dilation[axis] * (kernel - 1) - 1) / attrs.stride[axis]) + 1;
  return { batch, inChannels, outChannels, height, width, kernelHeight, kernelWidth, ...attrs, outHeight: out(height, kernelHeight, 0), outWidth: out(width, kernelWidth, 1) };
}

const describe = ({ stride, padding, dilation }: ConvAttrs) => `stride=(${stride.join(', ')}), padding=(${padding.join(', ')}), dilation=(${dilation.join(', ')})`;

/** inputs (x, weight[, bias]): y = x ⋆ w + b, as one node like PyTorch's. */
export const conv2dOp: OpDefinition<ConvAttrs> = {
  name: 'conv2d',
  nodeName: 'ConvolutionBackward0',
  forward: ([x, w, bias], attrs) => {
    const g = geometry(x.shape, w.shape, attrs);
    const data = convForward(x.data, w.data, g, x.dtype);
    if (bias) {
      const b = bias.data;
      const pixels = g.outHeight * g.outWidth;
      for (let i = 0; i < data.length; i++) data[i] += b[Math.floor(i / pixels) % g.outChannels];
    }
    return { data, shape: [g.batch, g.outChannels, g.outHeight, g.outWidth], dtype: x.dtype };
  },
  backward: (grad, c) => [
    c.needsInputGrad(0) ? apply(convInputGradOp, [grad, c.input(1)], { ...c.attrs, inputShape: c.inputShape(0) }) : null,
    c.needsInputGrad(1) ? apply(convWeightGradOp, [c.input(0), grad], { ...c.attrs, weightShape: c.inputShape(1) }) : null,
    // d/db: every output pixel of a channel adds its bias
    c.needsInputGrad(2) ? sum(grad, [0, 2, 3]) : null,
  ],
  describeAttrs: describe,
};

/** inputs (grad of y, weight) → grad of x. */
export const convInputGradOp: OpDefinition<ConvAttrs & { readonly inputShape: readonly number[] }> = {
  name: 'conv2d_input_grad',
  nodeName: 'ConvolutionBackwardBackward0',
  forward: ([g, w], attrs) => {
    const geo = geometry(attrs.inputShape, w.shape, attrs);
    return { data: convInputGradient(g.data, w.data, geo, g.dtype), shape: attrs.inputShape, dtype: g.dtype };
  },
  backward: (grad, c) => [
    c.needsInputGrad(0) ? apply(conv2dOp, [grad, c.input(1)], c.attrs) : null,
    c.needsInputGrad(1) ? apply(convWeightGradOp, [grad, c.input(0)], { ...c.attrs, weightShape: c.inputShape(1) }) : null,
  ],
  describeAttrs: describe,
};

/** inputs (x, grad of y) → grad of weight. */
export const convWeightGradOp: OpDefinition<ConvAttrs & { readonly weightShape: readonly number[] }> = {
  name: 'conv2d_weight_grad',
  nodeName: 'ConvolutionBackwardBackward0',
  forward: ([x, g], attrs) => {
    const geo = geometry(x.shape, attrs.weightShape, attrs);
    return { data: convWeightGradient(x.data, g.data, geo, x.dtype), shape: attrs.weightShape, dtype: x.dtype };
  },
  backward: (grad, c) => [
    c.needsInputGrad(0) ? apply(convInputGradOp, [c.input(1), grad], { ...c.attrs, inputShape: c.inputShape(0) }) : null,
    c.needsInputGrad(1) ? apply(conv2dOp, [c.input(0), grad], c.attrs) : null,
  ],
  describeAttrs: describe,
};

const pair = (value: number | readonly number[]): [number, number] => (typeof value === 'number' ? [value, value] : [value[0], value[1] ?? value[0]]);

/** F.conv2d(input, weight, bias, stride, padding, dilation); a 3-d input is one unbatched image. */
export function conv2d(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | undefined,
  options: { stride?: number | readonly number[]; padding?: number | readonly number[]; dilation?: number | readonly number[] } = {},
): Tensor {
  if (x.ndim === 3) {
    const batched = conv2d(reshape(x, [1, ...x.shape]), weight, bias, options);
    return reshape(batched, batched.shape.slice(1));
  }
  if (x.ndim !== 4) throw new EngineError('RuntimeError', `Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: ${formatShape(x.shape)}`);
  if (weight.ndim !== 4 || weight.shape[1] !== x.shape[1]) {
    throw new EngineError(
      'RuntimeError',
      `Given groups=1, weight of size ${formatShape(weight.shape)}, expected input${formatShape(x.shape)} to have ${weight.shape[1]} channels, but got ${x.shape[1]} channels instead`,
    );
  }
  const attrs: ConvAttrs = { stride: pair(options.stride ?? 1), padding: pair(options.padding ?? 0), dilation: pair(options.dilation ?? 1) };
  const g = geometry(x.shape, weight.shape, attrs);
  if (g.outHeight <= 0 || g.outWidth <= 0) {
    throw new EngineError('RuntimeError', `Calculated output size: (${g.outChannels}x${g.outHeight}x${g.outWidth}). Output size is too small`);
  }
  return apply(conv2dOp, bias ? [x, weight, bias] : [x, weight], attrs);
}
