// Heavy tools (Node 24, code-server) live outside the clone, because CI clones afresh each time.
// Each tool version gets its own folder; a marker written last makes a half-finished install count as absent.
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const cacheRoot = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'gradient-lens');

/** Returns the tool's folder, installing it with `install(folder)` first when it is not cached yet. */
export async function ensureCachedTool(name, version, install) {
  const folder = join(cacheRoot, `${name}-${version}`);
  const marker = join(folder, '.installed');
  if (existsSync(marker)) return folder;
  const staging = `${folder}.partial`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  console.log(`Installing ${name} ${version} into ${folder} (once; later runs reuse it)`);
  await install(staging);
  await rm(folder, { recursive: true, force: true });
  await rename(staging, folder);
  await writeFile(marker, new Date().toISOString());
  return folder;
}
