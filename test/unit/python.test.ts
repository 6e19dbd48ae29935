// Tensor scripts: what they print (PyTorch's exact text), what the report says, and errors with
// Python's types and messages at the range that raised them.
import { defaultRunLimits } from '../../engine/lang/runtime/limits';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lines, printed, run, runPythonText } from '../support/runScripts';

const seed = readFileSync('examples/seed.py', 'utf8');

describe('tensor scripts', () => {
  it('print the reference example exactly as PyTorch does', () => {
    // The outputs PyTorch prints for this script, as ARCHITECTURE.md and the issue record them.
    assert.equal(printed(runPythonText(seed)), lines('tensor(2., requires_grad=True)', 'None', 'tensor(93.)'));
  });

  it('report y = 63 with ∂y/∂x = 93 after the y line', () => {
    const report = runPythonText(seed);
    const y = report.assignments.find((a) => a.name === 'y');
    assert.ok(y && y.value.kind === 'tensor');
    assert.equal(y.value.text, '63.');
    assert.equal(y.value.gradFn, 'AddBackward0');
    assert.equal(y.range.start.line, 6);
    assert.deepEqual(
      y.partials.map((p) => [p.withRespectTo, p.value.kind === 'tensor' ? p.value.text : '']),
      [['x', '93.']],
    );
  });

  it('report the final .grad of leaves for hovers', () => {
    const x = runPythonText(seed).variables.find((v) => v.name === 'x');
    assert.equal(x?.grad?.kind === 'tensor' && x.grad.repr, 'tensor(93.)');
    assert.equal(x?.isLeaf, true);
  });

  it('report each name\'s latest binding, when two statements in a loop take turns', () => {
    const latest = (text: string, name: string) => {
      const variable = runPythonText(text).variables.find((v) => v.name === name);
      return [variable?.value.kind === 'value' ? variable.value.text : undefined, variable?.range.start.line];
    };
    // Line 2 binds `a` after line 0 did; then line 4 takes over, then line 2 again.
    assert.deepEqual(latest('a = 1\nfor i in range(2):\n    a = i + 10\n', 'a'), ['11', 2]);
    assert.deepEqual(latest('for i in range(2):\n    a = i\n    if i == 0:\n        a = 100\n', 'a'), ['1', 1]);
    assert.deepEqual(latest('for i in range(2):\n    a = i\n    if i == 1:\n        a = 100\n', 'a'), ['100', 3]);
  });

  it('snapshot the graph: leaf x, op nodes with PyTorch names, the output y with its gradients', () => {
    const { graph } = runPythonText(seed);
    const output = graph.nodes.find((node) => node.isOutput);
    assert.equal(output?.names.join(), 'y');
    assert.equal(output?.nodeName, 'AddBackward0');
    const x = graph.nodes.find((node) => node.kind === 'leaf');
    assert.equal(x?.names.join(), 'x');
    assert.equal(x?.grad?.text, '93.');
    const powers = graph.nodes.filter((node) => node.nodeName === 'PowBackward0');
    // The exponent is an attribute of pow.Tensor_Scalar, named as PyTorch's schema names it.
    assert.deepEqual(powers.map((node) => node.constants.join()).sort(), ['exponent=2', 'exponent=3', 'exponent=4']);
    // ∂y/∂(x**4) = 2, the coefficient in front of it.
    assert.equal(powers.find((node) => node.constants[0] === 'exponent=4')?.grad?.text, '2.');
    for (const edge of graph.edges) assert.ok(graph.nodes.some((n) => n.id === edge.from) && graph.nodes.some((n) => n.id === edge.to));
  });

  const printCases: [string, string, string][] = [
    ['a grad_fn suffix', 'import torch\nx = torch.tensor(2., requires_grad=True)\nprint(x * 2)', 'tensor(4., grad_fn=<MulBackward0>)'],
    ['item() as a Python float', 'import torch\nprint(torch.tensor(63.).item())', '63.0'],
    ['int tensors', 'import torch\nprint(torch.tensor([1, 2]) * 2)', 'tensor([2, 4])'],
    ['float64 tensors', 'import torch\nprint(torch.tensor([1, 2], dtype=torch.float64))', 'tensor([1., 2.], dtype=torch.float64)'],
    ['Python floats', 'print(1 / 3, 2 ** -1, 7 // 2, -7 % 3, 1e16, 1e-5)', '0.3333333333333333 0.5 3 2 1e+16 1e-05'],
    ['Python ints of any size', 'print(2 ** 100)', '1267650600228229401496703205376'],
    ['strings, lists and tuples', "print('a', [1, 2.5], (3,), sep='|')", 'a|[1, 2.5]|(3,)'],
    ['torch.Size', 'import torch\nprint(torch.zeros(2, 3).shape)', 'torch.Size([2, 3])'],
    ['dtypes', 'import torch\nprint(torch.tensor(1.).dtype, torch.tensor(True).dtype)', 'torch.float32 torch.bool'],
    ['float32 rounding of 0.1', 'import torch\nprint(torch.tensor(0.1).item())', '0.10000000149011612'],
    ['a trailing-dot float literal', 'x = 2.\nprint(x)', '2.0'],
  ];
  for (const [name, script, expected] of printCases) {
    it(`print ${name}`, () => {
      const report = runPythonText(script);
      assert.deepEqual(report.diagnostics, []);
      assert.equal(printed(report), `${expected}\n`);
    });
  }

  const errorCases: [string, string, string, [number, number]][] = [
    ['an undefined name', 'x = 1\nprint(y)', "NameError: name 'y' is not defined", [1, 6]],
    ['a syntax error', 'x = (1 +\n', 'SyntaxError', [1, 0]],
    ['a missing module', 'import os', "ModuleNotFoundError: No module named 'os'", [0, 0]],
    ['numpy', 'import numpy as np', 'ModuleNotFoundError: numpy is not available', [0, 0]],
    ['a dunder attribute', 'import torch\nx = torch.tensor(1.)\nx.__class__', "AttributeError: 'Tensor' object has no attribute '__class__'", [2, 0]],
    ['division by zero', 'x = 1 / 0', 'ZeroDivisionError: division by zero', [0, 4]],
    ['an unsupported statement', 'print(1)\nmatch x:\n    case 1:\n        pass', 'NotImplementedError: `match` statements are not supported yet', [1, 0]],
    ['a bad operand', "x = 1 + 'a'", "TypeError: unsupported operand type(s) for +: 'int' and 'str'", [0, 4]],
    [
      'backward twice',
      'import torch\nx = torch.tensor(2., requires_grad=True)\ny = x * x\ny.backward()\ny.backward()',
      'RuntimeError: Trying to backward through the graph a second time',
      [4, 0],
    ],
  ];
  for (const [name, script, message, [line, character]] of errorCases) {
    it(`report ${name} with its type, message and range`, () => {
      const [diagnostic] = runPythonText(script).diagnostics;
      assert.ok(diagnostic, 'a diagnostic');
      assert.ok(diagnostic.message.startsWith(message), diagnostic.message);
      assert.deepEqual([diagnostic.range.start.line, diagnostic.range.start.character], [line, character]);
    });
  }

  it('keep what was printed before an error', () => {
    const report = runPythonText('print(1)\nprint(undefined_name)');
    assert.equal(printed(report), '1\n');
    assert.equal(report.diagnostics.length, 1);
  });

  it('stop a script at the step limit with an error naming the limit and the line', () => {
    const [diagnostic] = run('python', 'x = 1\n'.repeat(500), { ...defaultRunLimits, timeMs: 10_000, maxSteps: 100 }).diagnostics;
    assert.equal(diagnostic?.message, 'LimitError: stopped after 100 steps (the step limit, setting gradientLens.limits.steps)');
    assert.equal(diagnostic?.range.start.line, 100);
  });
});
