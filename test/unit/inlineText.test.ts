// What the editor shows after each line, from a real run report.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inlineTextByLine } from '../../extension/inlineText';
import { runPythonText, runTypeScriptText } from '../support/runScripts';

describe('inline text after lines', () => {
  it('shows prints and `63.  ∂y/∂x = 93.` for the reference example', () => {
    const byLine = inlineTextByLine(runPythonText(readFileSync('examples/seed.py', 'utf8')));
    assert.equal(byLine.get(3), 'tensor(2., requires_grad=True)');
    assert.equal(byLine.get(4), 'None');
    assert.equal(byLine.get(6), '63.  ∂y/∂x = 93.');
    assert.equal(byLine.get(8), 'tensor(93.)');
  });

  it('shows `63  ∂/∂x = 93` after the TypeScript expression', () => {
    const byLine = inlineTextByLine(runTypeScriptText(readFileSync('examples/seed.ts', 'utf8')));
    assert.equal(byLine.get(1), '63  ∂/∂x = 93');
  });
});
