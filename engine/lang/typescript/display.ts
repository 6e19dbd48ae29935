// How values look in a TypeScript run: as console.log shows them, numbers as JavaScript writes them.
import { contiguousStrides } from '../../tensor/shape';
import { Tensor } from '../../tensor/tensor';
import { JsArray, JsFunction, JsNamespace, JsObject, type JsValue } from './values';

const jsNumber = (value: number) => (Object.is(value, -0) ? '-0' : String(value));

/** Node's console.log shows this many items of an array, then how many more there are. */
const shownItems = 100;
/** Numbers written for one tensor before the rest is summarised: a huge tensor must not make a huge string. */
const shownNumbers = 1000;

const moreItems = (count: number) => `... ${count} more item${count === 1 ? '' : 's'}`;

/** A tensor as the number or nested array it stands for. */
export function tensorAsJs(tensor: Tensor): string {
  const strides = contiguousStrides(tensor.shape);
  const { data } = tensor;
  let budget = shownNumbers;
  const build = (offset: number, axis: number): string => {
    if (axis === tensor.ndim) {
      budget--;
      return tensor.dtype === 'bool' ? String(data[offset] !== 0) : jsNumber(data[offset]);
    }
    const length = tensor.shape[axis];
    const items: string[] = [];
    for (let i = 0; i < Math.min(length, shownItems) && budget > 0; i++) items.push(build(offset + i * strides[axis], axis + 1));
    if (length > items.length) items.push(moreItems(length - items.length));
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
  if (value instanceof JsArray) {
    const items = value.items.slice(0, shownItems).map((item) => jsDisplay(item));
    if (value.items.length > shownItems) items.push(moreItems(value.items.length - shownItems));
    return `[${items.join(', ')}]`;
  }
  if (value instanceof JsObject) {
    if (value.properties.size === 0) return '{}';
    const entries = [...value.properties].map(([key, item]) => `${identifier.test(key) ? key : `'${key}'`}: ${jsDisplay(item)}`);
    return `{ ${entries.join(', ')} }`;
  }
  if (value instanceof JsFunction) return `[Function: ${value.name}]`;
  if (value instanceof JsNamespace) return value.name === 'Math' ? 'Object [Math]' : `[object ${value.name}]`;
  return value satisfies never;
}
