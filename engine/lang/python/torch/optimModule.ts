// torch.optim: SGD and Adam over a model's parameters.
import { Adam } from '../../../optim/adam';
import { Sgd } from '../../../optim/sgd';
import { EngineError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { zeroGradients } from '../../../optim/zeroGrad';
import { PyDict } from '../collections';
import { pyStr } from '../display';
import { PyList, PyModule, PyObject, PyTuple, type PyValue, typeError, typeName } from '../values';
import { type Args, builtin } from './signature';

function parameterList(a: Args): Tensor[] {
  const value = a.raw('params');
  const items = value instanceof PyList || value instanceof PyTuple ? value.items : undefined;
  if (!items) throw typeError(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${typeName(value ?? null)}`);
  if (items.length === 0) throw new EngineError('ValueError', 'optimizer got an empty parameter list');
  return items.map((item) => {
    if (item instanceof Tensor) return item;
    throw typeError(`optimizer can only optimize Tensors, but one of the params is ${typeName(item)}`);
  });
}

/**
 * An optimizer as scripts use it: step(), zero_grad(), and param_groups, whose hyperparameters a
 * script may change between steps (`opt.param_groups[0]['lr'] = 0.01`), as schedules do.
 */
class PyOptimizer extends PyObject {
  /** The one parameter group: 'params' and the hyperparameters, as PyTorch keeps them. */
  private readonly group: PyDict;

  constructor(
    readonly typeName: string,
    private readonly parameters: readonly Tensor[],
    hyperparameters: Args,
    /** Runs one step with the group's hyperparameters as they are now. */
    private readonly update: (group: PyDict) => void,
  ) {
    super();
    this.group = PyDict.of([['params', new PyList([...parameters])], ...hyperparameters.entries().filter(([name]) => name !== 'params')]);
  }

  override getAttribute(name: string): PyValue | undefined {
    switch (name) {
      case 'step':
        return builtin('step(closure=None)', () => (this.update(this.group), null));
      case 'zero_grad':
        return builtin('zero_grad(set_to_none=True)', (a) => (zeroGradients(this.parameters, a.bool('set_to_none')), null));
      case 'param_groups':
        return new PyList([this.group]);
      default:
        return undefined;
    }
  }

  /** PyTorch's Optimizer.__repr__: the group's hyperparameters, sorted by name. */
  override repr(): string {
    const lines = this.group
      .items()
      .filter(([key]) => key !== 'params')
      .sort(([a], [b]) => (String(a) < String(b) ? -1 : 1))
      .map(([key, value]) => `    ${String(key)}: ${pyStr(value)}\n`);
    return `${this.typeName} (\nParameter Group 0\n${lines.join('')})`;
  }
}

/** The checks torch.optim's constructors make, with their messages (the value as Python prints it). */
function requireAtLeastZero(a: Args, name: string, what: string): void {
  if (a.float(name) < 0) throw new EngineError('ValueError', `Invalid ${what}: ${pyStr(a.raw(name) ?? null)}`);
}

function requireBeta(value: PyValue, index: number): number {
  const beta = Number(value);
  if (!(beta >= 0 && beta < 1)) throw new EngineError('ValueError', `Invalid beta parameter at index ${index}: ${pyStr(value)}`);
  return beta;
}

/** A hyperparameter read back from the group, where a script may have replaced it. */
function hyperparameter(group: PyDict, name: string): number {
  const value = group.get(name);
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value);
  if (value instanceof Tensor && value.numel === 1) return value.item();
  throw typeError(`the optimizer's ${name} must be a number, not ${typeName(value ?? null)}`);
}

export function optimModule(): PyModule {
  return new PyModule(
    'torch.optim',
    new Map<string, PyValue>([
      [
        'SGD',
        builtin('SGD(params, lr=0.001, momentum=0, dampening=0, weight_decay=0, nesterov=False, *, maximize=False, foreach=None, differentiable=False, fused=None)', (a) => {
          requireAtLeastZero(a, 'lr', 'learning rate');
          requireAtLeastZero(a, 'momentum', 'momentum value');
          requireAtLeastZero(a, 'weight_decay', 'weight_decay value');
          const parameters = parameterList(a);
          const options = { lr: a.float('lr'), momentum: a.float('momentum'), dampening: a.float('dampening'), weightDecay: a.float('weight_decay'), nesterov: a.bool('nesterov'), maximize: a.bool('maximize') };
          if (options.nesterov && (options.momentum <= 0 || options.dampening !== 0)) throw new EngineError('ValueError', 'Nesterov momentum requires a momentum and zero dampening');
          const sgd = new Sgd(parameters, options);
          return new PyOptimizer('SGD', parameters, a, (group) => {
            sgd.options.lr = hyperparameter(group, 'lr');
            sgd.step();
          });
        }),
      ],
      [
        'Adam',
        builtin('Adam(params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0, amsgrad=False, *, foreach=None, maximize=False, capturable=False, differentiable=False, fused=None)', (a) => {
          requireAtLeastZero(a, 'lr', 'learning rate');
          requireAtLeastZero(a, 'eps', 'epsilon value');
          const betas = a.raw('betas');
          const [beta1, beta2] = betas instanceof PyTuple || betas instanceof PyList ? betas.items.map(requireBeta) : [0.9, 0.999];
          requireAtLeastZero(a, 'weight_decay', 'weight_decay value');
          const parameters = parameterList(a);
          const adam = new Adam(parameters, { lr: a.float('lr'), beta1, beta2, eps: a.float('eps'), weightDecay: a.float('weight_decay'), amsgrad: a.bool('amsgrad'), maximize: a.bool('maximize') });
          return new PyOptimizer('Adam', parameters, a, (group) => {
            adam.options.lr = hyperparameter(group, 'lr');
            adam.step();
          });
        }),
      ],
    ]),
  );
}
