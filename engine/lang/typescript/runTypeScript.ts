// Parses and runs a TypeScript/JavaScript selection, and reports its result with its gradient (a
// Jacobian for an array result) with respect to every input. Inputs are the numbers the selection
// uses without computing them: numeric declarations (in the selection or earlier in the file),
// `// @grad x=2` comments, and values given with the run (the input box, `--set`).
import { parse } from '@babel/parser';
import type * as Babel from '@babel/types';
import type { RunReport } from '../../../protocol/runReport';
import { EngineError } from '../../errors';
import { tensorFromNested, type NestedScalars } from '../../tensor/create';
import { Tensor } from '../../tensor/tensor';
import { StepBudget } from '../runtime/limits';
import { runAndReport } from '../runtime/runAndReport';
import { RunRecorder } from '../runtime/runRecorder';
import type { RunRequest } from '../runtime/runRequest';
import { createGlobals } from './builtins';
import { type InputValue, childEntries, freeNames, isNode, gradCommentValues, numericLiteral, parseInputAssignments, preambleValues } from './inputs';
import { Interpreter, spanOf } from './interpreter';
import { Scope } from './scope';
import { typescriptStyle } from './typescriptStyle';
import { JsFunction, type JsValue } from './values';

type BabelError = { reasonCode?: string; message: string; pos: number };

function parseProgram(text: string): { program: Babel.File } | { error: EngineError } {
  try {
    const file = parse(text, {
      sourceType: 'module',
      plugins: ['typescript'],
      errorRecovery: true,
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
    });
    const first = (file.errors as BabelError[] | undefined)?.[0];
    return first ? { error: syntaxError(first, text) } : { program: file };
  } catch (thrown) {
    return { error: syntaxError(thrown as BabelError, text) };
  }
}

/** Babel's message ends with "(line:column)"; the range says that already. */
function syntaxError(error: BabelError, text: string): EngineError {
  const from = Math.min(error.pos ?? 0, text.length);
  return new EngineError('SyntaxError', error.message.replace(/\s*\(\d+:\d+\)$/, ''), { from, to: Math.min(from + 1, text.length) });
}

/** An input as a leaf tensor that requires grad (float64, as JavaScript numbers are). */
function inputTensor(value: InputValue): Tensor {
  const nest = (item: InputValue): NestedScalars => (typeof item === 'number' ? { value: item, kind: 'float' } : item.map(nest));
  return tensorFromNested(nest(value), 'float64').setRequiresGrad(true);
}

/** The selection is one function (a declaration, or a const bound to a function expression): its name. */
function selectedFunction(program: Babel.Program): string | undefined {
  const statements = program.body.filter((statement) => !statement.type.startsWith('TS') && statement.type !== 'EmptyStatement');
  if (statements.length !== 1) return undefined;
  const [only] = statements;
  const declaration = only.type === 'ExportNamedDeclaration' ? only.declaration : only;
  if (declaration?.type === 'FunctionDeclaration') return declaration.id?.name;
  if (declaration?.type === 'VariableDeclaration' && declaration.declarations.length === 1) {
    const [declarator] = declaration.declarations;
    const init = declarator.init?.type === 'TSAsExpression' ? declarator.init.expression : declarator.init;
    if (declarator.id.type === 'Identifier' && (init?.type === 'ArrowFunctionExpression' || init?.type === 'FunctionExpression')) return declarator.id.name;
  }
  return undefined;
}

export function runTypeScript(request: RunRequest): RunReport {
  const recorder = new RunRecorder<JsValue>();
  const budget = new StepBudget(request.limits);
  const globals = new Scope(null, true);
  for (const [name, value] of createGlobals((text, span) => recorder.print(text, span))) globals.declare(name, value, true);
  const inputs: Tensor[] = [];
  let literals = new Map<Babel.Node, InputValue>();
  const inputFor = (initializer: Babel.Node) => {
    const value = literals.get(initializer);
    if (value === undefined) return undefined;
    const tensor = inputTensor(value);
    inputs.push(tensor);
    return tensor;
  };
  const interpreter = new Interpreter({ recorder, budget, maxCallDepth: request.limits.maxRecursionDepth, inputFor }, new Scope(globals, true));
  const missingInputs: string[] = [];
  let result: Tensor | undefined;

  const execute = (file: Babel.File) => {
    const { program } = file;
    // Values for names the selection uses but does not declare, the closest source winning.
    const given = new Map([...preambleValues(request.preamble ?? ''), ...gradCommentValues(file.comments ?? []), ...parseInputAssignments(request.inputs ?? '')]);
    for (const name of freeNames(program)) {
      if (globals.has(name)) continue;
      const value = given.get(name);
      if (value === undefined) {
        missingInputs.push(name);
        continue;
      }
      const tensor = inputTensor(value);
      inputs.push(tensor);
      globals.declare(name, tensor, false);
      recorder.bind(name, { from: 0, to: 0 }, tensor);
    }
    // Numeric declarations in the selection are inputs too: `const x = 2` then an expression of x.
    literals = literalInputs(program);
    const functionName = selectedFunction(program);
    try {
      interpreter.runProgram(program);
      if (functionName !== undefined) {
        result = callSelectedFunction(interpreter, program, functionName, given, inputs, missingInputs, recorder);
        return;
      }
    } catch (error) {
      // The host's stack ran out before the selection's call limit: JavaScript calls that a RangeError.
      if (error instanceof EngineError && error.type === 'RecursionError') throw new EngineError('RangeError', 'Maximum call stack size exceeded', error.sourceSpan);
      throw error;
    }
    const value = interpreter.result;
    result = value instanceof Tensor ? value : undefined;
  };

  return runAndReport<Babel.File, JsValue>(request, {
    style: typescriptStyle,
    recorder,
    parse: parseProgram,
    execute,
    inputs: () => inputs,
    output: () => (result && !result.isLeaf ? result : undefined),
    missingInputs: () => missingInputs,
  });
}

/**
 * Top-level declarations with a numeric literal (`const x = 2`, `let w = [1, 2]`) that the
 * selection never assigns again are inputs; a `let s = 0` that a loop updates is not.
 */
function literalInputs(program: Babel.Program): Map<Babel.Node, InputValue> {
  const reassigned = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isNode(node)) return;
    if (node.type === 'AssignmentExpression' && node.left.type === 'Identifier') reassigned.add(node.left.name);
    if (node.type === 'UpdateExpression' && node.argument.type === 'Identifier') reassigned.add(node.argument.name);
    for (const [, child] of childEntries(node)) visit(child);
  };
  visit(program.body);
  const found = new Map<Babel.Node, InputValue>();
  for (const statement of program.body) {
    if (statement.type !== 'VariableDeclaration') continue;
    for (const declarator of statement.declarations) {
      const value = numericLiteral(declarator.init);
      if (value !== undefined && declarator.init && declarator.id.type === 'Identifier' && !reassigned.has(declarator.id.name)) found.set(declarator.init, value);
    }
  }
  return found;
}

/** The selected function, called with the inputs named by its parameters. */
function callSelectedFunction(
  interpreter: Interpreter,
  program: Babel.Program,
  name: string,
  given: ReadonlyMap<string, InputValue>,
  inputs: Tensor[],
  missingInputs: string[],
  recorder: RunRecorder<JsValue>,
): Tensor | undefined {
  const fn = interpreter.globals.get(name);
  if (!(fn instanceof JsFunction)) return undefined;
  const args = fn.parameterNames.map((parameter) => {
    const value = given.get(parameter);
    if (value === undefined) {
      missingInputs.push(parameter);
      return undefined;
    }
    const tensor = inputTensor(value);
    inputs.push(tensor);
    recorder.bind(parameter, { from: 0, to: 0 }, tensor);
    return tensor;
  });
  if (missingInputs.length > 0) {
    throw new EngineError('ReferenceError', `${name}(${fn.parameterNames.join(', ')}) needs values for ${missingInputs.join(', ')}: give them as // @grad ${missingInputs.map((p) => `${p}=…`).join(', ')}`, spanOf(program.body[0]));
  }
  const statement = program.body.find((s) => !s.type.startsWith('TS')) as Babel.Node;
  const value = fn.call(args, spanOf(statement));
  // The result shows after the function's first line.
  const header = { from: statement.start ?? 0, to: Math.min(statement.end ?? 0, (statement.start ?? 0) + 1) };
  recorder.assign('', header, value);
  return value instanceof Tensor ? value : undefined;
}
