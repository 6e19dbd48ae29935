// List, set and dict comprehensions and generator expressions. Each runs in a scope of its own
// (its loop variables do not leak), except that the first iterable is evaluated outside, as in
// Python. A generator expression is lazy: any() and next() stop it early.
import { PyDict, PySet } from '../collections';
import { truthy } from '../convert';
import { type Evaluate, Frame } from '../frame';
import { PyIterator, iterate } from '../iteration';
import { PyList, type PyValue } from '../values';
import type { CompileContext } from './context';
import { compileExpression } from './expressions';
import { Scope, targetNames } from './scopes';
import { type SyntaxNode, children } from './syntax';
import { type Assign, compileTargets } from './targets';

const kinds = new Map([
  ['ArrayComprehensionExpression', 'list'],
  ['SetComprehensionExpression', 'set'],
  ['DictionaryComprehensionExpression', 'dict'],
  ['ComprehensionExpression', 'generator'],
] as const);

type Kind = 'list' | 'set' | 'dict' | 'generator';

export const isComprehension = (node: SyntaxNode) => kinds.has(node.name as never);

type Clause = { readonly kind: 'for'; readonly assign: Assign; readonly iterable: Evaluate } | { readonly kind: 'if'; readonly test: Evaluate };

export function compileComprehension(context: CompileContext, node: SyntaxNode): Evaluate {
  return compileParts(context, children(node).slice(1, -1), kinds.get(node.name as never) as Kind);
}

/** `f(x for x in xs)`: the generator expression is the argument list itself. */
export function compileGeneratorArgument(context: CompileContext, argList: SyntaxNode): Evaluate {
  return compileParts(context, children(argList).slice(1, -1), 'generator');
}

function compileParts(context: CompileContext, parts: readonly SyntaxNode[], kind: Kind): Evaluate {
  const firstFor = parts.findIndex((part) => part.name === 'for');
  const elementNodes = parts.slice(0, firstFor);
  const scope = new Scope('comprehension', context.scope);
  const clauseNodes = splitClauses(parts.slice(firstFor));
  for (const clause of clauseNodes) {
    if (clause.keyword === 'for') clause.targets.forEach((target) => targetNames(target, (n) => context.text(n)).forEach((name) => scope.assigned.add(name)));
  }
  const inner = context.nested(scope, `${context.qualifiedPrefix}<${kind === 'generator' ? 'genexpr' : `${kind}comp`}>.<locals>.`);
  const clauses: Clause[] = clauseNodes.map((clause, i) =>
    clause.keyword === 'for'
      ? { kind: 'for', assign: compileTargets(inner, clause.targets), iterable: compileExpression(i === 0 ? context : inner, clause.expression) }
      : { kind: 'if', test: compileExpression(inner, clause.expression) },
  );
  const { budget } = context.runtime;
  const element =
    kind === 'dict'
      ? (() => {
          const key = compileExpression(inner, elementNodes[0]);
          const value = compileExpression(inner, elementNodes[2]);
          return (frame: Frame): PyValue => new PyList([key(frame), value(frame)]);
        })()
      : compileExpression(inner, elementNodes[0]);

  function* produce(frame: Frame, level: number, first: Iterable<PyValue>): Generator<PyValue> {
    if (level === clauses.length) {
      yield element(frame);
      return;
    }
    const clause = clauses[level];
    if (clause.kind === 'if') {
      if (truthy(clause.test(frame))) yield* produce(frame, level + 1, first);
      return;
    }
    for (const item of level === 0 ? first : iterate(clause.iterable(frame))) {
      budget.tick();
      clause.assign(frame, item);
      yield* produce(frame, level + 1, first);
    }
  }

  return (frame) => {
    const first = iterate((clauses[0] as Extract<Clause, { kind: 'for' }>).iterable(frame));
    const comprehensionFrame = new Frame(new Map(), frame.closure, frame.owner);
    const values = produce(comprehensionFrame, 0, first);
    switch (kind) {
      case 'list':
        return new PyList([...values]);
      case 'set':
        return new PySet(values);
      case 'dict':
        return PyDict.of([...values].map((pair) => (pair as PyList).items as [PyValue, PyValue]));
      case 'generator':
        return new PyIterator('generator', values);
    }
  };
}

type ClauseNodes = { readonly keyword: 'for'; readonly targets: SyntaxNode[]; readonly expression: SyntaxNode } | { readonly keyword: 'if'; readonly targets: []; readonly expression: SyntaxNode };

/** `for a, b in x if c for d in y` → its clauses. */
function splitClauses(parts: readonly SyntaxNode[]): ClauseNodes[] {
  const clauses: ClauseNodes[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].name === 'for') {
      const inIndex = parts.findIndex((part, j) => j > i && part.name === 'in');
      clauses.push({ keyword: 'for', targets: parts.slice(i + 1, inIndex), expression: parts[inIndex + 1] });
      i = inIndex + 1;
    } else if (parts[i].name === 'if') {
      clauses.push({ keyword: 'if', targets: [], expression: parts[++i] });
    }
  }
  return clauses;
}
