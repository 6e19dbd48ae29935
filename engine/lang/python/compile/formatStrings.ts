// f-strings: literal text (with escapes and doubled braces), replacement fields with `!r`/`!s`,
// format specs that may hold replacement fields of their own, and the self-documenting `{x=}`.
import { convertField, formatValue } from '../formatting';
import type { Evaluate, Frame } from '../frame';
import { stringLiteral } from '../literals';
import { PyTuple } from '../values';
import type { CompileContext } from './context';
import { compileExpression, guarded } from './expressions';
import { type SyntaxNode, children, splitAtCommas } from './syntax';

type Piece = (frame: Frame) => string;

export function compileFormatString(context: CompileContext, node: SyntaxNode): Evaluate {
  const text = context.text(node);
  const prefix = /^[a-zA-Z]*/.exec(text)?.[0] ?? '';
  const raw = /r/i.test(prefix);
  const quoteLength = text.startsWith('"""', prefix.length) || text.startsWith("'''", prefix.length) ? 3 : 1;
  const pieces = compilePieces(context, node, node.from + prefix.length + quoteLength, node.to - quoteLength, raw);
  return (frame) => pieces.map((piece) => piece(frame)).join('');
}

/** The literal runs and replacement fields of the source between `from` and `to`. */
function compilePieces(context: CompileContext, node: SyntaxNode, from: number, to: number, raw: boolean): Piece[] {
  const pieces: Piece[] = [];
  let position = from;
  const literal = (end: number) => {
    if (end > position) {
      const value = decodeLiteral(context.source.slice(position, end), raw);
      pieces.push(() => value);
    }
  };
  for (const replacement of children(node).filter((child) => child.name === 'FormatReplacement')) {
    literal(replacement.from);
    pieces.push(compileReplacement(context, replacement, raw));
    position = replacement.to;
  }
  literal(to);
  return pieces;
}

function decodeLiteral(text: string, raw: boolean): string {
  const braces = text.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
  return raw ? braces : stringLiteral(`"${braces}"`);
}

const fieldEnd = new Set(['FormatSelfDoc', 'FormatConversion', 'FormatSpec', '}']);

function compileReplacement(context: CompileContext, node: SyntaxNode, raw: boolean): Piece {
  const parts = children(node);
  const endIndex = parts.findIndex((part, i) => i > 0 && fieldEnd.has(part.name));
  const expressionNodes = parts.slice(1, endIndex);
  const groups = splitAtCommas(expressionNodes);
  const evaluators = groups.map((group) => compileExpression(context, group[0]));
  const isTuple = groups.length > 1 || expressionNodes.some((n) => n.name === ',');
  const value: Evaluate = isTuple ? (frame) => new PyTuple(evaluators.map((evaluate) => evaluate(frame))) : evaluators[0];
  const selfDoc = parts.find((part) => part.name === 'FormatSelfDoc');
  const conversionNode = parts.find((part) => part.name === 'FormatConversion');
  const specNode = parts.find((part) => part.name === 'FormatSpec');
  // `{x=}` writes its own source text, then the value: repr unless a conversion or spec says otherwise.
  const label = selfDoc ? context.source.slice(parts[0].to, selfDoc.to) : '';
  const conversion = conversionNode ? context.text(conversionNode).slice(1) : selfDoc && !specNode ? 'r' : '';
  const spec = specNode ? compilePieces(context, specNode, specNode.from + 1, specNode.to, raw) : [];
  const span = context.span(node);
  return (frame) => {
    const specText = spec.map((piece) => piece(frame)).join('');
    const result = value(frame);
    return label + guarded(span, () => formatValue(convertField(result, conversion), specText));
  };
}
