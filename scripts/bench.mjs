// npm run bench [-- NAME]: builds the benchmarks into out/bench (run by node, not a TypeScript
// loader, so that the peers run as fast as they do for their users) and runs them.
import * as esbuild from 'esbuild';
import { run } from './lib/run.mjs';

await esbuild.build({
  entryPoints: ['bench/run.ts'],
  outfile: 'out/bench/run.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'es2022',
  external: ['@tensorflow/*'],
  logLevel: 'warning',
});
// --expose-gc lets the scalar-graph benchmark measure heap per node after a collection.
await run(process.execPath, ['--max-semi-space-size=64', '--expose-gc', '--max-old-space-size=4096', 'out/bench/run.mjs', ...process.argv.slice(2)]);
