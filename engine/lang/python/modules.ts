// The modules a tensor script can import. Anything else is refused with a clear message: the
// sandbox has no file system, no processes and no Python underneath.
import { EngineError } from '../../errors';
import { createMathModule } from './mathModule';
import { createTorchModule } from './torch/torchModule';
import { PyModule } from './values';

export type ModuleImporter = (dottedName: string) => PyModule;

const unavailable: ReadonlyMap<string, string> = new Map([
  ['numpy', 'numpy is not available in Gradient Lens tensor scripts; use torch tensors instead'],
]);

/** Imports `torch`, `math` and submodules such as `torch.nn.functional`, each made once per run. */
export function createModuleImporter(): ModuleImporter {
  const loaded = new Map<string, PyModule>();
  const factories = new Map<string, () => PyModule>([
    ['torch', createTorchModule],
    ['math', createMathModule],
  ]);
  const notFound = (dottedName: string) =>
    new EngineError('ModuleNotFoundError', unavailable.get(dottedName.split('.')[0]) ?? `No module named '${dottedName}'`);
  return (dottedName) => {
    const [top, ...path] = dottedName.split('.');
    let module = loaded.get(top);
    if (!module) {
      const factory = factories.get(top);
      if (!factory) throw notFound(dottedName);
      loaded.set(top, (module = factory()));
    }
    for (const name of path) {
      const next = module.getAttribute(name);
      if (!(next instanceof PyModule)) throw notFound(dottedName);
      module = next;
    }
    return module;
  };
}
