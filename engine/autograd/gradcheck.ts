// torch.autograd.gradcheck: the analytical Jacobian (from backward) against central finite
// differences, in float64, with PyTorch's default tolerances.
import { add } from '../ops/arithmetic';
import { full } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { runBackward } from './backward';
import { withGradMode } from './gradMode';

export type GradCheckOptions = { readonly eps?: number; readonly atol?: number; readonly rtol?: number };

export type GradCheckResult = {
  readonly ok: boolean;
  /** The first mismatch, as "input i, element j → output k: analytical a, numerical n". */
  readonly mismatch?: string;
};

/** Jacobians indexed [input][outputElement][inputElement]. */
type Jacobians = number[][][];

function numericalJacobians(fn: (inputs: Tensor[]) => Tensor, inputs: Tensor[], eps: number): Jacobians {
  return withGradMode(false, () =>
    inputs.map((input) => {
      const outputSize = fn(inputs).numel;
      const columns: number[][] = Array.from({ length: outputSize }, () => new Array<number>(input.numel).fill(0));
      for (let j = 0; j < input.numel; j++) {
        const original = input.data[j];
        input.data[j] = original + eps;
        const plus = Float64Array.from(fn(inputs).data);
        input.data[j] = original - eps;
        const minus = Float64Array.from(fn(inputs).data);
        input.data[j] = original;
        for (let k = 0; k < outputSize; k++) columns[k][j] = (plus[k] - minus[k]) / (2 * eps);
      }
      return columns;
    }),
  );
}

function analyticalJacobians(fn: (inputs: Tensor[]) => Tensor, inputs: Tensor[]): Jacobians {
  const output = fn(inputs);
  const jacobians: Jacobians = inputs.map(() => []);
  for (let k = 0; k < output.numel; k++) {
    const seed = full(output.shape, 0, output.dtype);
    seed.data[k] = 1;
    const gradients = new Map<Tensor, Tensor>();
    if (output.requiresGrad) {
      runBackward([output], [seed], {
        retainGraph: true,
        createGraph: false,
        collectLeafGradient: (leaf, gradient) => {
          const earlier = gradients.get(leaf);
          gradients.set(leaf, earlier ? add(earlier, gradient) : gradient);
        },
      });
    }
    inputs.forEach((input, i) => {
      const gradient = gradients.get(input);
      jacobians[i].push(Array.from({ length: input.numel }, (_, j) => (gradient ? gradient.data[j] : 0)));
    });
  }
  return jacobians;
}

export function gradcheck(fn: (inputs: Tensor[]) => Tensor, inputs: Tensor[], options: GradCheckOptions = {}): GradCheckResult {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3 } = options;
  const numerical = numericalJacobians(fn, inputs, eps);
  const analytical = analyticalJacobians(fn, inputs);
  for (let i = 0; i < inputs.length; i++) {
    for (let k = 0; k < numerical[i].length; k++) {
      for (let j = 0; j < numerical[i][k].length; j++) {
        const a = analytical[i][k][j];
        const n = numerical[i][k][j];
        if (!(Math.abs(a - n) <= atol + rtol * Math.abs(n))) {
          return { ok: false, mismatch: `input ${i}, element ${j} → output ${k}: analytical ${a}, numerical ${n}` };
        }
      }
    }
  }
  return { ok: true };
}
