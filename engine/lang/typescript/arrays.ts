// Arrays in selections: an array of numbers is a tensor (so arithmetic on it is elementwise and
// differentiable), and the array methods selections use work on both kinds (a tensor's items are
// its rows): map, forEach, filter, reduce, slice, indexOf, includes, join, and push where the
// array can grow.
import { EngineError } from '../../errors';
import type { SourceSpan } from '../../sourceSpan';
import { stack } from '../../ops/joins';
import { Tensor } from '../../tensor/tensor';
import type { Interpreter } from './interpreter';
import { toText, truthy } from './operators';
import { JsArray, JsFunction, type JsValue } from './values';

/** Arrays of numbers are tensors, so that arithmetic on them is elementwise and differentiable. */
export function toArrayValue(items: JsValue[]): JsValue {
  const numeric = items.length > 0 && items.every((item) => typeof item === 'number' || (item instanceof Tensor && item.dtype !== 'bool'));
  if (!numeric) return new JsArray(items);
  const tensors = items.map((item) => (item instanceof Tensor ? item : new Tensor(Float64Array.of(item as number), [], 'float64')));
  const shape = tensors[0].shape;
  if (tensors.some((tensor) => tensor.shape.length !== shape.length || tensor.shape.some((size, i) => size !== shape[i]))) return new JsArray(items);
  return stack(tensors);
}

/** The array methods selections use: on plain arrays and on arrays of numbers (tensors). */
export function arrayMethod(interpreter: Interpreter, items: JsValue[], name: string, mutable: boolean): JsValue {
  const span: SourceSpan = { from: 0, to: 0 };
  const call = (fn: JsValue, ...args: JsValue[]) => interpreter.callFunction(fn, args, span);
  switch (name) {
    case 'map':
      return new JsFunction('map', ([fn]) => toArrayValue(items.map((item, i) => call(fn, item, i))));
    case 'forEach':
      return new JsFunction('forEach', ([fn]) => {
        items.forEach((item, i) => call(fn, item, i));
        return undefined;
      });
    case 'filter':
      return new JsFunction('filter', ([fn]) => toArrayValue(items.filter((item, i) => truthy(call(fn, item, i)))));
    case 'reduce':
      return new JsFunction('reduce', (args) => {
        const [fn] = args;
        if (items.length === 0 && args.length < 2) throw new EngineError('TypeError', 'Reduce of empty array with no initial value');
        let accumulator = args.length >= 2 ? args[1] : items[0];
        for (let i = args.length >= 2 ? 0 : 1; i < items.length; i++) accumulator = call(fn, accumulator, items[i], i);
        return accumulator;
      });
    case 'slice':
      return new JsFunction('slice', ([start, end]) => toArrayValue(items.slice(start as number | undefined, end as number | undefined)));
    case 'indexOf':
      return new JsFunction('indexOf', ([value]) => items.indexOf(value));
    case 'includes':
      return new JsFunction('includes', ([value]) => items.includes(value));
    case 'join':
      return new JsFunction('join', ([separator]) => items.map((item) => (item === undefined || item === null ? '' : toText(item))).join(separator === undefined ? ',' : toText(separator)));
    case 'push':
      if (!mutable) return undefined;
      return new JsFunction('push', (args) => items.push(...args));
    default:
      return undefined;
  }
}
