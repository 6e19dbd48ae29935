// The extension's engine client with the real worker bundle: replies matched to requests, a run
// that outlives its limit stopped by terminating the worker, and a fresh worker for the next run.
import { defaultRunLimits } from '../../engine/lang/runtime/limits';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { EngineClient, EngineStoppedError } from '../../extension/engineClient';
import type { RunScriptRequest } from '../../protocol/messages';

const request = (text: string, timeMs = 10_000): Omit<RunScriptRequest, 'kind' | 'id'> => ({
  document: { uri: 'untitled:test.py', version: 1 },
  language: 'python',
  text,
  origin: { line: 0, character: 0 },
  limits: { ...defaultRunLimits, timeMs, maxSteps: 1_000_000 },
});

// Each statement is one step but a long computation: the interpreter's own clock checks cannot stop it.
const slowScript = `import torch\nx = torch.zeros(2000, 2000)\n${'x = x * 1.0001 + 1\n'.repeat(60)}`;

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
    await assert.rejects(client.run(request(slowScript, 100)), (error: unknown) => {
      assert.ok(error instanceof EngineStoppedError);
      assert.match(error.message, /stopped after 0\.1 s \(the time limit\); the engine was restarted/);
      return true;
    });
    assert.ok(Date.now() - started < 5_000, 'stopped near its limit, not when the script finished');
    const next = await client.run(request('print("again")'));
    assert.equal(next.report.prints[0].text, 'again\n');
  });

  it('rejects pending requests with a reason when it is disposed', async () => {
    client = new EngineClient(resolve('dist/worker.js'), () => 512);
    const pending = client.run(request(slowScript));
    client.dispose();
    await assert.rejects(pending, /the extension was deactivated/);
  });
});
