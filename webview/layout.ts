// Lays the graph out with ELK's layered algorithm in a Web Worker (from a blob: URL), so that a
// large graph never blocks the panel.
import ElkConstructor, { type ELK, type ElkExtendedEdge, type ElkNode } from 'elkjs/lib/elk-api';
import elkWorkerSource from 'elkjs/lib/elk-worker.min.js?text';

export type Size = { readonly width: number; readonly height: number };
export type Point = { readonly x: number; readonly y: number };

export type LayoutRequest = {
  readonly nodes: ReadonlyArray<{ readonly id: string } & Size>;
  readonly edges: ReadonlyArray<{ readonly id: string; readonly from: string; readonly to: string }>;
};

export type Layout = {
  readonly nodes: ReadonlyMap<string, Point>;
  readonly edges: ReadonlyMap<string, readonly Point[]>;
  readonly size: Size;
};

let elk: ELK | undefined;

function layoutEngine(): ELK {
  if (!elk) {
    const workerUrl = URL.createObjectURL(new Blob([elkWorkerSource], { type: 'text/javascript' }));
    elk = new ElkConstructor({ workerFactory: () => new Worker(workerUrl), workerUrl });
  }
  return elk;
}

export async function layOut(request: LayoutRequest): Promise<Layout> {
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.edgeRouting': 'SPLINES',
      'elk.layered.spacing.nodeNodeBetweenLayers': '36',
      'elk.spacing.nodeNode': '24',
      'elk.padding': '[top=16,left=16,bottom=16,right=16]',
    },
    children: request.nodes.map((node) => ({ ...node })),
    edges: request.edges.map((edge) => ({ id: edge.id, sources: [edge.from], targets: [edge.to] })),
  };
  const result = await layoutEngine().layout(graph);
  const nodes = new Map<string, Point>((result.children ?? []).map((node) => [node.id, { x: node.x ?? 0, y: node.y ?? 0 }]));
  const edges = new Map<string, Point[]>(
    ((result.edges ?? []) as ElkExtendedEdge[]).map((edge) => {
      const section = edge.sections?.[0];
      const points = section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint] : [];
      return [edge.id, points];
    }),
  );
  return { nodes, edges, size: { width: result.width ?? 0, height: result.height ?? 0 } };
}
