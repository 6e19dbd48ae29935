// `import torch`, `import torch.nn as nn`, `from torch import nn, optim`: the modules the sandbox
// offers, bound to names in the scope the import runs in.
import { EngineError } from '../../../errors';
import { type Execute, NORMAL } from '../frame';
import { notSupported } from '../../runtime/locate';
import type { CompileContext } from './context';
import { compileStore } from './names';
import { type SyntaxNode, children } from './syntax';

type Imported = { readonly name: string; readonly alias?: string };

/** `a.b as c, d` → [{name: 'a.b', alias: 'c'}, {name: 'd'}]. */
function importedNames(context: CompileContext, nodes: readonly SyntaxNode[]): Imported[] {
  const result: Imported[] = [];
  let name = '';
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    if (node.name === '*') throw notSupported('import *');
    if (node.name === 'as') {
      result.push({ name, alias: context.text(nodes[++i]) });
      name = '';
    } else if (node.name === 'VariableName' || node.name === '.') {
      name += context.text(node);
    } else if (node.name === ',' && name) {
      result.push({ name });
      name = '';
    }
  }
  if (name) result.push({ name });
  return result;
}

export function compileImport(context: CompileContext, node: SyntaxNode): Execute {
  const parts = children(node).filter((part) => part.name !== '(' && part.name !== ')');
  const { importModule } = context.runtime;
  if (parts[0].name === 'from') {
    const importIndex = parts.findIndex((part) => part.name === 'import');
    const moduleName = parts
      .slice(1, importIndex)
      .map((part) => context.text(part))
      .join('');
    const bindings = importedNames(context, parts.slice(importIndex + 1)).map(({ name, alias }) => ({ name, store: compileStore(context, alias ?? name) }));
    return (frame) => {
      const module = importModule(moduleName);
      for (const { name, store } of bindings) {
        // `from torch import nn` may name a submodule as well as an attribute.
        const value = module.getAttribute(name) ?? tryImport(() => importModule(`${moduleName}.${name}`));
        if (value === undefined) throw new EngineError('ImportError', `cannot import name '${name}' from '${moduleName}'`);
        store(frame, value);
      }
      return NORMAL;
    };
  }
  const bindings = importedNames(context, parts.slice(1)).map(({ name, alias }) => ({
    name,
    alias,
    // `import torch.nn as nn` binds the submodule; `import torch.nn` binds `torch`.
    store: compileStore(context, alias ?? name.split('.')[0]),
  }));
  return (frame) => {
    for (const { name, alias, store } of bindings) {
      const module = importModule(name);
      store(frame, alias ? module : importModule(name.split('.')[0]));
    }
    return NORMAL;
  };
}

function tryImport<T>(load: () => T): T | undefined {
  try {
    return load();
  } catch {
    return undefined;
  }
}
