// Constructors for elementwise ops: the CPU kernel is a scalar function, applied with broadcasting
// in the dtype PyTorch computes in.
import { type FastArithmetic, mapBinary, mapUnary } from '../backends/cpu/elementwise';
import { type DType, castValue, defaultFloatDType, isFloatingPoint, pairResultType, resultType } from '../tensor/dtype';
import { scalarTensor } from '../tensor/create';
import { broadcastShapes } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import type { BackwardContext, ForwardResult, GradCheckDomain, OpDefinition, ScalarDerivative } from './opDefinition';

/** What dtype an elementwise op produces from its (promoted) input dtype. */
export type DTypeRule = 'same' | 'floating' | 'bool';

const outputDType = (rule: DTypeRule, dtype: DType): DType =>
  rule === 'bool' ? 'bool' : rule === 'floating' && !isFloatingPoint(dtype) ? defaultFloatDType : dtype;

export type UnarySpec<Attrs> = {
  readonly name: string;
  readonly nodeName: string;
  readonly kernel: (x: number, attrs: Attrs) => number;
  /** The input's gradient, written with ops. */
  readonly backward: (grad: Tensor, context: BackwardContext<Attrs>) => Tensor;
  /** The same derivative on numbers, for the scalar tape's backward pass. */
  readonly scalarBackward?: ScalarDerivative<Attrs>;
  /** `floating` (the default): integer inputs compute in the default float dtype, as torch.exp does. */
  readonly dtype?: DTypeRule;
  readonly gradCheckDomain?: GradCheckDomain;
  readonly describeAttrs?: (attrs: Attrs) => string;
};

export function unaryOp<Attrs = void>(spec: UnarySpec<Attrs>): OpDefinition<Attrs> {
  const rule = spec.dtype ?? 'floating';
  return {
    name: spec.name,
    nodeName: spec.nodeName,
    // Indexing, not destructuring: the fast path runs once per scalar op, and destructuring iterates.
    scalar: (inputs, attrs) => {
      const a = inputs[0];
      const dtype = outputDType(rule, a.dtype);
      return scalarTensor(spec.kernel(castValue(rule === 'bool' ? a.dtype : dtype, a.storage.first), attrs), dtype);
    },
    forward: ([a], attrs) => {
      const dtype = outputDType(rule, a.dtype);
      // Comparisons and the like read their input in its own dtype; the rest in the output's.
      const computeDType = rule === 'bool' ? a.dtype : dtype;
      const kernel = spec.kernel;
      return { data: mapUnary(a, computeDType, (x) => kernel(x, attrs), dtype), shape: a.shape, dtype };
    },
    backward: (grad, context) => [spec.backward(grad, context)],
    ...(spec.scalarBackward ? { scalarBackward: [spec.scalarBackward] } : {}),
    ...(spec.gradCheckDomain ? { gradCheckDomain: spec.gradCheckDomain } : {}),
    ...(spec.describeAttrs ? { describeAttrs: spec.describeAttrs } : {}),
  };
}

/** The forward and the scalar fast path of an elementwise op of two inputs, from one kernel. */
export function binaryElementwise(kernel: (x: number, y: number, dtype: DType) => number, rule: DTypeRule = 'same', fast?: FastArithmetic) {
  return {
    forward: binaryForward(kernel, rule, fast),
    // A number never changes a floating tensor's dtype, so the op computes in the tensor's.
    scalarWithNumber:
      rule === 'bool'
        ? undefined
        : (a: Tensor, n: number) => {
            const dtype = a.dtype;
            if (dtype !== 'float32' && dtype !== 'float64') return undefined;
            return scalarTensor(kernel(castValue(dtype, a.storage.first), castValue(dtype, n), dtype), dtype);
          },
    scalar: (inputs: readonly Tensor[]) => {
      const a = inputs[0];
      const b = inputs[1];
      const computeDType = pairResultType(a, b);
      const inputsIn = rule === 'bool' ? computeDType : outputDType(rule, computeDType);
      return scalarTensor(kernel(castValue(inputsIn, a.storage.first), castValue(inputsIn, b.storage.first), inputsIn), outputDType(rule, computeDType));
    },
  };
}

/**
 * The forward of an elementwise op of two broadcast inputs: computed in their promoted dtype,
 * producing that dtype (or, by `rule`, the default float or bool).
 */
export function binaryForward(kernel: (x: number, y: number, dtype: DType) => number, rule: DTypeRule = 'same', fast?: FastArithmetic) {
  return ([a, b]: readonly Tensor[]): ForwardResult => {
    const computeDType = resultType([a, b]);
    const dtype = outputDType(rule, computeDType);
    const inputsIn = rule === 'bool' ? computeDType : dtype;
    const shape = broadcastShapes(a.shape, b.shape);
    return { data: mapBinary(a, b, shape, inputsIn, (x, y) => kernel(x, y, inputsIn), dtype, fast), shape, dtype };
  };
}
