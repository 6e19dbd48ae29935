// Operands of the op functions: tensors, or plain numbers, which are wrapped as Python floats are.
import { wrappedNumber } from '../tensor/create';
import { Tensor } from '../tensor/tensor';

export type Operand = Tensor | number;

export function asTensor(operand: Operand): Tensor {
  return operand instanceof Tensor ? operand : wrappedNumber(operand, 'float');
}
