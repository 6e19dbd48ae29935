// Timing for benchmarks: warm up, then repeat until enough time has passed, and take the median
// of several such rounds, so that one slow moment on a shared machine does not decide a figure.

export type Figure = { name: string; ours_ms: number; peer: string; peer_ms: number; ratio: number };

/** Median milliseconds per call of `body`. */
export function timeIt(body: () => void, { rounds = 5, minRoundMs = 200, warmup = 2 } = {}): number {
  for (let i = 0; i < warmup; i++) body();
  const perCall: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let calls = 0;
    const started = performance.now();
    do {
      body();
      calls++;
    } while (performance.now() - started < minRoundMs);
    perCall.push((performance.now() - started) / calls);
  }
  perCall.sort((a, b) => a - b);
  return perCall[Math.floor(perCall.length / 2)];
}

export function report(name: string, ours: number, peer: string, peerMs: number): Figure {
  const figure = { name, ours_ms: round(ours), peer, peer_ms: round(peerMs), ratio: round(ours / peerMs, 4) };
  console.log(JSON.stringify(figure));
  return figure;
}

const round = (value: number, digits = 3) => Number(value.toPrecision(digits + 1));
