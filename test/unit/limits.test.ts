// Every run has limits: a runaway script ends in an error that names the limit, its setting and
// the line, soon after the limit, and the run still yields its report. (Worker memory is tested
// with the engine client, which must replace the worker.)
import assert from 'node:assert/strict';
import type { RunReport, ScriptLanguage } from '../../protocol/runReport';
import { defaultRunLimits } from '../../engine/lang/runtime/limits';
import type { RunLimits } from '../../protocol/messages';
import { poolForTests } from '../../engine/autograd/tapeRows';
import { mul } from '../../engine/ops/arithmetic';
import { scalarTensor } from '../../engine/tensor/create';
import { collectGarbage } from '../support/garbage';
import { run } from '../support/runScripts';

const mib = 1024 * 1024;

function limitError(language: ScriptLanguage, source: string, limits: Partial<RunLimits>): { report: RunReport; elapsedMs: number } {
  const started = performance.now();
  const report = run(language, source, { ...defaultRunLimits, ...limits });
  return { report, elapsedMs: performance.now() - started };
}

type LimitCase = { what: string; language: ScriptLanguage; source: string[]; limits: Partial<RunLimits>; message: RegExp; line: number };

const cases: LimitCase[] = [
  { what: 'an endless while loop, at the time limit', language: 'python', source: ['x = 0', 'while True:', '    pass'], limits: { timeMs: 300, maxSteps: 1e12 }, message: /^LimitError: stopped after 0\.3 s \(the time limit, setting gradientLens\.limits\.timeSeconds\)/, line: 2 },
  { what: 'an endless while loop, at the step limit', language: 'python', source: ['while True:', '    x = 1'], limits: { maxSteps: 10_000 }, message: /^LimitError: stopped after 10,000 steps \(the step limit, setting gradientLens\.limits\.steps\)/, line: 1 },
  { what: 'unbounded recursion', language: 'python', source: ['def down(n):', '    return down(n + 1)', 'down(0)'], limits: { maxRecursionDepth: 200 }, message: /^RecursionError: maximum recursion depth exceeded \(the limit is 200 nested calls\)/, line: 1 },
  { what: 'a tensor too large to allocate', language: 'python', source: ['import torch', 'x = torch.zeros(100000, 100000)'], limits: {}, message: /^LimitError: a tensor of 10,000,000,000 elements is over the limit of 50,000,000 elements per tensor \(setting gradientLens\.limits\.tensorElements\)/, line: 1 },
  {
    what: 'tensors that together hold too much memory',
    language: 'python',
    source: ['import torch', 'kept = []', 'while True:', '    kept.append(torch.ones(4_000_000))'],
    limits: { maxTensorMemoryMb: 64 },
    message: /^LimitError: tensors would hold [\d,]+ MiB, over the limit of 64 MiB \(setting gradientLens\.limits\.tensorMemoryMb\)/,
    line: 3,
  },
  {
    what: 'a graph with too many nodes',
    language: 'python',
    source: ['import torch', 'x = torch.tensor(1.0, requires_grad=True)', 'y = x', 'for i in range(100_000):', '    y = y * 1.0001'],
    limits: { maxGraphNodes: 5_000 },
    message: /^LimitError: the autograd graph is over the limit of 5,000 nodes \(setting gradientLens\.limits\.graphNodes\)/,
    line: 4,
  },
  { what: 'an endless for(;;) in TypeScript', language: 'typescript', source: ['let n = 0;', 'for (;;) {}'], limits: { maxSteps: 10_000 }, message: /^LimitError: stopped after 10,000 steps \(the step limit/, line: 1 },
  { what: 'unbounded recursion in TypeScript', language: 'typescript', source: ['function down(n: number): number {', '  return down(n + 1);', '}', 'down(0);'], limits: { maxRecursionDepth: 200 }, message: /^RangeError: Maximum call stack size exceeded \(the limit is 200 nested calls\)/, line: 1 },
  { what: 'a huge tensor from TypeScript arithmetic', language: 'typescript', source: ['// @grad w=[1, 2]', 'let big = w;', 'for (let i = 0; i < 40; i++) big = [big, big];', 'big'], limits: { maxTensorElements: 1_000_000 }, message: /^LimitError: a tensor of [\d,]+ elements is over the limit of 1,000,000 elements per tensor/, line: 2 },
];

describe('run limits', () => {
  for (const { what, language, source, limits, message, line } of cases) {
    it(`stops ${what}, naming the limit and the line`, () => {
      const { report, elapsedMs } = limitError(language, source.join('\n'), limits);
      const [diagnostic] = report.diagnostics;
      assert.ok(diagnostic, 'a diagnostic');
      assert.match(diagnostic.message, message);
      assert.equal(diagnostic.range.start.line, line);
      const timeMs = limits.timeMs ?? defaultRunLimits.timeMs;
      assert.ok(elapsedMs < timeMs + 2000, `ended ${Math.round(elapsedMs)} ms after it started`);
    });
  }

  it('a limit cannot be caught or swallowed by the script', () => {
    const source = ['while True:', '    try:', '        while True:', '            pass', '    except BaseException:', '        pass', '    finally:', '        continue'];
    const { report } = limitError('python', source.join('\n'), { maxSteps: 5_000 });
    assert.match(report.diagnostics[0]?.message ?? '', /^LimitError: stopped after 5,000 steps/);
  });

  it('does not charge a run with the scalar-tape rows kept for reuse', async () => {
    // Ten full tapes' rows (about 34 MB), collected and pooled.
    (() => {
      let y = scalarTensor(0.5, 'float32').setRequiresGrad(true);
      for (let i = 0; i < 10 * 65536; i++) y = mul(y, 1);
    })();
    // Tapes hold earlier tapes weakly (WeakRefs): collectGarbage ends the job first.
    await collectGarbage();
    const pooled = poolForTests().bytes;
    assert.ok(pooled > 20 * mib, `rows pooled: ${pooled} bytes`);
    // Room for what is in use besides the pool, and 24 MiB more: the script's 20 MB tensor fits.
    const limitMb = Math.ceil((process.memoryUsage().arrayBuffers - pooled) / mib) + 24;
    const { report } = limitError('python', ['import torch', 'x = torch.zeros(5_000_000)'].join('\n'), { maxTensorMemoryMb: limitMb });
    assert.deepEqual(report.diagnostics, []);
  });

  it('keeps what the script printed before the limit', () => {
    const { report } = limitError('python', ['print("started")', 'while True:', '    pass'].join('\n'), { maxSteps: 1_000 });
    assert.equal(report.prints[0]?.text, 'started\n');
  });
});
