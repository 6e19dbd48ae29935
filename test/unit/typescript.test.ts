// TypeScript selections: numeric declarations are the inputs, the last expression is the result,
// and the report gives ∂result/∂input; the sandbox reaches nothing but Math and console.log.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lines, printed, runTypeScriptText } from '../support/runScripts';

const partials = (text: string) => {
  const report = runTypeScriptText(text);
  const result = report.assignments.find((a) => a.name === '');
  return { report, result, partials: result?.partials.map((p) => `${p.withRespectTo}=${p.value.text}`) };
};

describe('TypeScript selections', () => {
  it('give the reference example 63 with ∂/∂x = 93', () => {
    const { result, partials: found } = partials(readFileSync('examples/seed.ts', 'utf8'));
    assert.equal(result?.value.text, '63');
    assert.deepEqual(found, ['x=93']);
  });

  it('ignore type annotations and type-only declarations', () => {
    const { result, partials: found } = partials('type N = number;\ninterface P { x: number }\nconst x: number = 3;\n(x as number) * x!');
    assert.equal(result?.value.text, '9');
    assert.deepEqual(found, ['x=6']);
  });

  it('differentiate Math functions: d/dx (x sin x) = sin x + x cos x', () => {
    const { partials: found } = partials('const x = 2;\nx * Math.sin(x)');
    assert.deepEqual(found, [`x=${Math.sin(2) + 2 * Math.cos(2)}`]);
  });

  it('report ∂/∂input = 0 for an input the result does not use, and vectors of inputs', () => {
    const { partials: found } = partials('const a = 2;\nconst w = [1, 2];\nconst unused = 5;\na * a');
    assert.deepEqual(found, ['a=4', 'w=[0, 0]', 'unused=0']);
  });

  it('print with console.log as JavaScript does', () => {
    assert.equal(printed(runTypeScriptText("const x = 2;\nconsole.log('x is', x, [1, 2], x / 4)")), lines('x is 2 [ 1, 2 ] 0.5'));
  });

  it('report syntax errors with Babel’s message and the position', () => {
    const [diagnostic] = runTypeScriptText('const x = 2;\nx * * 3').diagnostics;
    assert.match(diagnostic?.message ?? '', /^SyntaxError: Unexpected token/);
    assert.equal(diagnostic?.range.start.line, 1);
  });
});
