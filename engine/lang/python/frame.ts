// What compiled code runs in: a frame of local names, linked to the frame it was defined in
// (closures), and the per-run services every frame shares.
import type { Tensor } from '../../tensor/tensor';
import type { StepBudget } from '../runtime/limits';
import type { RunRecorder } from '../runtime/runRecorder';
import type { PyClass } from './classes';
import type { ModuleImporter } from './modules';
import type { ScriptSession } from './session';
import type { PyValue } from './values';

/** How a statement ended: on, or leaving its block by break, continue or return. */
export const NORMAL = 0;
export const BREAK = 1;
export const CONTINUE = 2;
export const RETURN = 3;
export type Completion = typeof NORMAL | typeof BREAK | typeof CONTINUE | typeof RETURN;

export type Evaluate = (frame: Frame) => PyValue;
export type Execute = (frame: Frame) => Completion;

/** The function a frame runs, as far as the frame needs to know it (for zero-argument super()). */
export interface FrameOwner {
  readonly definingClass: PyValue | undefined;
}

export class Frame {
  /** Set by `return`, read by the caller. */
  returnValue: PyValue = null;

  constructor(
    readonly locals: Map<string, PyValue>,
    /** The frame the code was defined in: where free names are found. Never a class body. */
    readonly enclosing: Frame | null,
    readonly owner: FrameOwner | null,
    /** The first argument the function received: `self` for zero-argument super(). */
    readonly firstArgument: PyValue | undefined = undefined,
    readonly isClassBody = false,
  ) {}

  /** Where a function or comprehension defined in this frame finds its free names. */
  get closure(): Frame {
    return this.isClassBody && this.enclosing ? this.enclosing : this;
  }
}

/** A module-level name's value (undefined while unbound): compiled code holds the cell, not the name. */
export type GlobalCell = { value: PyValue | undefined };

/** Module globals, one cell per name, so that reading a global in a loop is a property read. */
export class Globals {
  private readonly cells = new Map<string, GlobalCell>();

  cell(name: string): GlobalCell {
    let cell = this.cells.get(name);
    if (cell === undefined) this.cells.set(name, (cell = { value: undefined }));
    return cell;
  }
}

/** One run's shared state: module globals, builtins, imports, the recorder and the limits. */
export interface Runtime extends ScriptSession {
  readonly globals: Globals;
  readonly builtins: ReadonlyMap<string, PyValue>;
  readonly importModule: ModuleImporter;
  /** The builtin exception classes, by name: what `except` matches the engine's errors against. */
  readonly exceptionClasses: ReadonlyMap<string, PyClass>;
  readonly recorder: RunRecorder<PyValue>;
  readonly budget: StepBudget;
  readonly maxRecursionDepth: number;
  callDepth: number;
  /** The error the innermost running `except` block handles: what a bare `raise` raises again. */
  handling: unknown;
  /** The root of the last backward() call: the graph view shows its gradients. */
  backwardRoot: Tensor | undefined;
}
