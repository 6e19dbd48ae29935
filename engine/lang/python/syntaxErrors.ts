// The first syntax error in a tree: @lezer/python recovers from errors, Python does not run them.
import type { SyntaxNode, Tree } from '@lezer/common';
import { EngineError } from '../../errors';

/** `2.` is a float in Python; the grammar reads it as `2` followed by a dangling dot. */
function isTrailingDotFloat(errorNode: SyntaxNode): boolean {
  const parent = errorNode.parent;
  return parent?.name === 'MemberExpression' && parent.firstChild?.name === 'Number' && errorNode.from === errorNode.to;
}

export function findSyntaxError(tree: Tree, source: string): EngineError | undefined {
  let found: EngineError | undefined;
  tree.iterate({
    enter: (node) => {
      if (found) return false;
      if (!node.type.isError || isTrailingDotFloat(node.node)) return undefined;
      const to = Math.max(node.to, Math.min(node.from + 1, source.length));
      const message = node.from >= source.trimEnd().length ? 'unexpected end of input' : 'invalid syntax';
      found = new EngineError('SyntaxError', message, { from: node.from, to });
      return false;
    },
  });
  return found;
}
