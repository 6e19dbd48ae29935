// tensor[...] and tensor[...] = value: ints, slices (with steps), None and Ellipsis make views;
// integer tensors, lists of ints and bool masks index NumPy-style. Assignment writes in place.
import { EngineError } from '../../../errors';
import { index, indexPut, maskIndices } from '../../../ops/indexing';
import { applyInPlace, copyInto } from '../../../ops/inPlace';
import { alias, select, slice, unsqueeze } from '../../../ops/views';
import { tensorFromNested } from '../../../tensor/create';
import { Tensor } from '../../../tensor/tensor';
import { nestedScalars } from '../convert';
import { tensorOperand } from '../operators';
import { PyList, PyTuple, type PyValue, typeError, typeName } from '../values';

export type IndexItem =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'slice'; readonly start?: number; readonly stop?: number; readonly step?: number }
  | { readonly kind: 'none' }
  | { readonly kind: 'ellipsis' }
  | { readonly kind: 'tensor'; readonly tensor: Tensor };

/** A Python index value (from tensor[value]) as an item. */
export function indexItem(value: PyValue): IndexItem {
  if (value === null) return { kind: 'none' };
  if (typeof value === 'bigint') return { kind: 'int', value: Number(value) };
  if (typeof value === 'boolean') throw new EngineError('NotImplementedError', 'indexing with a Python bool is not supported yet');
  if (value instanceof Tensor) {
    if (value.dtype === 'float32' || value.dtype === 'float64') throw new EngineError('IndexError', 'tensors used as indices must be long, int, byte or bool tensors');
    if (value.ndim === 0 && value.dtype === 'int64') return { kind: 'int', value: value.item() };
    return { kind: 'tensor', tensor: value };
  }
  if (value instanceof PyList || value instanceof PyTuple) return { kind: 'tensor', tensor: tensorFromNested(nestedScalars(value)) };
  throw new EngineError('IndexError', `only integers, slices (\`:\`), ellipsis (\`...\`), None and long or byte Variables are valid indices (got ${typeName(value)})`);
}

/** How many of the tensor's dims an item consumes. */
const consumed = (item: IndexItem) => (item.kind === 'int' || item.kind === 'slice' ? 1 : item.kind === 'tensor' ? (item.tensor.dtype === 'bool' ? item.tensor.ndim : 1) : 0);

/** Basic indexing as views, then the advanced (tensor) indices that remain, by dim of the view. */
function resolve(tensor: Tensor, items: readonly IndexItem[]): { view: Tensor; advanced: (Tensor | null)[] } {
  const ellipses = items.filter((item) => item.kind === 'ellipsis').length;
  if (ellipses > 1) throw new EngineError('IndexError', 'an index can only have a single ellipsis (\'...\')');
  const used = items.reduce((n, item) => n + consumed(item), 0);
  if (used > tensor.ndim) throw new EngineError('IndexError', `too many indices for tensor of dimension ${tensor.ndim}`);
  const expanded = items.flatMap((item): IndexItem[] => (item.kind === 'ellipsis' ? new Array<IndexItem>(tensor.ndim - used).fill({ kind: 'slice' }) : [item]));
  let view = tensor;
  let dim = 0;
  const advanced: (Tensor | null)[] = [];
  for (const item of expanded) {
    switch (item.kind) {
      case 'int':
        view = select(view, dim, item.value);
        break;
      case 'slice':
        // An explicit slice covering the whole dim adds nothing, as PyTorch's applySlicing skips it
        // (`x[:, 0:3]` of 3 columns); a bare `:` is still a slice.
        if (!coversWholeDim(item, view.shape[dim])) view = slice(view, dim, item.start, item.stop, item.step ?? 1);
        advanced[dim] ??= null;
        dim++;
        break;
      case 'none':
        view = unsqueeze(view, dim);
        advanced[dim] ??= null;
        dim++;
        break;
      case 'tensor':
        if (item.tensor.dtype === 'bool') {
          checkMask(item.tensor, view, dim);
          for (const column of maskIndices(item.tensor)) advanced[dim++] = column;
        } else {
          advanced[dim++] = item.tensor;
        }
        break;
      case 'ellipsis':
        break;
      default:
        return item satisfies never;
    }
  }
  return { view, advanced };
}

function checkMask(mask: Tensor, view: Tensor, dim: number): void {
  mask.shape.forEach((size, i) => {
    if (size !== view.shape[dim + i]) {
      throw new EngineError('IndexError', `The shape of the mask [${mask.shape.join(', ')}] at index ${i} does not match the shape of the indexed tensor [${view.shape.join(', ')}] at index ${dim + i}`);
    }
  });
}

/** A slice with an explicit start of 0, a stop at least the dim's size and step 1. */
function coversWholeDim(item: Extract<IndexItem, { kind: 'slice' }>, size: number): boolean {
  return item.start === 0 && item.stop !== undefined && item.stop >= size && (item.step ?? 1) === 1;
}

export function getItem(tensor: Tensor, items: readonly IndexItem[]): Tensor {
  const { view, advanced } = resolve(tensor, items);
  if (advanced.some((entry) => entry)) return index(view, advanced);
  // An index that made no view (x[...], x[:, 0:n]) still returns a new view of the elements.
  return view === tensor ? alias(tensor) : view;
}

export function setItem(tensor: Tensor, items: readonly IndexItem[], value: PyValue): void {
  const source = value instanceof PyList || value instanceof PyTuple ? tensorFromNested(nestedScalars(value)) : tensorOperand(value);
  if (!source) throw typeError(`can't assign a ${typeName(value)} to a ${tensor.dtype === 'float32' ? 'torch.FloatTensor' : 'Tensor'}`);
  const { view, advanced } = resolve(tensor, items);
  if (advanced.some((entry) => entry)) applyInPlace(view, (current) => indexPut(current, advanced, source));
  else copyInto(view, source);
}
