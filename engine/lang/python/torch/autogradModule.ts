// torch.autograd: grad, backward, the functional API (jacobian, hessian, vjp, jvp, hvp),
// gradcheck/gradgradcheck and anomaly detection. Script functions are called back through the site.
import * as functional from '../../../autograd/functional';
import { grad } from '../../../autograd/grad';
import { type GradCheckResult, gradcheck, gradgradcheck } from '../../../autograd/gradcheck';
import { tensorRepr } from '../../../report/tensorRepr';
import { runBackward } from '../../../autograd/backward';
import { outputGradients } from '../../../autograd/grad';
import { EngineError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { PyList, PyModule, PyTuple, type PyValue, typeError, typeName } from '../values';
import { detectAnomaly, setDetectAnomalyNow } from './gradModeObjects';
import { type Args, type Site, builtin } from './signature';

/** A tensor or a sequence of tensors, as a list; `single` says which it was. */
function tensorsOf(a: Args, name: string): { tensors: Tensor[]; single: boolean } {
  const value = a.raw(name);
  if (value instanceof Tensor) return { tensors: [value], single: true };
  if (value instanceof PyList || value instanceof PyTuple) return { tensors: a.tensors(name), single: false };
  throw typeError(`${a.functionName}(): argument '${name}' must be a Tensor or a sequence of Tensors, not ${typeName(value ?? null)}`);
}

function optionalTensors(a: Args, name: string): (Tensor | null)[] | undefined {
  const value = a.raw(name);
  if (value === undefined || value === null) return undefined;
  if (value instanceof Tensor) return [value];
  if (value instanceof PyList || value instanceof PyTuple) return value.items.map((item) => (item instanceof Tensor ? item : null));
  throw typeError(`${a.functionName}(): argument '${name}' must be a Tensor or a sequence of Tensors`);
}

/** Calls a script function with tensors and checks that it answers with tensors. */
function scriptFunction(site: Site, callee: PyValue, name: string) {
  return (inputs: Tensor[]): Tensor | Tensor[] => {
    const result = site.call(callee, inputs);
    if (result instanceof Tensor) return result;
    if (result instanceof PyTuple || result instanceof PyList) {
      return result.items.map((item) => {
        if (item instanceof Tensor) return item;
        throw typeError(`The function given to ${name} must return a Tensor or a tuple of Tensors, not ${typeName(item)}`);
      });
    }
    throw typeError(`The function given to ${name} must return a Tensor or a tuple of Tensors, not ${typeName(result)}`);
  };
}

/** One tensor or a tuple, following how the inputs were given. */
const shaped = (tensors: readonly Tensor[], single: boolean): PyValue => (single ? tensors[0] : new PyTuple(tensors));

function functionalModule(): PyModule {
  return new PyModule(
    'torch.autograd.functional',
    new Map<string, PyValue>([
      [
        'jacobian',
        builtin('jacobian(func, inputs, create_graph=False, strict=False, vectorize=False, strategy=\'reverse-mode\')', (a, site) => {
          const { tensors, single } = tensorsOf(a, 'inputs');
          const fn = scriptFunction(site, a.raw('func') as PyValue, 'jacobian');
          const outputSingle = fn(tensors) instanceof Tensor;
          const rows = functional.jacobian(fn, tensors, a.bool('create_graph'));
          const perOutput = rows.map((row) => shaped(row, single));
          return outputSingle ? perOutput[0] : new PyTuple(perOutput);
        }),
      ],
      [
        'hessian',
        builtin('hessian(func, inputs, create_graph=False, strict=False, vectorize=False, outer_jacobian_strategy=\'reverse-mode\')', (a, site) => {
          const { tensors, single } = tensorsOf(a, 'inputs');
          const fn = scriptFunction(site, a.raw('func') as PyValue, 'hessian');
          const rows = functional.hessian((xs) => fn(xs) as Tensor, tensors);
          return single ? rows[0][0] : new PyTuple(rows.map((row) => new PyTuple(row)));
        }),
      ],
      [
        'vjp',
        builtin('vjp(func, inputs, v=None, create_graph=False, strict=False)', (a, site) => {
          const { tensors, single } = tensorsOf(a, 'inputs');
          const fn = scriptFunction(site, a.raw('func') as PyValue, 'vjp');
          const [outputs, products] = functional.vjp(fn, tensors, optionalTensors(a, 'v') as Tensor[] | undefined);
          return new PyTuple([shaped(outputs, outputs.length === 1), shaped(products, single)]);
        }),
      ],
      [
        'jvp',
        builtin('jvp(func, inputs, v=None, create_graph=False, strict=False)', (a, site) => {
          const { tensors } = tensorsOf(a, 'inputs');
          const fn = scriptFunction(site, a.raw('func') as PyValue, 'jvp');
          const [outputs, products] = functional.jvp(fn, tensors, optionalTensors(a, 'v') as Tensor[] | undefined);
          return new PyTuple([shaped(outputs, outputs.length === 1), shaped(products, products.length === 1)]);
        }),
      ],
      [
        'hvp',
        builtin('hvp(func, inputs, v=None, create_graph=False, strict=False)', (a, site) => {
          const { tensors, single } = tensorsOf(a, 'inputs');
          const fn = scriptFunction(site, a.raw('func') as PyValue, 'hvp');
          const [output, product] = functional.hvp((xs) => fn(xs) as Tensor, tensors, (optionalTensors(a, 'v') ?? []) as Tensor[]);
          return new PyTuple([output, shaped(product, single)]);
        }),
      ],
    ]),
  );
}

/** PyTorch's gradcheck failure: the pair, then both Jacobians as tensors print. */
function jacobianMismatch(result: Extract<GradCheckResult, { ok: false }>): EngineError {
  return new EngineError(
    'RuntimeError',
    `Jacobian mismatch for output ${result.output} with respect to input ${result.input},\nnumerical:${tensorRepr(result.numerical)}\nanalytical:${tensorRepr(result.analytical)}\n`,
  );
}

export function autogradModule(): PyModule {
  return new PyModule(
    'torch.autograd',
    new Map<string, PyValue>([
      [
        'grad',
        builtin('grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False)', (a) => {
          const { tensors: outputs } = tensorsOf(a, 'outputs');
          const { tensors: inputs } = tensorsOf(a, 'inputs');
          const gradients = grad(outputs, inputs, {
            gradOutputs: optionalTensors(a, 'grad_outputs'),
            ...(a.has('retain_graph') ? { retainGraph: a.bool('retain_graph') } : {}),
            createGraph: a.bool('create_graph'),
            allowUnused: (a.has('allow_unused') && a.bool('allow_unused')) || a.bool('materialize_grads'),
          });
          return new PyTuple(gradients);
        }),
      ],
      [
        'backward',
        builtin('backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None)', (a) => {
          const { tensors } = tensorsOf(a, 'tensors');
          const createGraph = a.bool('create_graph');
          runBackward(tensors, outputGradients(tensors, optionalTensors(a, 'grad_tensors')), {
            retainGraph: a.has('retain_graph') ? a.bool('retain_graph') : createGraph,
            createGraph,
          });
          return null;
        }),
      ],
      [
        'gradcheck',
        builtin('gradcheck(func, inputs, *, eps=1e-06, atol=1e-05, rtol=0.001, raise_exception=True)', (a, site) => {
          const { tensors } = tensorsOf(a, 'inputs');
          const result = gradcheck(scriptFunction(site, a.raw('func') as PyValue, 'gradcheck'), tensors, { eps: a.float('eps'), atol: a.float('atol'), rtol: a.float('rtol') });
          if (!result.ok && a.bool('raise_exception')) throw jacobianMismatch(result);
          return result.ok;
        }),
      ],
      [
        'gradgradcheck',
        builtin('gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-06, atol=1e-05, rtol=0.001, raise_exception=True)', (a, site) => {
          const { tensors } = tensorsOf(a, 'inputs');
          let seed = 0x2545f491;
          const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
          const result = gradgradcheck(scriptFunction(site, a.raw('func') as PyValue, 'gradgradcheck'), tensors, random, { eps: a.float('eps'), atol: a.float('atol'), rtol: a.float('rtol') });
          if (!result.ok && a.bool('raise_exception')) throw jacobianMismatch(result);
          return result.ok;
        }),
      ],
      ['detect_anomaly', builtin('detect_anomaly(check_nan=True)', () => detectAnomaly())],
      ['set_detect_anomaly', builtin('set_detect_anomaly(mode, check_nan=True)', (a) => setDetectAnomalyNow(a.bool('mode')))],
      ['functional', functionalModule()],
    ]),
  );
}
