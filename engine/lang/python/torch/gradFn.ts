// What scripts see of the graph: y.grad_fn with name() and next_functions, AccumulateGrad with
// .variable. One Python object per node, so `is` comparisons hold.
import { type GradientTarget, GraphNode } from '../../../autograd/graphNode';
import type { Tensor } from '../../../tensor/tensor';
import { PyBuiltin, PyObject, PyTuple, type PyValue } from '../values';

const nodeObjects = new WeakMap<GraphNode | Tensor, PyGradFn>();

export class PyGradFn extends PyObject {
  private constructor(
    readonly typeName: string,
    private readonly node: GraphNode | undefined,
    private readonly leaf: Tensor | undefined,
  ) {
    super();
  }

  static of(node: GraphNode): PyGradFn {
    let object = nodeObjects.get(node);
    if (!object) nodeObjects.set(node, (object = new PyGradFn(node.name, node, undefined)));
    return object;
  }

  static accumulating(leaf: Tensor): PyGradFn {
    let object = nodeObjects.get(leaf);
    if (!object) nodeObjects.set(leaf, (object = new PyGradFn('AccumulateGrad', undefined, leaf)));
    return object;
  }

  /** A stable, made-up address for the repr, as `<MulBackward0 object at 0x…>` prints in Python. */
  get address(): string {
    const id = this.node?.id ?? this.leaf?.id ?? 0;
    return `0x7f${(0x1000000 + id * 16).toString(16).padStart(10, '0')}`;
  }

  override repr(): string {
    return `<${this.typeName} object at ${this.address}>`;
  }

  override getAttribute(name: string): PyValue | undefined {
    switch (name) {
      case 'name':
        // The C++ name PyTorch's Node::name() gives: the type's name, but qualified for CopySlices and AccumulateGrad.
        return new PyBuiltin('name', () => this.node?.qualifiedName ?? 'torch::autograd::AccumulateGrad');
      case 'next_functions': {
        const node = this.node;
        if (!node) return new PyTuple([]);
        return new PyTuple(Array.from({ length: node.inputCount }, (_, i) => new PyTuple([targetObject(node.target(i)), BigInt(node.targetOutput(i))])));
      }
      case 'variable':
        return this.leaf ?? undefined;
      default:
        return undefined;
    }
  }
}

function targetObject(target: GradientTarget | null): PyValue {
  if (!target) return null;
  return target instanceof GraphNode ? PyGradFn.of(target) : PyGradFn.accumulating(target);
}
