// npm run bench: every benchmark against its peer in this process, one JSON line per figure.
import { convBenchmarks } from './conv.bench';
import { interpreterBenchmarks } from './interpreter.bench';
import { matmulBenchmarks } from './matmul.bench';
import { mlpBenchmarks } from './mlp.bench';
import { scalarGraphBenchmarks } from './scalarGraph.bench';

const suites: Record<string, () => Promise<unknown>> = {
  matmul: matmulBenchmarks,
  mlp: mlpBenchmarks,
  conv: convBenchmarks,
  scalarGraph: scalarGraphBenchmarks,
  interpreter: interpreterBenchmarks,
};

const only = process.argv[2];
for (const [name, run] of Object.entries(suites)) {
  if (!only || only === name) await run();
}
