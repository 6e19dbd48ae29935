// Every op the engine has, by name: tables keyed by op (tests, the graph view) are checked against it.
import { leakyReluOp, eluOp, erfOp, geluOp, reluOp, sigmoidOp, siluOp, softplusOp } from './activations';
import { addOp, divOp, mulOp, negOp, powOp, powScalarBaseOp, powScalarOp, reciprocalOp, rsubOp, subOp } from './arithmetic';
import { eqOp, geOp, gtOp, leOp, logicalAndOp, logicalNotOp, logicalOrOp, ltOp, neOp } from './comparison';
import { toDTypeOp } from './convert';
import type { OpDefinition } from './opDefinition';
import { expandOp, sumOp, sumToOp } from './reduce';
import { clampOp, maximumOp, minimumOp, whereOp } from './selection';
import { absOp, cosOp, expOp, log1pOp, logOp, rsqrtOp, signOp, sinOp, sqrtOp, tanOp, tanhOp } from './unaryMath';

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
  log1p: log1pOp,
  sqrt: sqrtOp,
  rsqrt: rsqrtOp,
  sin: sinOp,
  cos: cosOp,
  tan: tanOp,
  tanh: tanhOp,
  abs: absOp,
  sign: signOp,
  sigmoid: sigmoidOp,
  relu: reluOp,
  leakyRelu: leakyReluOp,
  elu: eluOp,
  gelu: geluOp,
  erf: erfOp,
  silu: siluOp,
  softplus: softplusOp,
  clamp: clampOp,
  minimum: minimumOp,
  maximum: maximumOp,
  where: whereOp,
  eq: eqOp,
  ne: neOp,
  lt: ltOp,
  le: leOp,
  gt: gtOp,
  ge: geOp,
  logicalAnd: logicalAndOp,
  logicalOr: logicalOrOp,
  logicalNot: logicalNotOp,
  sum: sumOp,
  sumTo: sumToOp,
  expand: expandOp,
  toDType: toDTypeOp,
} as const satisfies Record<string, OpDefinition<never>>;

export type OpName = keyof typeof opRegistry;
