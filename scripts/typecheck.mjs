// npm run typecheck: each part against its own tsconfig, so the compiler keeps the rooms apart
// (engine: ES only; extension: Node + vscode; webview: DOM).
import { createRequire } from 'node:module';
import { runForExitCode } from './lib/run.mjs';

export const projects = ['engine', 'engine/tsconfig.cli.json', 'protocol', 'extension', 'webview', 'test'];

export async function typecheck() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  let failures = 0;
  for (const project of projects) {
    if ((await runForExitCode(process.execPath, [tsc, '-p', project])) !== 0) failures++;
  }
  return failures === 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = (await typecheck()) ? 0 : 1;
