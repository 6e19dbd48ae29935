#!/usr/bin/env node
// gradient-lens run FILE [--json]: the engine without an editor. Prints what the script prints (for
// a tensor script, exactly what Python with PyTorch prints); errors go to stderr as FILE:LINE:COL.
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { RunReport } from '../protocol/runReport';
import { EngineClient, EngineStoppedError } from './host/engineClient';
import { defaultRunLimits } from './lang/runtime/limits';
import { PositionMapper } from './lang/runtime/positions';
import { languageOfFile } from './run';

const defaultMemoryMb = 1024;

const usage = `Usage: gradient-lens run FILE [--json] [--set NAME=VALUE]... [--time-limit SECONDS] [--memory-mb MIB]

Runs a tensor script (.py, PyTorch-flavoured Python) or a TypeScript/JavaScript file (.ts, .js)
on Gradient Lens's autograd engine, in a worker with the same limits as the editor's.

  --json                 print the run report (prints, variables, graph, diagnostics) as JSON
  --set NAME=VALUE       a value for an input of a TypeScript file: --set x=2 --set w=[1,2]
  --time-limit SECONDS   stop the script after this long (default ${defaultRunLimits.timeMs / 1000})
  --memory-mb MIB        the engine worker's heap (default ${defaultMemoryMb})
`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        set: { type: 'string', multiple: true },
        'time-limit': { type: 'string' },
        'memory-mb': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const [command, file, ...extra] = positionals;
  const timeLimit = values['time-limit'] === undefined ? defaultRunLimits.timeMs / 1000 : Number(values['time-limit']);
  const memoryMb = values['memory-mb'] === undefined ? defaultMemoryMb : Number(values['memory-mb']);
  if (command !== 'run' || file === undefined || extra.length > 0 || !(timeLimit > 0) || !(memoryMb >= 16)) {
    process.stderr.write(usage);
    return 2;
  }
  const json = values.json === true;
  const language = languageOfFile(extname(file));
  if (!language) {
    process.stderr.write(`${file}: not a tensor script (.py) or a TypeScript/JavaScript file (.ts, .js)\n`);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    process.stderr.write(`${file}: ${(error as Error).message}\n`);
    return 2;
  }
  const client = new EngineClient(join(__dirname, 'worker.js'), () => memoryMb);
  let report: RunReport;
  try {
    const inputs = values.set?.join(', ');
    ({ report } = await client.run({ document: { uri: file, version: 1 }, language, text, origin: { line: 0, character: 0 }, limits: { ...defaultRunLimits, timeMs: timeLimit * 1000 }, ...(inputs ? { inputs } : {}) }));
  } catch (error) {
    if (!(error instanceof EngineStoppedError)) throw error;
    const where = new PositionMapper(text).position(error.span?.from ?? 0);
    process.stderr.write(`${file}:${where.line + 1}:${where.character + 1}: ${error.stopCause === 'limit' ? 'LimitError' : 'Error'}: ${error.message}\n`);
    return 1;
  } finally {
    client.dispose();
  }
  if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(report.prints.map((printed) => printed.text).join(''));
  writeDiagnostics(file, report);
  return report.diagnostics.some((diagnostic) => diagnostic.severity === 'error') ? 1 : 0;
}

function writeDiagnostics(file: string, report: RunReport): void {
  for (const { range, message } of report.diagnostics) {
    process.stderr.write(`${file}:${range.start.line + 1}:${range.start.character + 1}: ${message}\n`);
  }
}

void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
