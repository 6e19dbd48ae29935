// What scripts see of the graph: y.grad_fn with name() and next_functions, AccumulateGrad with
// .variable. One Python object per node, so `is` comparisons hold.
import type { Edge, GraphNode } from '../../../autograd/graphNode';
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

  override getAttribute(name: string): PyValue | undefined {
    switch (name) {
      case 'name':
        return new PyBuiltin('name', () => this.typeName);
      case 'next_functions':
        return new PyTuple((this.node?.next ?? []).map((edge) => new PyTuple([edgeObject(edge), BigInt(edge && 'node' in edge ? edge.outputIndex : 0)])));
      case 'variable':
        return this.leaf ?? undefined;
      default:
        return undefined;
    }
  }
}

function edgeObject(edge: Edge | null): PyValue {
  if (!edge) return null;
  return 'leaf' in edge ? PyGradFn.accumulating(edge.leaf) : PyGradFn.of(edge.node);
}
