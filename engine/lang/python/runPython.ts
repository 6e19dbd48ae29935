// Parses and runs a tensor script, and reports what it did.
import { parser } from '@lezer/python';
import type { RunReport } from '../../../protocol/runReport';
import type { EngineError } from '../../errors';
import { buildRunReport } from '../../report/buildReport';
import { Tensor } from '../../tensor/tensor';
import { StepBudget } from '../runtime/limits';
import { PositionMapper } from '../runtime/positions';
import type { RunRequest } from '../runtime/runRequest';
import { resetEngineState } from '../runtime/engineState';
import { locate } from '../runtime/locate';
import { PythonInterpreter } from './interpreter';
import { pythonStyle } from './pythonStyle';
import { findSyntaxError } from './syntaxErrors';
import type { PyValue } from './values';

export function runPython(request: RunRequest): RunReport {
  resetEngineState();
  const parseStarted = Date.now();
  const tree = parser.parse(request.text);
  const parseMs = Date.now() - parseStarted;

  const runStarted = Date.now();
  const interpreter = new PythonInterpreter(request.text, new StepBudget(request.limits));
  let error: EngineError | undefined = findSyntaxError(tree, request.text);
  if (!error) {
    try {
      interpreter.executeScript(tree.topNode);
    } catch (thrown) {
      error = locate(thrown, { from: 0, to: 0 });
    }
  }
  const runMs = Date.now() - runStarted;

  const assignments = interpreter.assignments;
  return buildRunReport(
    {
      prints: interpreter.prints,
      assignments,
      variables: interpreter.variables,
      inputs: [],
      output: interpreter.backwardRoot ?? lastScalarResult(assignments.map((a) => a.value)),
      error,
    },
    { style: pythonStyle, positions: new PositionMapper(request.text, request.origin), parseMs, runMs },
  );
}

/** Without a backward() call, the graph shows gradients of the last scalar the script computed. */
export function lastScalarResult(values: readonly PyValue[]): Tensor | undefined {
  return values.findLast((value): value is Tensor => value instanceof Tensor && value.gradFn !== null && value.numel === 1);
}
