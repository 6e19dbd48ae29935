// Parses and runs a TypeScript/JavaScript selection, and reports its result with ∂result/∂input.
import { parse } from '@babel/parser';
import type * as Babel from '@babel/types';
import type { RunReport } from '../../../protocol/runReport';
import { EngineError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { StepBudget } from '../runtime/limits';
import { runAndReport } from '../runtime/runAndReport';
import type { RunRequest } from '../runtime/runRequest';
import { TypeScriptInterpreter } from './interpreter';
import { typescriptStyle } from './typescriptStyle';
import type { JsValue } from './values';

type BabelError = { reasonCode?: string; message: string; pos: number };

function parseProgram(text: string): { program: Babel.Program } | { error: EngineError } {
  try {
    const file = parse(text, {
      sourceType: 'module',
      plugins: ['typescript'],
      errorRecovery: true,
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
    });
    const first = (file.errors as BabelError[] | undefined)?.[0];
    return first ? { error: syntaxError(first, text) } : { program: file.program };
  } catch (thrown) {
    return { error: syntaxError(thrown as BabelError, text) };
  }
}

/** Babel's message ends with "(line:column)"; the range says that already. */
function syntaxError(error: BabelError, text: string): EngineError {
  const from = Math.min(error.pos ?? 0, text.length);
  return new EngineError('SyntaxError', error.message.replace(/\s*\(\d+:\d+\)$/, ''), { from, to: Math.min(from + 1, text.length) });
}

export function runTypeScript(request: RunRequest): RunReport {
  const interpreter = new TypeScriptInterpreter(new StepBudget(request.limits));
  return runAndReport<Babel.Program, JsValue>(request, {
    style: typescriptStyle,
    recorder: interpreter.recorder,
    parse: parseProgram,
    execute: (program) => interpreter.executeProgram(program),
    inputs: () => interpreter.inputs,
    output: () => {
      const result = interpreter.result;
      return result instanceof Tensor && result.gradFn !== null && result.numel === 1 ? result : undefined;
    },
  });
}
