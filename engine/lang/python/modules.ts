// The modules a tensor script can import. Anything else is refused with a clear message: the
// sandbox has no file system, no processes and no Python underneath.
import { EngineError } from '../../errors';
import { createMathModule } from './mathModule';
import { createTorchModule } from './torchModule';
import type { PyModule } from './values';

export type ModuleImporter = (dottedName: string) => PyModule;

const unavailable: ReadonlyMap<string, string> = new Map([
  ['numpy', 'numpy is not available in Gradient Lens tensor scripts; use torch tensors instead'],
]);

export function createModuleImporter(): ModuleImporter {
  const loaded = new Map<string, PyModule>();
  const factories = new Map<string, () => PyModule>([
    ['torch', createTorchModule],
    ['math', createMathModule],
  ]);
  return (dottedName) => {
    const existing = loaded.get(dottedName);
    if (existing) return existing;
    const factory = factories.get(dottedName);
    if (!factory) {
      const top = dottedName.split('.')[0];
      throw new EngineError('ModuleNotFoundError', unavailable.get(top) ?? `No module named '${dottedName}'`);
    }
    const module = factory();
    loaded.set(dottedName, module);
    return module;
  };
}
