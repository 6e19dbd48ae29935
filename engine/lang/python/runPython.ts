// Parses a tensor script with the Python grammar, compiles it into closures, runs it, and reports
// what it did.
import { parser } from '@lezer/python';
import type { RunReport } from '../../../protocol/runReport';
import { isLeafOrUnreadable } from '../../report/buildReport';
import { Tensor } from '../../tensor/tensor';
import { StepBudget } from '../runtime/limits';
import { runAndReport } from '../runtime/runAndReport';
import { RunRecorder } from '../runtime/runRecorder';
import type { RunRequest } from '../runtime/runRequest';
import { createBuiltins } from './builtins';
import { CompileContext } from './compile/context';
import { Scope } from './compile/scopes';
import { compileBlock } from './compile/statements';
import { createExceptionClasses } from './exceptions';
import { type Execute, Frame, Globals, type Runtime } from './frame';
import { createModuleImporter } from './modules';
import { pythonStyle } from './pythonStyle';
import { findSyntaxError } from './syntaxErrors';
import type { PyValue } from './values';


function moduleGlobals(): Globals {
  const globals = new Globals();
  globals.cell('__name__').value = '__main__';
  return globals;
}

function createRuntime(request: RunRequest): Runtime {
  const recorder = new RunRecorder<PyValue>();
  const exceptionClasses = createExceptionClasses();
  const builtins = createBuiltins((text, span) => recorder.print(text, span));
  for (const [name, cls] of exceptionClasses) builtins.set(name, cls);
  return {
    globals: moduleGlobals(),
    builtins,
    importModule: createModuleImporter(),
    exceptionClasses,
    recorder,
    budget: new StepBudget(request.limits),
    maxRecursionDepth: request.limits.maxRecursionDepth,
    callDepth: 0,
    handling: undefined,
    backwardRoot: undefined,
    recordBackward(root) {
      this.backwardRoot = root;
    },
  };
}

export function runPython(request: RunRequest): RunReport {
  const runtime = createRuntime(request);
  return runAndReport<Execute, PyValue>(request, {
    style: pythonStyle,
    recorder: runtime.recorder,
    parse: (text) => {
      const tree = parser.parse(text);
      const error = findSyntaxError(tree, text);
      if (error) return { error };
      // A compile error (`return` outside a function…) is thrown, and runAndReport reports it with its span.
      return { program: compileBlock(new CompileContext(text, runtime, new Scope('module', null)), tree.topNode) };
    },
    // Module-level names live in runtime.globals (cells); the module frame's own map stays empty.
    execute: (program) => void program(new Frame(new Map(), null, null)),
    inputs: () => [],
    output: () => runtime.backwardRoot ?? lastScalarResult(runtime.recorder.assignments.map((a) => a.value)),
  });
}

/** Without a backward() call, the graph shows gradients of the last scalar the script computed. */
export function lastScalarResult(values: readonly PyValue[]): Tensor | undefined {
  return values.findLast((value): value is Tensor => value instanceof Tensor && value.numel === 1 && !isLeafOrUnreadable(value));
}
