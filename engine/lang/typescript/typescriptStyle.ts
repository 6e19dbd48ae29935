// TypeScript runs are shown as JavaScript shows numbers: `63`, `[1, 2]`.
import type { ValueStyle } from '../../report/valueStyle';
import { Tensor } from '../../tensor/tensor';
import { jsDisplay, tensorAsJs } from './display';
import { type JsValue, jsTypeOf } from './values';

export const typescriptStyle: ValueStyle<JsValue> = {
  language: 'typescript',
  tensorOf: (value) => (value instanceof Tensor ? value : undefined),
  tensorText: tensorAsJs,
  tensorRepr: tensorAsJs,
  displayText: (value) => jsDisplay(value),
  typeName: jsTypeOf,
};
