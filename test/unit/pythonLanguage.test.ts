// The Python language of tensor scripts, statement by statement and builtin by builtin. Each
// expected output is what CPython 3.12 prints for the same script.
import assert from 'node:assert/strict';
import { lines, printed, runPythonText } from '../support/runScripts';

function output(source: string): string {
  const report = runPythonText(source);
  assert.deepEqual(report.diagnostics, [], report.diagnostics[0]?.message);
  return printed(report);
}

/** [what, script, what CPython prints]. */
const programs: [string, string[], string[]][] = [
  // Statements
  ['if/elif/else', ['for n in [0, 1, 2]:', '    if n == 0:', "        print('zero')", '    elif n == 1:', "        print('one')", '    else:', "        print('many')"], ['zero', 'one', 'many']],
  ['while with break, continue and else', ['i = 0', 'while i < 10:', '    i += 1', '    if i % 2: continue', '    if i > 6: break', '    print(i)', 'else:', "    print('no break')"], ['2', '4', '6']],
  ['for/else runs else without break', ['for i in range(2):', '    pass', 'else:', "    print('finished', i)"], ['finished 1']],
  ['for over tuples, zip and enumerate', ['for i, (a, b) in enumerate(zip("ab", [1, 2]), start=1):', '    print(i, a, b)'], ['1 a 1', '2 b 2']],
  ['for over a dict and its items', ["d = {'x': 1, 'y': 2}", 'for k in d: print(k)', 'for k, v in d.items(): print(k, v)'], ['x', 'y', 'x 1', 'y 2']],
  ['for over a tensor visits rows', ['import torch', 'for row in torch.tensor([[1, 2], [3, 4]]):', '    print(row)'], ['tensor([1, 2])', 'tensor([3, 4])']],
  ['range with a negative step', ['print(list(range(5, 0, -2)), len(range(0, 10, 3)), 4 in range(0, 10, 2))'], ['[5, 3, 1] 4 True']],
  ['tuple unpacking and starred targets', ['a, *rest = [1, 2, 3]', '*init, last = (1, 2, 3)', 'x, (y, z) = 1, (2, 3)', 'print(a, rest, init, last, x, y, z)'], ['1 [2, 3] [1, 2] 3 1 2 3']],
  ['swap and chained assignment', ['a = b = 1', 'a, b = b + 1, a', 'print(a, b)'], ['2 1']],
  ['augmented assignment on lists, subscripts and attributes', ['xs = [1]', 'ys = xs', 'xs += [2]', 'xs[0] *= 10', 'print(xs, ys is xs)'], ['[10, 2] True']],
  ['del on names, list items and dict keys', ["d = {'a': 1, 'b': 2}", 'del d["a"]', 'xs = [1, 2, 3, 4]', 'del xs[1:3]', 'print(d, xs)', 'n = 1', 'del n'], ["{'b': 2} [1, 4]"]],
  ['pass, docstrings and annotations', ['def f(x: int) -> int:', '    """Doubles."""', '    pass', '    return x * 2', 'y: float = 1.5', 'print(f(2), y)'], ['4 1.5']],
  ['assert passes silently', ['assert 1 < 2', "assert [1], 'not empty'", "print('ok')"], ['ok']],
  // Functions
  ['defaults, *args, keyword-only and **kwargs', ['def f(a, b=2, *args, c=3, **kw):', '    return a, b, args, c, kw', 'print(f(1))', 'print(f(1, 5, 6, 7, c=0, z=9))'], ['(1, 2, (), 3, {})', "(1, 5, (6, 7), 0, {'z': 9})"]],
  ['calls with *spread and **spread', ['def f(a, b, c): return a + b * c', "print(f(*[1, 2], **{'c': 3}))"], ['7']],
  ['defaults are evaluated once', ['def f(x, acc=[]):', '    acc.append(x)', '    return acc', 'f(1)', 'print(f(2))'], ['[1, 2]']],
  ['closures and nonlocal', ['def counter():', '    n = 0', '    def inc():', '        nonlocal n', '        n += 1', '        return n', '    return inc', 'c = counter()', 'c(); c()', 'print(c())'], ['3']],
  ['global', ['total = 0', 'def add(x):', '    global total', '    total += x', 'add(2); add(3)', 'print(total)'], ['5']],
  ['recursion', ['def fib(n):', '    return n if n < 2 else fib(n - 1) + fib(n - 2)', 'print(fib(20))'], ['6765']],
  ['lambda with defaults, sorted with key', ["words = ['bb', 'a', 'ccc']", 'print(sorted(words, key=lambda w: len(w)), (lambda x, y=10: x + y)(1))'], ["['a', 'bb', 'ccc'] 11"]],
  ['functions are values with names', ['def f(): pass', 'g = f', 'print(g.__name__, callable(g), callable(1))'], ['f True False']],
  ['decorators', ['def twice(fn):', '    return lambda x: fn(fn(x))', '@twice', 'def inc(x): return x + 1', 'print(inc(0))'], ['2']],
  // Classes
  ['a class with __init__, methods and attributes', ['class Point:', '    dims = 2', '    def __init__(self, x, y):', '        self.x, self.y = x, y', '    def norm2(self):', '        return self.x ** 2 + self.y ** 2', 'p = Point(3, 4)', 'print(p.norm2(), p.dims, Point.dims)'], ['25 2 2']],
  ['inheritance and super()', ['class A:', '    def hello(self): return "A"', 'class B(A):', '    def hello(self): return "B" + super().hello()', 'class C(B):', '    pass', 'print(C().hello(), isinstance(C(), A), issubclass(C, B))'], ['BA True True']],
  ['__repr__, __str__, __len__, __getitem__ and __call__', ['class Box:', '    def __init__(self, items): self.items = items', '    def __repr__(self): return f"Box({self.items!r})"', '    def __len__(self): return len(self.items)', '    def __getitem__(self, i): return self.items[i]', '    def __call__(self, k): return k * 2', 'b = Box([1, 2])', 'print(b, repr(b), len(b), b[1], b(5), bool(b))'], ['Box([1, 2]) Box([1, 2]) 2 2 10 True']],
  ['class attributes shared, instance attributes own', ['class K:', '    count = 0', '    def __init__(self):', '        K.count += 1', 'K(); K()', 'print(K.count)'], ['2']],
  ['a context manager class', ['class Ctx:', '    def __enter__(self):', "        print('enter')", '        return 42', '    def __exit__(self, kind, value, tb):', "        print('exit', kind.__name__ if kind else None)", '        return True', 'with Ctx() as v:', '    print(v)', '    raise ValueError("swallowed")', "print('after')"], ['enter', '42', 'exit ValueError', 'after']],
  // Exceptions
  ['try/except/else/finally', ['def f(x):', '    try:', '        r = 10 // x', '    except ZeroDivisionError as e:', "        print('error:', e)", '        r = None', '    else:', "        print('fine')", '    finally:', "        print('always')", '    return r', 'print(f(2))', 'print(f(0))'], ['fine', 'always', '5', 'error: integer division or modulo by zero', 'always', 'None']],
  ['except with a tuple and a base class', ['for bad in ["[][1]", "{}[0]", "int(\'x\')"]:', '    try:', '        if bad.startswith("[]"): [][1]', "        elif bad.startswith('{'): {}[0]", "        else: int('x')", '    except (IndexError, KeyError) as e:', '        print(type(e).__name__, e)', '    except Exception as e:', '        print("other", type(e).__name__, e)'], ['IndexError list index out of range', 'KeyError 0', "other ValueError invalid literal for int() with base 10: 'x'"]],
  ['a script-defined exception, raised and re-raised', ['class Oops(ValueError):', '    pass', 'try:', '    try:', '        raise Oops("bad", 2)', '    except ValueError:', '        raise', 'except Oops as e:', '    print(repr(e), e.args, str(e))'], ["Oops('bad', 2) ('bad', 2) ('bad', 2)"]],
  ['return inside finally wins', ['def f():', '    try:', '        return 1', '    finally:', '        print("cleanup")', 'print(f())'], ['cleanup', '1']],
  ['engine errors are caught as RuntimeError', ['import torch', 'try:', '    torch.ones(2, 3) @ torch.ones(2, 3)', 'except RuntimeError as e:', '    print("caught", type(e).__name__)'], ['caught RuntimeError']],
  ['the exception name is unbound after the handler', ['try:', '    1 / 0', 'except ZeroDivisionError as e:', '    pass', 'try:', '    print(e)', 'except NameError as n:', '    print(n)'], ["name 'e' is not defined"]],
  // Expressions
  ['arithmetic with Python semantics', ['print(7 // 2, -7 // 2, 7 % -3, -7 % 3, 2 ** -1, 2 ** 3 ** 2, 7 / 2, 10 / 5)'], ['3 -4 -2 2 0.5 512 3.5 2.0']],
  ['chained comparisons evaluate each operand once', ['def v(x):', '    print("v", x)', '    return x', 'print(v(1) < v(2) < v(3))', 'print(v(3) < v(2) < v(1))'], ['v 1', 'v 2', 'v 3', 'True', 'v 3', 'v 2', 'False']],
  ['boolean operators return operands', ["print(0 or 'x', '' and 1, None or [] or 3, not [], 1 and 2)"], ['x  3 True 2']],
  ['conditional expressions, in, is', ["x = None", "print('yes' if x is None else 'no', 2 in [1, 2], 'a' not in 'xyz', x is not None)"], ['yes True True False']],
  ['bitwise operators on ints and bools', ['print(6 & 3, 6 | 3, 6 ^ 3, 1 << 4, -16 >> 2, ~5, True & False)'], ['2 7 5 16 -4 -6 False']],
  ['comprehensions', ['print([x * x for x in range(5) if x % 2 == 0])', 'print({k: v for k, v in [("a", 1), ("b", 2)]})', 'print({x % 3 for x in range(10)})', 'print([(i, j) for i in range(2) for j in range(i, 2)])'], ['[0, 4, 16]', "{'a': 1, 'b': 2}", '{0, 1, 2}', '[(0, 0), (0, 1), (1, 1)]']],
  ['comprehension variables do not leak', ['x = "outer"', 'ys = [x for x in range(3)]', 'print(x, ys)'], ['outer [0, 1, 2]']],
  ['generator expressions are lazy', ['def check(v):', '    print("check", v)', '    return v > 1', 'print(any(check(v) for v in [1, 2, 3]))'], ['check 1', 'check 2', 'True']],
  ['list, tuple, dict and set displays with spreads', ["a = [1, 2]", "print([0, *a], (*a, 3), {**{'x': 1}, 'y': 2}, {*a}, (1,), ())"], ["[0, 1, 2] (1, 2, 3) {'x': 1, 'y': 2} {1, 2} (1,) ()"]],
  ['slices of lists, tuples and strings', ["s = 'abcdef'", 'xs = list(range(6))', 'print(s[1:4], s[::-1], s[-2:], xs[::2], xs[5:1:-2], tuple(xs)[:2])'], ['bcd fedcba ef [0, 2, 4] [5, 3] (0, 1)']],
  ['slice assignment', ['xs = [0, 1, 2, 3]', 'xs[1:3] = ["a", "b", "c"]', 'print(xs)'], ["[0, 'a', 'b', 'c', 3]"]],
  // Strings and formatting
  ['f-strings with format specs', ['loss = 0.123456', 'n = 42', "print(f'{loss:.4f} {n:>5} {n:05d} {loss:.2e} {n:,} {0.25:.0%} {n:x} {\"s\":^5}|')"], ['0.1235    42 00042 1.23e-01 42 25% 2a   s  |']],
  ['f-strings with conversions, nested specs and self-documenting fields', ["name = 'x'", 'w = 6', 'v = 1.5', "print(f'{name!r} {v:>{w}} {v=} {{braces}}')"], ["'x'    1.5 v=1.5 {braces}"]],
  // Tensor.__format__ formats a 0-d tensor as its Python number, even without a spec.
  ['f-strings with tensors', ['import torch', 'loss = torch.tensor(0.5)', "print(f'loss {loss.item():.3f} {loss:.2f} {loss}')"], ['loss 0.500 0.50 0.5']],
  ['% formatting', ["print('%.3f|%5d|%-4s|%s|%r|%x|%%' % (3.14159, 42, 'ab', [1], 'q', 255))"], ["3.142|   42|ab  |[1]|'q'|ff|%"]],
  ['str.format', ["print('{} and {}'.format(1, 2), '{1}{0}'.format('a', 'b'), '{x:.1f}'.format(x=2.25), '{:>{}}'.format('r', 3))"], ['1 and 2 ba 2.2 ' + '  r']],
  ['string methods', ["s = '  Hello, World  '", "print(s.strip().lower(), s.split(), ','.join(['a', 'b']), 'a-b-c'.split('-', 1), 'abc'.upper().startswith('AB'), 'hello'.replace('l', 'L', 1), 'x'.center(5, '*'), 'abc'.find('c'), '42'.zfill(5))"], ["hello, world ['Hello,', 'World'] a,b ['a', 'b-c'] True heLlo **x** 2 00042"]],
  ['repr of floats, strings and containers', ["print(repr(0.1), repr(1e16), repr(1e-5), repr('it\\'s'), [1.0, 'a', None, True], (1, [2]))"], ["0.1 1e+16 1e-05 \"it's\" [1.0, 'a', None, True] (1, [2])"]],
  // Builtins
  ['numeric builtins', ['print(abs(-3), abs(-2.5), round(2.5), round(3.5), round(2.675, 2), min(3, 1, 2), max([4, 9, 2]), sum([1, 2, 3], 10), divmod(17, 5), pow(2, 10))'], ['3 2.5 2 4 2.67 1 9 16 (3, 2) 1024']],
  ['min and max with key and default', ["print(min(['bb', 'a', 'ccc'], key=len), max([], default='none'), max('abc'))"], ['a none c']],
  ['conversions', ["print(int('42'), int(3.9), int(-3.9), float('1.5'), float('inf'), str(1.0), bool(''), bool([0]), int('ff', 16), list('ab'), tuple([1]), dict(a=1), set([1, 1]))"], ["42 3 -3 1.5 inf 1.0 False True 255 ['a', 'b'] (1,) {'a': 1} {1}"]],
  ['isinstance and type', ["print(isinstance(1, int), isinstance(True, int), isinstance(1.0, (int, float)), isinstance('a', str), type(1).__name__, type([]) is list, type(1.5))"], ["True True True True int True <class 'float'>"]],
  ['sorted, reversed, map, filter, any, all, zip, enumerate', ['print(sorted([3, 1, 2]), list(reversed([1, 2, 3])), list(map(str, [1, 2])), list(filter(None, [0, 1, 2])), all([]), any([]), list(zip([1, 2], "ab")), list(enumerate("xy")))'], ["[1, 2, 3] [3, 2, 1] ['1', '2'] [1, 2] True False [(1, 'a'), (2, 'b')] [(0, 'x'), (1, 'y')]"]],
  ['iter and next', ['it = iter([1, 2])', 'print(next(it), next(it), next(it, "end"))'], ['1 2 end']],
  ['list methods', ['xs = [3, 1, 2]', 'xs.append(4); xs.extend([5]); xs.insert(0, 0); xs.remove(3)', 'print(xs, xs.pop(), xs.index(2), xs.count(1))', 'xs.sort(reverse=True); print(xs)', 'xs.reverse(); print(xs, xs.copy() == xs)'], ['[0, 1, 2, 4] 5 2 1', '[4, 2, 1, 0]', '[0, 1, 2, 4] True']],
  ['dict methods', ["d = {'a': 1}", "d['b'] = 2", "print(d.get('c'), d.get('c', 0), d.pop('a'), d.setdefault('z', 9), list(d.keys()), list(d.values()), d)", "d.update({'b': 3}, c=4); print(d, 'c' in d, len(d))", 'print(d.keys())'], ["None 0 1 9 ['b', 'z'] [2, 9] {'b': 2, 'z': 9}", "{'b': 3, 'z': 9, 'c': 4} True 3", "dict_keys(['b', 'z', 'c'])"]],
  ['dict keys: 1, 1.0 and True are one key', ["d = {1: 'int'}", "d[1.0] = 'float'", "d[True] = 'bool'", 'print(d, {(1, 2): 3}[(1, 2)])'], ["{1: 'bool'} 3"]],
  ['set methods and operators on membership', ['s = {1, 2}', 's.add(3); s.discard(1)', 'print(s, s.union([5]), 2 in s, len(s), s == {2, 3})'], ['{2, 3} {2, 3, 5} True 2 True']],
  ['print with sep and end', ["print(1, 2, sep='-', end='!')", "print('x', end='')", 'print()'], ['1-2!x']],
  ['the math module', ['import math', 'print(math.sqrt(16), math.floor(2.7), math.ceil(2.1), round(math.pi, 4), math.exp(0))', 'print(math.log(8, 2), math.log10(1000), math.factorial(5), math.gcd(12, 18), math.isclose(0.1 + 0.2, 0.3), math.hypot(3, 4), math.isnan(math.nan), math.atan2(1, 1) == math.pi / 4)'], ['4.0 2 3 3.1416 1.0', '3.0 3.0 120 6 True 5.0 True True']],
  ['from imports', ['from torch import nn, optim', 'from math import sqrt as root', 'import torch.nn.functional as F', 'print(root(9), callable(F.relu), nn.Linear is not None, optim.SGD is not None)'], ['3.0 True True True']],
];

describe('the Python language in tensor scripts', () => {
  for (const [name, script, expected] of programs) {
    it(name, () => assert.equal(output(script.join('\n')), lines(...expected)));
  }
});

/** [what, script, the error Python raises (type and message), line of the diagnostic]. */
const errors: [string, string[], string, number][] = [
  ['an undefined name', ['print(undefined_name)'], "NameError: name 'undefined_name' is not defined", 0],
  ['a local used before assignment', ['def f():', '    print(v)', '    v = 1', 'f()'], "UnboundLocalError: cannot access local variable 'v' where it is not associated with a value", 1],
  ['too many positional arguments', ['def f(a, b=1): pass', 'f(1, 2, 3)'], 'TypeError: f() takes from 1 to 2 positional arguments but 3 were given', 1],
  ['a missing argument', ['def f(a, b): pass', 'f(1)'], "TypeError: f() missing 1 required positional argument: 'b'", 1],
  ['missing keyword-only arguments', ['def f(*, a, b): pass', 'f()'], "TypeError: f() missing 2 required keyword-only arguments: 'a' and 'b'", 1],
  ['an unexpected keyword', ['def f(a): pass', 'f(a=1, z=2)'], "TypeError: f() got an unexpected keyword argument 'z'", 1],
  ['a method called with too many arguments', ['class A:', '    def m(self): pass', 'A().m(1)'], 'TypeError: A.m() takes 1 positional argument but 2 were given', 2],
  ['an index out of range', ['xs = [1]', 'xs[3]'], 'IndexError: list index out of range', 1],
  ['a missing key', ["d = {'a': 1}", "d['b']"], "KeyError: 'b'", 1],
  ['integer division by zero', ['x = 1', 'x // 0'], 'ZeroDivisionError: integer division or modulo by zero', 1],
  ['too many values to unpack', ['a, b = 1, 2, 3'], 'ValueError: too many values to unpack (expected 2)', 0],
  ['unpacking a non-iterable', ['a, b = 1'], 'TypeError: cannot unpack non-iterable int object', 0],
  ['an attribute that does not exist', ['class A: pass', 'A().missing'], "AttributeError: 'A' object has no attribute 'missing'", 1],
  ['numpy from a tensor', ['import torch', 'torch.ones(2).numpy()'], 'NotImplementedError: numpy is not available in Gradient Lens tensor scripts; use .tolist() instead', 1],
  ['a math domain error', ['import math', 'math.sqrt(-1)'], 'ValueError: math domain error', 1],
  ['a failed assertion with its message', ['x = 2', "assert x == 3, f'x is {x}'"], 'AssertionError: x is 2', 1],
  ['an uncaught raise of a script exception', ['class Bad(Exception): pass', 'raise Bad("nope")'], 'Bad: nope', 1],
  ['a raise of a non-exception', ['raise 1'], 'TypeError: exceptions must derive from BaseException', 0],
  ['break outside a loop', ['print(1)', 'break'], "SyntaxError: 'break' outside loop", 1],
  ['return outside a function', ['return 1'], "SyntaxError: 'return' outside function", 0],
  ['calling a non-callable', ['x = 1', 'x()'], "TypeError: 'int' object is not callable", 1],
  ['nn.Module without forward', ['import torch.nn as nn', 'class M(nn.Module): pass', 'M()(1)'], 'NotImplementedError: Module [M] is missing the required "forward" function', 2],
  ['an unsupported construct names itself', ['x = 1', 'async def f(): pass'], 'NotImplementedError', 1],
];

describe("Python's errors in tensor scripts", () => {
  for (const [name, script, message, line] of errors) {
    it(name, () => {
      const [diagnostic] = runPythonText(script.join('\n')).diagnostics;
      assert.ok(diagnostic, 'a diagnostic');
      assert.equal(diagnostic.message.slice(0, message.length), message);
      assert.equal(diagnostic.range.start.line, line);
    });
  }

  it('stops unbounded recursion with a RecursionError at the recursive call', () => {
    const [diagnostic] = runPythonText(['def f(n):', '    return f(n + 1)', 'f(0)'].join('\n')).diagnostics;
    assert.ok(diagnostic?.message.startsWith('RecursionError: maximum recursion depth exceeded'), diagnostic?.message);
    assert.equal(diagnostic.range.start.line, 1);
  });

  it('runs the statements before an unsupported construct', () => {
    const report = runPythonText(['print("before")', 'match 1:', '    case 1:', '        pass'].join('\n'));
    assert.equal(printed(report), 'before\n');
    assert.equal(report.diagnostics.length, 1);
  });
});
