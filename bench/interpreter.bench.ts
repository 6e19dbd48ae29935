// The tensor-script interpreter's overhead: the same engine work driven by a script and directly
// from TypeScript, per iteration. A scalar loop (100,000 × `s = s * 0.999 + x`, which records a
// 200,000-node graph) and a 500-step training loop of a 2-16-1 MLP on 64 points. The script's time
// is the report's run time: parsing, compiling and building the report are not counted.
import { tensorBackward } from '../engine/autograd/tensorBackward';
import { defaultRunLimits } from '../engine/lang/runtime/limits';
import { add, mul } from '../engine/ops/arithmetic';
import { mseLoss, linear } from '../engine/ops/neural';
import { tanh } from '../engine/ops/unaryMath';
import { Sgd } from '../engine/optim/sgd';
import { runScript } from '../engine/run';
import { scalarTensor } from '../engine/tensor/create';
import { randn } from '../engine/tensor/factories';
import { manualSeed } from '../engine/tensor/random';
import type { Tensor } from '../engine/tensor/tensor';
import { type Figure, report } from './measure';

const loopIterations = 100_000;
const trainingSteps = 500;
const limits = { ...defaultRunLimits, timeMs: 120_000, maxSteps: 100_000_000 };

const median = (times: number[]) => times.sort((a, b) => a - b)[Math.floor(times.length / 2)];

/**
 * The medians of `rounds` runs of the script and of the same work from TypeScript, taken in turns
 * so that both see the machine in the same moods (each returns its own milliseconds).
 */
function inTurns(script: () => number, direct: () => number, rounds: number): [number, number] {
  script();
  direct();
  const scriptTimes: number[] = [];
  const directTimes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    scriptTimes.push(script());
    directTimes.push(direct());
  }
  return [median(scriptTimes), median(directTimes)];
}

function scriptRunMs(text: string): number {
  const result = runScript({ language: 'python', text, origin: { line: 0, character: 0 }, limits });
  if (result.diagnostics.length > 0) throw new Error(result.diagnostics[0].message);
  return result.timings.runMs;
}

const loopScript = `import torch
x = torch.tensor(0.5, requires_grad=True)
s = torch.tensor(0.0)
for i in range(${loopIterations}):
    s = s * 0.999 + x
`;

function loopDirectMs(): number {
  const started = performance.now();
  const x = scalarTensor(0.5, 'float32').setRequiresGrad(true);
  let s = scalarTensor(0, 'float32');
  for (let i = 0; i < loopIterations; i++) s = add(mul(s, 0.999), x);
  return performance.now() - started;
}

const trainingScript = `import torch
import torch.nn as nn
torch.manual_seed(0)
x = torch.randn(64, 2)
y = torch.randn(64, 1)
model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.MSELoss()
for step in range(${trainingSteps}):
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
`;

function trainingDirectMs(): number {
  const started = performance.now();
  manualSeed(0);
  const x = randn([64, 2]);
  const y = randn([64, 1]);
  const parameter = (t: Tensor) => t.detach().setRequiresGrad(true);
  const weights = [parameter(mul(randn([16, 2]), 0.5)), parameter(mul(randn([16]), 0.5)), parameter(mul(randn([1, 16]), 0.25)), parameter(mul(randn([1]), 0.25))];
  const [w1, b1, w2, b2] = weights;
  const sgd = new Sgd(weights, { lr: 0.05, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
  for (let step = 0; step < trainingSteps; step++) {
    for (const w of weights) w.grad = null;
    const loss = mseLoss(linear(tanh(linear(x, w1, b1)), w2, b2), y);
    tensorBackward(loss);
    sgd.step();
  }
  return performance.now() - started;
}

export async function interpreterBenchmarks(): Promise<Figure[]> {
  const [loopScriptMs, loopMs] = inTurns(() => scriptRunMs(loopScript), loopDirectMs, 7);
  const [trainingScriptMs, trainingMs] = inTurns(() => scriptRunMs(trainingScript), trainingDirectMs, 5);
  return [
    report('interpreter: s = s * 0.999 + x, per iteration', loopScriptMs / loopIterations, 'the same ops from TypeScript', loopMs / loopIterations),
    report('interpreter: 2-16-1 MLP training step, per step', trainingScriptMs / trainingSteps, 'the same ops from TypeScript', trainingMs / trainingSteps),
  ];
}
