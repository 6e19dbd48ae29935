// The `torch` module: creation functions, the tensor functions, dtypes, grad modes, printing
// options, and the submodules nn (with nn.functional), optim and autograd.
import { isGradEnabled } from '../../../autograd/gradMode';
import { printOptions, resetPrintOptions } from '../../../report/printOptions';
import { type DType } from '../../../tensor/dtype';
import { Tensor } from '../../../tensor/tensor';
import { EngineError } from '../../../errors';
import { PyDevice, PyDType, PyModule, type PyValue } from '../values';
import { autogradModule } from './autogradModule';
import { creationFunctions } from './creation';
import { enableGrad, noGrad, setGradEnabledNow } from './gradModeObjects';
import { nnModule } from './nnModule';
import { optimModule } from './optimModule';
import { builtin } from './signature';
import { tensorFunctions, torchOnlyFunctions } from './tensorFunctions';

const dtypeNames: readonly [string, DType][] = [
  ['float32', 'float32'],
  ['float', 'float32'],
  ['float64', 'float64'],
  ['double', 'float64'],
  ['int64', 'int64'],
  ['long', 'int64'],
  ['bool', 'bool'],
];

const setPrintOptions = builtin('set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None, sci_mode=None)', (a) => {
  if (a.has('profile')) {
    const profile = a.string('profile');
    resetPrintOptions();
    if (profile === 'short') Object.assign(printOptions, { precision: 2, edgeitems: 2 });
    if (profile === 'full') printOptions.threshold = Infinity;
  }
  if (a.has('precision')) printOptions.precision = a.int('precision');
  if (a.has('threshold')) printOptions.threshold = a.float('threshold');
  if (a.has('edgeitems')) printOptions.edgeitems = a.int('edgeitems');
  if (a.has('linewidth')) printOptions.linewidth = a.int('linewidth');
  // sci_mode=None restores the automatic choice, as PyTorch does.
  printOptions.sciMode = a.has('sci_mode') ? a.bool('sci_mode') : null;
  return null;
});

/** PyTorch's device types, as its message for an unknown one lists them. */
const deviceTypes = ['cpu', 'cuda', 'ipu', 'xpu', 'mkldnn', 'opengl', 'opencl', 'ideep', 'hip', 've', 'fpga', 'maia', 'xla', 'lazy', 'vulkan', 'mps', 'meta', 'hpu', 'mtia', 'privateuseone'];

/** torch.device('cpu'), torch.device('cuda:0'), torch.device('cuda', 1). */
const device = builtin('device(type, index=None)', (a) => {
  const text = a.string('type');
  const [, type, index] = /^([a-zA-Z_]+)(?::(.*))?$/.exec(text) ?? [undefined, text.replace(/:.*$/, ''), undefined];
  if (!deviceTypes.includes(type)) {
    throw new EngineError('RuntimeError', `Expected one of ${deviceTypes.join(', ')} device type at start of device string: ${type}`);
  }
  if (index !== undefined && !/^(0|[1-9]\d*)$/.test(index)) throw new EngineError('RuntimeError', `Invalid device string: '${text}'`);
  if (index !== undefined) return PyDevice.of(type, Number(index));
  return PyDevice.of(type, a.has('index') ? a.int('index') : null);
});

export function createTorchModule(): PyModule {
  const functions = [...creationFunctions(), ...[...tensorFunctions, ...torchOnlyFunctions].map((entry) => builtin(entry.signature, entry.body))];
  return new PyModule(
    'torch',
    new Map<string, PyValue>([
      ...functions.map((f): [string, PyValue] => [f.name, f]),
      ...dtypeNames.map(([name, dtype]): [string, PyValue] => [name, PyDType.of(dtype)]),
      ['is_tensor', builtin('is_tensor(obj)', (a) => a.raw('obj') instanceof Tensor)],
      ['is_grad_enabled', builtin('is_grad_enabled()', () => isGradEnabled())],
      ['no_grad', builtin('no_grad()', () => noGrad())],
      ['enable_grad', builtin('enable_grad()', () => enableGrad())],
      ['inference_mode', builtin('inference_mode(mode=True)', (a) => (a.bool('mode') ? noGrad() : enableGrad()))],
      ['set_grad_enabled', builtin('set_grad_enabled(mode)', (a) => setGradEnabledNow(a.bool('mode')))],
      ['set_printoptions', setPrintOptions],
      ['device', device],
      ['get_default_dtype', builtin('get_default_dtype()', () => PyDType.of('float32'))],
      ['pi', Math.PI],
      ['e', Math.E],
      ['inf', Infinity],
      ['nan', NaN],
      ['nn', nnModule()],
      ['optim', optimModule()],
      ['autograd', autogradModule()],
    ]),
  );
}
