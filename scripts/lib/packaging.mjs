// Packs the extension into out/gradient-lens-<version>.vsix, as a user would install it.
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { run } from './run.mjs';

export const vsixPath = `out/gradient-lens-${JSON.parse(readFileSync('package.json', 'utf8')).version}.vsix`;

export async function packageExtension() {
  await mkdir('out', { recursive: true });
  const vsce = createRequire(import.meta.url).resolve('@vscode/vsce/vsce');
  // Everything is bundled into dist/, so node_modules stays out of the package; the README's
  // images travel inside it, so its relative links stay as they are.
  await run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsixPath]);
  return vsixPath;
}
