// Reading @lezer/python's syntax tree: the children that carry meaning, spans, and the text of a node.
import type { SyntaxNode } from '@lezer/common';
import type { SourceSpan } from '../../../sourceSpan';

export type { SyntaxNode };

export const spanOf = (node: SyntaxNode): SourceSpan => ({ from: node.from, to: node.to });

/** A node's children without comments. */
export function children(node: SyntaxNode): SyntaxNode[] {
  const result: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.name !== 'Comment') result.push(child);
  }
  return result;
}

const punctuation = new Set(['(', ')', '[', ']', '{', '}', ',', ':', ';', '.']);

export const isPunctuation = (node: SyntaxNode) => punctuation.has(node.name);

/** The children that are not punctuation. */
export const meaningful = (node: SyntaxNode) => children(node).filter((child) => !isPunctuation(child));

/** Splits nodes at the commas between them: `a, b = 1` → [[a], [b]]. */
export function splitAtCommas(nodes: readonly SyntaxNode[]): SyntaxNode[][] {
  const groups: SyntaxNode[][] = [[]];
  for (const node of nodes) {
    if (node.name === ',') groups.push([]);
    else groups[groups.length - 1].push(node);
  }
  if (groups[groups.length - 1].length === 0) groups.pop();
  return groups;
}
