// Python's scoping, decided before the code runs, as CPython's compiler decides it: a name
// assigned anywhere in a function is local to it (unless declared global or nonlocal); other names
// are found in enclosing functions, then in the module, then among the builtins. Class bodies
// keep their own names but are skipped when functions inside them look outward.
import { EngineError } from '../../../errors';
import { type SyntaxNode, children, spanOf } from './syntax';

export type ScopeKind = 'module' | 'function' | 'class' | 'comprehension';

export type Resolution =
  | { readonly kind: 'global' }
  | { readonly kind: 'local' }
  /** Found `depth` frames out along the chain of enclosing frames. */
  | { readonly kind: 'free'; readonly depth: number }
  /** In a class body: the class's namespace first, then as `outer` says. */
  | { readonly kind: 'classBody'; readonly outer: Resolution };

const GLOBAL: Resolution = { kind: 'global' };
const LOCAL: Resolution = { kind: 'local' };

export class Scope {
  readonly assigned = new Set<string>();
  readonly declaredGlobal = new Set<string>();
  readonly declaredNonlocal = new Set<string>();

  constructor(
    readonly kind: ScopeKind,
    readonly parent: Scope | null,
  ) {}

  isLocal(name: string): boolean {
    return this.assigned.has(name) && !this.declaredGlobal.has(name) && !this.declaredNonlocal.has(name);
  }

  resolve(name: string): Resolution {
    if (this.kind === 'module' || this.declaredGlobal.has(name)) return GLOBAL;
    if (this.kind === 'class') {
      const outer = resolveOutward(this.parent, name, 1);
      return this.isLocal(name) ? { kind: 'classBody', outer } : outer;
    }
    return this.isLocal(name) ? LOCAL : resolveOutward(this.parent, name, 1);
  }
}

function resolveOutward(scope: Scope | null, name: string, depth: number): Resolution {
  for (let current = scope; current && current.kind !== 'module'; current = current.parent) {
    if (current.kind === 'class') continue;
    if (current.declaredGlobal.has(name)) return GLOBAL;
    if (current.isLocal(name)) return { kind: 'free', depth };
    depth++;
  }
  return GLOBAL;
}

/** Node types that open a scope of their own: names bound inside them are not ours. */
const ownScope = new Set([
  'LambdaExpression',
  'ArrayComprehensionExpression',
  'DictionaryComprehensionExpression',
  'SetComprehensionExpression',
  'ComprehensionExpression',
]);

/** The names an assignment target binds: `a`, `a, b`, `(a, [b, *c])`; not attributes or subscripts. */
export function targetNames(node: SyntaxNode, text: (node: SyntaxNode) => string): string[] {
  switch (node.name) {
    case 'VariableName':
      return [text(node)];
    case 'TupleExpression':
    case 'ArrayExpression':
    case 'ParenthesizedExpression':
      return children(node).flatMap((child) => targetNames(child, text));
    default:
      return [];
  }
}

/** Records in `scope` every name the statements bind, and its global and nonlocal declarations. */
export function collectBindings(nodes: readonly SyntaxNode[], scope: Scope, text: (node: SyntaxNode) => string): void {
  const bind = (names: readonly string[]) => names.forEach((name) => scope.assigned.add(name));
  const visit = (node: SyntaxNode): void => {
    if (ownScope.has(node.name)) return;
    const parts = children(node);
    switch (node.name) {
      case 'FunctionDefinition':
      case 'ClassDefinition': {
        const name = parts.find((part) => part.name === 'VariableName');
        if (name) bind([text(name)]);
        return;
      }
      case 'AssignStatement': {
        const lastOperator = parts.map((part) => part.name).lastIndexOf('AssignOp');
        parts.slice(0, Math.max(lastOperator, 0)).forEach((part) => bind(targetNames(part, text)));
        return;
      }
      case 'UpdateStatement':
        bind(targetNames(parts[0], text));
        return;
      case 'ForStatement': {
        const inIndex = parts.findIndex((part) => part.name === 'in');
        parts.slice(1, inIndex).forEach((part) => bind(targetNames(part, text)));
        parts.filter((part) => part.name === 'Body').forEach(visit);
        return;
      }
      case 'ImportStatement':
        bind(importedBindings(parts, text));
        return;
      case 'DeleteStatement':
        parts.slice(1).forEach((part) => bind(targetNames(part, text)));
        return;
      case 'ScopeStatement': {
        const [keyword, ...names] = parts;
        const declared = keyword.name === 'global' ? scope.declaredGlobal : scope.declaredNonlocal;
        for (const nameNode of names.filter((part) => part.name === 'VariableName')) {
          const name = text(nameNode);
          if (scope.kind === 'module' && keyword.name === 'nonlocal') throw new EngineError('SyntaxError', 'nonlocal declaration not allowed at module level', spanOf(node));
          if (scope.assigned.has(name)) throw new EngineError('SyntaxError', `name '${name}' is assigned to before ${keyword.name} declaration`, spanOf(nameNode));
          declared.add(name);
        }
        return;
      }
    }
    // `with … as x` and `except … as x` bind the name after `as`.
    parts.forEach((part, i) => {
      if (part.name === 'as' && parts[i + 1] && (node.name === 'WithStatement' || node.name === 'TryStatement')) bind(targetNames(parts[i + 1], text));
    });
    parts.forEach(visit);
  };
  nodes.forEach(visit);
}

/** `import a.b` binds a; `import a.b as c` binds c; `from m import x as y, z` binds y and z. */
function importedBindings(parts: readonly SyntaxNode[], text: (node: SyntaxNode) => string): string[] {
  const names: string[] = [];
  const isFrom = parts[0]?.name === 'from';
  const start = isFrom ? parts.findIndex((part) => part.name === 'import') + 1 : 1;
  let current: string[] = [];
  let alias: string | undefined;
  const flush = () => {
    if (current.length > 0) names.push(alias ?? (isFrom ? current.join('') : current[0]));
    current = [];
    alias = undefined;
  };
  for (let i = start; i < parts.length; i++) {
    const part = parts[i];
    if (part.name === ',') flush();
    else if (part.name === 'as') alias = text(parts[++i]);
    else if (part.name === 'VariableName') current.push(text(part));
  }
  flush();
  return names;
}
