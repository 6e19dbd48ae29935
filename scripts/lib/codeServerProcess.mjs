// Starts code-server (VS Code's own server build) on 127.0.0.1 with its own user data, extensions
// and XDG folders inside `home`, so that nothing is written to the user's home folder.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ensureCodeServer } from './codeServer.mjs';
import { killTree } from './processTree.mjs';

export function freePort(preferred = 0) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error) => (preferred ? freePort(0).then(resolve, reject) : reject(error)));
    server.listen(preferred, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(address.port));
    });
  });
}

async function waitForHealth(url, child, log) {
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

/**
 * @param {{ home: string, vsix?: string, smokeTestDriver?: boolean, settings?: object, port?: number, quiet?: boolean }} options
 */
export async function startCodeServer(options) {
  const { node, entry } = await ensureCodeServer();
  const { home } = options;
  const userData = join(home, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  if (options.settings) writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(options.settings, null, 2));
  writeFileSync(join(home, 'config.yaml'), 'auth: none\n');
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: join(home, 'xdg', 'config'),
    XDG_DATA_HOME: join(home, 'xdg', 'data'),
    XDG_CACHE_HOME: join(home, 'xdg', 'cache'),
  };
  const common = ['--config', join(home, 'config.yaml'), '--user-data-dir', userData, '--extensions-dir', join(home, 'extensions')];

  if (options.vsix) {
    const install = spawnSync(node, [entry, ...common, '--install-extension', options.vsix, '--force'], { env, encoding: 'utf8' });
    if (install.status !== 0) throw new Error(`installing ${options.vsix} failed:\n${install.stdout}${install.stderr}`);
  }

  const port = await freePort(options.port ?? 0);
  const args = [entry, ...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust'];
  if (options.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const child = spawn(node, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = [];
  child.stdout.on('data', (chunk) => log.push(chunk.toString()));
  child.stderr.on('data', (chunk) => log.push(chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    if (child.pid !== undefined) killTree(child.pid);
  };
  try {
    await waitForHealth(url, child, log);
  } catch (error) {
    stop();
    throw error;
  }
  return { url, port, log, child, stop };
}
