// Turns what a run did into the run report: values summarised in the language's style, ∂/∂input
// beside every scalar result, the graph snapshot, and the error as a diagnostic with its range.
import type { Partial, ReportDiagnostic, RunReport, VariableReport } from '../../protocol/runReport';
import { type InspectedGradients, inspectGradients, inspectJacobians } from '../autograd/inspect';

/** Array results larger than this get no Jacobian in the report. */
const maxJacobianRows = 64;
import { zerosLike } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import type { PositionMapper } from '../lang/runtime/positions';
import type { RunOutcome } from '../lang/runtime/runOutcome';
import { graphSnapshot } from './graphSnapshot';
import { type ValueStyle, summarizeTensor, summarizeValue } from './valueStyle';

export type ReportContext<Value> = {
  readonly style: ValueStyle<Value>;
  readonly positions: PositionMapper;
  readonly parseMs: number;
  readonly runMs: number;
};

export function buildRunReport<Value>(outcome: RunOutcome<Value>, context: ReportContext<Value>): RunReport {
  const started = Date.now();
  const { style, positions } = context;
  const names = namesOfTensors(outcome, style);
  const inspected = new Map<Tensor, InspectedGradients>();
  const gradientsOf = (tensor: Tensor) => {
    let result = inspected.get(tensor);
    if (!result) inspected.set(tensor, (result = inspectGradients(tensor)));
    return result;
  };

  const partialsOf = (value: Value): Partial[] => {
    const tensor = style.tensorOf(value);
    if (!tensor || isLeafOrUnreadable(tensor)) return [];
    if (tensor.numel !== 1) return jacobiansOf(tensor);
    const { leaves } = gradientsOf(tensor);
    const inputs = outcome.inputs.length > 0 ? outcome.inputs : [...leaves.keys()].sort((a, b) => a.id - b.id);
    return inputs.flatMap((leaf) => {
      const name = names.get(leaf)?.[0];
      if (name === undefined) return [];
      return [{ withRespectTo: name, value: summarizeTensor(leaves.get(leaf) ?? zerosLike(leaf), style) }];
    });
  };

  /** For an array result with inputs (TypeScript), ∂result/∂input as a Jacobian, while it stays small enough to read. */
  const jacobiansOf = (tensor: Tensor): Partial[] => {
    if (outcome.inputs.length === 0 || tensor.numel > maxJacobianRows) return [];
    const jacobians = inspectJacobians(tensor, outcome.inputs);
    return outcome.inputs.flatMap((input, i) => {
      const name = names.get(input)?.[0];
      return name === undefined ? [] : [{ withRespectTo: name, value: summarizeTensor(jacobians[i], style) }];
    });
  };

  const assignments = outcome.assignments.map((assigned) => ({
    name: assigned.name,
    range: positions.range(assigned.span),
    value: summarizeValue(assigned.value, style),
    partials: partialsOf(assigned.value),
  }));

  const variables: VariableReport[] = [...outcome.variables.values()].map((assigned) => {
    const tensor = style.tensorOf(assigned.value);
    return {
      name: assigned.name,
      range: positions.range(assigned.span),
      value: summarizeValue(assigned.value, style),
      grad: tensor?.grad ? summarizeTensor(tensor.grad, style) : null,
      isLeaf: tensor ? isLeafOrUnreadable(tensor) : true,
      partials: partialsOf(assigned.value),
    };
  });

  const output = outcome.output && !isLeafOrUnreadable(outcome.output) ? outcome.output : undefined;
  const outputGradients = output ? gradientsOf(output) : undefined;
  const roots = [...outcome.assignments, ...outcome.variables.values()].flatMap((assigned) => style.tensorOf(assigned.value) ?? []);
  const graph = graphSnapshot({
    roots: output ? [...roots, output] : roots,
    output,
    gradients: outputGradients,
    names: withMemberNames(names, outcome, style),
    style,
    positions,
  });

  const diagnostics: ReportDiagnostic[] = [];
  if (outcome.error) {
    const error = outcome.error;
    diagnostics.push({
      message: `${error.type}: ${error.message}`,
      range: positions.range(error.sourceSpan ?? { from: 0, to: 0 }),
      severity: 'error',
      code: error.type,
    });
  }

  return {
    language: style.language,
    prints: outcome.prints.map((printed) => ({ range: positions.range(printed.span), text: printed.text })),
    assignments,
    variables,
    graph,
    diagnostics,
    missingInputs: outcome.missingInputs,
    timings: { parseMs: context.parseMs, runMs: context.runMs, reportMs: Date.now() - started },
  };
}

/**
 * Whether the tensor is a leaf, or a view whose history PyTorch refuses to make again (reading it
 * raises, as it did for the script): the report shows such a view's value and no gradients.
 */
export function isLeafOrUnreadable(tensor: Tensor): boolean {
  try {
    return tensor.isLeaf;
  } catch {
    return true;
  }
}

/** The names plus `model.layer1.weight` for the parameters of modules bound to variables: labels for the graph. */
function withMemberNames<Value>(names: ReadonlyMap<Tensor, string[]>, outcome: RunOutcome<Value>, style: ValueStyle<Value>): Map<Tensor, string[]> {
  const extended = new Map(names);
  if (!style.memberTensors) return extended;
  for (const assigned of outcome.variables.values()) {
    for (const [path, tensor] of style.memberTensors(assigned.value)) {
      if (!extended.has(tensor)) extended.set(tensor, [`${assigned.name}.${path}`]);
    }
  }
  return extended;
}

/** The variable names bound to each tensor, in the order they were bound. */
function namesOfTensors<Value>(outcome: RunOutcome<Value>, style: ValueStyle<Value>): Map<Tensor, string[]> {
  const names = new Map<Tensor, string[]>();
  for (const assigned of [...outcome.assignments, ...outcome.variables.values()]) {
    const tensor = style.tensorOf(assigned.value);
    if (!tensor || assigned.name === '') continue;
    const list = names.get(tensor) ?? [];
    if (!list.includes(assigned.name)) list.push(assigned.name);
    names.set(tensor, list);
  }
  return names;
}
