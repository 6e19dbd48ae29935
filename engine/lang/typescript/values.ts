// JavaScript values as the TypeScript interpreter holds them. Objects are ours (Math, console,
// arrays, object literals, functions the selection defines): a selection never touches a host
// object or a prototype. Numbers that take part in differentiation are tensors.
import type { SourceSpan } from '../../sourceSpan';
import { Tensor } from '../../tensor/tensor';

export type JsValue = undefined | null | boolean | number | string | Tensor | JsArray | JsObject | JsFunction | JsNamespace;

export class JsArray {
  constructor(readonly items: JsValue[]) {}
}

/** An object literal: its own properties only, in a Map so that no key can reach a prototype. */
export class JsObject {
  constructor(readonly properties: Map<string, JsValue>) {}
}

/** Something callable: a builtin, or a function the selection defines (then `parameterNames` is known). */
export class JsFunction {
  constructor(
    readonly name: string,
    readonly call: (args: readonly JsValue[], span: SourceSpan) => JsValue,
    /** The declared parameters of a selection's own function: how its inputs are matched by name. */
    readonly parameterNames: readonly string[] = [],
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
  if (value instanceof JsArray || value instanceof JsNamespace || value instanceof JsObject) return 'object';
  if (value instanceof JsFunction) return 'function';
  return typeof value;
}
