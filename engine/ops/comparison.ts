// Comparisons and logical ops: bool results, so they never enter the graph (no gradient flows
// through a bool), but backward rules use them as masks.
import type { Tensor } from '../tensor/tensor';
import { apply } from './apply';
import { binaryElementwise, unaryOp } from './elementwise';
import type { OpDefinition } from './opDefinition';
import { type Operand, asTensor } from './operands';

const noGradient = () => [];

function comparison(name: string, test: (x: number, y: number) => boolean): OpDefinition {
  return { name, nodeName: `${name[0].toUpperCase()}${name.slice(1)}Backward0`, ...binaryElementwise((x, y) => (test(x, y) ? 1 : 0), 'bool'), backward: noGradient };
}

export const eqOp = comparison('eq', (x, y) => x === y);
export const neOp = comparison('ne', (x, y) => x !== y);
export const ltOp = comparison('lt', (x, y) => x < y);
export const leOp = comparison('le', (x, y) => x <= y);
export const gtOp = comparison('gt', (x, y) => x > y);
export const geOp = comparison('ge', (x, y) => x >= y);
export const logicalAndOp = comparison('logical_and', (x, y) => x !== 0 && y !== 0);
export const logicalOrOp = comparison('logical_or', (x, y) => x !== 0 || y !== 0);
export const logicalNotOp = unaryOp({ name: 'logical_not', nodeName: 'LogicalNotBackward0', kernel: (x) => (x === 0 ? 1 : 0), backward: (g) => g, dtype: 'bool' });

const compare = (op: OpDefinition) => (a: Operand, b: Operand) => apply(op, [asTensor(a), asTensor(b)], undefined);
export const eq = compare(eqOp);
export const ne = compare(neOp);
export const lt = compare(ltOp);
export const le = compare(leOp);
export const gt = compare(gtOp);
export const ge = compare(geOp);
export const logicalAnd = compare(logicalAndOp);
export const logicalOr = compare(logicalOrOp);
export const logicalNot = (a: Tensor): Tensor => apply(logicalNotOp, [a], undefined);
