// torch.optim: SGD and Adam over a model's parameters.
import { Adam } from '../../../optim/adam';
import { Sgd } from '../../../optim/sgd';
import { EngineError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { zeroGradients } from '../../../optim/zeroGrad';
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

/** An optimizer as scripts use it: step() and zero_grad(). */
class PyOptimizer extends PyObject {
  constructor(
    readonly typeName: string,
    private readonly parameters: readonly Tensor[],
    private readonly update: () => void,
  ) {
    super();
  }

  override getAttribute(name: string): PyValue | undefined {
    switch (name) {
      case 'step':
        return builtin('step(closure=None)', () => (this.update(), null));
      case 'zero_grad':
        return builtin('zero_grad(set_to_none=True)', (a) => (zeroGradients(this.parameters, a.bool('set_to_none')), null));
      default:
        return undefined;
    }
  }
}

export function optimModule(): PyModule {
  return new PyModule(
    'torch.optim',
    new Map<string, PyValue>([
      [
        'SGD',
        builtin('SGD(params, lr=0.001, momentum=0, dampening=0, weight_decay=0, nesterov=False, *, maximize=False, foreach=None, differentiable=False, fused=None)', (a) => {
          const parameters = parameterList(a);
          const options = { lr: a.float('lr'), momentum: a.float('momentum'), dampening: a.float('dampening'), weightDecay: a.float('weight_decay'), nesterov: a.bool('nesterov'), maximize: a.bool('maximize') };
          if (options.nesterov && (options.momentum <= 0 || options.dampening !== 0)) throw new EngineError('ValueError', 'Nesterov momentum requires a momentum and zero dampening');
          const sgd = new Sgd(parameters, options);
          return new PyOptimizer('SGD', parameters, () => sgd.step());
        }),
      ],
      [
        'Adam',
        builtin('Adam(params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0, amsgrad=False, *, foreach=None, maximize=False, capturable=False, differentiable=False, fused=None)', (a) => {
          const parameters = parameterList(a);
          const betas = a.raw('betas');
          const [beta1, beta2] = betas instanceof PyTuple || betas instanceof PyList ? betas.items.map(Number) : [0.9, 0.999];
          const adam = new Adam(parameters, { lr: a.float('lr'), beta1, beta2, eps: a.float('eps'), weightDecay: a.float('weight_decay'), amsgrad: a.bool('amsgrad'), maximize: a.bool('maximize') });
          return new PyOptimizer('Adam', parameters, () => adam.step());
        }),
      ],
    ]),
  );
}
