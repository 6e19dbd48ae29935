// Starts code-server (VS Code's own server build) on 127.0.0.1 for a test: its own user data,
// extensions and XDG folders under the system temp folder, so nothing is written to the home folder.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCodeServer } from '../../../scripts/lib/codeServer.mjs';
import { killTree } from './processTree';

export type CodeServer = {
  readonly url: string;
  readonly port: number;
  /** Lines code-server wrote, for a failing test's message. */
  readonly log: string[];
  stop(): void;
};

export type CodeServerOptions = {
  /** A .vsix to install first, as a user installs it. */
  readonly vsix?: string;
  /** Let the workbench read extensionDevelopmentPath/extensionTestsPath from the URL. */
  readonly smokeTestDriver?: boolean;
  readonly settings?: Record<string, unknown>;
};

/** Settings that keep the test workbench quiet and its hovers quick. */
const testSettings = {
  'editor.hover.delay': 150,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'chat.disableAIFeatures': true,
  'editor.minimap.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, log: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${log.join('')}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not become healthy:\n${log.join('')}`);
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const { node, entry } = await ensureCodeServer();
  const home = mkdtempSync(join(tmpdir(), 'gradient-lens-code-server-'));
  const folders = { userData: join(home, 'user-data'), extensions: join(home, 'extensions'), xdg: join(home, 'xdg') };
  mkdirSync(join(folders.userData, 'User'), { recursive: true });
  writeFileSync(join(folders.userData, 'User', 'settings.json'), JSON.stringify({ ...testSettings, ...options.settings }, null, 2));
  writeFileSync(join(home, 'config.yaml'), 'auth: none\n');
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: join(folders.xdg, 'config'),
    XDG_DATA_HOME: join(folders.xdg, 'data'),
    XDG_CACHE_HOME: join(folders.xdg, 'cache'),
  };
  const common = ['--config', join(home, 'config.yaml'), '--user-data-dir', folders.userData, '--extensions-dir', folders.extensions];

  if (options.vsix) {
    const install = spawnSync(node, [entry, ...common, '--install-extension', options.vsix], { env, encoding: 'utf8' });
    if (install.status !== 0) throw new Error(`installing ${options.vsix} failed:\n${install.stdout}${install.stderr}`);
  }

  const port = await freePort();
  const args = [entry, ...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust'];
  if (options.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const child = spawn(node, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    if (child.pid !== undefined) killTree(child.pid);
    rmSync(home, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, child, log);
  } catch (error) {
    stop();
    throw error;
  }
  return { url, port, log, stop };
}
