// torch.autograd.gradcheck and gradgradcheck: the analytical Jacobian (from backward) against
// central finite differences, in float64, with PyTorch's default tolerances.
import { full, zerosLike } from '../tensor/create';
import { Tensor } from '../tensor/tensor';
import { grad } from './grad';

export type Differentiable = (inputs: Tensor[]) => Tensor | readonly Tensor[];

export type GradCheckOptions = { readonly eps?: number; readonly atol?: number; readonly rtol?: number };

export type GradCheckResult =
  | { readonly ok: true; readonly mismatch?: undefined }
  | {
      readonly ok: false;
      /** The first (output, input) pair whose Jacobians differ, in PyTorch's order: outputs, then inputs. */
      readonly output: number;
      readonly input: number;
      /** Both Jacobians of that pair as PyTorch prints them: (input elements × output elements), float64. */
      readonly numerical: Tensor;
      readonly analytical: Tensor;
      /** The first differing element, in words. */
      readonly mismatch: string;
    };

const outputsOf = (result: Tensor | readonly Tensor[]): readonly Tensor[] => (result instanceof Tensor ? [result] : result);

/** All output elements, flattened in order, as float64. */
function flatOutputs(fn: Differentiable, inputs: Tensor[]): Float64Array {
  const outputs = outputsOf(fn(inputs));
  const values: number[] = [];
  for (const output of outputs) values.push(...output.data);
  return Float64Array.from(values);
}

/** numerical[i][k][j] = ∂(output element k)/∂(input i, element j) by central differences. */
function numericalJacobians(fn: Differentiable, inputs: Tensor[], eps: number): number[][][] {
  return inputs.map((input) => {
    const data = input.data;
    const rows: number[][] = [];
    for (let j = 0; j < input.numel; j++) {
      const original = data[j];
      data[j] = original + eps;
      const plus = flatOutputs(fn, inputs);
      data[j] = original - eps;
      const minus = flatOutputs(fn, inputs);
      data[j] = original;
      plus.forEach((value, k) => {
        rows[k] ??= new Array<number>(input.numel).fill(0);
        rows[k][j] = (value - minus[k]) / (2 * eps);
      });
    }
    return rows;
  });
}

/** analytical[i][k][j], one backward pass per output element. */
function analyticalJacobians(fn: Differentiable, inputs: Tensor[]): number[][][] {
  const outputs = outputsOf(fn(inputs));
  const jacobians: number[][][] = inputs.map(() => []);
  outputs.forEach((output) => {
    for (let k = 0; k < output.numel; k++) {
      let gradients: (Tensor | null)[] = inputs.map(() => null);
      if (output.requiresGrad) {
        const seed = full(output.shape, 0, output.dtype);
        seed.data[k] = 1;
        gradients = grad([output], inputs, { gradOutputs: [seed], retainGraph: true, allowUnused: true });
      }
      inputs.forEach((input, i) => {
        const gradient = gradients[i]?.data;
        jacobians[i].push(Array.from({ length: input.numel }, (_, j) => (gradient ? gradient[j] : 0)));
      });
    }
  });
  return jacobians;
}

export function gradcheck(fn: Differentiable, inputs: Tensor[], options: GradCheckOptions = {}): GradCheckResult {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3 } = options;
  const numerical = numericalJacobians(fn, inputs, eps);
  const analytical = analyticalJacobians(fn, inputs);
  const outputSizes = outputsOf(fn(inputs)).map((output) => output.numel);
  let first = 0;
  for (let o = 0; o < outputSizes.length; first += outputSizes[o], o++) {
    for (let i = 0; i < inputs.length; i++) {
      // The (input element j, output element k) block of this pair, as PyTorch lays it out.
      const block = (jacobian: readonly (readonly number[] | undefined)[]) =>
        Float64Array.from({ length: inputs[i].numel * outputSizes[o] }, (_, index) => jacobian[first + (index % outputSizes[o])]?.[Math.floor(index / outputSizes[o])] ?? 0);
      const a = block(analytical[i]);
      const n = block(numerical[i]);
      const bad = a.findIndex((value, index) => !(Math.abs(value - n[index]) <= atol + rtol * Math.abs(n[index])));
      if (bad < 0) continue;
      const shape = [inputs[i].numel, outputSizes[o]];
      return {
        ok: false,
        output: o,
        input: i,
        numerical: new Tensor(n, shape, 'float64'),
        analytical: new Tensor(a, shape, 'float64'),
        mismatch: `input ${i}, element ${Math.floor(bad / outputSizes[o])} → output ${o}, element ${bad % outputSizes[o]}: analytical ${a[bad]}, numerical ${n[bad]}`,
      };
    }
  }
  return { ok: true };
}

/**
 * Second derivatives: gradcheck of the vector-Jacobian product x ↦ vᵀ ∂f/∂x (built with
 * create_graph), for a fixed random v.
 */
export function gradgradcheck(fn: Differentiable, inputs: Tensor[], random: () => number, options: GradCheckOptions = {}): GradCheckResult {
  const vectors = outputsOf(fn(inputs)).map((output) => new Tensor(Float64Array.from({ length: output.numel }, () => random() * 2 - 1), output.shape, 'float64'));
  const vjp: Differentiable = (xs) =>
    grad(outputsOf(fn(xs)), xs, { gradOutputs: vectors, createGraph: true, allowUnused: true }).map((gradient, i) => gradient ?? zerosLike(xs[i]));
  return gradcheck(vjp, inputs, options);
}
