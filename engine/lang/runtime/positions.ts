// Turns offsets in the evaluated text into document positions: the text is the selection, which
// starts at `origin` in the document.
import type { SourcePosition, SourceRange } from '../../../protocol/runReport';
import type { SourceSpan } from '../../sourceSpan';

export class PositionMapper {
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly text: string,
    private readonly origin: SourcePosition = { line: 0, character: 0 },
  ) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  position(offset: number): SourcePosition {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    const character = offset - this.lineStarts[low];
    return low === 0
      ? { line: this.origin.line, character: this.origin.character + character }
      : { line: this.origin.line + low, character };
  }

  range(span: SourceSpan): SourceRange {
    return { start: this.position(span.from), end: this.position(span.to) };
  }

  textOf(span: SourceSpan): string {
    return this.text.slice(span.from, span.to);
  }
}
