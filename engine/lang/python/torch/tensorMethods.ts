// What `x.name` gives on a tensor: properties (grad, requires_grad, shape, grad_fn…), the shared
// tensor functions as methods, Tensor-only methods (backward, item, view…), and in-place `_`
// variants, which run the function on the tensor's values and write the result back.
import { registerHook, retainGrad } from '../../../autograd/hooks';
import { tensorBackward } from '../../../autograd/tensorBackward';
import { EngineError } from '../../../errors';
import { toDType } from '../../../ops/convert';
import { applyInPlace, copyInto, fillInPlace, zeroInPlace } from '../../../ops/inPlace';
import { repeat } from '../../../ops/joins';
import { where } from '../../../ops/selection';
import * as views from '../../../ops/views';
import { type DType, isFloatingPoint, legacyTypeName, scalarTypeNames } from '../../../tensor/dtype';
import { generator } from '../../../tensor/random';
import { Tensor } from '../../../tensor/tensor';
import { pythonScalar, tolist, truthy } from '../convert';
import type { ScriptSession } from '../session';
import { PyDevice, PyDType, PyTuple, type PyValue, typeError, typeName } from '../values';
import { PyGradFn } from './gradFn';
import { PyRemovableHandle } from './removableHandle';
import { type Args, type Site, boundMethod, parseSignature } from './signature';
import { type TensorFunction, tensorFunctions } from './tensorFunctions';

type Method = { readonly signature: string; readonly body: (args: Args, site: Site, session: ScriptSession) => PyValue };
const method = (signature: string, body: Method['body']): Method => ({ signature, body });

const self = (a: Args) => a.tensor('self');
const converted = (dtype: DType) => method(`${dtype}(self)`, (a) => toDType(self(a), dtype));

const methods: readonly Method[] = [
  method('backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None)', (a, _site, session) => {
    const createGraph = a.bool('create_graph');
    const inputs = a.raw('inputs');
    tensorBackward(self(a), {
      ...(a.has('gradient') ? { gradient: a.tensor('gradient') } : {}),
      ...(a.has('retain_graph') ? { retainGraph: a.bool('retain_graph') } : {}),
      ...(inputs instanceof Tensor ? { inputs: [inputs] } : a.has('inputs') ? { inputs: a.tensors('inputs') } : {}),
      createGraph,
    });
    session.recordBackward(self(a));
    return null;
  }),
  method('item(self)', (a) => pythonScalar(self(a).item(), self(a).dtype)),
  method('tolist(self)', (a) => tolist(self(a))),
  method('detach(self)', (a) => self(a).detach()),
  method('requires_grad_(self, requires_grad=True)', (a) => {
    // The method words its refusal differently from the requires_grad= argument and attribute.
    if (a.bool('requires_grad') && !isFloatingPoint(self(a).dtype)) throw new EngineError('RuntimeError', 'only Tensors of floating point dtype can require gradients');
    return self(a).setRequiresGrad(a.bool('requires_grad'));
  }),
  method('retain_grad(self)', (a) => {
    const t = self(a);
    if (!t.requiresGrad) throw new EngineError('RuntimeError', "can't retain_grad on Tensor that has requires_grad=False");
    if (!t.isLeaf) retainGrad(t);
    return null;
  }),
  method('register_hook(self, hook)', (a, site) => {
    const t = self(a);
    if (!t.requiresGrad) throw new EngineError('RuntimeError', "cannot register a hook on a tensor that doesn't require gradient");
    const hook = a.raw('hook') as PyValue;
    const call = site.call;
    const remove = registerHook(t, (gradient) => {
      const result = call(hook, [gradient]);
      if (result === null) return undefined;
      if (!(result instanceof Tensor)) throw typeError(`hook returned ${typeName(result)}, expected a Tensor or None`);
      return result;
    });
    return new PyRemovableHandle(remove);
  }),
  method('dim(self)', (a) => BigInt(self(a).ndim)),
  method('ndimension(self)', (a) => BigInt(self(a).ndim)),
  method('size(self, dim=None)', (a) => {
    const t = self(a);
    if (!a.has('dim')) return new PyTuple(t.shape.map(BigInt), 'torch.Size');
    const dim = a.int('dim');
    const axis = dim < 0 ? dim + t.ndim : dim;
    if (axis < 0 || axis >= t.ndim) {
      throw new EngineError('IndexError', `Dimension out of range (expected to be in range of [${-t.ndim}, ${t.ndim - 1}], but got ${dim})`);
    }
    return BigInt(t.shape[axis]);
  }),
  method('view(self, *shape)', (a) => views.view(self(a), a.intList('shape'))),
  method('view_as(self, other)', (a) => views.view(self(a), a.tensor('other').shape)),
  method('reshape_as(self, other)', (a) => views.reshape(self(a), a.tensor('other').shape)),
  method('expand(self, *sizes)', (a) => views.expand(self(a), a.intList('sizes'))),
  method('expand_as(self, other)', (a) => views.expand(self(a), a.tensor('other').shape)),
  method('repeat(self, *repeats)', (a) => repeat(self(a), a.intList('repeats'))),
  method('contiguous(self)', (a) => views.contiguous(self(a))),
  method('is_contiguous(self)', (a) => self(a).isContiguous),
  method('_is_view(self)', (a) => self(a).base !== null),
  method('to(self, dtype=None)', (a) => {
    const target = a.raw('dtype');
    if (target instanceof PyDType) return toDType(self(a), target.dtype);
    // Devices: everything runs here, so .to('cpu') and .to(device) keep the tensor.
    return self(a);
  }),
  method('cpu(self)', (a) => self(a)),
  method('numpy(self)', () => {
    throw new EngineError('NotImplementedError', 'numpy is not available in Gradient Lens tensor scripts; use .tolist() instead');
  }),
  method('type(self, dtype=None)', (a) => (a.has('dtype') ? toDType(self(a), a.dtype('dtype') as DType) : `torch.${legacyTypeName(self(a).dtype)}`)),
  { ...converted('float32'), signature: 'float(self)' },
  { ...converted('float64'), signature: 'double(self)' },
  { ...converted('int64'), signature: 'long(self)' },
  { ...converted('int64'), signature: 'int(self)' },
  { ...converted('bool'), signature: 'bool(self)' },
  method('where(self, condition, other)', (a) => where(a.tensor('condition'), self(a), a.tensorOrNumber('other'))),
  // in-place initialisation, as nn.init and hand-written training loops use
  method('zero_(self)', (a) => zeroInPlace(self(a))),
  method('fill_(self, value)', (a) => fillInPlace(self(a), a.raw('value') instanceof Tensor ? a.tensor('value') : a.float('value'))),
  method('copy_(self, src)', (a) => copyInto(self(a), a.tensor('src'))),
  method('normal_(self, mean=0, std=1)', (a) => fillRandom(self(a), () => a.float('mean') + a.float('std') * generator.normal())),
  method('uniform_(self, a=0, b=1)', (a) => fillRandom(self(a), () => a.float('a') + (a.float('b') - a.float('a')) * generator.uniform())),
  method('detach_(self)', (a) => {
    const t = self(a);
    t.gradFn = null;
    t.requiresGrad = false;
    return t;
  }),
];

function fillRandom(t: Tensor, draw: () => number): Tensor {
  if (!isFloatingPoint(t.dtype)) throw new EngineError('RuntimeError', `"normal_kernel_cpu" not implemented for '${scalarTypeNames[t.dtype]}'`);
  const values = new Tensor(Float64Array.from({ length: t.numel }, draw), t.shape, 'float64');
  return copyInto(t, values);
}


/** The in-place form of a tensor function: `x.add_(y)` is `x = x.add(y)` written into x's storage. */
function inPlaceVariant(entry: TensorFunction): Method {
  const signature = parseSignature(entry.signature);
  const name = `${signature.name}_`;
  const text = entry.signature.replace(/^\w+\(input/, `${name}(self`);
  return method(text, (a, site) => applyInPlace(self(a), (current) => entry.body(a.with('input', current).with('self', current), site) as Tensor));
}

const inPlaceNames = new Set([
  'add', 'sub', 'mul', 'div', 'pow', 'neg', 'abs', 'exp', 'log', 'sqrt', 'sin', 'cos', 'tanh', 'sigmoid', 'relu',
  'clamp', 'clamp_min', 'clamp_max', 'masked_fill', 'reciprocal', 'sign', 'square', 'floor_divide', 'remainder',
]);

/** Functions read `input`; as methods, the receiver arrives as `self`, so both names are bound. */
function asMethod(entry: TensorFunction): Method {
  const text = entry.signature.replace(/^(\w+)\(input/, '$1(self');
  return method(text, (a, site) => entry.body(a.with('input', a.raw('self') as PyValue), site));
}

const methodTable = new Map<string, Method>();
for (const entry of tensorFunctions) {
  methodTable.set(parseSignature(entry.signature).name, asMethod(entry));
  if (inPlaceNames.has(parseSignature(entry.signature).name)) {
    const variant = inPlaceVariant(entry);
    methodTable.set(parseSignature(variant.signature).name, variant);
  }
}
for (const entry of methods) methodTable.set(parseSignature(entry.signature).name, entry);

// Maps, not object literals: a script's attribute name must never reach Object.prototype.
const properties = new Map<string, (tensor: Tensor) => PyValue>([
  ['grad', (t) => t.grad],
  ['requires_grad', (t) => t.requiresGrad],
  ['is_leaf', (t) => t.isLeaf],
  ['grad_fn', (t) => (t.gradFn ? PyGradFn.of(t.gradFn) : null)],
  ['shape', (t) => new PyTuple(t.shape.map(BigInt), 'torch.Size')],
  ['dtype', (t) => PyDType.of(t.dtype)],
  ['ndim', (t) => BigInt(t.ndim)],
  ['data', (t) => t.dataAlias()],
  ['T', (t) => views.permute(t, t.shape.map((_, axis) => t.ndim - 1 - axis))],
  ['mT', (t) => views.transpose(t, -2, -1)],
  ['device', () => PyDevice.of('cpu')],
  ['_version', (t) => BigInt(t.version)],
  ['_base', (t) => t.base],
  ['is_cuda', () => false],
]);

export function tensorAttribute(tensor: Tensor, name: string, session: ScriptSession): PyValue | undefined {
  const property = properties.get(name);
  if (property) return property(tensor);
  const entry = methodTable.get(name);
  if (entry) return boundMethod(entry.signature, tensor, (args, site) => entry.body(args, site, session));
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
    case 'data':
      if (!(value instanceof Tensor)) throw typeError(`data must be a Tensor, not ${typeName(value)}`);
      copyIntoIgnoringHistory(tensor, value);
      return;
    default:
      throw new EngineError('AttributeError', `attribute '${name}' of 'torch._C.TensorBase' objects is not writable`);
  }
}

/** x.data = v: replaces the values outside autograd's view, as PyTorch does. */
function copyIntoIgnoringHistory(tensor: Tensor, value: Tensor): void {
  if (value.numel !== tensor.numel) throw new EngineError('RuntimeError', 'setting .data with a tensor of another size is not supported');
  tensor.storage.data.set(value.data);
}
