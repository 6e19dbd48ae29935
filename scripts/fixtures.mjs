// npm run fixtures [-- NAME...]: regenerates test/fixtures/pytorch/NAME.out, what real PyTorch
// prints for NAME.py, for every script (or the ones named). Runs Debian's PyTorch
// (/usr/bin/python3 with python3-torch, installed first when missing) in one Python process that
// imports torch once and forks a child per script, after a prelude that makes PyTorch 1.13 behave
// as today's PyTorch where the scripts depend on it (our engine follows today's PyTorch).
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { ensureAptPackages } from './lib/aptPackages.mjs';
import { run } from './lib/run.mjs';

const folder = resolve('test/fixtures/pytorch');
const python = '/usr/bin/python3';

// Runs before each script, in the script's own process. Each patch names the difference it covers;
// a difference that cannot be patched here is kept out of the scripts and listed in the README.
const prelude = String.raw`
import torch

# 1. zero_grad() defaults to set_to_none=True since PyTorch 2.0 (1.13: False, which zeroes .grad
#    in place, so a later print shows tensor([0., ...]) where today's PyTorch prints None).
def _optimizer_zero_grad(self, set_to_none=True, _zero_grad=torch.optim.Optimizer.zero_grad):
    return _zero_grad(self, set_to_none=set_to_none)
torch.optim.Optimizer.zero_grad = _optimizer_zero_grad

def _module_zero_grad(self, set_to_none=True, _zero_grad=torch.nn.Module.zero_grad):
    return _zero_grad(self, set_to_none=set_to_none)
torch.nn.Module.zero_grad = _module_zero_grad

# 2. .item() on a tensor with other than one element: 1.13 raises ValueError('only one element
#    tensors can be converted to Python scalars'), 2.x RuntimeError('a Tensor with N elements
#    cannot be converted to Scalar'). float(t) and int(t) raise the ValueError in both: unpatched.
def _item(self, _item=torch.Tensor.item):
    if self.numel() != 1:
        raise RuntimeError(f'a Tensor with {self.numel()} elements cannot be converted to Scalar')
    return _item(self)
torch.Tensor.item = _item

# 3. Adam's first moment: since 2.0 (in the single-tensor path CPU tensors take) it is updated
#    with exp_avg.lerp_(grad, 1 - beta1), which rounds differently from 1.13's
#    exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1). The rest of the step is unchanged.
import inspect, torch.optim.adam as _adam
_source = inspect.getsource(_adam._single_tensor_adam)
_old_line = 'exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)'
assert _old_line in _source, 'the Adam patch no longer applies'
exec(_source.replace(_old_line, 'exp_avg.lerp_(grad, 1 - beta1)'), _adam.__dict__)

# 4. reshape/flatten of a tensor that can be viewed: 1.13 records ReshapeAliasBackward0 (its
#    _reshape_alias), 2.x a plain view, ViewBackward0. Where 1.13 made an alias, make the view.
def _view_instead(original):
    def method(self, *args, **kwargs):
        out = original(self, *args, **kwargs)
        if out is not self and out.grad_fn is not None and out.grad_fn.name() == 'ReshapeAliasBackward0':
            return self.view(out.shape)
        return out
    return method
for _owner, _name in [(torch.Tensor, 'reshape'), (torch.Tensor, 'flatten'), (torch.Tensor, 'reshape_as'), (torch, 'reshape'), (torch, 'flatten')]:
    setattr(_owner, _name, _view_instead(getattr(_owner, _name)))
`;

// Imports torch once; forks a child per script (so each starts from fresh state: seed, print
// options, grad mode), at most one per CPU at a time. A child runs the prelude, then the script as
// __main__, with stdout in OUT/NAME.out and stderr in OUT/NAME.err; when the script raises, it
// removes OUT/NAME.out and leaves the traceback in OUT/NAME.err.
const driver = String.raw`
import os, runpy, sys, traceback
import torch
torch.set_num_threads(1)
prelude, out_dir, jobs = sys.argv[1], sys.argv[2], sys.argv[3:]
print(f'PyTorch {torch.__version__} ({sys.executable}), {len(jobs)} scripts', flush=True)
running = set()

def child(script):
    stem = os.path.join(out_dir, os.path.basename(script)[:-3])
    os.dup2(os.open(stem + '.out', os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), 1)
    os.dup2(os.open(stem + '.err', os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), 2)
    sys.stdout = open(1, 'w', encoding='utf-8', closefd=False)
    sys.stderr = open(2, 'w', encoding='utf-8', closefd=False)
    code = 0
    try:
        exec(compile(prelude, '<prelude>', 'exec'), {'__name__': '__prelude__'})
        sys.argv = [script]
        runpy.run_path(script, run_name='__main__')
    except BaseException:
        traceback.print_exc()
        os.remove(stem + '.out')
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)

for script in jobs:
    if len(running) >= (os.cpu_count() or 1):
        running.discard(os.wait()[0])
    pid = os.fork()
    if pid == 0:
        child(script)
    running.add(pid)
while running:
    running.discard(os.wait()[0])
`;

const named = process.argv.slice(2).map((name) => basename(name).replace(/\.(py|out)$/, ''));
const scripts = readdirSync(folder)
  .filter((file) => file.endsWith('.py') && (named.length === 0 || named.includes(file.slice(0, -3))))
  .sort()
  .map((file) => join(folder, file));
const unknown = named.filter((name) => !scripts.some((script) => basename(script, '.py') === name));
if (unknown.length > 0) {
  console.error(`No such fixture: ${unknown.join(', ')} (in ${folder})`);
  process.exit(1);
}

await ensureAptPackages(['python3-torch']);
const outDir = mkdtempSync(join(tmpdir(), 'gradient-lens-fixtures-'));
try {
  await run(python, ['-c', driver, prelude, outDir, ...scripts], { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  // Warnings on stderr (reading .grad of a non-leaf…) are not part of the output; a traceback is.
  let written = 0;
  for (const script of scripts) {
    const name = basename(script, '.py');
    const printed = join(outDir, `${name}.out`);
    if (existsSync(printed)) {
      writeFileSync(join(folder, `${name}.out`), readFileSync(printed));
      written++;
    } else {
      console.error(`✗ ${name}.py raised an error under PyTorch; ${name}.out is left as it was\n${readFileSync(join(outDir, `${name}.err`), 'utf8')}`);
    }
  }
  console.log(`${written} of ${scripts.length} .out files written`);
  if (written < scripts.length) process.exitCode = 1;
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
