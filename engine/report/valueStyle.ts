// How a language shows its values: the report asks the language, so that a Python run reads like
// PyTorch (`63.`, `tensor(93.)`) and a TypeScript run like JavaScript (`63`).
import type { ScriptLanguage, ValueSummary } from '../../protocol/runReport';
import { dtypeName } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';

export interface ValueStyle<Value> {
  readonly language: ScriptLanguage;
  tensorOf(value: Value): Tensor | undefined;
  /** The elements alone, as shown after a line: `63.` in Python, `63` in TypeScript. */
  tensorText(tensor: Tensor): string;
  /** The whole tensor as print shows it: `tensor(93.)` in Python. */
  tensorRepr(tensor: Tensor): string;
  /** What print/console.log would show for the value. */
  displayText(value: Value): string;
  typeName(value: Value): string;
  /** Tensors a value holds under names of their own (a module's parameters: `layer1.weight`), for the graph's labels. */
  memberTensors?(value: Value): Iterable<readonly [string, Tensor]>;
}

export function summarizeTensor<Value>(tensor: Tensor, style: ValueStyle<Value>): ValueSummary {
  const gradFn = readableGradFnName(tensor);
  return {
    kind: 'tensor',
    shape: [...tensor.shape],
    dtype: dtypeName(tensor.dtype),
    text: style.tensorText(tensor),
    // A view whose history PyTorch would refuse to make again (its printing raises) shows its values alone.
    repr: gradFn === null ? style.tensorRepr(tensor.detach()) : style.tensorRepr(tensor),
    requiresGrad: tensor.requiresGrad,
    ...(gradFn ? { gradFn } : {}),
  };
}

/** grad_fn's name; null where reading it raises (a view written through after it was made in no_grad mode). */
function readableGradFnName(tensor: Tensor): string | undefined | null {
  try {
    return tensor.gradFnName;
  } catch {
    return null;
  }
}

export function summarizeValue<Value>(value: Value, style: ValueStyle<Value>): ValueSummary {
  const tensor = style.tensorOf(value);
  if (tensor) return summarizeTensor(tensor, style);
  return { kind: 'value', type: style.typeName(value), text: displayTextOrError(value, style) };
}

/** What print shows, or why it raised (as it did for the script: a view whose history cannot be made again). */
function displayTextOrError<Value>(value: Value, style: ValueStyle<Value>): string {
  try {
    return style.displayText(value);
  } catch (error) {
    return `<${style.typeName(value)}: ${error instanceof Error ? error.message : String(error)}>`;
  }
}
