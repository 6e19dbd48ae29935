// Runs the mocha suites in test/vscode/extensionHost inside a real VS Code extension host:
// code-server with the smoke-test driver reads extensionDevelopmentPath and extensionTestsPath
// from the URL (as @vscode/test-electron passes them on the command line), and the workbench
// reports the extension host's console and the result through two functions we expose.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { format } from 'node:util';
import { dirname, join, resolve } from 'node:path';
import { launchBrowser } from './support/browser';
import { startCodeServer } from './support/codeServer';
import { countsMarker } from './extensionHost/index';

/** What the workbench itself logs (gallery lookups this offline machine cannot make, sockets, policies): kept in the log file only. */
const workbenchNoise = /workbench\.js|ENOTFOUND|^\[|^Creating a socket|^Started local extension host/;
const logFile = join('test-results', 'vscode', 'extension-host.log');

async function main(): Promise<number> {
  const log: string[] = [];
  const workspace = mkdtempSync(join(tmpdir(), 'gradient-lens-workspace-'));
  cpSync('examples', workspace, { recursive: true });
  const server = await startCodeServer({ smokeTestDriver: true });
  const browser = await launchBrowser();
  let counts = { passed: 0, failed: 1 };
  try {
    const exitCode = new Promise<number>((done) => void browser.context.exposeFunction('codeAutomationExit', (code: number) => done(code)));
    await browser.context.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      const line = format(...args);
      if (line.startsWith(countsMarker)) counts = JSON.parse(line.slice(countsMarker.length)) as typeof counts;
      log.push(line);
      if (!workbenchNoise.test(line)) process.stdout.write(`${line}\n`);
    });
    const remote = (path: string) => `vscode-remote://127.0.0.1:${server.port}${resolve(path)}`;
    const payload = [
      ['extensionDevelopmentPath', remote('.')],
      ['extensionTestsPath', remote('out/test/extensionHost/index.js')],
    ];
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const code = await Promise.race([exitCode, new Promise<number>((done) => setTimeout(() => done(-1), 180_000))]);
    if (code === -1) process.stdout.write(`the extension host tests did not finish in time\n${server.log.join('')}`);
    return code;
  } finally {
    await browser.close();
    server.stop();
    rmSync(workspace, { recursive: true, force: true });
    mkdirSync(dirname(logFile), { recursive: true });
    writeFileSync(logFile, `${log.join('\n')}\n\ncode-server:\n${server.log.join('')}`);
    if (process.env.GRADIENT_LENS_COUNTS) writeFileSync(process.env.GRADIENT_LENS_COUNTS, JSON.stringify(counts));
  }
}

main().then(
  (code) => process.exit(code === 0 ? 0 : 1),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
