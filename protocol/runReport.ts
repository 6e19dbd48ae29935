// The run report: everything a run produced, as plain serialisable data. The worker builds it; the
// extension turns it into decorations, hovers and diagnostics; the webview draws its graph.

/** 0-based, as VS Code counts; the command line adds one to each. */
export type SourcePosition = { readonly line: number; readonly character: number };
export type SourceRange = { readonly start: SourcePosition; readonly end: SourcePosition };

export type ScriptLanguage = 'python' | 'typescript';

/** A value as the script's language would show it, plus what a hover needs. */
export type ValueSummary =
  | {
      readonly kind: 'tensor';
      readonly shape: readonly number[];
      readonly dtype: string;
      /** The elements in the language's style: `63.` for PyTorch, `63` for TypeScript. */
      readonly text: string;
      /** The whole repr, e.g. `tensor(63., grad_fn=<AddBackward0>)`. */
      readonly repr: string;
      readonly requiresGrad: boolean;
      readonly gradFn?: string;
    }
  | { readonly kind: 'value'; readonly type: string; readonly text: string };

export type PrintedText = { readonly range: SourceRange; readonly text: string };

/** ∂output/∂input for one input: a gradient for a scalar output, a Jacobian (output shape + input shape) for an array. */
export type Partial = { readonly withRespectTo: string; readonly value: ValueSummary };

/** What an assignment (or, in TypeScript, the result expression) produced at the line it ran. */
export type AssignmentReport = {
  readonly name: string;
  readonly range: SourceRange;
  readonly value: ValueSummary;
  readonly partials: readonly Partial[];
};

/** A variable's final state, for hovers. */
export type VariableReport = {
  readonly name: string;
  readonly range: SourceRange;
  readonly value: ValueSummary;
  /** The `.grad` of a leaf after the run (null: None). */
  readonly grad: ValueSummary | null;
  readonly isLeaf: boolean;
  readonly partials: readonly Partial[];
};

export type GraphNodeKind = 'leaf' | 'op';

export type GraphNodeSnapshot = {
  readonly id: number;
  readonly kind: GraphNodeKind;
  /** The op ('mul'), absent for leaves. */
  readonly op?: string;
  /** PyTorch's backward node type ('MulBackward0'), or 'AccumulateGrad' for a leaf. */
  readonly nodeName: string;
  /** Variable names bound to this value. */
  readonly names: readonly string[];
  readonly value: ValueSummary;
  /** ∂output/∂(this value), where the run has an output. */
  readonly grad?: ValueSummary;
  /** Operands that are constants rather than graph values, e.g. the 4 in x**4, and op attributes. */
  readonly constants: readonly string[];
  readonly range?: SourceRange;
  /** The source text that made this value, for the node's label. */
  readonly code?: string;
  readonly isOutput: boolean;
};

export type GraphEdge = { readonly from: number; readonly to: number; readonly inputIndex: number };

export type GraphSnapshot = {
  readonly nodes: readonly GraphNodeSnapshot[];
  readonly edges: readonly GraphEdge[];
  /** The value whose gradients the nodes show. */
  readonly outputId?: number;
  /** True when the graph had more nodes than a snapshot carries. */
  readonly truncated: boolean;
};

export type DiagnosticSeverity = 'error' | 'warning' | 'information';

export type ReportDiagnostic = {
  readonly message: string;
  readonly range: SourceRange;
  readonly severity: DiagnosticSeverity;
  /** The exception type, e.g. RuntimeError, SyntaxError. */
  readonly code: string;
};

export type RunReport = {
  readonly language: ScriptLanguage;
  readonly prints: readonly PrintedText[];
  readonly assignments: readonly AssignmentReport[];
  readonly variables: readonly VariableReport[];
  readonly graph: GraphSnapshot;
  readonly diagnostics: readonly ReportDiagnostic[];
  /** Names a TypeScript selection uses that no declaration, `// @grad` comment or given value defines: what the editor asks for. */
  readonly missingInputs: readonly string[];
  readonly timings: { readonly parseMs: number; readonly runMs: number; readonly reportMs: number };
};
