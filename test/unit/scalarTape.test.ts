// The scalar tape (ops on 0-d tensors recorded as rows) and its own backward pass, checked against
// the general pass over the same graph, against finite differences, and for PyTorch's semantics:
// freed graphs, version counters, hooks, grad_fn identity, graphs that span several tapes.
import assert from 'node:assert/strict';
import { runBackward } from '../../engine/autograd/backward';
import { withGradMode } from '../../engine/autograd/gradMode';
import { grad } from '../../engine/autograd/grad';
import { inspectGradients } from '../../engine/autograd/inspect';
import { registerHook, retainGrad } from '../../engine/autograd/hooks';
import { setTapeLengthForTests, startNewTape } from '../../engine/autograd/scalarTape';
import { emptyPoolForTests, poolForTests } from '../../engine/autograd/tapeRows';
import { canBackwardOnTape } from '../../engine/autograd/tapeBackward';
import { tensorBackward } from '../../engine/autograd/tensorBackward';
import { leakyRelu } from '../../engine/ops/activations';
import { apply } from '../../engine/ops/apply';
import { add, div, mul, neg, pow, sub } from '../../engine/ops/arithmetic';
import { applyInPlace } from '../../engine/ops/inPlace';
import type { OpDefinition } from '../../engine/ops/opDefinition';
import { sum } from '../../engine/ops/reduce';
import { opRegistry } from '../../engine/ops/registry';
import { exp, tanh } from '../../engine/ops/unaryMath';
import { withSourceSpan } from '../../engine/sourceSpan';
import { full, scalarTensor, tensorFromNested, wrappedNumber } from '../../engine/tensor/create';
import type { Tensor } from '../../engine/tensor/tensor';
import { throwsMessage } from '../support/engineErrors';
import { collectGarbage } from '../support/garbage';
import { seededRandom } from '../support/random';

type FloatDType = 'float32' | 'float64';
const leaf = (value: number, dtype: FloatDType = 'float32') => scalarTensor(value, dtype).setRequiresGrad(true);

/** ∂output/∂leaf through the tape's own pass (checked to be the one that runs). */
function tapeGradients(output: Tensor): Map<Tensor, number> {
  const seed = full([], 1, output.dtype);
  const options = { retainGraph: true, createGraph: false };
  assert.ok(canBackwardOnTape([output], [seed], options), 'the tape pass should run');
  const found = new Map<Tensor, number>();
  runBackward([output], [seed], { ...options, collectLeafGradient: (leaf, gradient) => found.set(leaf, gradient.item()) });
  return found;
}

/** ∂output/∂leaf through the general pass over TapeNodes (asking for node gradients forces it). */
function generalGradients(output: Tensor): Map<Tensor, number> {
  const found = new Map<Tensor, number>();
  runBackward([output], [full([], 1, output.dtype)], {
    retainGraph: true,
    createGraph: false,
    collectLeafGradient: (leaf, gradient) => found.set(leaf, gradient.item()),
    onNodeGradient: () => undefined,
  });
  return found;
}

// Each op with derivatives on numbers, with how it is called: unary, binary, or a tensor and a number.
/** How each op takes its operands: tensors, or a tensor and a number held as an attribute (rsub.Scalar). */
const opsWithScalarDerivatives: Record<string, 'unary' | 'binary' | 'numberAttribute'> = {
  add: 'binary',
  sub: 'binary',
  mul: 'binary',
  div: 'binary',
  rsub: 'numberAttribute',
  neg: 'unary',
  exp: 'unary',
  log: 'unary',
  sqrt: 'unary',
  sin: 'unary',
  cos: 'unary',
  tanh: 'unary',
  sigmoid: 'unary',
  relu: 'unary',
};

describe('scalar tape', () => {
  it('lists every op that has derivatives on numbers in this table', () => {
    const withDerivatives = Object.entries(opRegistry as Record<string, OpDefinition<unknown>>)
      .filter(([, op]) => op.scalarBackward)
      .map(([name]) => name);
    assert.deepEqual(withDerivatives.sort(), Object.keys(opsWithScalarDerivatives).sort());
  });

  for (const [name, form] of Object.entries(opsWithScalarDerivatives)) {
    it(`${name}: derivatives on numbers equal the tensor formula to the bit (float32, float64, mixed)`, () => {
      const op = (opRegistry as Record<string, OpDefinition<unknown>>)[name];
      const domain = op.gradCheckDomain ?? { min: -2, max: 2 };
      const draw = seededRandom(name.length * 7919);
      const value = () => domain.min + (domain.max - domain.min) * draw();
      const cases: [FloatDType, FloatDType | 'number'][] = [
        ['float32', 'float32'],
        ['float64', 'float64'],
        ['float32', 'number'],
        ['float64', 'number'],
        ['float32', 'float64'],
      ];
      for (const [first, second] of cases) {
        if (form === 'unary' && second !== first) continue;
        if (form === 'numberAttribute' && second !== 'number') continue;
        for (let trial = 0; trial < 25; trial++) {
          const a = leaf(value(), first);
          const b = second === 'number' ? wrappedNumber(value()) : leaf(value(), second);
          const output = form === 'numberAttribute' ? apply(op, [a], { other: b.item(), kind: 'float' }) : apply(op, form === 'unary' ? [a] : [a, b], undefined);
          const viaTape = tapeGradients(output);
          const viaGeneral = generalGradients(output);
          assert.ok(viaTape.size > 0);
          for (const [input, gradient] of viaGeneral) {
            assert.ok(Object.is(viaTape.get(input), gradient), `${name}(${a.item()}, ${b.item()}) ${first}/${second}: ${viaTape.get(input)} vs ${gradient}`);
          }
        }
      }
    });
  }

  it('records a tensor and a Python number as it records the number wrapped, for + - * /', () => {
    const ops = { add: [add, opRegistry.add], sub: [sub, opRegistry.sub], mul: [mul, opRegistry.mul], div: [div, opRegistry.div] } as const;
    const draw = seededRandom(17);
    for (const [name, [withNumber, op]] of Object.entries(ops)) {
      for (const dtype of ['float32', 'float64'] as const) {
        for (let trial = 0; trial < 20; trial++) {
          const value = 4 * draw() - 2;
          const n = trial === 0 ? 0.1 : 4 * draw() - 2;
          const a = leaf(value, dtype);
          const viaNumber = withNumber(a, n);
          const b = leaf(value, dtype);
          const viaWrapped = apply(op as OpDefinition, [b, wrappedNumber(n)], undefined);
          assert.ok(viaNumber.tape !== null, `${name} takes the tape`);
          assert.ok(Object.is(viaNumber.item(), viaWrapped.item()), `${name}(${value}, ${n}) ${dtype}`);
          assert.equal(viaNumber.dtype, viaWrapped.dtype);
          assert.equal(viaNumber.gradFnName, viaWrapped.gradFnName);
          const constant = viaNumber.gradFn?.input(1);
          assert.ok(constant?.isWrappedNumber && constant.dtype === 'float64' && constant.item() === n);
          tensorBackward(viaNumber);
          tensorBackward(viaWrapped);
          assert.ok(Object.is(a.grad?.item(), b.grad?.item()), `∂${name}(${value}, ${n}) ${dtype}`);
        }
      }
    }
    // An integer tensor takes a float's dtype from the number: the general path decides it.
    const integer = tensorFromNested({ value: 3, kind: 'int' });
    assert.equal(mul(integer, 0.5).dtype, 'float32');
    assert.equal(mul(integer, 0.5).item(), 1.5);
  });

  /** A random graph of scalar ops over three leaves, reusing earlier values (a DAG, not a chain). */
  function randomGraph(seed: number, leaves: readonly Tensor[], length: number): Tensor {
    const draw = seededRandom(seed);
    const values: Tensor[] = [...leaves];
    const pick = () => values[Math.floor(draw() * values.length)];
    const steps: ((t: Tensor) => Tensor)[] = [
      (t) => add(t, pick()),
      (t) => sub(t, mul(pick(), 0.5)),
      (t) => mul(t, pick()),
      (t) => div(t, add(mul(pick(), pick()), 1.5)),
      (t) => tanh(t),
      (t) => neg(t),
      (t) => exp(mul(tanh(t), 0.5)),
      (t) => pow(t, 2), // no derivatives on numbers: its tensor formula runs
      (t) => leakyRelu(t, 0.1),
      (t) => sub(1, t),
    ];
    let current = pick();
    for (let i = 0; i < length; i++) {
      current = tanh(steps[Math.floor(draw() * steps.length)](current));
      values.push(current);
    }
    return current;
  }

  it('gives the general pass\'s gradients on random graphs, and finite differences in float64', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const start = [0.3, -0.7, 1.1];
      const leaves = start.map((value) => leaf(value, 'float64'));
      const output = randomGraph(seed, leaves, 30);
      const viaTape = tapeGradients(output);
      const viaGeneral = generalGradients(output);
      leaves.forEach((input, i) => {
        const fast = viaTape.get(input) ?? 0;
        const general = viaGeneral.get(input) ?? 0;
        assert.ok(Math.abs(fast - general) <= 1e-12 * Math.max(1, Math.abs(general)), `seed ${seed}, leaf ${i}: ${fast} vs ${general}`);
        const h = 1e-6;
        const at = (delta: number) =>
          withGradMode(false, () => randomGraph(seed, start.map((value, j) => scalarTensor(value + (j === i ? delta : 0), 'float64')), 30).item());
        const numeric = (at(h) - at(-h)) / (2 * h);
        assert.ok(Math.abs(fast - numeric) <= 1e-6 * Math.max(1, Math.abs(numeric)), `seed ${seed}, leaf ${i}: ${fast} vs finite difference ${numeric}`);
      });
    }
  });

  it('lets what a run\'s tape held (a hook\'s closure) go once the next run starts a tape of its own', async () => {
    const captured = (() => {
      const big = { payload: new Float64Array(1000) };
      const x = leaf(1);
      const y = mul(x, 2);
      registerHook(y, () => (big.payload[0] === 0 ? undefined : undefined));
      return new WeakRef(big);
    })();
    startNewTape();
    mul(leaf(3), 4);
    await collectGarbage();
    assert.equal(captured.deref(), undefined);
  });

  describe('across several tapes', () => {
    before(() => setTapeLengthForTests(7));
    after(() => setTapeLengthForTests(1 << 16));

    it('follows gradients into earlier tapes, and matches the general pass', () => {
      for (let seed = 1; seed <= 10; seed++) {
        const leaves = [0.2, 0.9, -0.4].map((value) => leaf(value, 'float64'));
        const output = randomGraph(seed, leaves, 60);
        const viaTape = tapeGradients(output);
        const viaGeneral = generalGradients(output);
        for (const input of leaves) {
          const fast = viaTape.get(input) ?? 0;
          const general = viaGeneral.get(input) ?? 0;
          assert.ok(Math.abs(fast - general) <= 1e-12 * Math.max(1, Math.abs(general)), `seed ${seed}: ${fast} vs ${general}`);
        }
      }
    });

    it('lets a tape go once no value needs it, though later graphs crossed out of it', async () => {
      const chain = (length: number) => {
        const x = leaf(0.5, 'float64');
        let y = x;
        for (let i = 0; i < length; i++) {
          y = tanh(mul(y, 1.5));
          // Hooks and retained gradients must not tie the tapes together either.
          if (i === length / 2) {
            retainGrad(y);
            registerHook(y, () => undefined);
          }
        }
        return y;
      };
      setTapeLengthForTests(7);
      // Made in a function of its own, so that nothing on this stack keeps it.
      const firstTape = (() => {
        const y = chain(40);
        tensorBackward(y);
        return new WeakRef(y.tape as object);
      })();
      // Independent graphs, each crossing from one tape into the next, as a training loop's do, and
      // each starting on the tape where the one before ended (80 rows a graph, 7 a tape).
      for (let i = 0; i < 4; i++) tensorBackward(chain(40));
      const survivor = chain(40);
      await collectGarbage();
      assert.equal(firstTape.deref(), undefined);
      assert.ok(survivor.requiresGrad);
    });

    it('keeps what a create_graph gradient needs after the output it came from is gone', async () => {
      setTapeLengthForTests(7);
      const x = leaf(0.3, 'float64');
      const first = (() => {
        let y = x;
        for (let i = 0; i < 20; i++) y = tanh(mul(y, 1.2));
        return grad([y], [x], { createGraph: true })[0] as Tensor;
      })();
      await collectGarbage();
      const [second] = grad([first], [x]);
      // The same second derivative from a graph that was never let go of.
      let again = x;
      for (let i = 0; i < 20; i++) again = tanh(mul(again, 1.2));
      const [expected] = grad([grad([again], [x], { createGraph: true })[0] as Tensor], [x]);
      assert.equal(second?.item(), expected?.item());
    });

    it('catches a value written in place after a later tape saved it', () => {
      setTapeLengthForTests(3);
      const x = leaf(2);
      const a = mul(x, 2);
      let filler = mul(x, 1);
      for (let i = 0; i < 5; i++) filler = mul(filler, 1);
      const b = mul(a, a);
      assert.notEqual(b.tape, a.tape);
      applyInPlace(a, (current) => add(current, 1));
      throwsMessage(() => tensorBackward(b), /\[torch\.FloatTensor \[\]\], which is output 0 of MulBackward0, is at version 1; expected version 0 instead/);
    });

    it('records into the rows of collected tapes, which start as fresh rows do', async () => {
      setTapeLengthForTests(7);
      // Earlier tests' tapes go to the pool at the next collection: let them go there, and drop them.
      await collectGarbage();
      emptyPoolForTests();
      // Rows left with everything a tape writes besides values: spans, versions, released entries.
      (() => {
        const x = leaf(0.5);
        let y = x;
        withSourceSpan({ from: 3, to: 9 }, () => {
          for (let i = 0; i < 30; i++) {
            y = mul(y, 0.5);
            applyInPlace(y, (current) => add(current, 1));
            y = mul(tanh(y), y);
          }
        });
        tensorBackward(y);
      })();
      await collectGarbage();
      const pooled = poolForTests().tapes;
      assert.ok(pooled >= 4, `rows of collected tapes wait for reuse (${pooled})`);
      const x = leaf(0.25, 'float64');
      const made: Tensor[] = [];
      let y = x;
      // Made with no current span (an earlier run may have left one set).
      withSourceSpan(undefined, () => {
        for (let i = 0; i < 60; i++) made.push((y = add(mul(tanh(y), y), 0.5)));
      });
      assert.ok(poolForTests().tapes < pooled, 'new tapes took pooled rows');
      assert.ok(made.every((value) => value.gradFn?.sourceSpan === undefined), 'no span left from an earlier tape');
      // Backward twice: nothing is marked released, and no version or saved value from an earlier tape shows.
      tensorBackward(y, { retainGraph: true });
      const once = x.grad?.item() as number;
      tensorBackward(y);
      assert.equal(x.grad?.item(), 2 * once);
      // d/dy (tanh(y) y + 0.5) = (1 - tanh²y) y + tanh y, along the chain.
      let value = 0.25;
      let derivative = 1;
      for (let i = 0; i < 60; i++) {
        const t = Math.tanh(value);
        derivative *= (1 - t * t) * value + t;
        value = t * value + 0.5;
      }
      assert.ok(Math.abs(once - derivative) <= 1e-9 * Math.abs(derivative), `${once} vs ${derivative}`);
    });

    it('fills .grad through a chain of many tapes', () => {
      const x = leaf(0.5, 'float64');
      let y = x;
      for (let i = 0; i < 200; i++) y = mul(y, 1.01);
      tensorBackward(y);
      assert.ok(Math.abs((x.grad as Tensor).item() - 1.01 ** 200) < 1e-9);
    });
  });

  it('lets a graph without saved values be backwarded twice, as PyTorch does, but not one with them', () => {
    const x = leaf(2);
    const added = add(x, 1);
    tensorBackward(added);
    tensorBackward(added);
    assert.equal(x.grad?.item(), 2);
    const product = mul(x, x);
    tensorBackward(product);
    throwsMessage(() => tensorBackward(product), /^Trying to backward through the graph a second time/);
  });

  it('catches a saved value written in place, with PyTorch\'s message', () => {
    const x = leaf(2);
    const a = mul(x, 2);
    const b = mul(a, a);
    applyInPlace(a, (current) => add(current, 1));
    throwsMessage(
      () => tensorBackward(b),
      'one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor []], which is output 0 of MulBackward0, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).',
    );
  });

  it('catches a leaf updated under no_grad after its graph was made', () => {
    const w = leaf(3);
    // w * 4 would not save w (its gradient is 4); w * v saves it for v's gradient.
    const y = mul(w, leaf(4));
    withGradMode(false, () => applyInPlace(w, (current) => sub(current, 1)));
    throwsMessage(() => tensorBackward(y), /\[torch\.FloatTensor \[\]\] is at version 1; expected version 0 instead/);
  });

  it('differentiates through in-place ops on 0-d results without a false version error', () => {
    const x = leaf(2);
    const other = leaf(5);
    const a = mul(x, 3);
    applyInPlace(a, (current) => mul(current, other));
    tensorBackward(a);
    assert.equal(x.grad?.item(), 15);
    assert.equal(other.grad?.item(), 6);
  });

  it('runs a leaf\'s hook once, on the sum of what reached it', () => {
    const x = leaf(1);
    const seen: number[] = [];
    registerHook(x, (gradient) => {
      seen.push(gradient.item());
      return undefined;
    });
    tensorBackward(add(mul(x, 2), mul(x, 3)));
    assert.deepEqual(seen, [5]);
    assert.equal(x.grad?.item(), 5);
  });

  it('fills .grad of a tensor that retains it, and keeps grad_fn identity', () => {
    const x = leaf(0.5);
    const a = tanh(x);
    retainGrad(a);
    const y = mul(a, 3);
    assert.ok(canBackwardOnTape([y], [full([], 1, 'float32')], { retainGraph: false, createGraph: false }));
    assert.equal(y.gradFn, y.gradFn);
    assert.equal(y.gradFn?.target(0), a.gradFn);
    assert.equal(y.gradFn?.name, 'MulBackward0');
    tensorBackward(y);
    assert.equal(a.grad?.item(), 3);
    assert.ok(Math.abs((x.grad as Tensor).item() - 3 * (1 - Math.tanh(0.5) ** 2)) < 1e-6);
  });

  it('runs a hook on an intermediate value, which may replace its gradient', () => {
    const x = leaf(2);
    const a = mul(x, x);
    const seen: number[] = [];
    registerHook(a, (gradient) => {
      seen.push(gradient.item());
      return mul(gradient, 10);
    });
    const y = mul(a, 3);
    assert.ok(canBackwardOnTape([y], [full([], 1, 'float32')], { retainGraph: false, createGraph: false }));
    tensorBackward(y);
    assert.deepEqual(seen, [3]);
    assert.equal(x.grad?.item(), 120);
  });

  it('runs a pass after one that failed halfway as it runs a fresh one', () => {
    const chain = (start: Tensor, length: number) => {
      let y = start;
      for (let i = 0; i < length; i++) y = tanh(mul(y, 1.3));
      return y;
    };
    const gradientOfChain = () => {
      const x = leaf(0.4, 'float64');
      tensorBackward(chain(x, 40));
      return x.grad?.item();
    };
    const expected = gradientOfChain();
    const broken = leaf(0.4, 'float64');
    const saved = chain(broken, 20);
    const product = mul(saved, saved);
    applyInPlace(saved, (current) => add(current, 0));
    throwsMessage(() => tensorBackward(chain(product, 20)), /modified by an inplace operation/);
    assert.equal(gradientOfChain(), expected);
  });

  it('decides per value whether its history reaches a tensor node', () => {
    const v = tensorFromNested([1, 2].map((value) => ({ value, kind: 'float' as const }))).setRequiresGrad(true);
    const x = leaf(1);
    const throughNode = mul(sum(v), x);
    const scalarOnly = mul(x, 2);
    const seed = [full([], 1, 'float32')];
    const options = { retainGraph: false, createGraph: false };
    assert.equal(canBackwardOnTape([throughNode], seed, options), false);
    assert.equal(canBackwardOnTape([mul(throughNode, 2)], seed, options), false);
    assert.equal(canBackwardOnTape([scalarOnly], seed, options), true);
  });

  it('gives the inspector each value\'s gradient from the tape pass, as the general pass gives it', () => {
    const leaves = [0.4, -0.2, 0.9].map((value) => leaf(value, 'float64'));
    const values: Tensor[] = [];
    let current = leaves[0];
    for (let i = 0; i < 30; i++) {
      current = tanh(add(mul(current, leaves[i % 3]), 0.1));
      values.push(current);
    }
    const inspected = inspectGradients(current);
    const general = new Map<unknown, number>();
    runBackward([current], [full([], 1, 'float64')], {
      retainGraph: true,
      createGraph: false,
      collectLeafGradient: () => undefined,
      onNodeGradient: (node, gradient) => general.set(node, gradient.item()),
    });
    for (const value of values) {
      const node = value.gradFn as NonNullable<Tensor['gradFn']>;
      assert.equal(inspected.gradientAt(node)?.item(), general.get(node));
    }
    assert.equal(inspected.gradientAt(current.gradFn as NonNullable<Tensor['gradFn']>)?.item(), 1);
  });

  it('hands over to the general pass for values a tensor node made, and for create_graph', () => {
    const v = tensorFromNested([1, 2, 3].map((value) => ({ value, kind: 'float' as const }))).setRequiresGrad(true);
    const total = sum(v);
    const y = mul(total, total);
    tensorBackward(y);
    assert.deepEqual([...(v.grad as Tensor).data], [12, 12, 12]);

    const x = leaf(2, 'float64');
    const cube = mul(mul(x, x), x);
    const [first] = grad([cube], [x], { createGraph: true });
    const [second] = grad([first as Tensor], [x]);
    assert.equal(first?.item(), 12);
    assert.equal(second?.item(), 12);
  });
});
