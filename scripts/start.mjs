// npm start: on a fresh clone, installs and builds what is missing, then opens VS Code with the
// extension and examples/. The desktop `code` when it is on PATH (the extension loaded from this
// folder); otherwise code-server on 127.0.0.1 with the packaged extension, printing its URL.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureNpmDependencies } from './lib/dependencies.mjs';
import { run } from './lib/run.mjs';

const hasDesktopCode = spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;

await ensureNpmDependencies();
const { build } = await import('./lib/bundles.mjs');

if (hasDesktopCode) {
  await build();
  await run('code', [`--extensionDevelopmentPath=${resolve('.')}`, resolve('examples')]);
} else {
  const { ensureAptPackages } = await import('./lib/aptPackages.mjs');
  const { packageExtension } = await import('./lib/packaging.mjs');
  const { startCodeServer } = await import('./lib/codeServerProcess.mjs');
  await ensureAptPackages(['libkrb5-dev']);
  await build({ production: true });
  const vsix = await packageExtension();
  // code-server's settings and extensions live in the project (ignored by git), not in the home folder.
  const home = resolve('.vscode-test/code-server');
  mkdirSync(home, { recursive: true });
  const server = await startCodeServer({ home, vsix: resolve(vsix), port: Number(process.env.PORT ?? 8080) });
  console.log(`\nGradient Lens is running in VS Code (code-server): ${server.url}/?folder=${encodeURI(resolve('examples'))}`);
  console.log('Open seed.py, then run “Gradient Lens: Inspect Gradients” from the command palette. Ctrl+C stops the server.');
  const stop = () => {
    server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.child.on('exit', (code) => process.exit(code ?? 0));
}
