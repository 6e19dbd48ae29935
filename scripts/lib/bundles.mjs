// One bundle per runtime, built with esbuild: the extension host, the engine worker (Node worker
// thread and Web Worker alike), the command line, and the graph webview app.
import * as esbuild from 'esbuild';
import { chmod, cp, mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** `import text from 'some/file.js?text'` bundles the file's text: how the webview gets ELK's worker script. */
const textImports = {
  name: 'text-imports',
  setup(build) {
    build.onResolve({ filter: /\?text$/ }, (args) => ({
      path: require.resolve(args.path.replace(/\?text$/, ''), { paths: [args.resolveDir] }),
      namespace: 'text-import',
    }));
    build.onLoad({ filter: /.*/, namespace: 'text-import' }, async (args) => ({ contents: await readFile(args.path, 'utf8'), loader: 'text' }));
  },
};

/** Production builds (the .vsix) are minified and carry no source maps. */
export async function build({ production = false } = {}) {
  /** @type {esbuild.BuildOptions} */
  const common = {
    bundle: true,
    sourcemap: production ? false : 'linked',
    minify: production,
    target: 'es2022',
    logLevel: 'warning',
    legalComments: 'none',
  };
  await mkdir('dist/webview', { recursive: true });
  await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: ['extension/extension.ts'],
      outfile: 'dist/extension.js',
      platform: 'node',
      format: 'cjs',
      external: ['vscode'],
    }),
    esbuild.build({
      ...common,
      entryPoints: ['engine/worker.ts'],
      outfile: 'dist/worker.js',
      // Neutral: the same file runs under worker_threads and as a Web Worker from a blob: URL.
      platform: 'neutral',
      format: 'iife',
      mainFields: ['module', 'main'],
      external: ['node:worker_threads'],
    }),
    esbuild.build({
      ...common,
      entryPoints: ['engine/cli.ts'],
      outfile: 'dist/cli.js',
      platform: 'node',
      format: 'cjs',
    }),
    esbuild.build({
      ...common,
      entryPoints: ['webview/main.ts'],
      outfile: 'dist/webview/main.js',
      platform: 'browser',
      format: 'iife',
      plugins: [textImports],
    }),
  ]);
  await cp('webview/graph.css', 'dist/webview/graph.css');
  await chmod('dist/cli.js', 0o755);
}

/** The suites that run inside VS Code's extension host, one CommonJS file each, as mocha loads them. */
export async function buildExtensionHostTests() {
  await esbuild.build({
    entryPoints: ['test/vscode/extensionHost/*.ts'],
    outdir: 'out/test/extensionHost',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'es2022',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
}
