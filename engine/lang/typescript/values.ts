// JavaScript values as the TypeScript interpreter holds them. Objects are ours (Math, console,
// arrays of values): a script never touches a host object or a prototype.
import type { SourceSpan } from '../../sourceSpan';
import { Tensor } from '../../tensor/tensor';

export type JsValue = undefined | null | boolean | number | string | Tensor | JsArray | JsFunction | JsNamespace;

export class JsArray {
  constructor(readonly items: JsValue[]) {}
}

export class JsFunction {
  constructor(
    readonly name: string,
    readonly call: (args: readonly JsValue[], span: SourceSpan) => JsValue,
  ) {}
}

/** A builtin object such as Math or console: a fixed table of members. */
export class JsNamespace {
  constructor(
    readonly name: string,
    readonly members: ReadonlyMap<string, JsValue>,
  ) {}
}

export function jsTypeOf(value: JsValue): string {
  if (value === null) return 'object';
  if (value instanceof Tensor) return 'number';
  if (value instanceof JsArray || value instanceof JsNamespace) return 'object';
  if (value instanceof JsFunction) return 'function';
  return typeof value;
}
