// JavaScript's block scoping: let and const live in their block, var and functions in the
// enclosing function; const cannot be reassigned; a closure keeps the scope it was made in.
import { EngineError } from '../../errors';
import { sandboxedName } from './sandbox';
import type { JsValue } from './values';

type Binding = { value: JsValue; readonly constant: boolean };

export class Scope {
  private readonly bindings = new Map<string, Binding>();

  constructor(
    readonly parent: Scope | null,
    /** A function's (or the program's) scope: where `var` and function declarations go. */
    readonly isFunctionScope = false,
  ) {}

  declare(name: string, value: JsValue, constant: boolean): void {
    if (this.bindings.has(name)) throw new EngineError('SyntaxError', `Identifier '${name}' has already been declared`);
    this.bindings.set(name, { value, constant });
  }

  /** `var` and function declarations: in the nearest function scope, redeclaration allowed. */
  declareVar(name: string, value: JsValue): void {
    if (!this.isFunctionScope && this.parent) return this.parent.declareVar(name, value);
    const existing = this.bindings.get(name);
    if (existing) existing.value = value;
    else this.bindings.set(name, { value, constant: false });
  }

  private find(name: string): Binding | undefined {
    return this.bindings.get(name) ?? this.parent?.find(name);
  }

  has(name: string): boolean {
    return this.find(name) !== undefined;
  }

  get(name: string): JsValue {
    const binding = this.find(name);
    if (!binding) throw sandboxedName(name);
    return binding.value;
  }

  set(name: string, value: JsValue): void {
    const binding = this.find(name);
    if (!binding) throw sandboxedName(name);
    if (binding.constant) throw new EngineError('TypeError', 'Assignment to constant variable.');
    binding.value = value;
  }
}
