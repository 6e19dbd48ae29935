// `npm start` and `npm test` work on a fresh clone: they install the npm dependencies first when
// node_modules is missing or older than package-lock.json. Node built-ins only: nothing is installed yet.
import { existsSync, statSync } from 'node:fs';
import { run } from './run.mjs';

export async function ensureNpmDependencies() {
  const installed = 'node_modules/.package-lock.json';
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync('package-lock.json').mtimeMs) return;
  console.log('Installing npm dependencies (npm ci)…');
  await run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['ci', '--no-audit', '--no-fund']);
}
