// Whether ops record the graph: torch.no_grad / enable_grad / set_grad_enabled switch it.

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

export function withGradMode<T>(enabled: boolean, evaluate: () => T): T {
  const outer = gradEnabled;
  gradEnabled = enabled;
  try {
    return evaluate();
  } finally {
    gradEnabled = outer;
  }
}

export function setGradEnabled(enabled: boolean): void {
  gradEnabled = enabled;
}
