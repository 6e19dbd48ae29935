// What `x.name` gives on a tensor: properties (grad, requires_grad, shape…) and bound methods.
import { tensorBackward } from '../../autograd/tensorBackward';
import { EngineError } from '../../errors';
import { add, div, mul, neg, pow, sub } from '../../ops/arithmetic';
import { toDType } from '../../ops/convert';
import { sum } from '../../ops/reduce';
import { abs, cos, exp, log, sin, sqrt, tanh } from '../../ops/unaryMath';
import { Tensor } from '../../tensor/tensor';
import { bindArguments } from './arguments';
import { dtypeArgument, pythonScalar, tolist, truthy } from './convert';
import { tensorOperand } from './operators';
import type { ScriptSession } from './session';
import { PyBuiltin, PyDType, PyGradFn, PyTuple, type PyValue, type Kwargs, typeError, typeName } from './values';

type Method = (tensor: Tensor, args: readonly PyValue[], kwargs: Kwargs, session: ScriptSession) => PyValue;

const noArguments = (name: string, body: (tensor: Tensor) => PyValue): Method => (tensor, args, kwargs) => {
  bindArguments(name, [], args, kwargs);
  return body(tensor);
};

const withOther = (name: string, op: (a: Tensor, b: Tensor) => Tensor): Method => (tensor, args, kwargs) => {
  const other = bindArguments(name, ['other'], args, kwargs).get('other') as PyValue;
  const operand = tensorOperand(other);
  if (!operand) throw typeError(`${name}(): argument 'other' (position 1) must be Tensor, not ${typeName(other)}`);
  return op(tensor, operand);
};

// Maps, not object literals: a script's attribute name must never reach Object.prototype.
const methods = new Map<string, Method>(Object.entries({
  backward: (tensor, args, kwargs, session) => {
    const bound = bindArguments('backward', ['gradient=', 'retain_graph=', 'create_graph=', 'inputs='], args, kwargs);
    const gradient = bound.get('gradient');
    if (gradient !== undefined && gradient !== null && !(gradient instanceof Tensor)) {
      throw typeError(`backward(): argument 'gradient' must be Tensor, not ${typeName(gradient)}`);
    }
    if (bound.get('inputs') !== undefined && bound.get('inputs') !== null) {
      throw new EngineError('NotImplementedError', "backward(inputs=...) is not supported yet");
    }
    const retainGraph = bound.get('retain_graph');
    const createGraph = bound.get('create_graph');
    tensorBackward(tensor, {
      ...(gradient instanceof Tensor ? { gradient } : {}),
      ...(retainGraph !== undefined && retainGraph !== null ? { retainGraph: truthy(retainGraph) } : {}),
      ...(createGraph !== undefined ? { createGraph: truthy(createGraph) } : {}),
    });
    session.recordBackward(tensor);
    return null;
  },
  item: noArguments('item', (tensor) => pythonScalar(tensor.item(), tensor.dtype)),
  tolist: noArguments('tolist', tolist),
  detach: noArguments('detach', (tensor) => tensor.detach()),
  requires_grad_: (tensor, args, kwargs) => {
    const value = bindArguments('requires_grad_', ['requires_grad='], args, kwargs).get('requires_grad');
    return tensor.setRequiresGrad(value === undefined ? true : truthy(value));
  },
  retain_grad: noArguments('retain_grad', (tensor) => {
    if (!tensor.requiresGrad) throw new EngineError('RuntimeError', "can't retain_grad on Tensor that has requires_grad=False");
    if (!tensor.isLeaf) tensor.retainsGrad = true;
    return null;
  }),
  dim: noArguments('dim', (tensor) => BigInt(tensor.ndim)),
  numel: noArguments('numel', (tensor) => BigInt(tensor.numel)),
  size: (tensor, args, kwargs) => {
    const dim = bindArguments('size', ['dim='], args, kwargs).get('dim');
    if (dim === undefined || dim === null) return new PyTuple(tensor.shape.map(BigInt), 'torch.Size');
    if (typeof dim !== 'bigint') throw typeError(`size(): argument 'dim' must be int, not ${typeName(dim)}`);
    const axis = Number(dim) < 0 ? tensor.ndim + Number(dim) : Number(dim);
    if (axis < 0 || axis >= tensor.ndim) {
      throw new EngineError('IndexError', `Dimension out of range (expected to be in range of [${-tensor.ndim}, ${tensor.ndim - 1}], but got ${dim})`);
    }
    return BigInt(tensor.shape[axis]);
  },
  to: (tensor, args, kwargs) => {
    const dtype = dtypeArgument(bindArguments('to', ['dtype'], args, kwargs).get('dtype'));
    return dtype ? toDType(tensor, dtype) : tensor;
  },
  float: noArguments('float', (tensor) => toDType(tensor, 'float32')),
  double: noArguments('double', (tensor) => toDType(tensor, 'float64')),
  long: noArguments('long', (tensor) => toDType(tensor, 'int64')),
  add: withOther('add', add),
  sub: withOther('sub', sub),
  mul: withOther('mul', mul),
  div: withOther('div', div),
  pow: withOther('pow', pow),
  neg: noArguments('neg', neg),
  exp: noArguments('exp', exp),
  log: noArguments('log', log),
  sqrt: noArguments('sqrt', sqrt),
  sin: noArguments('sin', sin),
  cos: noArguments('cos', cos),
  tanh: noArguments('tanh', tanh),
  abs: noArguments('abs', abs),
  sum: noArguments('sum', sum),
} satisfies Record<string, Method>));

const properties = new Map<string, (tensor: Tensor) => PyValue>(Object.entries({
  grad: (tensor) => tensor.grad,
  requires_grad: (tensor) => tensor.requiresGrad,
  is_leaf: (tensor) => tensor.isLeaf,
  grad_fn: (tensor) => (tensor.gradFn ? new PyGradFn(tensor.gradFn.name) : null),
  shape: (tensor) => new PyTuple(tensor.shape.map(BigInt), 'torch.Size'),
  dtype: (tensor) => new PyDType(tensor.dtype),
  ndim: (tensor) => BigInt(tensor.ndim),
  data: (tensor) => tensor.detach(),
} satisfies Record<string, (tensor: Tensor) => PyValue>));

export function tensorAttribute(tensor: Tensor, name: string, session: ScriptSession): PyValue | undefined {
  const property = properties.get(name);
  if (property) return property(tensor);
  const method = methods.get(name);
  if (method) return new PyBuiltin(name, (args, kwargs) => method(tensor, args, kwargs, session));
  return undefined;
}

export function setTensorAttribute(tensor: Tensor, name: string, value: PyValue): void {
  switch (name) {
    case 'requires_grad':
      tensor.setRequiresGrad(truthy(value));
      return;
    case 'grad':
      if (value !== null && !(value instanceof Tensor)) throw typeError(`assigned grad expected to be a Tensor or None but got grad of type ${typeName(value)}`);
      tensor.grad = value;
      return;
    default:
      throw new EngineError('AttributeError', `attribute '${name}' of 'torch._C.TensorBase' objects is not writable`);
  }
}
