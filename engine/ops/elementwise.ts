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

/**
 * For a unary op whose other operand is a Python number held as an attribute (pow.Tensor_Scalar,
 * mul.Scalar…): the dtype the tensor and that number promote to, as a wrapped number would;
 * `promotedFloating` then takes the default float for an integer result, as true division does.
 */
export type ScalarDTypeRule = 'promoted' | 'promotedFloating';
export type ScalarKind = { readonly kind: 'int' | 'float' };

function promotedWithScalar(a: Tensor, kind: ScalarKind['kind']): DType {
  return pairResultType(a, { dtype: kind === 'float' ? 'float64' : 'int64', ndim: 0, isWrappedNumber: true });
}

export type UnarySpec<Attrs> = {
  readonly name: string;
  readonly nodeName: string;
  readonly nodeQualifiedName?: string;
  /** The value for one element, read in the dtype the op computes in (given, for ops that round their steps). */
  readonly kernel: (x: number, attrs: Attrs, dtype: DType) => number;
  /** The input's gradient, written with ops. */
  readonly backward: (grad: Tensor, context: BackwardContext<Attrs>) => Tensor;
  /** The same derivative on numbers, for the scalar tape's backward pass. */
  readonly scalarBackward?: ScalarDerivative<Attrs>;
  /** `floating` (the default): integer inputs compute in the default float dtype, as torch.exp does. */
  readonly dtype?: DTypeRule | ScalarDTypeRule;
  readonly gradCheckDomain?: GradCheckDomain;
  readonly describeAttrs?: (attrs: Attrs) => string;
};

export function unaryOp<Attrs = void>(spec: UnarySpec<Attrs>): OpDefinition<Attrs> {
  const rule = spec.dtype ?? 'floating';
  const dtypeOf = (a: Tensor, attrs: Attrs): DType => {
    if (rule !== 'promoted' && rule !== 'promotedFloating') return outputDType(rule, a.dtype);
    const promoted = promotedWithScalar(a, (attrs as ScalarKind).kind);
    return rule === 'promotedFloating' ? outputDType('floating', promoted) : promoted;
  };
  return {
    name: spec.name,
    nodeName: spec.nodeName,
    ...(spec.nodeQualifiedName ? { nodeQualifiedName: spec.nodeQualifiedName } : {}),
    // Indexing, not destructuring: the fast path runs once per scalar op, and destructuring iterates.
    scalar: (inputs, attrs) => {
      const a = inputs[0];
      const dtype = dtypeOf(a, attrs);
      const computeDType = rule === 'bool' ? a.dtype : dtype;
      return scalarTensor(spec.kernel(castValue(computeDType, a.storage.first), attrs, computeDType), dtype);
    },
    forward: ([a], attrs) => {
      const dtype = dtypeOf(a, attrs);
      // Comparisons and the like read their input in its own dtype; the rest in the output's.
      const computeDType = rule === 'bool' ? a.dtype : dtype;
      const kernel = spec.kernel;
      return { data: mapUnary(a, computeDType, (x) => kernel(x, attrs, computeDType), dtype), shape: a.shape, dtype };
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
