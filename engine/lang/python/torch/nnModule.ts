// torch.nn: Module (parameters, named_parameters, zero_grad, train/eval), Parameter, and the layers
// and losses tutorials use. A layer's forward is the matching torch.nn.functional call.
import * as activations from '../../../ops/activations';
import { conv2d } from '../../../ops/convolution';
import * as neural from '../../../ops/neural';
import { maxPool2d } from '../../../ops/pooling';
import { logSoftmax, softmax } from '../../../ops/scan';
import { tanh } from '../../../ops/unaryMath';
import { flatten } from '../../../ops/views';
import { EngineError } from '../../../errors';
import { rand } from '../../../tensor/factories';
import { Tensor } from '../../../tensor/tensor';
import { sub, mul } from '../../../ops/arithmetic';
import { withGradMode } from '../../../autograd/gradMode';
import { zeroGradients } from '../../../optim/zeroGrad';
import { type CallSite, type Kwargs, PyBuiltin, PyList, PyModule, PyObject, PyTuple, type PyValue, typeError, typeName } from '../values';
import { type Args, builtin } from './signature';
import { functionalModule } from './functionalModule';
import { parameters } from './parameters';
import { PyClass, bindToInstance } from '../classes';


export function makeParameter(tensor: Tensor, requiresGrad = true): Tensor {
  const parameter = tensor.detach();
  parameter.requiresGrad = requiresGrad;
  parameters.add(parameter);
  return parameter;
}

type Forward = (module: PyNnModule, args: readonly PyValue[], kwargs: Kwargs, site: CallSite) => PyValue;

/** An nn.Module: attributes in the order they were set; parameters and submodules found among them. */
export class PyNnModule extends PyObject {
  readonly attributes = new Map<string, PyValue>();
  training = true;
  /** nn.Module, or the script's subclass of it whose methods this module has. */
  override cls: PyClass | undefined = undefined;

  constructor(
    readonly typeName: string,
    private readonly forward: Forward,
    private readonly extraRepr: () => string = () => '',
  ) {
    super();
  }

  override getAttribute(name: string): PyValue | undefined {
    if (this.attributes.has(name)) return this.attributes.get(name);
    if (name === 'training') return this.training;
    const inherited = this.cls?.lookup(name);
    if (inherited !== undefined) return bindToInstance(inherited, this);
    return this.methods().get(name);
  }

  override setAttribute(name: string, value: PyValue): boolean {
    if (name === 'training') this.training = value === true;
    else this.attributes.set(name, value);
    return true;
  }

  override invoke(args: readonly PyValue[], kwargs: Kwargs, site: CallSite): PyValue {
    return this.forward(this, args, kwargs, site);
  }

  override getItem(key: PyValue): PyValue {
    const children = this.children();
    if (typeof key !== 'bigint') throw typeError(`${this.typeName} indices must be integers, not ${typeName(key)}`);
    const index = Number(key) < 0 ? children.length + Number(key) : Number(key);
    if (index < 0 || index >= children.length) throw new EngineError('IndexError', `index ${key} is out of range`);
    return children[index];
  }

  override length(): number {
    return this.children().length;
  }

  children(): PyNnModule[] {
    return [...this.attributes.values()].filter((value): value is PyNnModule => value instanceof PyNnModule);
  }

  /** (qualified name, parameter) pairs, each parameter once, in registration order. */
  namedParameters(prefix = '', seen = new Set<Tensor>()): [string, Tensor][] {
    const found: [string, Tensor][] = [];
    for (const [name, value] of this.attributes) {
      if (value instanceof Tensor && parameters.has(value) && !seen.has(value)) {
        seen.add(value);
        found.push([prefix + name, value]);
      } else if (value instanceof PyNnModule) {
        found.push(...value.namedParameters(`${prefix}${name}.`, seen));
      }
    }
    return found;
  }

  /** PyTorch's module repr: one line, or the children indented between parentheses. */
  override repr(): string {
    const children = [...this.attributes].filter(([, value]) => value instanceof PyNnModule) as [string, PyNnModule][];
    if (children.length === 0) return `${this.typeName}(${this.extraRepr()})`;
    const lines = children.map(([name, child]) => `  (${name}): ${child.repr().split('\n').join('\n  ')}`);
    return `${this.typeName}(\n${lines.join('\n')}\n)`;
  }

  private setTraining(mode: boolean): void {
    this.training = mode;
    for (const child of this.children()) child.setTraining(mode);
  }

  private methods(): Map<string, PyValue> {
    return new Map<string, PyValue>([
      ['parameters', builtin('parameters(recurse=True)', () => new PyList(this.namedParameters().map(([, p]) => p)))],
      ['named_parameters', builtin("named_parameters(prefix='', recurse=True)", (a) => new PyList(this.namedParameters(a.string('prefix') ? `${a.string('prefix')}.` : '').map(([n, p]) => new PyTuple([n, p]))))],
      ['children', builtin('children()', () => new PyList(this.children()))],
      ['named_children', builtin('named_children()', () => new PyList([...this.attributes].filter(([, v]) => v instanceof PyNnModule).map(([n, v]) => new PyTuple([n, v]))))],
      [
        'zero_grad',
        builtin('zero_grad(set_to_none=True)', (a) => (zeroGradients(this.namedParameters().map(([, p]) => p), a.bool('set_to_none')), null)),
      ],
      ['train', builtin('train(mode=True)', (a) => (this.setTraining(a.bool('mode')), this))],
      ['eval', builtin('eval()', () => (this.setTraining(false), this))],
      ['requires_grad_', builtin('requires_grad_(requires_grad=True)', (a) => {
        for (const [, p] of this.namedParameters()) p.requiresGrad = a.bool('requires_grad');
        return this;
      })],
      ['forward', new PyBuiltin('forward', (args, kwargs, site) => this.forward(this, args, kwargs, site))],
    ]);
  }
}

/** A uniform initialisation in ±1/√fan_in: what PyTorch's default init amounts to for weights and biases. */
function uniformParameter(shape: number[], fanIn: number): Tensor {
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  const values = withGradMode(false, () => sub(mul(rand(shape), 2 * bound), bound));
  return makeParameter(values);
}

const one = (name: string) => (args: readonly PyValue[]) => {
  const input = args[0];
  if (!(input instanceof Tensor)) throw typeError(`${name}.forward() expects a Tensor, not ${typeName(input ?? null)}`);
  return input;
};

/** A layer without parameters whose forward is one function of its input. */
function stateless(signature: string, typeName: string, apply: (input: Tensor, a: Args) => Tensor, extraRepr: (a: Args) => string = () => '') {
  return builtin(signature, (a) => new PyNnModule(typeName, (_, args) => apply(one(typeName)(args), a), () => extraRepr(a)));
}

/** A loss module: forward(input, target) is the functional loss with the module's options. */
function loss(signature: string, typeName: string, compute: (input: Tensor, target: Tensor, a: Args) => Tensor) {
  return builtin(signature, (a) =>
    new PyNnModule(typeName, (_, args) => {
      const [input, target] = args;
      if (!(input instanceof Tensor) || !(target instanceof Tensor)) throw typeError(`${typeName}.forward() expects (input, target) tensors`);
      return compute(input, target, a);
    }),
  );
}

/**
 * nn.Module as a class a script subclasses: instances are modules whose forward is the subclass's
 * `forward`, and `super().__init__()` has nothing to set up.
 */
function moduleClass(): PyClass {
  const init = builtin('__init__(self=None, *args, **kwargs)', () => null);
  const forwardOfClass: Forward = (module, args, kwargs, site) => {
    const forward = module.cls?.lookup('forward');
    if (forward === undefined) throw new EngineError('NotImplementedError', `Module [${module.typeName}] is missing the required "forward" function`);
    return site.call(bindToInstance(forward, module), args, kwargs);
  };
  return new PyClass(
    'Module',
    [],
    new Map<string, PyValue>([['__init__', init]]),
    (cls) => {
      const module = new PyNnModule(cls.name, forwardOfClass);
      module.cls = cls;
      return module;
    },
    'torch.nn',
  );
}

export function nnModule(): PyModule {
  const Module = moduleClass();
  const layers: PyBuiltin[] = [
    builtin('Parameter(data=None, requires_grad=True)', (a) => makeParameter(a.tensor('data'), a.bool('requires_grad'))),
    builtin('Linear(in_features, out_features, bias=True, device=None, dtype=None)', (a) => {
      const [inputs, outputs] = [a.int('in_features'), a.int('out_features')];
      const module = new PyNnModule('Linear', (m, args) => neural.linear(one('Linear')(args), m.attributes.get('weight') as Tensor, (m.attributes.get('bias') ?? undefined) as Tensor | undefined), () => `in_features=${inputs}, out_features=${outputs}, bias=${a.bool('bias') ? 'True' : 'False'}`);
      module.attributes.set('weight', uniformParameter([outputs, inputs], inputs));
      module.attributes.set('bias', a.bool('bias') ? uniformParameter([outputs], inputs) : null);
      return module;
    }),
    builtin('Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode=\'zeros\', device=None, dtype=None)', (a) => {
      const [inputs, outputs] = [a.int('in_channels'), a.int('out_channels')];
      const pair = (name: string) => {
        const dims = a.dims(name) ?? 0;
        return typeof dims === 'number' ? [dims, dims] : dims;
      };
      const [kernel, stride, padding, dilation] = [pair('kernel_size'), pair('stride'), pair('padding'), pair('dilation')];
      if (a.int('groups') !== 1) throw new EngineError('NotImplementedError', 'Conv2d with groups > 1 is not supported yet');
      const fanIn = inputs * kernel[0] * kernel[1];
      const module = new PyNnModule(
        'Conv2d',
        (m, args) => conv2d(one('Conv2d')(args), m.attributes.get('weight') as Tensor, (m.attributes.get('bias') ?? undefined) as Tensor | undefined, { stride, padding, dilation }),
        () => `${inputs}, ${outputs}, kernel_size=(${kernel.join(', ')}), stride=(${stride.join(', ')})${padding.some(Boolean) ? `, padding=(${padding.join(', ')})` : ''}${a.bool('bias') ? '' : ', bias=False'}`,
      );
      module.attributes.set('weight', uniformParameter([outputs, inputs, kernel[0], kernel[1]], fanIn));
      module.attributes.set('bias', a.bool('bias') ? uniformParameter([outputs], fanIn) : null);
      return module;
    }),
    builtin('Sequential(*modules)', (a) => {
      const modules = (a.raw('modules') as PyTuple).items;
      const module = new PyNnModule('Sequential', (m, args, kwargs, site) => {
        let value: PyValue = args[0] ?? null;
        for (const child of m.children()) value = child.invoke(value === null ? [] : [value], new Map(), site);
        return value;
      });
      modules.forEach((child, i) => {
        if (!(child instanceof PyNnModule)) throw typeError(`${typeName(child)} is not a Module subclass`);
        module.attributes.set(String(i), child);
      });
      return module;
    }),
    stateless('ReLU(inplace=False)', 'ReLU', (x) => activations.relu(x)),
    stateless('Sigmoid()', 'Sigmoid', (x) => activations.sigmoid(x)),
    stateless('Tanh()', 'Tanh', (x) => tanh(x)),
    stateless('GELU(approximate=\'none\')', 'GELU', (x, a) => activations.gelu(x, a.string('approximate') === 'tanh' ? 'tanh' : 'none')),
    stateless('SiLU(inplace=False)', 'SiLU', (x) => activations.silu(x)),
    stateless('LeakyReLU(negative_slope=0.01, inplace=False)', 'LeakyReLU', (x, a) => activations.leakyRelu(x, a.float('negative_slope')), (a) => `negative_slope=${a.float('negative_slope')}`),
    stateless('ELU(alpha=1.0, inplace=False)', 'ELU', (x, a) => activations.elu(x, a.float('alpha')), (a) => `alpha=${a.float('alpha')}`),
    stateless('Softplus(beta=1.0, threshold=20.0)', 'Softplus', (x, a) => activations.softplus(x, a.float('beta'), a.float('threshold'))),
    stateless('Softmax(dim=None)', 'Softmax', (x, a) => softmax(x, a.optionalInt('dim') ?? (x.ndim <= 1 || x.ndim === 3 ? 0 : 1)), (a) => `dim=${a.has('dim') ? a.int('dim') : 'None'}`),
    stateless('LogSoftmax(dim=None)', 'LogSoftmax', (x, a) => logSoftmax(x, a.optionalInt('dim') ?? (x.ndim <= 1 || x.ndim === 3 ? 0 : 1)), (a) => `dim=${a.has('dim') ? a.int('dim') : 'None'}`),
    stateless('Flatten(start_dim=1, end_dim=-1)', 'Flatten', (x, a) => flatten(x, a.int('start_dim'), a.int('end_dim')), (a) => `start_dim=${a.int('start_dim')}, end_dim=${a.int('end_dim')}`),
    stateless('Identity()', 'Identity', (x) => x),
    builtin('Dropout(p=0.5, inplace=False)', (a) => new PyNnModule('Dropout', (m, args) => neural.dropout(one('Dropout')(args), a.float('p'), m.training), () => `p=${a.float('p')}, inplace=False`)),
    builtin('MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False)', (a) =>
      new PyNnModule(
        'MaxPool2d',
        (_, args) => maxPool2d(one('MaxPool2d')(args), a.dims('kernel_size') ?? 1, { ...(a.has('stride') ? { stride: a.dims('stride') } : {}), padding: a.dims('padding') ?? 0, dilation: a.dims('dilation') ?? 1, ceilMode: a.bool('ceil_mode') }),
        () => `kernel_size=${String(a.dims('kernel_size'))}, stride=${String(a.has('stride') ? a.dims('stride') : a.dims('kernel_size'))}, padding=${String(a.dims('padding'))}, dilation=${String(a.dims('dilation'))}, ceil_mode=${a.bool('ceil_mode') ? 'True' : 'False'}`,
      ),
    ),
    loss("MSELoss(size_average=None, reduce=None, reduction='mean')", 'MSELoss', (x, t, a) => neural.mseLoss(x, t, a.string('reduction'))),
    loss("L1Loss(size_average=None, reduce=None, reduction='mean')", 'L1Loss', (x, t, a) => neural.l1Loss(x, t, a.string('reduction'))),
    loss("CrossEntropyLoss(weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', label_smoothing=0.0)", 'CrossEntropyLoss', (x, t, a) =>
      neural.crossEntropy(x, t, { weight: a.optionalTensor('weight'), ignoreIndex: a.int('ignore_index'), reduction: a.string('reduction'), labelSmoothing: a.float('label_smoothing') }),
    ),
    loss("NLLLoss(weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean')", 'NLLLoss', (x, t, a) =>
      neural.nllLoss(x, t, { weight: a.optionalTensor('weight'), ignoreIndex: a.int('ignore_index'), reduction: a.string('reduction') }),
    ),
    loss("BCELoss(weight=None, size_average=None, reduce=None, reduction='mean')", 'BCELoss', (x, t, a) => neural.binaryCrossEntropy(x, t, a.string('reduction'))),
    loss("BCEWithLogitsLoss(weight=None, size_average=None, reduce=None, reduction='mean', pos_weight=None)", 'BCEWithLogitsLoss', (x, t, a) =>
      neural.binaryCrossEntropyWithLogits(x, t, a.string('reduction'), a.optionalTensor('pos_weight')),
    ),
  ];
  // Each layer is an nn.Module for isinstance().
  const asModules = layers.map((layer) =>
    new PyBuiltin(layer.name, (args, kwargs, site) => {
      const made = layer.call(args, kwargs, site);
      if (made instanceof PyNnModule) made.cls ??= Module;
      return made;
    }),
  );
  return new PyModule('torch.nn', new Map<string, PyValue>([...asModules.map((layer): [string, PyValue] => [layer.name, layer]), ['Module', Module], ['functional', functionalModule()]]));
}
