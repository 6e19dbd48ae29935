// The sandbox, as a table: each of these must end in a clear error, with its range, and no effect
// on the host. Add to it whenever a new way out comes to mind.
import assert from 'node:assert/strict';
import type { ScriptLanguage } from '../../protocol/runReport';
import { printed, run } from '../support/runScripts';

type Escape = { readonly language: ScriptLanguage; readonly code: string; readonly error: RegExp };

const python = (code: string, error: RegExp): Escape => ({ language: 'python', code, error });
const typescript = (code: string, error: RegExp): Escape => ({ language: 'typescript', code, error });
const notAvailable = (name: string) => new RegExp(`^NameError: name '${name}' is not available: tensor scripts run in a sandbox`);
const dunder = (type: string, name: string) => new RegExp(`^AttributeError: '${type}' object has no attribute '${name}' \\(double-underscore attributes are not available`);
const notDefined = (name: string) => new RegExp(`^ReferenceError: ${name} is not defined \\(selections run in a sandbox`);

const escapes: Escape[] = [
  // The list, Python
  python("__import__('os')", notAvailable('__import__')),
  python('import os', /^ModuleNotFoundError: No module named 'os'/),
  python('import subprocess', /^ModuleNotFoundError: No module named 'subprocess'/),
  python("open('/etc/passwd')", notAvailable('open')),
  python("eval('1 + 1')", notAvailable('eval')),
  python("exec('x = 1')", notAvailable('exec')),
  python("compile('1', 'f', 'eval')", notAvailable('compile')),
  python('globals()', notAvailable('globals')),
  python("import torch\ngetattr(torch.ones(1), '__class__')", notAvailable('getattr')),
  python('().__class__.__bases__[0].__subclasses__()', dunder('tuple', '__class__')),
  // More, Python
  python('import sys', /^ModuleNotFoundError: No module named 'sys'/),
  python('from os import system', /^ModuleNotFoundError: No module named 'os'/),
  python('import importlib', /^ModuleNotFoundError: No module named 'importlib'/),
  python('import torch.utils.cpp_extension', /^ModuleNotFoundError: No module named 'torch.utils.cpp_extension'/),
  python('locals()', notAvailable('locals')),
  python('vars()', notAvailable('vars')),
  python('breakpoint()', notAvailable('breakpoint')),
  python("setattr(1, 'x', 2)", notAvailable('setattr')),
  python('input()', notAvailable('input')),
  python('(lambda: 0).__globals__', dunder('function', '__globals__')),
  python('print.__self__', dunder('builtin_function_or_method', '__self__')),
  python('import torch\ntorch.__dict__', dunder('module', '__dict__')),
  python("import torch\ntorch.load('model.pt')", /^AttributeError: 'module' object has no attribute 'load'/),
  python("import torch\ntorch.save(torch.ones(1), '/tmp/x.pt')", /^AttributeError: 'module' object has no attribute 'save'/),
  python('[].__class__.__mro__', dunder('list', '__class__')),
  python('type(1).__subclasses__()', dunder('type', '__subclasses__')),
  python("f'{().__class__}'", dunder('tuple', '__class__')),
  python('import torch\nx = torch.ones(1)\nx.constructor', /^AttributeError: 'Tensor' object has no attribute 'constructor'/),
  python('import torch\ntorch.ones(1).__proto__', dunder('Tensor', '__proto__')),
  python("'abc'.constructor", /^AttributeError: 'str' object has no attribute 'constructor'/),
  python('class A: pass\nA.__subclasses__()', dunder('type', '__subclasses__')),
  // The list, TypeScript
  typescript("require('fs')", notDefined('require')),
  typescript("import('fs')", /^ReferenceError: modules cannot be imported: selections run in a sandbox/),
  typescript('process.exit()', notDefined('process')),
  typescript('globalThis', notDefined('globalThis')),
  typescript("Function('return this')()", notDefined('Function')),
  typescript("(() => {}).constructor('return process')()", /^TypeError: 'constructor' is not available: selections run in a sandbox/),
  typescript('Object.prototype.polluted = 1', notDefined('Object')),
  typescript('const o: any = {};\no.__proto__ = { polluted: 1 }', /^TypeError: '__proto__' is not available/),
  // More, TypeScript
  typescript("import fs from 'fs'", /^ReferenceError: modules cannot be imported/),
  typescript("eval('1')", notDefined('eval')),
  typescript("new Function('return 1')", notDefined('Function')),
  typescript("new (Math.max as any)()", /^NotImplementedError: new, except for errors, is not supported yet/),
  typescript("Math.constructor('return process')()", /^TypeError: 'constructor' is not available/),
  typescript("[].constructor.constructor('return process')()", /^TypeError: 'constructor' is not available/),
  typescript("'x'.constructor", /^TypeError: 'constructor' is not available/),
  typescript("console.log.constructor('return process')()", /^TypeError: 'constructor' is not available/),
  typescript('({ __proto__: { polluted: 1 } })', /^TypeError: '__proto__' is not available/),
  typescript("const o: any = {};\no['__proto__'].polluted = 1", /^TypeError: '__proto__' is not available/),
  typescript('Reflect.ownKeys({})', notDefined('Reflect')),
  typescript('setTimeout(() => 0, 0)', notDefined('setTimeout')),
  typescript('WebAssembly.compile', notDefined('WebAssembly')),
  typescript('this', /^NotImplementedError: this expression is not supported yet/),
  typescript('global.process', notDefined('global')),
  typescript('module.exports = 1', notDefined('module')),
];

describe('the sandbox', () => {
  for (const { language, code, error } of escapes) {
    it(`refuses ${language === 'python' ? 'Python' : 'TypeScript'}: ${code.split('\n').pop()}`, () => {
      const report = run(language, code);
      const [diagnostic] = report.diagnostics;
      assert.ok(diagnostic, 'a diagnostic');
      assert.match(diagnostic.message, error);
      assert.equal(printed(report), '', 'printed nothing');
      // The error points into the code, at the line that tried.
      assert.equal(diagnostic.range.start.line, code.split('\n').length - 1);
    });
  }

  it('left the host untouched', () => {
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
    assert.equal(typeof process.exit, 'function');
  });
});
