// Scripts whose PyTorch output was recorded elsewhere (see test/fixtures/pytorch/README.md): our
// run must print the same text, character for character.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { printed, runPythonText } from '../support/runScripts';

const folder = 'test/fixtures/pytorch';

describe('PyTorch fixtures (recorded outputs)', () => {
  for (const script of readdirSync(folder).filter((name) => name.endsWith('.py'))) {
    it(script, () => {
      const report = runPythonText(readFileSync(join(folder, script), 'utf8'));
      assert.deepEqual(report.diagnostics, []);
      assert.equal(printed(report), readFileSync(join(folder, script.replace(/\.py$/, '.out')), 'utf8'));
    });
  }
});
