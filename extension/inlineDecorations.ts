// Shows each line's result after it, in the theme colour gradientLens.inlineForeground. One
// decoration type, one setDecorations call per editor.
import * as vscode from 'vscode';
import { inlineTextByLine } from './inlineText';
import type { RunResults } from './runResults';

export class InlineDecorations implements vscode.Disposable {
  private readonly type = vscode.window.createTextEditorDecorationType({
    after: {
      color: new vscode.ThemeColor('gradientLens.inlineForeground'),
      margin: '0 0 0 2em',
      fontStyle: 'italic',
    },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly results: RunResults) {
    this.subscriptions = [
      results.onDidChange((uri) => this.refresh(uri)),
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((editor) => this.render(editor))),
    ];
  }

  private refresh(uri: vscode.Uri): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() === uri.toString()) this.render(editor);
    }
  }

  private render(editor: vscode.TextEditor): void {
    const run = this.results.get(editor.document.uri);
    if (!run || run.version !== editor.document.version) {
      editor.setDecorations(this.type, []);
      return;
    }
    const decorations: vscode.DecorationOptions[] = [];
    for (const [line, text] of inlineTextByLine(run.report)) {
      if (line >= editor.document.lineCount) continue;
      const end = editor.document.lineAt(line).range.end;
      decorations.push({ range: new vscode.Range(end, end), renderOptions: { after: { contentText: text } } });
    }
    editor.setDecorations(this.type, decorations);
  }

  dispose(): void {
    this.subscriptions.forEach((subscription) => subscription.dispose());
    this.type.dispose();
  }
}
