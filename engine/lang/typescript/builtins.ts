// The globals a TypeScript selection can use: Math (mapped to tensor ops when given tensors) and
// console.log. Nothing else exists: no require, process, globalThis, Function or eval.
import { EngineError } from '../../errors';
import { pow } from '../../ops/arithmetic';
import { abs, cos, exp, log, sin, sqrt, tanh } from '../../ops/unaryMath';
import type { SourceSpan } from '../../sourceSpan';
import { Tensor } from '../../tensor/tensor';
import { jsDisplay } from './display';
import { JsFunction, JsNamespace, type JsValue, jsTypeOf } from './values';

export type LogSink = (text: string, span: SourceSpan) => void;

function numberOrTensor(functionName: string, value: JsValue): number | Tensor {
  if (typeof value === 'number' || value instanceof Tensor) return value;
  if (value === undefined) return NaN;
  throw new EngineError('TypeError', `Math.${functionName} expects a number, got ${jsTypeOf(value)}`);
}

function mathFunction(name: string, onNumber: (x: number) => number, onTensor?: (x: Tensor) => Tensor): [string, JsValue] {
  return [
    name,
    new JsFunction(`Math.${name}`, ([argument]) => {
      const x = numberOrTensor(name, argument);
      if (typeof x === 'number') return onNumber(x);
      if (!onTensor) throw new EngineError('NotImplementedError', `Math.${name} on tensors is not supported yet`);
      return onTensor(x);
    }),
  ];
}

export function createGlobals(writeLog: LogSink): Map<string, JsValue> {
  const math = new JsNamespace(
    'Math',
    new Map<string, JsValue>([
      ['PI', Math.PI],
      ['E', Math.E],
      mathFunction('sin', Math.sin, sin),
      mathFunction('cos', Math.cos, cos),
      mathFunction('tan', Math.tan),
      mathFunction('tanh', Math.tanh, tanh),
      mathFunction('exp', Math.exp, exp),
      mathFunction('log', Math.log, log),
      mathFunction('sqrt', Math.sqrt, sqrt),
      mathFunction('abs', Math.abs, abs),
      mathFunction('floor', Math.floor),
      mathFunction('ceil', Math.ceil),
      mathFunction('round', Math.round),
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
  const console = new JsNamespace(
    'console',
    new Map<string, JsValue>([
      [
        'log',
        new JsFunction('console.log', (args, span) => {
          writeLog(`${args.map((arg) => jsDisplay(arg, false)).join(' ')}\n`, span);
          return undefined;
        }),
      ],
    ]),
  );
  return new Map<string, JsValue>([
    ['Math', math],
    ['console', console],
    ['undefined', undefined],
    ['NaN', NaN],
    ['Infinity', Infinity],
  ]);
}
