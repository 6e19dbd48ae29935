// What compiling one scope needs: the source text, the run's shared services, the scope's name
// resolution, and the name prefix for qualified function names (Net.forward, f.<locals>.g).
import type { SourceSpan } from '../../../sourceSpan';
import type { Runtime } from '../frame';
import { type Scope } from './scopes';
import { type SyntaxNode, spanOf } from './syntax';

export class CompileContext {
  constructor(
    readonly source: string,
    readonly runtime: Runtime,
    readonly scope: Scope,
    /** Prepended to names defined here: '' at module level, 'Net.' in a class body, 'f.<locals>.' in a function. */
    readonly qualifiedPrefix = '',
    /** Inside a loop's body (of this scope): where `break` and `continue` may stand. */
    readonly inLoop = false,
  ) {}

  text(node: SyntaxNode): string {
    return this.source.slice(node.from, node.to);
  }

  span(node: SyntaxNode): SourceSpan {
    return spanOf(node);
  }

  /** The context for a nested scope (a function, class or comprehension body). */
  nested(scope: Scope, qualifiedPrefix: string): CompileContext {
    return new CompileContext(this.source, this.runtime, scope, qualifiedPrefix);
  }

  /** The context for a loop's body. */
  loopBody(): CompileContext {
    return new CompileContext(this.source, this.runtime, this.scope, this.qualifiedPrefix, true);
  }
}
