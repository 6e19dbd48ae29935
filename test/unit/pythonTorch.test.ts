// The torch API as tensor scripts reach it: functions and methods, indexing, in-place updates,
// nn and optim, autograd's entry points, and grad_fn objects.
import assert from 'node:assert/strict';
import { lines, printed, runPythonText } from '../support/runScripts';

const script = (...body: string[]) => ['import torch', 'import torch.nn as nn', 'import torch.nn.functional as F', ...body].join('\n');

function prints(source: string): string {
  const report = runPythonText(source);
  assert.deepEqual(report.diagnostics, [], report.diagnostics[0]?.message);
  return printed(report);
}

describe('torch in tensor scripts', () => {
  it('calls functions as torch.f(x) and as x.f()', () => {
    assert.equal(prints(script('x = torch.tensor([[1., 2.], [3., 4.]])', 'print(torch.sum(x, dim=0), x.sum(1), x.mean())')), lines('tensor([4., 6.]) tensor([3., 7.]) tensor(2.5000)'));
  });

  it('returns (values, indices) from max(dim) and unpacks them', () => {
    assert.equal(
      prints(script('x = torch.tensor([[1., 5.], [7., 2.]])', 'values, indices = x.max(dim=1)', 'print(values, indices)', 'print(x.max(1))')),
      lines('tensor([5., 7.]) tensor([1, 0])', 'torch.return_types.max(', 'values=tensor([5., 7.]),', 'indices=tensor([1, 0]))'),
    );
  });

  it('indexes with ints, slices with steps, None, Ellipsis, int lists and bool masks', () => {
    const out = prints(
      script(
        'x = torch.arange(12).reshape(3, 4)',
        'print(x[1], x[:, ::2], x[None, 0].shape, x[..., -1])',
        'print(x[[0, 2]], x[x % 2 == 1])',
      ),
    );
    assert.equal(out, lines('tensor([4, 5, 6, 7]) tensor([[ 0,  2],', '        [ 4,  6],', '        [ 8, 10]]) torch.Size([1, 4]) tensor([ 3,  7, 11])', 'tensor([[ 0,  1,  2,  3],', '        [ 8,  9, 10, 11]]) tensor([ 1,  3,  5,  7,  9, 11])'));
  });

  it('assigns through indices in place, with gradients routed around the written part', () => {
    const out = prints(
      script(
        'x = torch.tensor([1., 2., 3.], requires_grad=True)',
        'y = x * 1',
        'y[0] = 10.',
        'y[y > 2.5] = 0.',
        'print(y)',
        'y.sum().backward()',
        'print(x.grad)',
      ),
    );
    assert.equal(out, lines('tensor([0., 2., 0.], grad_fn=<IndexPutBackward0>)', 'tensor([0., 1., 0.])'));
  });

  it('updates in place with +=, refusing a leaf outside no_grad with PyTorch’s message', () => {
    const report = runPythonText(script('w = torch.tensor([1.], requires_grad=True)', 'w += 1'));
    assert.equal(report.diagnostics[0]?.message, 'RuntimeError: a leaf Variable that requires grad is being used in an in-place operation.');
    assert.equal(
      prints(script('w = torch.tensor([1., 2.], requires_grad=True)', '(w * w).sum().backward()', 'with torch.no_grad():', '    w -= 0.25 * w.grad', 'print(w, w.is_leaf)')),
      lines('tensor([0.5000, 1.0000], requires_grad=True) True'),
    );
  });

  it('exposes grad_fn with name() and next_functions', () => {
    const out = prints(script('x = torch.tensor(2., requires_grad=True)', 'y = x * 3 + 1', 'print(y.grad_fn.name(), y.grad_fn.next_functions[0][0].name())', 'print(y.grad_fn.next_functions[1])'));
    assert.equal(out, lines('AddBackward0 MulBackward0', '(None, 0)'));
  });

  it('trains a model with nn and optim: the loss goes down', () => {
    const out = prints(
      script(
        'torch.manual_seed(0)',
        'model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))',
        'x = torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])',
        'target = torch.tensor([[0.], [1.], [1.], [0.]])',
        'opt = torch.optim.Adam(model.parameters(), lr=0.05)',
        'loss_fn = nn.MSELoss()',
        'first = loss_fn(model(x), target).item()',
        ...Array.from({ length: 60 }, () => 'opt.zero_grad(); loss = loss_fn(model(x), target); loss.backward(); opt.step()'),
        'print(loss.item() < first / 4, len(list(model.parameters())), model[0].weight.shape)',
      ),
    );
    assert.equal(out, lines('True 4 torch.Size([8, 2])'));
  });

  it('zero_grad drops gradients by default and zeroes them in place with set_to_none=False', () => {
    // PyTorch zeroes the existing gradient tensor, so a reference kept to it sees the zeros.
    const out = prints(
      script(
        'w = torch.tensor([1., 2.], requires_grad=True)',
        '(w * w).sum().backward()',
        'kept = w.grad',
        'opt = torch.optim.SGD([w], lr=0.1)',
        'opt.zero_grad(set_to_none=False)',
        'print(kept, w.grad is kept)',
        'opt.zero_grad()',
        'print(w.grad)',
      ),
    );
    assert.equal(out, lines('tensor([0., 0.]) True', 'None'));
  });

  it('trains a custom nn.Module subclass from the PyTorch tutorial (Polynomial3)', () => {
    // "Learning PyTorch with Examples": fit a cubic to sin(x) on [-π, π] with nn.Parameter scalars.
    const out = prints(
      script(
        'import math',
        'class Polynomial3(torch.nn.Module):',
        '    def __init__(self):',
        '        super().__init__()',
        '        self.a = torch.nn.Parameter(torch.randn(()))',
        '        self.b = torch.nn.Parameter(torch.randn(()))',
        '        self.c = torch.nn.Parameter(torch.randn(()))',
        '        self.d = torch.nn.Parameter(torch.randn(()))',
        '    def forward(self, x):',
        '        return self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3',
        '    def string(self):',
        "        return f'y = {self.a.item()} + {self.b.item()} x + {self.c.item()} x^2 + {self.d.item()} x^3'",
        'x = torch.linspace(-math.pi, math.pi, 2000)',
        'y = torch.sin(x)',
        'model = Polynomial3()',
        "criterion = torch.nn.MSELoss(reduction='sum')",
        'optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)',
        'losses = []',
        'for t in range(2000):',
        '    y_pred = model(x)',
        '    loss = criterion(y_pred, y)',
        '    if t % 100 == 99:',
        '        losses.append(loss.item())',
        '    optimizer.zero_grad()',
        '    loss.backward()',
        '    optimizer.step()',
        'print(len(list(model.parameters())), len(losses), losses[-1] < losses[0], losses[-1] < 50)',
        "print(model.string().startswith('y = '), isinstance(model, torch.nn.Module), type(model).__name__)",
        // The fit approaches sin's odd part: b near 0.85, d near -0.09, as the tutorial's result shows.
        'print(abs(model.b.item() - 0.85) < 0.05, abs(model.d.item() + 0.092) < 0.01)',
      ),
    );
    assert.equal(out, lines('4 20 True True', 'True True Polynomial3', 'True True'));
  });

  it("prints an optimizer as Optimizer.__repr__ does, and honours a learning rate changed in param_groups", () => {
    const out = prints(
      script(
        'w = torch.ones(2, requires_grad=True)',
        'opt = torch.optim.SGD([w], lr=0.01, momentum=0.9)',
        'print(opt)',
        '(w * w).sum().backward()',
        "opt.param_groups[0]['lr'] = 0.5",
        'opt.step()',
        'print(w)',
      ),
    );
    // SGD's defaults in PyTorch 2.x, one line per hyperparameter in sorted order; then w - 0.5 · 2w = 0.
    const group = ['dampening: 0', 'differentiable: False', 'foreach: None', 'fused: None', 'lr: 0.01', 'maximize: False', 'momentum: 0.9', 'nesterov: False', 'weight_decay: 0'];
    assert.equal(out, lines('SGD (', 'Parameter Group 0', ...group.map((line) => `    ${line}`), ')', 'tensor([0., 0.], requires_grad=True)'));
  });

  it("labels a module's parameters in the graph by their path: model.fc.weight", () => {
    const report = runPythonText(script('class Net(nn.Module):', '    def __init__(self):', '        super().__init__()', '        self.fc = nn.Linear(2, 1)', '    def forward(self, x):', '        return self.fc(x)', 'model = Net()', 'loss = model(torch.ones(3, 2)).sum()'));
    const leaves = report.graph.nodes.filter((node) => node.kind === 'leaf').map((node) => node.names.join(','));
    assert.deepEqual(leaves.sort(), ['model.fc.bias', 'model.fc.weight']);
    // The line shows the loss alone: parameters named by a path are for the graph, not the inline ∂.
    assert.deepEqual(report.assignments.find((a) => a.name === 'loss')?.partials, []);
  });

  it('prints modules and parameters as PyTorch does', () => {
    const out = prints(script('torch.manual_seed(1)', 'm = nn.Sequential(nn.Linear(3, 2, bias=False), nn.ReLU())', 'print(m)', 'p = nn.Parameter(torch.zeros(2))', 'print(p)'));
    assert.equal(out, lines('Sequential(', '  (0): Linear(in_features=3, out_features=2, bias=False)', '  (1): ReLU()', ')', 'Parameter containing:', 'tensor([0., 0.], requires_grad=True)'));
  });

  it('computes cross-entropy with class indices as log_softmax and nll_loss', () => {
    const out = prints(
      script(
        'logits = torch.tensor([[2., 0.], [0., 2.]], requires_grad=True)',
        'loss = F.cross_entropy(logits, torch.tensor([0, 1]))',
        'print(loss.grad_fn.name(), round(loss.item(), 4))',
      ),
    );
    // -log(e²/(e²+1)) = log(1 + e⁻²) = 0.126928...
    assert.equal(out, lines('NllLossBackward0 0.1269'));
  });

  it('differentiates through torch.autograd.grad with create_graph', () => {
    const out = prints(
      script('x = torch.tensor(3., requires_grad=True)', 'y = x ** 3', '(g,) = torch.autograd.grad(y, x, create_graph=True)', '(h,) = torch.autograd.grad(g, x)', 'print(g, h)'),
    );
    assert.equal(out, lines('tensor(27., grad_fn=<MulBackward0>) tensor(18.)'));
  });

  it('runs with-blocks for no_grad and detect_anomaly, restoring the mode after', () => {
    const out = prints(
      script('x = torch.tensor(1., requires_grad=True)', 'with torch.no_grad():', '    y = x * 2', 'z = x * 2', 'print(y.requires_grad, z.requires_grad, torch.is_grad_enabled())'),
    );
    assert.equal(out, lines('False True True'));
    // PyTorch's message (its docs_anomaly_detection fixture), at the backward() that raised it.
    const [diagnostic] = runPythonText(
      script('x = torch.tensor([0.], requires_grad=True)', 'with torch.autograd.detect_anomaly():', '    y = torch.sqrt(x) * 0', '    y.backward()'),
    ).diagnostics;
    assert.equal(diagnostic?.message, "RuntimeError: Function 'SqrtBackward0' returned nan values in its 0th output.");
  });

  it('honours torch.set_printoptions', () => {
    assert.equal(prints(script('torch.set_printoptions(precision=2)', 'print(torch.tensor([1.12345]))')), lines('tensor([1.12])'));
  });
});
