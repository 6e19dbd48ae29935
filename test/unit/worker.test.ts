// The built worker bundle in a Node worker thread, as the extension host starts it.
import { defaultRunLimits } from '../../engine/lang/runtime/limits';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromWorker, RunScriptRequest } from '../../protocol/messages';

function runInWorker(request: RunScriptRequest): Promise<FromWorker> {
  const worker = new Worker(resolve('dist/worker.js'));
  return new Promise<FromWorker>((done, fail) => {
    worker.once('message', done);
    worker.once('error', fail);
    worker.postMessage(request);
  }).finally(() => worker.terminate());
}

describe('engine worker (Node worker thread)', () => {
  it('answers a run request with the report, naming the request and the document version', async () => {
    const reply = await runInWorker({
      kind: 'runScript',
      id: 7,
      document: { uri: 'file:///seed.py', version: 3 },
      language: 'python',
      text: readFileSync('examples/seed.py', 'utf8'),
      origin: { line: 10, character: 0 },
      limits: { ...defaultRunLimits, timeMs: 5000, maxSteps: 100_000 },
    });
    assert.equal(reply.kind, 'runResult');
    if (reply.kind !== 'runResult') return;
    assert.equal(reply.inReplyTo, 7);
    assert.deepEqual(reply.document, { uri: 'file:///seed.py', version: 3 });
    assert.equal(reply.report.prints.at(-1)?.text, 'tensor(93.)\n');
    // Ranges are document ranges: the text started at line 10.
    assert.equal(reply.report.prints.at(-1)?.range.start.line, 18);
  });
});
