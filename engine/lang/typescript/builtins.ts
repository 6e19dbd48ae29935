// The globals a TypeScript selection can use: Math (on tensors, the engine's differentiable ops),
// console.log, and JavaScript's number conversions. Nothing else exists: no require, process,
// globalThis, Function or eval.
import { EngineError } from '../../errors';
import { pow } from '../../ops/arithmetic';
import { maximum, minimum } from '../../ops/selection';
import * as unaryMath from '../../ops/unaryMath';
import type { SourceSpan } from '../../sourceSpan';
import { Tensor } from '../../tensor/tensor';
import { formatLogArguments } from './nodeInspect';
import { toNumber, toText } from './operators';
import { JsArray, JsFunction, JsNamespace, JsObject, type JsValue, jsTypeOf } from './values';

/** The error types a selection can make, with `new` or by calling them. */
export const errorConstructors: readonly string[] = ['Error', 'TypeError', 'RangeError', 'ReferenceError'];

export type LogSink = (text: string, span: SourceSpan) => void;

function numberOrTensor(functionName: string, value: JsValue): number | Tensor {
  if (typeof value === 'number' || value instanceof Tensor) return value;
  if (value === undefined || typeof value === 'string' || typeof value === 'boolean' || value === null) return toNumber(value ?? NaN);
  throw new EngineError('TypeError', `Math.${functionName} expects a number, got ${jsTypeOf(value)}`);
}

/** A Math function: on numbers as JavaScript computes it, on tensors as the engine's op (or, for steps like floor, on the value alone). */
function mathFunction(name: string, onNumber: (x: number) => number, onTensor?: (x: Tensor) => Tensor): [string, JsValue] {
  return [
    name,
    new JsFunction(`Math.${name}`, ([argument]) => {
      const x = numberOrTensor(name, argument);
      if (typeof x === 'number') return onNumber(x);
      if (onTensor) return onTensor(x);
      if (x.numel === 1) return onNumber(x.item());
      throw new EngineError('TypeError', `Math.${name} takes a number, not an array`);
    }),
  ];
}

function extreme(name: 'max' | 'min'): [string, JsValue] {
  return [
    name,
    new JsFunction(`Math.${name}`, (args) => {
      const values = args.map((arg) => numberOrTensor(name, arg));
      if (values.length === 0) return name === 'max' ? -Infinity : Infinity;
      if (values.every((value) => typeof value === 'number')) return (name === 'max' ? Math.max : Math.min)(...(values as number[]));
      return values.reduce((a, b) => (name === 'max' ? maximum(a, b) : minimum(a, b)));
    }),
  ];
}

export function createGlobals(writeLog: LogSink): Map<string, JsValue> {
  const math = new JsNamespace(
    'Math',
    new Map<string, JsValue>([
      ['PI', Math.PI],
      ['E', Math.E],
      ['LN2', Math.LN2],
      ['LN10', Math.LN10],
      ['SQRT2', Math.SQRT2],
      mathFunction('sin', Math.sin, unaryMath.sin),
      mathFunction('cos', Math.cos, unaryMath.cos),
      mathFunction('tan', Math.tan, unaryMath.tan),
      mathFunction('tanh', Math.tanh, unaryMath.tanh),
      mathFunction('exp', Math.exp, unaryMath.exp),
      mathFunction('log', Math.log, unaryMath.log),
      mathFunction('log1p', Math.log1p, unaryMath.log1p),
      mathFunction('sqrt', Math.sqrt, unaryMath.sqrt),
      mathFunction('abs', Math.abs, unaryMath.abs),
      mathFunction('sign', Math.sign, unaryMath.sign),
      mathFunction('floor', Math.floor),
      mathFunction('ceil', Math.ceil),
      mathFunction('round', Math.round),
      mathFunction('trunc', Math.trunc),
      extreme('max'),
      extreme('min'),
      [
        'pow',
        new JsFunction('Math.pow', ([base, exponent]) => {
          const b = numberOrTensor('pow', base);
          const e = numberOrTensor('pow', exponent);
          return typeof b === 'number' && typeof e === 'number' ? Math.pow(b, e) : pow(b, e);
        }),
      ],
    ]),
  );
  const log = new JsFunction('log', (args, span) => {
    writeLog(`${formatLogArguments(args)}\n`, span);
    return undefined;
  });
  const console = new JsNamespace(
    'console',
    new Map<string, JsValue>([
      ['log', log],
      ['info', log],
      ['warn', log],
      ['error', log],
    ]),
  );
  const number = new JsNamespace(
    'Number',
    new Map<string, JsValue>([
      ['isInteger', new JsFunction('isInteger', ([value]) => typeof value === 'number' && Number.isInteger(value))],
      ['isFinite', new JsFunction('isFinite', ([value]) => typeof value === 'number' && Number.isFinite(value))],
      ['EPSILON', Number.EPSILON],
      ['MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER],
    ]),
  );
  const errorTypes = errorConstructors.map(
    (name): [string, JsValue] => [name, new JsFunction(name, ([message]) => new JsObject(new Map<string, JsValue>([['name', name], ['message', message === undefined ? '' : toText(message)]])))],
  );
  return new Map<string, JsValue>([
    ...errorTypes,
    ['Math', math],
    ['console', console],
    ['Number', number],
    ['String', new JsFunction('String', ([value]) => toText(value))],
    ['parseFloat', new JsFunction('parseFloat', ([value]) => Number.parseFloat(toText(value)))],
    ['parseInt', new JsFunction('parseInt', ([value, radix]) => Number.parseInt(toText(value), radix === undefined ? undefined : toNumber(radix)))],
    ['isNaN', new JsFunction('isNaN', ([value]) => Number.isNaN(toNumber(value)))],
    ['isFinite', new JsFunction('isFinite', ([value]) => Number.isFinite(toNumber(value)))],
    ['Array', new JsNamespace('Array', new Map<string, JsValue>([['isArray', new JsFunction('isArray', ([value]) => value instanceof JsArray || (value instanceof Tensor && value.ndim > 0))]]))],
    ['undefined', undefined],
    ['NaN', NaN],
    ['Infinity', Infinity],
  ]);
}
