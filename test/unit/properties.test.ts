// Property-based tests (fast-check): scripts generated from a small grammar of each language, and
// real scripts mutated at random, never make the engine throw into its host, never run past their
// limit, and always give a report whose diagnostics point into the text.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { RunReport, ScriptLanguage } from '../../protocol/runReport';
import { defaultRunLimits } from '../../engine/lang/runtime/limits';
import { run } from '../support/runScripts';

const limits = { ...defaultRunLimits, timeMs: 250, maxSteps: 20_000, maxTensorElements: 100_000, maxGraphNodes: 20_000 };
/** How long past the time limit a run may take: the clock is read between steps, and a report is built after. */
const slackMs = 1500;

function checkRun(language: ScriptLanguage, text: string): void {
  const started = performance.now();
  let report: RunReport;
  try {
    report = run(language, text, limits);
  } catch (error) {
    assert.fail(`the engine threw into its host: ${(error as Error).stack}\n--- script ---\n${text}`);
  }
  const elapsed = performance.now() - started;
  assert.ok(elapsed < limits.timeMs + slackMs, `ran ${Math.round(elapsed)} ms\n--- script ---\n${text}`);
  // The report is plain data: it crosses the worker boundary as JSON-like structured clone.
  JSON.stringify(report);
  const lineCount = text.split('\n').length;
  for (const diagnostic of report.diagnostics) {
    assert.ok(diagnostic.message.length > 0);
    assert.ok(diagnostic.range.start.line >= 0 && diagnostic.range.end.line < lineCount + 1, `range ${JSON.stringify(diagnostic.range)} outside the text\n${text}`);
    // An internal error is a bug in the engine, not a message for the user.
    assert.doesNotMatch(diagnostic.message, /internal error/, `${diagnostic.message}\n--- script ---\n${text}`);
  }
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');

/** A small grammar of tensor scripts: expressions over a few names, and statements that nest. */
const pythonScripts = (() => {
  const names = fc.constantFrom('x', 'y', 'w', 'i', 'loss', 'xs');
  const number = fc.oneof(fc.integer({ min: -5, max: 9 }).map(String), fc.double({ min: -3, max: 3, noNaN: true }).map((v) => v.toFixed(2)));
  const { expression } = fc.letrec<{ expression: string }>((tie) => ({
    expression: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      number,
      names,
      number.map((v) => `torch.tensor(${v}, requires_grad=True)`),
      fc.constantFrom('torch.ones(3)', 'torch.randn(2, 3)', 'torch.arange(4.)', '[1, 2, 3]', '(1, 2)', "{'a': 1}", "'text'", 'None', 'True', 'range(3)'),
      fc.tuple(tie('expression'), fc.constantFrom('+', '-', '*', '/', '**', '//', '%', '@', '<', '==', 'and', 'or', 'in'), tie('expression')).map(([a, op, b]) => `(${a} ${op} ${b})`),
      tie('expression').map((a) => `-${a}`),
      fc.tuple(fc.constantFrom('torch.tanh', 'torch.exp', 'torch.sigmoid', 'abs', 'len', 'float', 'str', 'sum', 'list', 'F.relu'), tie('expression')).map(([f, a]) => `${f}(${a})`),
      fc.tuple(tie('expression'), fc.constantFrom('.sum()', '.mean()', '.item()', '.grad', '.shape', '.T', '[0]', '[1:]', '.backward()', '.detach()')).map(([a, m]) => `(${a})${m}`),
      fc.tuple(tie('expression'), tie('expression'), tie('expression')).map(([a, b, c]) => `(${a} if ${b} else ${c})`),
      tie('expression').map((a) => `[v * 2 for v in ${a}]`),
      tie('expression').map((a) => `f"{${a}:.3f}"`),
    ),
  }));
  const { statement } = fc.letrec<{ statement: string }>((tie) => ({
    statement: fc.oneof(
      { depthSize: 'small' },
      fc.tuple(names, expression).map(([n, e]) => `${n} = ${e}`),
      fc.tuple(names, fc.constantFrom('+=', '-=', '*='), expression).map(([n, op, e]) => `${n} ${op} ${e}`),
      expression.map((e) => `print(${e})`),
      expression,
      fc.tuple(expression, tie('statement'), tie('statement')).map(([c, a, b]) => `if ${c}:\n${indent(a)}\nelse:\n${indent(b)}`),
      fc.tuple(fc.integer({ min: 0, max: 4 }), tie('statement')).map(([k, s]) => `for i in range(${k}):\n${indent(s)}`),
      fc.tuple(expression, tie('statement')).map(([c, s]) => `while ${c}:\n${indent(s)}`),
      fc.tuple(expression, tie('statement')).map(([e, s]) => `def f(a, b=1):\n${indent(s)}\n    return ${e}`),
      tie('statement').map((s) => `try:\n${indent(s)}\nexcept Exception as e:\n    print(e)`),
      tie('statement').map((s) => `with torch.no_grad():\n${indent(s)}`),
      fc.constantFrom('break', 'continue', 'return 1', 'pass', 'del x', 'raise ValueError("v")', 'x = f(x)', 'class C(nn.Module):\n    def forward(self, v):\n        return v * 2', 'x.grad = None'),
    ),
  }));
  const header = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';
  return fc.array(statement, { minLength: 1, maxLength: 8 }).map((statements) => header + statements.join('\n'));
})();

/** The same for TypeScript selections. */
const typescriptScripts = (() => {
  const names = fc.constantFrom('x', 'y', 'w', 'i', 's');
  const number = fc.oneof(fc.integer({ min: -5, max: 9 }).map(String), fc.double({ min: -3, max: 3, noNaN: true }).map((v) => v.toFixed(2)));
  const { expression } = fc.letrec<{ expression: string }>((tie) => ({
    expression: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      number,
      names,
      fc.constantFrom('[1, 2, 3]', "'text'", 'null', 'undefined', 'true', '{ a: 1 }', '[]', 'Math.PI'),
      fc.tuple(tie('expression'), fc.constantFrom('+', '-', '*', '/', '**', '%', '<', '===', '&&', '||', '??'), tie('expression')).map(([a, op, b]) => `(${a} ${op} ${b})`),
      tie('expression').map((a) => `-(${a})`),
      fc.tuple(fc.constantFrom('Math.sin', 'Math.exp', 'Math.sqrt', 'Math.max', 'String', 'f'), tie('expression')).map(([fn, a]) => `${fn}(${a})`),
      fc.tuple(tie('expression'), fc.constantFrom('.length', '[0]', '.map((v) => v * 2)', '.reduce((a, b) => a + b, 0)', '.x')).map(([a, m]) => `(${a})${m}`),
      fc.tuple(tie('expression'), tie('expression'), tie('expression')).map(([a, b, c]) => `(${a} ? ${b} : ${c})`),
      tie('expression').map((a) => `\`v=\${${a}}\``),
    ),
  }));
  const { statement } = fc.letrec<{ statement: string }>((tie) => ({
    statement: fc.oneof(
      { depthSize: 'small' },
      // Mostly `var`: Babel refuses a second `let` of the same name before anything runs.
      fc.tuple(fc.constantFrom('var', 'var', 'var', 'let', 'const'), names, expression).map(([k, n, e]) => `${k} ${n} = ${e};`),
      fc.tuple(names, fc.constantFrom('=', '+=', '*='), expression).map(([n, op, e]) => `${n} ${op} ${e};`),
      expression.map((e) => `console.log(${e});`),
      expression.map((e) => `${e};`),
      fc.tuple(expression, tie('statement'), tie('statement')).map(([c, a, b]) => `if (${c}) {\n${a}\n} else {\n${b}\n}`),
      fc.tuple(fc.integer({ min: 0, max: 4 }), tie('statement')).map(([k, s]) => `for (let i = 0; i < ${k}; i++) {\n${s}\n}`),
      fc.tuple(expression, tie('statement')).map(([c, s]) => `while (${c}) {\n${s}\n}`),
      fc.tuple(expression, tie('statement')).map(([e, s]) => `function f(a: number): number {\n${s}\nreturn ${e};\n}`),
      tie('statement').map((s) => `try {\n${s}\n} catch (e) {\nconsole.log(e);\n}`),
      fc.constantFrom('break;', 'continue;', 'return 1;', 'for (;;) {}', "throw new Error('e');", '// @grad x=2, w=[1, 2]'),
    ),
  }));
  return fc.array(statement, { minLength: 1, maxLength: 8 }).map((statements) => statements.join('\n'));
})();

/** A real script with random damage: text cut out, a line repeated, a token dropped in. */
function mutated(seeds: readonly string[], tokens: readonly string[]): fc.Arbitrary<string> {
  const mutation = fc.oneof(
    fc.tuple(fc.constant('cut'), fc.nat(), fc.integer({ min: 1, max: 12 })),
    fc.tuple(fc.constant('repeat'), fc.nat(), fc.constant(0)),
    fc.tuple(fc.constant('insert'), fc.nat(), fc.nat()),
  );
  return fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([seed, mutations]) =>
    mutations.reduce((text, [kind, position, amount]) => {
      const at = text.length === 0 ? 0 : position % text.length;
      if (kind === 'cut') return text.slice(0, at) + text.slice(at + amount);
      if (kind === 'insert') return text.slice(0, at) + tokens[amount % tokens.length] + text.slice(at);
      const lines = text.split('\n');
      const line = position % lines.length;
      return [...lines.slice(0, line + 1), lines[line], ...lines.slice(line + 1)].join('\n');
    }, seed),
  );
}

const pythonSeeds = [
  readFileSync('examples/seed.py', 'utf8'),
  'import torch\nimport torch.nn as nn\ntorch.manual_seed(0)\nmodel = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))\nx = torch.randn(8, 2)\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\nfor step in range(3):\n    opt.zero_grad()\n    loss = ((model(x) - 1) ** 2).mean()\n    loss.backward()\n    opt.step()\n    print(f"{step}: {loss.item():.4f}")\n',
  'class Point:\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y\n    def __repr__(self):\n        return f"Point({self.x}, {self.y})"\npoints = [Point(i, i * i) for i in range(3)]\nprint(points, {p.x: p.y for p in points})\ntry:\n    points[5]\nexcept IndexError as e:\n    print("no", e)\n',
];
const pythonTokens = ['(', ')', ':', '\n    ', '[', ']', ',', ' = ', '.grad', 'lambda', 'def ', 'while True:\n    pass\n', '**', '"', "'", '\\', '{', '}', 'yield ', 'import os\n', '*', 'torch.zeros(100000, 100000)', 'x.backward()', 'return', 'f"{'];

const typescriptSeeds = [
  readFileSync('examples/seed.ts', 'utf8'),
  readFileSync('examples/inputs.ts', 'utf8'),
  '// @grad w=[1, 2, 3], x=[4, 5, 6]\nfunction dot(w: number[], x: number[]): number {\n  let s = 0;\n  for (let i = 0; i < w.length; i++) {\n    s = s + w[i] * x[i];\n  }\n  return s;\n}\n',
  "const x = 2;\nconst f = (t: number) => Math.tanh(t) * t;\nconst ys = [1, 2, 3].map((v) => f(v * x));\nconsole.log(ys, `x=${x}`);\nys.reduce((a, b) => a + b, 0)\n",
];
const typescriptTokens = ['(', ')', '{', '}', ';', '=>', '[', ']', ',', ' = ', 'for (;;) {}', 'while (true) {}', '`', '"', "'", '/*', '//', 'function ', 'const ', 'return ', 'constructor', '__proto__', 'require("fs")', 'this', 'new '];

describe('properties of every run (fast-check)', function () {
  this.timeout(120_000);

  it('generated tensor scripts: no host exception, no overrun, always a report', () => {
    fc.assert(fc.property(pythonScripts, (text) => checkRun('python', text)), { numRuns: 250, seed: 2026 });
  });

  it('mutated tensor scripts: the same', () => {
    fc.assert(fc.property(mutated(pythonSeeds, pythonTokens), (text) => checkRun('python', text)), { numRuns: 250, seed: 2027 });
  });

  it('generated TypeScript selections: the same', () => {
    fc.assert(fc.property(typescriptScripts, (text) => checkRun('typescript', text)), { numRuns: 250, seed: 2028 });
  });

  it('mutated TypeScript selections: the same', () => {
    fc.assert(fc.property(mutated(typescriptSeeds, typescriptTokens), (text) => checkRun('typescript', text)), { numRuns: 250, seed: 2029 });
  });

  it('the check itself fails on a run that throws into its host', () => {
    assert.throws(() => fc.assert(fc.property(fc.constant(''), () => assert.fail('thrown')), { numRuns: 1 }));
  });
});
