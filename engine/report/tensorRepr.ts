// str(tensor) exactly as PyTorch writes it (torch/_tensor_str.py): element formatting, line
// wrapping, summarisation and the dtype / requires_grad / grad_fn suffixes.
import { type DType, defaultFloatDType, dtypeName, isFloatingPoint } from '../tensor/dtype';
import { contiguousStrides } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { formatExponent, formatFixed } from './decimalFormat';
import { type PrintOptions, printOptions } from './printOptions';

/** A strided window on a tensor's storage: printing slices along the first axis without copying. */
type View = { readonly data: ArrayLike<number>; readonly offset: number; readonly shape: readonly number[]; readonly strides: readonly number[] };

const viewOf = (tensor: Tensor): View => ({ data: tensor.data, offset: 0, shape: tensor.shape, strides: contiguousStrides(tensor.shape) });
const slice = (view: View, index: number): View => ({
  data: view.data,
  offset: view.offset + index * view.strides[0],
  shape: view.shape.slice(1),
  strides: view.strides.slice(1),
});

/** The values the formatter measures: all of them, or only the edges that a summary shows. */
function measuredValues(view: View, summarize: boolean, options: PrintOptions): number[] {
  if (view.shape.length === 0) return [view.data[view.offset]];
  const size = view.shape[0];
  const shown = summarize && size > 2 * options.edgeitems
    ? [...range(0, options.edgeitems), ...range(size - options.edgeitems, size)]
    : range(0, size);
  return shown.flatMap((i) => measuredValues(slice(view, i), summarize, options));
}

const range = (start: number, end: number) => Array.from({ length: end - start }, (_, i) => start + i);

/** torch._tensor_str._Formatter: one width and one mode (integer, fixed or scientific) for the whole tensor. */
class ElementFormatter {
  private intMode = true;
  private sciMode = false;
  private maxWidth = 1;

  constructor(
    values: readonly number[],
    private readonly dtype: DType,
    private readonly options: PrintOptions,
  ) {
    const precision = options.precision;
    if (!isFloatingPoint(dtype)) {
      for (const value of values) this.maxWidth = Math.max(this.maxWidth, this.plain(value).length);
      return;
    }
    const finite = values.filter((value) => Number.isFinite(value) && value !== 0);
    if (finite.length > 0) {
      const magnitudes = finite.map(Math.abs);
      const min = Math.min(...magnitudes);
      const max = Math.max(...magnitudes);
      this.intMode = finite.every((value) => value === Math.ceil(value));
      const wide = max / min > 1000 || max > 1e8;
      if (this.intMode) {
        this.sciMode = wide;
        for (const value of finite) {
          const width = wide ? formatExponent(value, precision).length : formatFixed(value, 0).length + 1;
          this.maxWidth = Math.max(this.maxWidth, width);
        }
      } else {
        this.sciMode = wide || min < 1e-4;
        for (const value of finite) {
          const text = this.sciMode ? formatExponent(value, precision) : formatFixed(value, precision);
          this.maxWidth = Math.max(this.maxWidth, text.length);
        }
      }
    }
    if (options.sciMode !== null) this.sciMode = options.sciMode;
  }

  get width(): number {
    return this.maxWidth;
  }

  format(value: number): string {
    let text: string;
    if (!isFloatingPoint(this.dtype)) text = this.plain(value);
    else if (this.sciMode) text = formatExponent(value, this.options.precision);
    else if (this.intMode) text = formatFixed(value, 0) + (Number.isFinite(value) ? '.' : '');
    else text = formatFixed(value, this.options.precision);
    return text.padStart(this.maxWidth);
  }

  private plain(value: number): string {
    return this.dtype === 'bool' ? (value ? 'True' : 'False') : String(value);
  }
}

function vectorString(view: View, indent: number, summarize: boolean, formatter: ElementFormatter, options: PrintOptions): string {
  const elementLength = formatter.width + 2;
  const perLine = Math.max(1, Math.floor((options.linewidth - indent) / elementLength));
  const size = view.shape[0];
  const at = (i: number) => formatter.format(view.data[view.offset + i * view.strides[0]]);
  const elements = summarize && size > 2 * options.edgeitems
    ? [...range(0, options.edgeitems).map(at), ' ...', ...range(size - options.edgeitems, size).map(at)]
    : range(0, size).map(at);
  const lines: string[] = [];
  for (let i = 0; i < elements.length; i += perLine) lines.push(elements.slice(i, i + perLine).join(', '));
  return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
}

function nestedString(view: View, indent: number, summarize: boolean, formatter: ElementFormatter, options: PrintOptions): string {
  const rank = view.shape.length;
  if (rank === 0) return formatter.format(view.data[view.offset]);
  if (rank === 1) return vectorString(view, indent, summarize, formatter, options);
  const size = view.shape[0];
  const inner = (i: number) => nestedString(slice(view, i), indent + 1, summarize, formatter, options);
  const slices = summarize && size > 2 * options.edgeitems
    ? [...range(0, options.edgeitems).map(inner), '...', ...range(size - options.edgeitems, size).map(inner)]
    : range(0, size).map(inner);
  return `[${slices.join(`,${'\n'.repeat(rank - 1)}${' '.repeat(indent + 1)}`)}]`;
}

/** The bracketed data part of a tensor's repr, as torch._tensor_str._tensor_str writes it. */
export function tensorDataString(tensor: Tensor, indent: number, options: PrintOptions = printOptions): string {
  if (tensor.numel === 0) return '[]';
  const view = viewOf(tensor);
  const summarize = tensor.numel > options.threshold;
  const formatter = new ElementFormatter(measuredValues(view, summarize, options), tensor.dtype, options);
  return nestedString(view, indent, summarize, formatter, options);
}

function addSuffixes(text: string, suffixes: readonly string[], indent: number, options: PrintOptions): string {
  let lastLineLength = text.length - text.lastIndexOf('\n') + 1;
  let result = text;
  for (const suffix of suffixes) {
    if (lastLineLength + suffix.length + 2 > options.linewidth) {
      result += `,\n${' '.repeat(indent)}${suffix}`;
      lastLineLength = indent + suffix.length;
    } else {
      result += `, ${suffix}`;
      lastLineLength += suffix.length + 2;
    }
  }
  return `${result})`;
}

/** repr(tensor) and str(tensor), which are the same for tensors. */
export function tensorRepr(tensor: Tensor, options: PrintOptions = printOptions): string {
  const prefix = 'tensor(';
  const indent = prefix.length;
  const suffixes: string[] = [];
  if (tensor.numel === 0) {
    if (tensor.ndim !== 1) suffixes.push(`size=(${tensor.shape.join(', ')})`);
    if (tensor.dtype !== defaultFloatDType) suffixes.push(`dtype=${dtypeName(tensor.dtype)}`);
  } else if (!(tensor.dtype === defaultFloatDType || tensor.dtype === 'int64' || tensor.dtype === 'bool')) {
    suffixes.push(`dtype=${dtypeName(tensor.dtype)}`);
  }
  if (tensor.gradFnName !== undefined) suffixes.push(`grad_fn=<${tensor.gradFnName}>`);
  else if (tensor.requiresGrad) suffixes.push('requires_grad=True');
  return addSuffixes(prefix + tensorDataString(tensor, indent, options), suffixes, indent, options);
}
