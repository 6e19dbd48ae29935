// Binding call arguments to a builtin's parameters, with Python's messages when they do not fit.
import { EngineError } from '../../errors';
import type { Kwargs, PyValue } from './values';

/** `name` required, `name=default` optional; names after '*' are keyword-only. */
export type Signature = readonly string[];

type Parameter = { readonly name: string; readonly hasDefault: boolean; readonly keywordOnly: boolean };

function parameters(signature: Signature): Parameter[] {
  const star = signature.indexOf('*');
  return signature
    .filter((entry) => entry !== '*')
    .map((entry, i) => ({ name: entry.replace(/=$/, ''), hasDefault: entry.endsWith('='), keywordOnly: star >= 0 && i >= star }));
}

/**
 * Returns the bound values by name; a parameter that was not given and has a default is absent.
 * Signatures mark defaults with a trailing '=' and leave the default itself to the builtin.
 */
export function bindArguments(functionName: string, signature: Signature, args: readonly PyValue[], kwargs: Kwargs): Map<string, PyValue> {
  const params = parameters(signature);
  const positional = params.filter((p) => !p.keywordOnly);
  if (args.length > positional.length) {
    const takes = positional.length === 1 ? '1 positional argument' : `${positional.length} positional arguments`;
    throw new EngineError('TypeError', `${functionName}() takes ${takes} but ${args.length} were given`);
  }
  const bound = new Map<string, PyValue>();
  args.forEach((arg, i) => bound.set(positional[i].name, arg));
  for (const [name, value] of kwargs) {
    if (!params.some((p) => p.name === name)) {
      throw new EngineError('TypeError', `${functionName}() got an unexpected keyword argument '${name}'`);
    }
    if (bound.has(name)) throw new EngineError('TypeError', `${functionName}() got multiple values for argument '${name}'`);
    bound.set(name, value);
  }
  const missing = params.filter((p) => !p.hasDefault && !bound.has(p.name)).map((p) => `'${p.name}'`);
  if (missing.length > 0) {
    const what = missing.length === 1 ? 'argument' : 'arguments';
    throw new EngineError('TypeError', `${functionName}() missing ${missing.length} required ${what}: ${missing.join(' and ')}`);
  }
  return bound;
}
