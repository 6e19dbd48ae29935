// Parses and runs a TypeScript/JavaScript selection, and reports its result with ∂result/∂input.
import { parse } from '@babel/parser';
import type { RunReport } from '../../../protocol/runReport';
import { EngineError } from '../../errors';
import { buildRunReport } from '../../report/buildReport';
import { Tensor } from '../../tensor/tensor';
import { resetEngineState } from '../runtime/engineState';
import { StepBudget } from '../runtime/limits';
import { locate } from '../runtime/locate';
import { PositionMapper } from '../runtime/positions';
import type { RunRequest } from '../runtime/runRequest';
import { TypeScriptInterpreter } from './interpreter';
import { typescriptStyle } from './typescriptStyle';

type BabelError = { reasonCode?: string; message: string; pos: number };

function parseProgram(text: string): { program?: ReturnType<typeof parse>['program']; error?: EngineError } {
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
  resetEngineState();
  const parseStarted = Date.now();
  const { program, error: parseError } = parseProgram(request.text);
  const parseMs = Date.now() - parseStarted;

  const runStarted = Date.now();
  const interpreter = new TypeScriptInterpreter(new StepBudget(request.limits));
  let error = parseError;
  if (program) {
    try {
      interpreter.executeProgram(program);
    } catch (thrown) {
      error = locate(thrown, { from: 0, to: 0 });
    }
  }
  const runMs = Date.now() - runStarted;
  const result = interpreter.result;
  return buildRunReport(
    {
      prints: interpreter.prints,
      assignments: interpreter.assignments,
      variables: interpreter.variables,
      inputs: interpreter.inputs,
      output: result instanceof Tensor && result.gradFn !== null && result.numel === 1 ? result : undefined,
      error,
    },
    { style: typescriptStyle, positions: new PositionMapper(request.text, request.origin), parseMs, runMs },
  );
}
