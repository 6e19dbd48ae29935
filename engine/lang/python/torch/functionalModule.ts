// torch.nn.functional, declared by PyTorch's signatures.
import * as activations from '../../../ops/activations';
import { conv2d } from '../../../ops/convolution';
import * as neural from '../../../ops/neural';
import { maxPool2d } from '../../../ops/pooling';
import { logSoftmax, softmax } from '../../../ops/scan';
import { tanh } from '../../../ops/unaryMath';
import { EngineError } from '../../../errors';
import { full } from '../../../tensor/create';
import { type Tensor } from '../../../tensor/tensor';
import { PyModule, type PyValue } from '../values';
import { type Args, builtin } from './signature';

/** An int or a pair, as stride/padding/kernel_size take. */
const intOrPair = (a: Args, name: string): number | number[] => {
  const dims = a.dims(name);
  return dims === undefined ? [] : dims;
};

const noInPlace = (a: Args) => {
  if (a.has('inplace') && a.bool('inplace')) throw new EngineError('NotImplementedError', 'inplace=True is not supported yet; use the result instead');
};

/** The softmax dim PyTorch picks when none is given (with a deprecation warning there). */
const implicitDim = (input: Tensor) => (input.ndim === 0 || input.ndim === 1 || input.ndim === 3 ? 0 : 1);

export function functionalModule(): PyModule {
  const functions = [
    builtin('relu(input, inplace=False)', (a) => (noInPlace(a), activations.relu(a.tensor('input')))),
    builtin('sigmoid(input)', (a) => activations.sigmoid(a.tensor('input'))),
    builtin('tanh(input)', (a) => tanh(a.tensor('input'))),
    builtin('leaky_relu(input, negative_slope=0.01, inplace=False)', (a) => (noInPlace(a), activations.leakyRelu(a.tensor('input'), a.float('negative_slope')))),
    builtin('elu(input, alpha=1.0, inplace=False)', (a) => (noInPlace(a), activations.elu(a.tensor('input'), a.float('alpha')))),
    builtin("gelu(input, approximate='none')", (a) => {
      const approximate = a.string('approximate');
      if (approximate !== 'none' && approximate !== 'tanh') throw new EngineError('RuntimeError', `approximate argument must be either none or tanh.`);
      return activations.gelu(a.tensor('input'), approximate);
    }),
    builtin('silu(input, inplace=False)', (a) => (noInPlace(a), activations.silu(a.tensor('input')))),
    builtin('softplus(input, beta=1.0, threshold=20.0)', (a) => activations.softplus(a.tensor('input'), a.float('beta'), a.float('threshold'))),
    builtin('softmax(input, dim=None, _stacklevel=3, dtype=None)', (a) => softmax(a.tensor('input'), a.optionalInt('dim') ?? implicitDim(a.tensor('input')))),
    builtin('log_softmax(input, dim=None, _stacklevel=3, dtype=None)', (a) => logSoftmax(a.tensor('input'), a.optionalInt('dim') ?? implicitDim(a.tensor('input')))),
    builtin('linear(input, weight, bias=None)', (a) => neural.linear(a.tensor('input'), a.tensor('weight'), a.optionalTensor('bias'))),
    builtin('dropout(input, p=0.5, training=True, inplace=False)', (a) => (noInPlace(a), neural.dropout(a.tensor('input'), a.float('p'), a.bool('training')))),
    builtin('conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)', (a) => {
      if (a.int('groups') !== 1) throw new EngineError('NotImplementedError', 'conv2d with groups > 1 is not supported yet');
      if (typeof a.raw('padding') === 'string') throw new EngineError('NotImplementedError', "conv2d padding='same'/'valid' is not supported yet");
      return conv2d(a.tensor('input'), a.tensor('weight'), a.optionalTensor('bias'), { stride: intOrPair(a, 'stride'), padding: intOrPair(a, 'padding'), dilation: intOrPair(a, 'dilation') });
    }),
    builtin('max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False)', (a) => {
      if (a.bool('return_indices')) throw new EngineError('NotImplementedError', 'max_pool2d(return_indices=True) is not supported yet');
      return maxPool2d(a.tensor('input'), intOrPair(a, 'kernel_size'), {
        ...(a.has('stride') ? { stride: intOrPair(a, 'stride') } : {}),
        padding: intOrPair(a, 'padding'),
        dilation: intOrPair(a, 'dilation'),
        ceilMode: a.bool('ceil_mode'),
      });
    }),
    builtin("cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', label_smoothing=0.0)", (a) =>
      neural.crossEntropy(a.tensor('input'), a.tensor('target'), {
        weight: a.optionalTensor('weight'),
        ignoreIndex: a.int('ignore_index'),
        reduction: a.string('reduction'),
        labelSmoothing: a.float('label_smoothing'),
      }),
    ),
    builtin("nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean')", (a) =>
      neural.nllLoss(a.tensor('input'), a.tensor('target'), { weight: a.optionalTensor('weight'), ignoreIndex: a.int('ignore_index'), reduction: a.string('reduction') }),
    ),
    builtin("mse_loss(input, target, size_average=None, reduce=None, reduction='mean')", (a) => neural.mseLoss(a.tensor('input'), a.tensor('target'), a.string('reduction'))),
    builtin("l1_loss(input, target, size_average=None, reduce=None, reduction='mean')", (a) => neural.l1Loss(a.tensor('input'), a.tensor('target'), a.string('reduction'))),
    builtin("binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction='mean')", (a) => {
      if (a.has('weight')) throw new EngineError('NotImplementedError', 'binary_cross_entropy(weight=...) is not supported yet');
      return neural.binaryCrossEntropy(a.tensor('input'), a.tensor('target'), a.string('reduction'));
    }),
    builtin("binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None, reduction='mean', pos_weight=None)", (a) => {
      if (a.has('weight')) throw new EngineError('NotImplementedError', 'binary_cross_entropy_with_logits(weight=...) is not supported yet');
      return neural.binaryCrossEntropyWithLogits(a.tensor('input'), a.tensor('target'), a.string('reduction'), a.optionalTensor('pos_weight'));
    }),
    builtin('one_hot(tensor, num_classes=-1)', (a) => {
      const classes = a.tensor('tensor');
      const count = a.int('num_classes') < 0 ? Math.max(-1, ...classes.data) + 1 : a.int('num_classes');
      const out = full([...classes.shape, count], 0, 'int64');
      classes.data.forEach((c, i) => (out.data[i * count + c] = 1));
      return out;
    }),
  ];
  return new PyModule('torch.nn.functional', new Map<string, PyValue>(functions.map((f) => [f.name, f])));
}
