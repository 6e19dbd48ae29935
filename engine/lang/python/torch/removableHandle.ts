// torch.utils.hooks.RemovableHandle: what register_hook returns, so that the hook can be removed.
import { nextObjectId } from '../../../ids';
import { PyBuiltin, PyObject, type PyValue } from '../values';

export class PyRemovableHandle extends PyObject {
  readonly typeName = 'RemovableHandle';
  private readonly id = nextObjectId();

  constructor(private readonly removeHook: () => void) {
    super();
  }

  override getAttribute(name: string): PyValue | undefined {
    if (name === 'remove') return new PyBuiltin('remove', () => (this.removeHook(), null));
    if (name === 'id') return BigInt(this.id);
    return undefined;
  }

  override repr(): string {
    return `<torch.utils.hooks.RemovableHandle object at 0x7f${(0x2000000 + this.id * 16).toString(16).padStart(10, '0')}>`;
  }
}
