// The same worker bundle the extension host runs, as a Web Worker made from a blob: URL in
// Chromium (how the graph webview will run it): one bundle, both hosts.
import { defaultRunLimits } from '../../engine/lang/runtime/limits';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FromWorker, RunScriptRequest } from '../../protocol/messages';
import { type TestBrowser, launchBrowser } from '../vscode/support/browser';

describe('engine worker (Web Worker in Chromium)', function () {
  this.timeout(60_000);
  let server: Server;
  let browser: TestBrowser;
  let origin: string;

  before(async () => {
    const workerSource = readFileSync('dist/worker.js', 'utf8');
    // A secure context on 127.0.0.1, with the CSP the webview uses: no eval, workers from blob: only.
    server = createServer((request, response) => {
      if (request.url === '/worker.js') {
        response.writeHead(200, { 'content-type': 'text/javascript' }).end(workerSource);
        return;
      }
      response
        .writeHead(200, { 'content-type': 'text/html', 'content-security-policy': "default-src 'none'; script-src 'unsafe-inline'; connect-src 'self'; worker-src blob:" })
        .end('<!DOCTYPE html><title>worker</title>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    server?.close();
  });

  it('runs the reference example and answers with the report', async () => {
    const page = await browser.context.newPage();
    await page.goto(origin);
    const request: RunScriptRequest = {
      kind: 'runScript',
      id: 1,
      document: { uri: 'untitled:seed.py', version: 1 },
      language: 'python',
      text: readFileSync('examples/seed.py', 'utf8'),
      origin: { line: 0, character: 0 },
      limits: { ...defaultRunLimits, timeMs: 10_000, maxSteps: 1_000_000 },
    };
    const reply = await page.evaluate(async (message) => {
      const source = await (await fetch('/worker.js')).text();
      const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
      return new Promise<unknown>((resolve, reject) => {
        worker.onmessage = (event) => resolve(event.data);
        worker.onerror = (event) => reject(new Error(event.message));
        worker.postMessage(message);
      });
    }, request);
    const result = reply as FromWorker;
    assert.equal(result.kind, 'runResult');
    if (result.kind !== 'runResult') return;
    assert.deepEqual(
      result.report.prints.map((p) => p.text),
      ['tensor(2., requires_grad=True)\n', 'None\n', 'tensor(93.)\n'],
    );
  });
});
