// Parses and runs a tensor script, and reports what it did.
import { parser } from '@lezer/python';
import type { Tree } from '@lezer/common';
import type { RunReport } from '../../../protocol/runReport';
import { Tensor } from '../../tensor/tensor';
import { StepBudget } from '../runtime/limits';
import { runAndReport } from '../runtime/runAndReport';
import type { RunRequest } from '../runtime/runRequest';
import { PythonInterpreter } from './interpreter';
import { pythonStyle } from './pythonStyle';
import { findSyntaxError } from './syntaxErrors';
import type { PyValue } from './values';

export function runPython(request: RunRequest): RunReport {
  const interpreter = new PythonInterpreter(request.text, new StepBudget(request.limits));
  return runAndReport<Tree, PyValue>(request, {
    style: pythonStyle,
    recorder: interpreter.recorder,
    parse: (text) => {
      const tree = parser.parse(text);
      const error = findSyntaxError(tree, text);
      return error ? { error } : { program: tree };
    },
    execute: (tree) => interpreter.executeScript(tree.topNode),
    inputs: () => [],
    output: () => interpreter.backwardRoot ?? lastScalarResult(interpreter.recorder.assignments.map((a) => a.value)),
  });
}

/** Without a backward() call, the graph shows gradients of the last scalar the script computed. */
export function lastScalarResult(values: readonly PyValue[]): Tensor | undefined {
  return values.findLast((value): value is Tensor => value instanceof Tensor && value.gradFn !== null && value.numel === 1);
}
