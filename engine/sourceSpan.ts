// Every value and graph node remembers the span of the code that made it.

/** Offsets into the evaluated text, end exclusive. */
export type SourceSpan = { readonly from: number; readonly to: number };

let current: SourceSpan | undefined;

/** The span of the expression being evaluated now; ops stamp it on what they create. */
export function currentSourceSpan(): SourceSpan | undefined {
  return current;
}

/** Sets the current span and leaves it set: compiled code sets it before each op it calls. */
export function setSourceSpan(span: SourceSpan | undefined): void {
  current = span;
}

export function withSourceSpan<T>(span: SourceSpan | undefined, evaluate: () => T): T {
  const outer = current;
  current = span;
  try {
    return evaluate();
  } finally {
    current = outer;
  }
}
