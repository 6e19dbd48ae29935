// One id sequence for tensors and graph nodes, so that a graph snapshot can name both without clashes.
let nextId = 1;

export function nextObjectId(): number {
  return nextId++;
}
