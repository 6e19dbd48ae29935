// The values a TypeScript selection's inputs were given in the input box, remembered per document
// (in the workspace's state, so they outlast a reload), and the box that asks for them.
import * as vscode from 'vscode';

const keyOf = (uri: vscode.Uri) => `gradientLens.inputs:${uri.toString()}`;

export class InputValues {
  constructor(private readonly state: vscode.Memento) {}

  get(uri: vscode.Uri): string {
    return this.state.get<string>(keyOf(uri), '');
  }

  async set(uri: vscode.Uri, values: string): Promise<void> {
    await this.state.update(keyOf(uri), values.trim() === '' ? undefined : values);
  }

  /**
   * Asks for values (for `missing` names, or to edit all); undefined when the user cancels. The box
   * starts from what was given before, with an entry for each missing name.
   */
  async ask(uri: vscode.Uri, missing: readonly string[]): Promise<string | undefined> {
    const previous = this.get(uri);
    const starter = missing.map((name) => `${name}=`);
    const value = [previous, ...starter].filter((part) => part.trim() !== '').join(', ');
    const answer = await vscode.window.showInputBox({
      title: 'Gradient Lens: input values',
      prompt: missing.length > 0 ? `The selection uses ${missing.join(', ')} without a value. Give values as x=2, w=[1, 2].` : 'Values for the selection’s inputs, as x=2, w=[1, 2].',
      value,
      valueSelection: [value.length - starter.join(', ').length, value.length],
      // The engine parses the values (with the TypeScript parser) and reports a mistake as a diagnostic.
      ignoreFocusOut: true,
    });
    if (answer === undefined) return undefined;
    await this.set(uri, answer);
    return answer;
  }
}
