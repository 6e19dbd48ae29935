// What a tensor script is refused, and how it is told: names that would reach the host, and
// attributes that would reach the interpreter's internals. Nothing else is reachable: builtins,
// modules and attributes come from explicit tables, never from the host's own objects.
import { EngineError } from '../../errors';

const hostAccess = 'tensor scripts run in a sandbox without files, processes, imports of host modules or access to the interpreter';

/** Builtins Python has that a tensor script does not. */
const refusedBuiltins = new Set([
  '__import__',
  'open',
  'eval',
  'exec',
  'compile',
  'globals',
  'locals',
  'vars',
  'dir',
  'getattr',
  'setattr',
  'delattr',
  'hasattr',
  'input',
  'breakpoint',
  'help',
  'exit',
  'quit',
  'memoryview',
  'bytearray',
  'bytes',
  'id',
  '__builtins__',
  '__loader__',
  '__spec__',
]);

/** The error for a name no scope has: Python's NameError, saying why when the sandbox refuses it. */
export function undefinedName(name: string): EngineError {
  if (refusedBuiltins.has(name)) return new EngineError('NameError', `name '${name}' is not available: ${hostAccess}`);
  return new EngineError('NameError', `name '${name}' is not defined`);
}

/** The error for an attribute an object lacks; dunder attributes say the sandbox keeps them out. */
export function missingAttribute(typeName: string, name: string): EngineError {
  const note = /^__.*__$/.test(name) ? ` (double-underscore attributes are not available: ${hostAccess})` : '';
  return new EngineError('AttributeError', `'${typeName}' object has no attribute '${name}'${note}`);
}
