// A scalar-tape entry seen as a graph node: what grad_fn, hooks, the graph view and the general
// backward pass work with. Made on demand and kept by its tape, one per entry.
import type { DType } from '../tensor/dtype';
import { type Shape, scalarShape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { type GradientTarget, GraphNode } from './graphNode';
import type { ScalarTape } from './scalarTape';

export class TapeNode extends GraphNode<unknown> {
  constructor(
    readonly tape: ScalarTape,
    readonly index: number,
  ) {
    super(tape.op(index), tape.attrs(index), tape.span(index));
  }

  override get released(): boolean {
    return this.tape.released[this.index] === 1;
  }

  override set released(value: boolean) {
    this.tape.released[this.index] = value ? 1 : 0;
  }

  get inputCount(): number {
    return this.tape.arity(this.index);
  }
  get outputCount(): number {
    return 1;
  }
  target(slot: number): GradientTarget | null {
    return this.tape.target(this.index, slot);
  }
  targetOutput(slot: number): number {
    return this.tape.targetOutput(this.index, slot);
  }
  inputShape(): Shape {
    return scalarShape;
  }
  inputDType(slot: number): DType {
    return this.tape.inputDType(this.index, slot);
  }
  input(slot: number): Tensor {
    return this.tape.input(this.index, slot);
  }
  output(): Tensor {
    return this.tape.output(this.index);
  }
  protected inputVersions(slot: number) {
    return this.tape.inputVersions(this.index, slot);
  }
  protected outputVersions() {
    return this.tape.outputVersions(this.index);
  }
}
