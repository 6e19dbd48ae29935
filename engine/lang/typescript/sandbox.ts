// What a TypeScript selection is refused, and how it is told. Globals and members come from
// explicit tables; these names would reach the host or the language's internals in real JavaScript.
import { EngineError } from '../../errors';

const hostAccess = 'selections run in a sandbox without modules, processes, the global object or code generation';

const hostGlobals = new Set(['require', 'module', 'exports', 'process', 'globalThis', 'global', 'window', 'self', 'Function', 'eval', 'Reflect', 'Proxy', 'Object', 'fetch', 'setTimeout', 'setInterval', 'Buffer', 'WebAssembly', 'import']);

/** Member names that reach prototypes and constructors in real JavaScript. */
const internalMembers = new Set(['__proto__', 'constructor', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

/** The error for a name no scope declares: JavaScript's ReferenceError, saying why when the sandbox refuses it. */
export function sandboxedName(name: string): EngineError {
  const note = hostGlobals.has(name) ? ` (${hostAccess})` : '';
  return new EngineError('ReferenceError', `${name} is not defined${note}`);
}

/** Refuses member names that would reach a prototype or a constructor. */
export function checkMember(name: string): void {
  if (internalMembers.has(name)) throw new EngineError('TypeError', `'${name}' is not available: ${hostAccess}`);
}

/** `import … from 'fs'` and `import('fs')`. */
export function refusedImport(): EngineError {
  return new EngineError('ReferenceError', `modules cannot be imported: ${hostAccess}`);
}
