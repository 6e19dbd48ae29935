// `with a as x, b:`: context managers entered in order and exited in reverse, even when the body
// raises. Both the engine's (torch.no_grad(), detect_anomaly()…) and a script's own classes with
// __enter__ and __exit__ work; an __exit__ that returns true swallows the exception.
import { EngineError } from '../../../errors';
import { PyInstance } from '../classes';
import { truthy } from '../convert';
import { exceptionOf } from '../exceptions';
import { type Completion, type Execute, type Frame, NORMAL } from '../frame';
import { PyFunction } from '../functions';
import { PyContextManager, type PyValue, typeError, typeName } from '../values';
import { noKeywords } from './calls';
import type { CompileContext } from './context';
import { compileExpression } from './expressions';
import { type SyntaxNode, children, splitAtCommas } from './syntax';
import { compileBlock } from './statements';
import { type Assign, compileTargets } from './targets';

type Entered = { readonly exit: (error: unknown) => boolean };

function enter(value: PyValue, classes: CompileContext['runtime']['exceptionClasses']): { entered: Entered; bound: PyValue } {
  if (value instanceof PyContextManager) {
    value.enter();
    return { entered: { exit: () => (value.exit(), false) }, bound: value };
  }
  if (value instanceof PyInstance) {
    const enterMethod = value.special('__enter__');
    const exitMethod = value.special('__exit__');
    if (enterMethod instanceof PyFunction && exitMethod instanceof PyFunction) {
      const bound = enterMethod.call([value], noKeywords);
      return {
        entered: {
          exit: (error) => {
            const exception = error === undefined ? undefined : exceptionOf(error, classes);
            const args = exception ? [exception.cls, exception, null] : [null, null, null];
            return truthy(exitMethod.call([value, ...args], noKeywords)) && exception !== undefined;
          },
        },
        bound,
      };
    }
  }
  throw typeError(`'${typeName(value)}' object does not support the context manager protocol`);
}

export function compileWith(context: CompileContext, node: SyntaxNode): Execute {
  const parts = children(node);
  const bodyNode = parts.find((part) => part.name === 'Body') as SyntaxNode;
  const items = splitAtCommas(parts.slice(1, parts.indexOf(bodyNode))).map((group) => {
    const asIndex = group.findIndex((part) => part.name === 'as');
    return {
      manager: compileExpression(context, group[0]),
      ...(asIndex >= 0 ? { bind: compileTargets(context, group.slice(asIndex + 1), context.span(node)) } : {}),
    } as { manager: (frame: Frame) => PyValue; bind?: Assign };
  });
  const body = compileBlock(context, bodyNode);
  const run = (frame: Frame, index: number): Completion => {
    if (index === items.length) return body(frame);
    const item = items[index];
    const { entered, bound } = enter(item.manager(frame), context.runtime.exceptionClasses);
    let completion: Completion;
    try {
      item.bind?.(frame, bound);
      completion = run(frame, index + 1);
    } catch (error) {
      if (error instanceof EngineError && error.type === 'LimitError') {
        entered.exit(undefined);
        throw error;
      }
      if (entered.exit(error)) return NORMAL;
      throw error;
    }
    entered.exit(undefined);
    return completion;
  };
  return (frame) => run(frame, 0);
}
