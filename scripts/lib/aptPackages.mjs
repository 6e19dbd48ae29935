// Debian packages the tests need (Chromium for the browser, libkrb5-dev for code-server's native modules).
import { execFileSync } from 'node:child_process';
import { run } from './run.mjs';

function isInstalled(name) {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' }).includes('install ok installed');
  } catch {
    return false;
  }
}

export async function ensureAptPackages(names) {
  const missing = names.filter((name) => !isInstalled(name));
  if (missing.length === 0) return;
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const aptGet = (...args) => run(asRoot[0] ?? 'apt-get', [...asRoot.slice(1), ...(asRoot.length ? ['apt-get'] : []), ...args], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  console.log(`Installing Debian packages: ${missing.join(' ')}`);
  try {
    await aptGet('install', '-y', '--no-install-recommends', ...missing);
  } catch {
    await aptGet('update');
    await aptGet('install', '-y', '--no-install-recommends', ...missing);
  }
}
