// torch.autograd.functional: jacobian, hessian, vjp, jvp and hvp of a function of tensors, built on
// autograd.grad (jvp by the double-vjp trick: the vjp is linear in its vector).
import { EngineError } from '../errors';
import { full, zerosLike } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { stack } from '../ops/joins';
import { reshape } from '../ops/views';
import { grad } from './grad';
import { withGradMode } from './gradMode';

export type TensorFunction = (inputs: Tensor[]) => Tensor | readonly Tensor[];

const asList = (result: Tensor | readonly Tensor[]): readonly Tensor[] => (Array.isArray(result) ? result : [result as Tensor]);

/** The inputs as fresh leaves that require grad (views of them under create_graph, so the graph reaches back). */
function prepare(inputs: readonly Tensor[], createGraph: boolean): Tensor[] {
  return inputs.map((input) => {
    if (createGraph && input.requiresGrad) return input;
    const leaf = input.detach();
    leaf.requiresGrad = true;
    return leaf;
  });
}

function gradOrZeros(outputs: readonly Tensor[], inputs: readonly Tensor[], gradOutputs: readonly Tensor[], createGraph: boolean): Tensor[] {
  const differentiable = outputs.map((output) => output.requiresGrad);
  if (!differentiable.some(Boolean)) return inputs.map((input) => zerosLike(input));
  const gradients = grad(
    outputs.filter((_, i) => differentiable[i]),
    inputs,
    { gradOutputs: gradOutputs.filter((_, i) => differentiable[i]), createGraph, retainGraph: true, allowUnused: true },
  );
  return gradients.map((gradient, i) => gradient ?? zerosLike(inputs[i]));
}

/** jacobian[o][i] has shape output[o].shape + input[i].shape. */
export function jacobian(fn: TensorFunction, inputs: readonly Tensor[], createGraph = false): Tensor[][] {
  const xs = prepare(inputs, createGraph);
  const outputs = withGradMode(true, () => asList(fn(xs)));
  return outputs.map((output) => {
    const rows: Tensor[][] = xs.map(() => []);
    for (let k = 0; k < output.numel; k++) {
      const seed = full(output.shape, 0, output.dtype);
      seed.data[k] = 1;
      gradOrZeros([output], xs, [seed], createGraph).forEach((row, i) => rows[i].push(row));
    }
    return xs.map((x, i) => stackRows(rows[i], [...output.shape, ...x.shape]));
  });
}

/** The rows (one per output element) as one tensor of `shape`, kept in the graph under create_graph. */
function stackRows(rows: readonly Tensor[], shape: readonly number[]): Tensor {
  return reshape(stack(rows, 0), shape);
}

export function hessian(fn: (inputs: Tensor[]) => Tensor, inputs: readonly Tensor[]): Tensor[][] {
  const gradient: TensorFunction = (xs) => {
    const output = fn(xs);
    if (output.numel !== 1) throw new EngineError('RuntimeError', 'The Tensor returned by the function given to hessian should contain a single element');
    return gradOrZeros([output], xs, [full(output.shape, 1, output.dtype)], true);
  };
  return jacobian(gradient, inputs);
}

/** (outputs, vᵀ·J) */
export function vjp(fn: TensorFunction, inputs: readonly Tensor[], v: readonly Tensor[] | undefined): [readonly Tensor[], Tensor[]] {
  const xs = prepare(inputs, false);
  const outputs = withGradMode(true, () => asList(fn(xs)));
  const vectors = v ?? outputs.map((output) => {
    if (output.numel !== 1) throw new EngineError('RuntimeError', 'The vector v can only be None if the user-provided function returns a single Tensor with a single element.');
    return full(output.shape, 1, output.dtype);
  });
  return [outputs.map((output) => output.detach()), gradOrZeros(outputs, xs, vectors, false)];
}

/** (outputs, J·v), as the vector-Jacobian product of a vector-Jacobian product. */
export function jvp(fn: TensorFunction, inputs: readonly Tensor[], v: readonly Tensor[] | undefined): [readonly Tensor[], Tensor[]] {
  const xs = prepare(inputs, false);
  const outputs = withGradMode(true, () => asList(fn(xs)));
  const vectors = v ?? xs.map((x) => {
    if (x.numel !== 1) throw new EngineError('RuntimeError', 'The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.');
    return full(x.shape, 1, x.dtype);
  });
  const dummies = outputs.map((output) => {
    const u = zerosLike(output);
    u.requiresGrad = true;
    return u;
  });
  const linearInU = gradOrZeros(outputs, xs, dummies, true);
  const products = withGradMode(true, () => gradOrZeros(linearInU, dummies, vectors, false));
  return [outputs.map((output) => output.detach()), products];
}

/** (output, H·v) for a scalar function. */
export function hvp(fn: (inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], v: readonly Tensor[]): [Tensor, Tensor[]] {
  const xs = prepare(inputs, false);
  const output = withGradMode(true, () => fn(xs));
  const gradient = gradOrZeros([output], xs, [full(output.shape, 1, output.dtype)], true);
  return [output.detach(), withGradMode(true, () => gradOrZeros(gradient, xs, v, false))];
}
