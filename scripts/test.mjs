// npm test: type check, lint, build, unit tests, then the real VS Code tests (code-server in
// Chromium), installing on the way whatever a fresh machine lacks. Ends with `N passed, N failed`,
// totalled over every suite; each check (type check, lint, build…) counts as one test.
//
//   npm test             everything
//   npm test -- unit     type check, lint, build, unit and differential tests only (no browser, no VS Code)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureNpmDependencies } from './lib/dependencies.mjs';
import { runForExitCode } from './lib/run.mjs';

const only = process.argv[2];
const results = [];
const countsFolder = mkdtempSync(join(tmpdir(), 'gradient-lens-test-counts-'));

function heading(name) {
  console.log(`\n━━ ${name} ${'━'.repeat(Math.max(0, 70 - name.length))}`);
}

/** A step that passes or fails as a whole. */
async function check(name, body) {
  heading(name);
  let ok = false;
  try {
    ok = (await body()) !== false;
  } catch (error) {
    console.error(error);
  }
  results.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1 });
  return ok;
}

/** A test suite in a child process that writes its counts to $GRADIENT_LENS_COUNTS. */
async function suite(name, command, args, { killAfterSeconds } = {}) {
  heading(name);
  const countsFile = join(countsFolder, `${results.length}.json`);
  const env = { ...process.env, GRADIENT_LENS_COUNTS: countsFile };
  // Playwright traps SIGTERM, so a stuck browser suite is bounded with SIGKILL.
  const [program, programArgs] = killAfterSeconds ? ['timeout', ['-s', 'KILL', String(killAfterSeconds), command, ...args]] : [command, args];
  const code = await runForExitCode(program, programArgs, { env });
  let counts = { passed: 0, failed: 1 };
  try {
    counts = JSON.parse(readFileSync(countsFile, 'utf8'));
  } catch {
    console.error(`${name}: the suite ended (exit code ${code}) without reporting its results`);
  }
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  results.push({ name, ...counts });
}

const node = process.execPath;
const bin = (path) => join('node_modules', path);
const mocha = bin('mocha/bin/mocha.js');
const mochaArgs = ['--require', 'tsx/cjs', '--reporter', './test/support/countingReporter.cjs'];

async function main() {
  await ensureNpmDependencies();
  const { typecheck } = await import('./typecheck.mjs');
  const { build, buildExtensionHostTests } = await import('./lib/bundles.mjs');

  await check('type check', typecheck);
  await check('lint (zero warnings)', async () => (await runForExitCode(node, [bin('eslint/bin/eslint.js'), '--max-warnings', '0', '.'])) === 0);
  const built = await check('build', async () => {
    await build();
    await buildExtensionHostTests();
  });
  // --expose-gc: the scalar tape's tests check that a tape no value needs is collected.
  if (built) await suite('unit tests', node, ['--expose-gc', mocha, ...mochaArgs, 'test/unit/**/*.test.ts']);
  if (built) await suite('differential tests (against TensorFlow.js)', node, [mocha, ...mochaArgs, 'test/differential/**/*.test.ts']);
  if (only === 'unit' || !built) return;

  const ready = await check('tools for the VS Code tests (Chromium, Node 24, code-server)', async () => {
    const { ensureAptPackages } = await import('./lib/aptPackages.mjs');
    const { ensureCodeServer } = await import('./lib/codeServer.mjs');
    await ensureAptPackages(['chromium', 'libkrb5-dev']);
    await ensureCodeServer();
  });
  const packaged = await check('package the .vsix', async () => {
    const { packageExtension } = await import('./lib/packaging.mjs');
    await build({ production: true });
    await packageExtension();
    // The development build is what the extension host tests load from the repository.
    await build();
  });
  if (!ready || !packaged) return;
  await suite('browser (Chromium)', node, [mocha, ...mochaArgs, '--timeout', '60000', 'test/browser/**/*.test.ts'], { killAfterSeconds: 300 });
  await suite('VS Code UI (code-server + Chromium)', node, [mocha, ...mochaArgs, '--timeout', '120000', 'test/vscode/ui.test.ts'], { killAfterSeconds: 600 });
  await suite('VS Code extension host', node, ['--import', 'tsx', 'test/vscode/runExtensionHostTests.ts'], { killAfterSeconds: 600 });
}

try {
  await main();
} catch (error) {
  console.error(error);
  results.push({ name: 'test run', passed: 0, failed: 1 });
} finally {
  rmSync(countsFolder, { recursive: true, force: true });
}

heading('summary');
for (const { name, passed, failed } of results) console.log(`${failed ? '✗' : '✓'} ${name}: ${passed} passed, ${failed} failed`);
const passed = results.reduce((sum, r) => sum + r.passed, 0);
const failed = results.reduce((sum, r) => sum + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
