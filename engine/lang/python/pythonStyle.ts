// Python runs are shown as PyTorch shows them: `63.` after a line, `tensor(93.)` when printed.
import { tensorDataString, tensorRepr } from '../../report/tensorRepr';
import type { ValueStyle } from '../../report/valueStyle';
import { Tensor } from '../../tensor/tensor';
import { pyRepr } from './display';
import { PyNnModule } from './torch/nnModule';
import { type PyValue, typeName } from './values';

export const pythonStyle: ValueStyle<PyValue> = {
  language: 'python',
  tensorOf: (value) => (value instanceof Tensor ? value : undefined),
  tensorText: (tensor) => tensorDataString(tensor, 0),
  tensorRepr: (tensor) => tensorRepr(tensor),
  displayText: pyRepr,
  typeName,
  memberTensors: (value) => (value instanceof PyNnModule ? value.namedParameters() : []),
};
