// TypeScript selections as people write them: statements, functions and closures, loops, arrays
// and objects, with console.log printing what Node prints; and the inputs a selection is
// differentiated by: declarations, `// @grad` comments, earlier lines of the file, given values.
import assert from 'node:assert/strict';
import { format } from 'node:util';
import type { RunReport } from '../../protocol/runReport';
import { lines, printed, runTypeScriptText, type RunExtras } from '../support/runScripts';

function output(source: string): string {
  const report = runTypeScriptText(source);
  assert.deepEqual(report.diagnostics, [], report.diagnostics[0]?.message);
  return printed(report);
}

/** The result line: its value and ∂result/∂input for each input, as `name=value`. */
function result(source: string, extras: RunExtras = {}): { report: RunReport; value?: string; partials?: string[] } {
  const report = runTypeScriptText(source, extras);
  const found = report.assignments.filter((a) => a.name === '').at(-1);
  return { report, value: found?.value.text, partials: found?.partials.map((p) => `${p.withRespectTo}=${p.value.text}`) };
}

/** [what, selection, what Node prints for it]. */
const programs: [string, string[], string[]][] = [
  ['let, const and block scope', ['let a = 1;', '{ let a = 2; console.log(a); }', 'console.log(a);'], ['2', '1']],
  ['if/else and the ternary', ['for (const n of [1, 2, 3]) {', "  if (n === 1) console.log('one');", "  else console.log(n % 2 === 0 ? 'even' : 'odd');", '}'], ['one', 'even', 'odd']],
  ['for with break and continue', ['for (let i = 0; i < 10; i++) {', '  if (i % 2) continue;', '  if (i > 6) break;', '  console.log(i);', '}'], ['0', '2', '4', '6']],
  ['while and do-while', ['let n = 0;', 'while (n < 3) n += 1;', 'do { n *= 2; } while (n < 20);', 'console.log(n);'], ['24']],
  ['functions, arrow functions, defaults and rest parameters', ['function f(a: number, b = 2, ...rest: number[]) { return a + b + rest.length; }', 'const g = (x: number): number => x * 10;', 'console.log(f(1), f(1, 5, 7, 7), g(3));'], ['3 8 30']],
  ['closures keep their scope', ['function counter() {', '  let n = 0;', '  return () => ++n;', '}', 'const c = counter();', 'c(); c();', 'console.log(c());'], ['3']],
  ['recursion', ['function fib(n: number): number { return n < 2 ? n : fib(n - 1) + fib(n - 2); }', 'console.log(fib(15));'], ['610']],
  ['function declarations are hoisted', ['console.log(twice(4));', 'function twice(x: number) { return 2 * x; }'], ['8']],
  ['arrays: index, length, map, reduce, filter, join, push', ['const xs: number[] = [];', 'xs.push(1, 2, 3);', 'console.log(xs.length, xs[1], xs.map((v) => v * v), xs.reduce((s, v) => s + v, 0), xs.filter((v) => v > 1), xs.join("-"))'], ['3 2 [ 1, 4, 9 ] 6 [ 2, 3 ] 1-2-3']],
  ['destructuring and spreads', ['const [a, , b = 5, ...rest] = [1, 2, undefined, 4, 5];', 'const { p, q } = { p: 1, q: "two" };', 'console.log(a, b, rest, p, q, [...rest, 6]);'], ['1 5 [ 4, 5 ] 1 two [ 4, 5, 6 ]']],
  ['objects and template literals', ["const o = { x: 1, 'y-z': [1, 2] };", 'o.x += 1;', 'console.log(o, `x is ${o.x}!`);'], ["{ x: 2, 'y-z': [ 1, 2 ] } x is 2!"]],
  ["JavaScript's operators", ["console.log(7 % -3, -7 % 3, 2 ** 10, 1 / 0, '1' == 1, '1' === 1, null ?? 'd', 0 || 'x', 1 && 2, typeof 1, typeof 'a', typeof undefined, 5 & 3, 1 << 3)"], ['1 -1 1024 Infinity true false d x 2 number string undefined 1 8']],
  ['string concatenation and String()', ["console.log('a' + 1 + 2, 1 + 2 + 'a', String(1.5), `${[1, 2]}`)"], ['a12 3a 1.5 1,2']],
  ['Math', ['console.log(Math.max(1, 5, 3), Math.min(), Math.floor(-1.5), Math.round(2.5), Math.sign(-3), Math.abs(-2), Math.sqrt(16))'], ['5 Infinity -2 3 -1 2 4']],
  ['try/catch/finally with thrown errors and engine errors', ["try { throw new RangeError('too far'); } catch (e: any) { console.log(e.name, e.message); }", "try { null.x; } catch (e: any) { console.log(e.name, e.message); } finally { console.log('done'); }"], ['RangeError too far', "TypeError Cannot read properties of null (reading 'x')", 'done']],
];

describe('the TypeScript language in selections', () => {
  for (const [name, source, expected] of programs) {
    it(name, () => assert.equal(output(source.join('\n')), lines(...expected)));
  }

  it('report assignment errors as JavaScript does', () => {
    const [diagnostic] = runTypeScriptText('const a = 1;\na = 2;').diagnostics;
    assert.equal(diagnostic?.message, 'TypeError: Assignment to constant variable.');
    assert.equal(diagnostic?.range.start.line, 1);
  });

  it('stop unbounded recursion with a RangeError at the call', () => {
    const [diagnostic] = runTypeScriptText('function f(n: number): number { return f(n + 1); }\nf(0);').diagnostics;
    assert.match(diagnostic?.message ?? '', /^RangeError: Maximum call stack size exceeded/);
  });
});

describe('the inputs of a TypeScript selection', () => {
  it('differentiate a loop over an input array: ∂(w·x)/∂w = x', () => {
    const found = result(['const w = [1, 2, 3];', 'const x = [4, 5, 6];', 'let s = 0;', 'for (let i = 0; i < w.length; i++) s = s + w[i] * x[i];', 's'].join('\n'));
    assert.equal(found.value, '32');
    assert.deepEqual(found.partials, ['w=[4, 5, 6]', 'x=[1, 2, 3]']);
  });

  it('take values from a // @grad comment', () => {
    const found = result('// @grad x=3, y=[1, 2]\nx * x + y[0] * y[1]');
    assert.equal(found.value, '11');
    assert.deepEqual(found.partials, ['x=6', 'y=[2, 1]']);
  });

  it('take values from declarations earlier in the file, and given values over them', () => {
    const preamble = 'import { thing } from "x";\nconst x = 2;\nconst unused = 7;\nlet label = "a";\n';
    const fromFile = result('x ** 3', { preamble });
    assert.equal(fromFile.value, '8');
    assert.deepEqual(fromFile.partials, ['x=12']);
    const given = result('x ** 3', { preamble, inputs: 'x=3' });
    assert.equal(given.value, '27');
    assert.deepEqual(given.partials, ['x=27']);
  });

  it('call a selected function with the inputs its parameters name', () => {
    const found = result(['// @grad x=2, w=[1, 2]', 'function f(x: number, w: number[]): number {', '  return w[0] * x + w[1] * x * x;', '}'].join('\n'));
    assert.equal(found.value, '10');
    assert.deepEqual(found.partials, ['x=9', 'w=[2, 4]']);
    const arrow = result('const g = (t: number) => Math.exp(t)', { inputs: 't=0' });
    assert.equal(arrow.value, '1');
    assert.deepEqual(arrow.partials, ['t=1']);
  });

  it("differentiate JavaScript's % (the sign of the dividend): ∂(x % 2)/∂x = 1", () => {
    const positive = result('// @grad x=7.5\nx % 2');
    assert.equal(positive.value, '1.5');
    assert.deepEqual(positive.partials, ['x=1']);
    const negative = result('// @grad x=-7.5\nx % 2');
    assert.equal(negative.value, '-1.5');
    assert.deepEqual(negative.partials, ['x=1']);
  });

  it('report a Jacobian when the result is an array', () => {
    const found = result('// @grad x=[1, 2]\n[x[0] * x[1], x[0] + 3 * x[1]]');
    assert.equal(found.value, '[2, 7]');
    assert.deepEqual(found.partials, ['x=[[2, 1], [1, 3]]']);
  });

  it('name the inputs that have no value, for the editor to ask for', () => {
    const { report } = result('a * b + Math.sin(c)', { inputs: 'c=1' });
    assert.deepEqual(report.missingInputs, ['a', 'b']);
    assert.match(report.diagnostics[0]?.message ?? '', /^ReferenceError: a is not defined/);
    const fn = result('function f(p: number, q: number) { return p * q; }', { inputs: 'p=2' });
    assert.deepEqual(fn.report.missingInputs, ['q']);
  });

  it('reject malformed input values with a clear message', () => {
    const [diagnostic] = runTypeScriptText('x * 2', { inputs: 'x=two' }).diagnostics;
    assert.match(diagnostic?.message ?? '', /^SyntaxError: input values must look like x=2, w=\[1, 2\]/);
  });

  it('keep a reassigned declaration out of the inputs', () => {
    const found = result('const x = 3;\nlet s = 0;\nfor (let i = 0; i < 3; i++) s = s + x;\ns');
    assert.equal(found.value, '9');
    assert.deepEqual(found.partials, ['x=3']);
  });
});

describe('console.log in TypeScript selections', () => {
  // Node's own formatting of the same values is the reference.
  const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
  const cases: [string, string, unknown[]][] = [
    ['a short array', '[1, 2, 3]', [[1, 2, 3]]],
    ['seven numbers, grouped', '[1, 2, 3, 4, 5, 6, 7]', [[1, 2, 3, 4, 5, 6, 7]]],
    ['thirty numbers in columns', 'Array30', [range(30, (i) => i)]],
    ['120 numbers: columns and the rest counted', 'Array120', [range(120, (i) => i * 1.5)]],
    ['nested arrays', '[[1, 2], [3, 4]]', [[[1, 2], [3, 4]]]],
    ['depth beyond two', '[[[[1]]]]', [[[[[1]]]]]],
    ['an object', "{ x: 1, y: 'a', z: [1, 2] }", [{ x: 1, y: 'a', z: [1, 2] }]],
    ['a long object on several lines', "{ 'y-z': 1, a: undefined, b: null, longer_name: 'some text here', more: [1, 2, 3] }", [{ 'y-z': 1, a: undefined, b: null, longer_name: 'some text here', more: [1, 2, 3] }]],
    ['strings and quotes', `['a', "it's", 'b']`, [['a', "it's", 'b']]],
    ['seven strings', "['alpha', 'b', 'gamma', 'd', 'epsilon', 'f', 'g']", [['alpha', 'b', 'gamma', 'd', 'epsilon', 'f', 'g']]],
    ['special numbers', '[1.5, -2, 1e21, 0.1 + 0.2, -0]', [[1.5, -2, 1e21, 0.1 + 0.2, -0]]],
    ['mixed arrays', "[1, 'a', [2, 3], null]", [[1, 'a', [2, 3], null]]],
    ['several arguments, strings as they are', "'x is', 2, [1, 2], 'end'", ['x is', 2, [1, 2], 'end']],
  ];
  for (const [name, code, values] of cases) {
    it(name, () => {
      const loop = (n: number, f: string) => `(() => { const a: any[] = []; for (let i = 0; i < ${n}; i++) a.push(${f}); return a; })()`;
      const source = code === 'Array30' ? loop(30, 'i') : code === 'Array120' ? loop(120, 'i * 1.5') : code;
      assert.equal(output(`console.log(${source});`), `${format(...values)}\n`);
    });
  }
});
