// Every op the engine has, by name: tables keyed by op (tests, the graph view) are checked against it.
import {
  addOp,
  divOp,
  mulOp,
  negOp,
  powOp,
  powScalarBaseOp,
  powScalarOp,
  reciprocalOp,
  rsubOp,
  subOp,
} from './arithmetic';
import { toDTypeOp } from './convert';
import type { OpDefinition } from './opDefinition';
import { expandOp, sumOp, sumToOp } from './reduce';
import { absOp, cosOp, expOp, logOp, signOp, sinOp, sqrtOp, tanhOp } from './unaryMath';

export const opRegistry = {
  add: addOp,
  sub: subOp,
  rsub: rsubOp,
  mul: mulOp,
  div: divOp,
  neg: negOp,
  reciprocal: reciprocalOp,
  powTensorScalar: powScalarOp,
  powTensorTensor: powOp,
  powScalarTensor: powScalarBaseOp,
  exp: expOp,
  log: logOp,
  sqrt: sqrtOp,
  sin: sinOp,
  cos: cosOp,
  tanh: tanhOp,
  abs: absOp,
  sign: signOp,
  sum: sumOp,
  sumTo: sumToOp,
  expand: expandOp,
  toDType: toDTypeOp,
} as const satisfies Record<string, OpDefinition<never>>;

export type OpName = keyof typeof opRegistry;
