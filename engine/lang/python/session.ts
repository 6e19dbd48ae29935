// What builtins may tell the interpreter about the run: the backward() root the graph view shows.
import type { Tensor } from '../../tensor/tensor';

export interface ScriptSession {
  recordBackward(root: Tensor): void;
}
