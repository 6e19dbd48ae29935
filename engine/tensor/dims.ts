// Dimension arguments as PyTorch reads them: negative dims count from the end, with PyTorch's message when out of range.
import { EngineError } from '../errors';

export function normalizeDim(dim: number, ndim: number): number {
  // A 0-d tensor accepts dim 0 and -1, as if it had one axis.
  const rank = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -rank || dim >= rank) {
    throw new EngineError('IndexError', `Dimension out of range (expected to be in range of [${-rank}, ${rank - 1}], but got ${dim})`);
  }
  return dim < 0 ? dim + rank : dim;
}

/** Several dims, normalised, each at most once. */
export function normalizeDims(dims: readonly number[], ndim: number): number[] {
  const result = dims.map((dim) => normalizeDim(dim, ndim));
  const repeated = result.find((dim, i) => result.indexOf(dim) !== i);
  if (repeated !== undefined) throw new EngineError('RuntimeError', `dim ${repeated} appears multiple times in the list of dims`);
  return result;
}
