// max_pool2d: each output is the largest element of its window; the gradient goes back to that
// element (max_pool2d_with_indices_backward, an op of its own, whose gradient gathers it again).
import { EngineError } from '../errors';
import { allocate } from '../tensor/dtype';
import { formatShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply } from './apply';
import { zerosLike } from '../tensor/create';
import { gatherOp } from './indexing';
import type { OpDefinition } from './opDefinition';
import { reshape } from './views';

export type PoolAttrs = {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly ceilMode: boolean;
};

function outputSize(size: number, axis: 0 | 1, a: PoolAttrs): number {
  const span = a.dilation[axis] * (a.kernel[axis] - 1) + 1;
  const exact = (size + 2 * a.padding[axis] - span) / a.stride[axis];
  let out = (a.ceilMode ? Math.ceil(exact) : Math.floor(exact)) + 1;
  // With ceil_mode, the last window must start inside the input or its left padding.
  if (a.ceilMode && (out - 1) * a.stride[axis] >= size + a.padding[axis]) out--;
  return out;
}

/** The max of each window and the position (within its plane) it came from. */
function pool(x: Tensor, a: PoolAttrs): { values: Tensor; positions: Float64Array } {
  const [H, W] = x.shape.slice(-2);
  const planes = x.numel / (H * W);
  const OH = outputSize(H, 0, a);
  const OW = outputSize(W, 1, a);
  const source = x.data;
  const values = allocate(x.dtype, planes * OH * OW);
  const positions = new Float64Array(values.length);
  let o = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * H * W;
    for (let i = 0; i < OH; i++) {
      for (let j = 0; j < OW; j++, o++) {
        let best = -Infinity;
        let bestPosition = -1;
        for (let p = 0; p < a.kernel[0]; p++) {
          const y = i * a.stride[0] - a.padding[0] + p * a.dilation[0];
          if (y < 0 || y >= H) continue;
          for (let q = 0; q < a.kernel[1]; q++) {
            const x0 = j * a.stride[1] - a.padding[1] + q * a.dilation[1];
            if (x0 < 0 || x0 >= W) continue;
            const value = source[base + y * W + x0];
            if (value > best || Number.isNaN(value) || bestPosition < 0) {
              best = value;
              bestPosition = y * W + x0;
              if (Number.isNaN(value)) break;
            }
          }
        }
        values[o] = best;
        positions[o] = bestPosition;
      }
    }
  }
  return { values: new Tensor(values, [...x.shape.slice(0, -2), OH, OW], x.dtype), positions };
}

/** Each output's position in the input, counted over the whole input: where its gradient goes. */
function flatPositions(x: Tensor, attrs: PoolAttrs): Float64Array {
  const { positions } = pool(x, attrs);
  const [H, W] = x.shape.slice(-2);
  const perPlane = positions.length / (x.numel / (H * W));
  return positions.map((position, o) => Math.floor(o / perPlane) * H * W + position);
}

export const maxPool2dOp: OpDefinition<PoolAttrs> = {
  name: 'max_pool2d',
  nodeName: 'MaxPool2DWithIndicesBackward0',
  forward: ([x], attrs) => pool(x, attrs).values,
  backward: (grad, c) => [apply(maxPool2dBackwardOp, [grad, c.input(0)], c.attrs)],
  describeAttrs,
};

/**
 * max_pool2d_with_indices_backward(grad_output, x): each output's gradient added at the input
 * position it came from. Its own gradients: d/dgrad_output gathers from those positions again
 * (max_pool_double_backward); d/dx is zero.
 */
export const maxPool2dBackwardOp: OpDefinition<PoolAttrs> = {
  name: 'max_pool2d_with_indices_backward',
  nodeName: 'MaxPool2DWithIndicesBackwardBackward0',
  forward: ([gradOutput, x], attrs) => {
    const data = allocate(gradOutput.dtype, x.numel);
    const gradient = gradOutput.data;
    flatPositions(x, attrs).forEach((position, o) => (data[position] += gradient[o]));
    return { data, shape: x.shape, dtype: gradOutput.dtype };
  },
  backward: (grad, c) => {
    const x = c.input(1);
    const index = new Tensor(flatPositions(x, c.attrs), [c.inputShape(0).reduce((n, size) => n * size, 1)], 'int64');
    return [
      c.needsInputGrad(0) ? reshape(apply(gatherOp, [reshape(grad, [-1])], { dim: 0, index }), c.inputShape(0)) : null,
      c.needsInputGrad(1) ? zerosLike(x) : null,
    ];
  },
  describeAttrs,
};

function describeAttrs({ kernel, stride, padding }: PoolAttrs): string {
  return `kernel_size=(${kernel.join(', ')}), stride=(${stride.join(', ')}), padding=(${padding.join(', ')})`;
}

const pair = (value: number | readonly number[]): [number, number] => (typeof value === 'number' ? [value, value] : [value[0], value[1] ?? value[0]]);

export function maxPool2d(
  x: Tensor,
  kernelSize: number | readonly number[],
  options: { stride?: number | readonly number[]; padding?: number | readonly number[]; dilation?: number | readonly number[]; ceilMode?: boolean } = {},
): Tensor {
  if (x.ndim !== 3 && x.ndim !== 4) throw new EngineError('RuntimeError', `max_pool2d(): Expected 3D or 4D tensor, but got: ${formatShape(x.shape)}`);
  const kernel = pair(kernelSize);
  const padding = pair(options.padding ?? 0);
  if (padding[0] > kernel[0] / 2 || padding[1] > kernel[1] / 2) {
    throw new EngineError('RuntimeError', `pad should be at most half of effective kernel size, but got pad=${padding[0]}, kernel_size=${kernel[0]} and dilation=1`);
  }
  const stride = options.stride === undefined || (Array.isArray(options.stride) && options.stride.length === 0) ? kernel : pair(options.stride);
  return apply(maxPool2dOp, [x], { kernel, stride, padding, dilation: pair(options.dilation ?? 1), ceilMode: options.ceilMode ?? false });
}
