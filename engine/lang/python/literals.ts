// Python number and string literals, decoded from their source text.
import { EngineError } from '../../errors';
import type { PyValue } from './values';

export function numberLiteral(text: string): PyValue {
  const digits = text.replace(/_/g, '');
  if (/[jJ]$/.test(digits)) throw new EngineError('NotImplementedError', 'complex numbers are not supported');
  if (/^0[xXoObB]/.test(digits)) return BigInt(digits);
  if (/[.eE]/.test(digits)) return Number(digits);
  return BigInt(digits);
}

const simpleEscapes: ReadonlyMap<string, string> = new Map([
  ['\\', '\\'],
  ["'", "'"],
  ['"', '"'],
  ['n', '\n'],
  ['t', '\t'],
  ['r', '\r'],
  ['0', '\0'],
  ['a', '\x07'],
  ['b', '\b'],
  ['f', '\f'],
  ['v', '\v'],
  ['\n', ''],
]);

/** Decodes one string literal token: prefixes (r, b, u), single or triple quotes, escapes. */
export function stringLiteral(text: string): string {
  const prefix = /^[a-zA-Z]*/.exec(text)?.[0] ?? '';
  const rest = text.slice(prefix.length);
  const quoteLength = rest.startsWith('"""') || rest.startsWith("'''") ? 3 : 1;
  const body = rest.slice(quoteLength, rest.length - quoteLength);
  if (/[bB]/.test(prefix)) throw new EngineError('NotImplementedError', 'bytes literals are not supported');
  if (/[rR]/.test(prefix)) return body;
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\s\S])/g, (whole, escape: string) => {
    if (/^[xuU]/.test(escape) && escape.length > 1) return String.fromCodePoint(parseInt(escape.slice(1), 16));
    return simpleEscapes.get(escape) ?? whole;
  });
}
