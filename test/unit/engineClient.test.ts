// The extension's engine client with the real worker bundle: replies matched to requests, a run
// that outlives its limit stopped by terminating the worker, and a fresh worker for the next run.
import { defaultRunLimits } from '../../engine/lang/runtime/limits';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { EngineClient, EngineStoppedError } from '../../engine/host/engineClient';
import type { RunScriptRequest } from '../../protocol/messages';

const request = (text: string, timeMs = 10_000): Omit<RunScriptRequest, 'kind' | 'id'> => ({
  document: { uri: 'untitled:test.py', version: 1 },
  language: 'python',
  text,
  origin: { line: 0, character: 0 },
  limits: { ...defaultRunLimits, timeMs, maxSteps: 1_000_000 },
});

// One statement that computes for seconds: the interpreter's own clock checks cannot stop it.
const slowStatement = 'y = x @ x @ x @ x @ x';
const slowScript = `import torch\nx = torch.ones(3000, 3000)\n${slowStatement}\n`;

describe('engine client', function () {
  this.timeout(30_000);
  let client: EngineClient;
  afterEach(() => client?.dispose());

  it('matches concurrent replies to their requests', async () => {
    client = new EngineClient(resolve('dist/worker.js'), () => 512);
    const [first, second] = await Promise.all([client.run(request('print(1)')), client.run(request('print(2)'))]);
    assert.equal(first.report.prints[0].text, '1\n');
    assert.equal(second.report.prints[0].text, '2\n');
  });

  it('terminates a run that outlives its time limit, then runs the next one in a new worker', async () => {
    client = new EngineClient(resolve('dist/worker.js'), () => 512, 0);
    const started = Date.now();
    await assert.rejects(client.run(request(slowScript, 1000)), (error: unknown) => {
      assert.ok(error instanceof EngineStoppedError);
      assert.match(error.message, /stopped after 1 s \(the time limit, setting gradientLens\.limits\.timeSeconds\); the engine was restarted/);
      // The statement running when the worker was stopped.
      assert.equal(error.span && slowScript.slice(error.span.from, error.span.to), slowStatement);
      return true;
    });
    assert.ok(Date.now() - started < 5_000, 'stopped near its limit, not when the script finished');
    const next = await client.run(request('print("again")'));
    assert.equal(next.report.prints[0].text, 'again\n');
  });

  it('stops a script that runs the worker out of memory, names the limit and the line, and recovers', async () => {
    client = new EngineClient(resolve('dist/worker.js'), () => 64);
    const doubling = 'x = [0]\nwhile True:\n    x = x + x\n';
    const started = Date.now();
    await assert.rejects(client.run(request(doubling)), (error: unknown) => {
      assert.ok(error instanceof EngineStoppedError);
      assert.match(error.message, /ran out of memory: the script needed more than the engine's 64 MiB \(setting gradientLens\.limits\.memoryMb\)/);
      assert.equal(error.span && doubling.slice(error.span.from, error.span.to), 'x = x + x');
      return true;
    });
    assert.ok(Date.now() - started < 10_000, 'stopped within the time limit');
    const next = await client.run(request('print("again")'));
    assert.equal(next.report.prints[0].text, 'again\n');
  });

  it('rejects pending requests with a reason when it is disposed', async () => {
    client = new EngineClient(resolve('dist/worker.js'), () => 512);
    const pending = client.run(request(slowScript));
    client.dispose();
    await assert.rejects(pending, /the engine was shut down/);
  });
});
