// CPU kernels for 2-d convolution, by im2col: each output pixel's receptive field becomes a column,
// so that the convolution, and both its gradients, are matrix products.
import { type ElementArray, allocate, type DType } from '../../tensor/dtype';
import { matmulInto } from './matmul';

export type ConvGeometry = {
  readonly batch: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly height: number;
  readonly width: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly outHeight: number;
  readonly outWidth: number;
};

/** The columns of one image: (inChannels·kh·kw) × (outHeight·outWidth); zero where the field leaves the padded image. */
function im2col(x: ElementArray, image: number, g: ConvGeometry): Float64Array {
  const { inChannels: C, height: H, width: W, kernelHeight: KH, kernelWidth: KW, outHeight: OH, outWidth: OW } = g;
  const cols = new Float64Array(C * KH * KW * OH * OW);
  const imageOffset = image * C * H * W;
  for (let c = 0; c < C; c++) {
    for (let p = 0; p < KH; p++) {
      for (let q = 0; q < KW; q++) {
        const row = ((c * KH + p) * KW + q) * OH * OW;
        for (let i = 0; i < OH; i++) {
          const y = i * g.stride[0] + p * g.dilation[0] - g.padding[0];
          if (y < 0 || y >= H) continue;
          for (let j = 0; j < OW; j++) {
            const x0 = j * g.stride[1] + q * g.dilation[1] - g.padding[1];
            if (x0 >= 0 && x0 < W) cols[row + i * OW + j] = x[imageOffset + (c * H + y) * W + x0];
          }
        }
      }
    }
  }
  return cols;
}

/** Adds columns back into an image: the adjoint of im2col. */
function col2imAdd(cols: Float64Array, out: ElementArray, image: number, g: ConvGeometry): void {
  const { inChannels: C, height: H, width: W, kernelHeight: KH, kernelWidth: KW, outHeight: OH, outWidth: OW } = g;
  const imageOffset = image * C * H * W;
  for (let c = 0; c < C; c++) {
    for (let p = 0; p < KH; p++) {
      for (let q = 0; q < KW; q++) {
        const row = ((c * KH + p) * KW + q) * OH * OW;
        for (let i = 0; i < OH; i++) {
          const y = i * g.stride[0] + p * g.dilation[0] - g.padding[0];
          if (y < 0 || y >= H) continue;
          for (let j = 0; j < OW; j++) {
            const x0 = j * g.stride[1] + q * g.dilation[1] - g.padding[1];
            if (x0 >= 0 && x0 < W) out[imageOffset + (c * H + y) * W + x0] += cols[row + i * OW + j];
          }
        }
      }
    }
  }
}

/** A rows×cols row-major matrix at `offset`, or its transpose (cols×rows) read in place. */
const matrix = (data: ElementArray | Float64Array, offset: number, rows: number, cols: number, transposed = false) =>
  transposed
    ? { data, offset, rowStride: 1, colStride: cols, rows: cols, cols: rows }
    : { data, offset, rowStride: cols, colStride: 1, rows, cols };

/** y[n] = W · cols(x[n]): (N, O, OH, OW). */
export function convForward(x: ElementArray, weight: ElementArray, g: ConvGeometry, dtype: DType): ElementArray {
  const K = g.inChannels * g.kernelHeight * g.kernelWidth;
  const pixels = g.outHeight * g.outWidth;
  const out = allocate(dtype, g.batch * g.outChannels * pixels);
  for (let n = 0; n < g.batch; n++) {
    matmulInto(matrix(weight, 0, g.outChannels, K), matrix(im2col(x, n, g), 0, K, pixels), out, n * g.outChannels * pixels);
  }
  return out;
}

/** ∂/∂x: col2im(Wᵀ · grad[n]), shaped like x. */
export function convInputGradient(grad: ElementArray, weight: ElementArray, g: ConvGeometry, dtype: DType): ElementArray {
  const K = g.inChannels * g.kernelHeight * g.kernelWidth;
  const pixels = g.outHeight * g.outWidth;
  const out = allocate(dtype, g.batch * g.inChannels * g.height * g.width);
  const cols = new Float64Array(K * pixels);
  for (let n = 0; n < g.batch; n++) {
    cols.fill(0);
    matmulInto(matrix(weight, 0, g.outChannels, K, true), matrix(grad, n * g.outChannels * pixels, g.outChannels, pixels), cols, 0);
    col2imAdd(cols, out, n, g);
  }
  return out;
}

/** ∂/∂W: Σₙ grad[n] · cols(x[n])ᵀ, shaped like W. */
export function convWeightGradient(x: ElementArray, grad: ElementArray, g: ConvGeometry, dtype: DType): ElementArray {
  const K = g.inChannels * g.kernelHeight * g.kernelWidth;
  const pixels = g.outHeight * g.outWidth;
  const total = new Float64Array(g.outChannels * K);
  const partial = new Float64Array(g.outChannels * K);
  for (let n = 0; n < g.batch; n++) {
    matmulInto(matrix(grad, n * g.outChannels * pixels, g.outChannels, pixels), matrix(im2col(x, n, g), 0, K, pixels, true), partial, 0);
    for (let i = 0; i < total.length; i++) total[i] += partial[i];
  }
  const out = allocate(dtype, total.length);
  out.set(total);
  return out;
}
