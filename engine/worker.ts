// The engine's worker entry: one bundle that runs as a Node worker thread (the extension host) or
// as a Web Worker (the graph webview). It answers run requests; the host enforces the time limit
// by terminating it.
import type { FromWorker, ToWorker } from '../protocol/messages';
import { runScript } from './run';

/** The part of a message port both hosts share. */
type Port = { postMessage(message: FromWorker): void; onMessage(listener: (message: ToWorker) => void): void };

declare const require: (id: string) => unknown;
declare const self: { postMessage(message: unknown): void; addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void };

function hostPort(): Port {
  // A Web Worker has `self`; a Node worker thread does not. (`require` cannot tell them apart:
  // the bundler defines a stand-in for it everywhere.)
  if (typeof self !== 'undefined') {
    return { postMessage: (m) => self.postMessage(m), onMessage: (listener) => self.addEventListener('message', (e) => listener(e.data as ToWorker)) };
  }
  if (typeof require === 'undefined') throw new Error('the engine worker needs a worker host');
  // Node: the worker_threads parent port, reached through the host's require (never bundled).
  const { parentPort } = require('node:worker_threads') as {
    parentPort: { postMessage(message: unknown): void; on(event: 'message', listener: (message: unknown) => void): void } | null;
  };
  if (!parentPort) throw new Error('the engine worker must be started as a worker thread');
  return { postMessage: (m) => parentPort.postMessage(m), onMessage: (listener) => parentPort.on('message', (m) => listener(m as ToWorker)) };
}

function handle(message: ToWorker): FromWorker {
  switch (message.kind) {
    case 'runScript':
      try {
        const { language, text, origin, limits, preamble, inputs, progress } = message;
        const report = runScript({ language, text, origin, limits, preamble, inputs, progress });
        return { kind: 'runResult', inReplyTo: message.id, document: message.document, report };
      } catch (error) {
        return { kind: 'failure', inReplyTo: message.id, message: error instanceof Error ? error.message : String(error) };
      }
    default:
      return message.kind satisfies never;
  }
}

const port = hostPort();
port.onMessage((message) => port.postMessage(handle(message)));
