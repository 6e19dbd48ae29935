// How values look in a TypeScript run: as console.log shows them, numbers as JavaScript writes them.
import { contiguousStrides } from '../../tensor/shape';
import { Tensor } from '../../tensor/tensor';
import { JsArray, JsFunction, JsNamespace, JsObject, type JsValue } from './values';

const jsNumber = (value: number) => (Object.is(value, -0) ? '-0' : String(value));

/** A tensor as the number or nested array it stands for. */
export function tensorAsJs(tensor: Tensor): string {
  const strides = contiguousStrides(tensor.shape);
  const { data } = tensor;
  const build = (offset: number, axis: number): string => {
    if (axis === tensor.ndim) return tensor.dtype === 'bool' ? String(data[offset] !== 0) : jsNumber(data[offset]);
    const items = Array.from({ length: tensor.shape[axis] }, (_, i) => build(offset + i * strides[axis], axis + 1));
    return `[${items.join(', ')}]`;
  };
  return build(0, 0);
}

const identifier = /^[A-Za-z_$][\w$]*$/;

export function jsDisplay(value: JsValue, quoteStrings = true): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'number') return jsNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return quoteStrings ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : value;
  if (value instanceof Tensor) return tensorAsJs(value);
  if (value instanceof JsArray) return `[${value.items.map((item) => jsDisplay(item)).join(', ')}]`;
  if (value instanceof JsObject) {
    if (value.properties.size === 0) return '{}';
    const entries = [...value.properties].map(([key, item]) => `${identifier.test(key) ? key : `'${key}'`}: ${jsDisplay(item)}`);
    return `{ ${entries.join(', ')} }`;
  }
  if (value instanceof JsFunction) return `[Function: ${value.name}]`;
  if (value instanceof JsNamespace) return value.name === 'Math' ? 'Object [Math]' : `[object ${value.name}]`;
  return value satisfies never;
}
