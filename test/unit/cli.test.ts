// The command line, run as a user runs it: the built dist/cli.js in a child process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunReport } from '../../protocol/runReport';

const cli = (...args: string[]) => spawnSync(process.execPath, ['dist/cli.js', ...args], { encoding: 'utf8' });

function scriptFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'gradient-lens-cli-')), name);
  writeFileSync(file, text);
  return file;
}

describe('gradient-lens run', () => {
  it('prints exactly what Python with PyTorch prints for the reference example', () => {
    const result = cli('run', 'examples/seed.py');
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, 'tensor(2., requires_grad=True)\nNone\ntensor(93.)\n');
    assert.equal(result.stderr, '');
  });

  it('prints the run report with --json', () => {
    const result = cli('run', 'examples/seed.py', '--json');
    const report = JSON.parse(result.stdout) as RunReport;
    assert.equal(report.prints.length, 3);
    assert.ok(report.graph.nodes.some((node) => node.names.includes('y') && node.isOutput));
    assert.deepEqual(report.diagnostics, []);
  });

  it('runs TypeScript files', () => {
    const report = JSON.parse(cli('run', 'examples/seed.ts', '--json').stdout) as RunReport;
    const result = report.assignments.find((a) => a.name === '');
    assert.equal(result?.value.text, '63');
    assert.equal(result?.partials[0]?.value.text, '93');
  });

  it('takes input values with --set', () => {
    const file = scriptFile('f.ts', 'function f(x: number, w: number[]) {\n  return w[0] * x ** 2 + w[1];\n}\n');
    const report = JSON.parse(cli('run', file, '--json', '--set', 'x=3', '--set', 'w=[2, 1]').stdout) as RunReport;
    const result = report.assignments.find((a) => a.name === '');
    assert.equal(result?.value.text, '19');
    assert.deepEqual(result?.partials.map((p) => `${p.withRespectTo}=${p.value.text}`), ['x=12', 'w=[9, 1]']);
  });

  it('reports an error as FILE:LINE:COL: message on stderr and exits 1, keeping earlier output', () => {
    const file = scriptFile('broken.py', 'import torch\nprint(1)\nx = torch.tensor([1., 2.], requires_grad=True)\n(x * 2).backward()\n');
    const result = cli('run', file);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '1\n');
    assert.equal(result.stderr, `${file}:4:1: RuntimeError: grad can be implicitly created only for scalar outputs\n`);
  });

  it('runs the script in a worker with memory and time limits, and says where it stopped', () => {
    const doubling = scriptFile('doubling.py', 'x = [0]\nwhile True:\n    x = x + x\n');
    const memory = cli('run', doubling, '--memory-mb', '64');
    assert.equal(memory.status, 1);
    assert.match(memory.stderr, new RegExp(`^${doubling}:3:5: LimitError: ran out of memory: the script needed more than the engine's 64 MiB`));
    const huge = scriptFile('huge.py', 'import torch\nx = torch.zeros(100000, 100000)\n');
    assert.match(cli('run', huge).stderr, new RegExp(`^${huge}:2:5: LimitError: a tensor of 10,000,000,000 elements is over the limit`));
  });

  it('runs every example without an error (inputs.ts with the values its comment suggests)', () => {
    for (const example of readdirSync('examples')) {
      const extra = example === 'inputs.ts' ? ['--set', 'a=3', '--set', 'b=2'] : [];
      const result = cli('run', join('examples', example), ...extra);
      assert.equal(result.status, 0, `${example}: ${result.stderr}`);
    }
    assert.match(cli('run', 'examples/training.py').stdout, /predictions \[0, 1, 1, 0\]/);
  });

  it('explains its usage when called wrongly', () => {
    const result = cli('frobnicate');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^Usage: gradient-lens run FILE/);
  });
});
