// The extension inside VS Code's extension host, driven through the VS Code API: the commands,
// the hover provider, diagnostics and the graph panel, on a workspace holding the examples.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunReport } from '../../../protocol/runReport';

const workspaceFile = (name: string) => {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests run with a workspace folder holding the examples');
  return vscode.Uri.joinPath(folder.uri, name);
};

async function show(document: vscode.TextDocument, selection?: vscode.Selection): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(document);
  editor.selection = selection ?? new vscode.Selection(0, 0, 0, 0);
  return editor;
}

const inspect = () => vscode.commands.executeCommand<RunReport | undefined>('gradientLens.inspectGradients');

async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : 'value' in content ? content.value : ''))
    .join('\n');
}

describe('Gradient Lens in the extension host', () => {
  it('inspects the reference example through the command', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('seed.py'));
    await show(document);
    const report = await inspect();
    assert.ok(report, 'the command returns the run report');
    assert.deepEqual(
      report.prints.map((p) => p.text),
      ['tensor(2., requires_grad=True)\n', 'None\n', 'tensor(93.)\n'],
    );
    assert.equal(report.prints[2].range.start.line, 8);
  });

  it('hovers x with its gradient and y with ∂y/∂x', async () => {
    const uri = workspaceFile('seed.py');
    const x = await hoverText(uri, new vscode.Position(3, 6));
    assert.match(x, /tensor\(2\., requires_grad=True\)/);
    assert.match(x, /\.grad.*tensor\(93\.\)/);
    const y = await hoverText(uri, new vscode.Position(6, 0));
    assert.match(y, /∂y\/∂x = `93\.`/);
  });

  it('runs only the selection when there is one, with document positions', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'python',
      content: 'print("not run")\nimport torch\nprint(torch.tensor([1., 2.]) * 3)\n',
    });
    await show(document, new vscode.Selection(1, 0, 2, 33));
    const report = await inspect();
    assert.deepEqual(report?.prints.map((p) => [p.text, p.range.start.line]), [['tensor([3., 6.])\n', 2]]);
  });

  it('puts an error on the line that raised it, as a diagnostic with its range', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'python',
      content: 'import torch\nx = torch.tensor([1., 2.], requires_grad=True)\n(x * 2).backward()\n',
    });
    await show(document);
    await inspect();
    const [diagnostic] = vscode.languages.getDiagnostics(document.uri);
    assert.equal(diagnostic?.message, 'RuntimeError: grad can be implicitly created only for scalar outputs');
    assert.equal(diagnostic?.range.start.line, 2);
    assert.equal(diagnostic?.source, 'Gradient Lens');
  });

  it('drops results and diagnostics when the document changes', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'python', content: 'print(undefined_name)\n' });
    const editor = await show(document);
    await inspect();
    assert.equal(vscode.languages.getDiagnostics(document.uri).length, 1);
    await editor.edit((edit) => edit.insert(new vscode.Position(1, 0), '# edited\n'));
    assert.equal(vscode.languages.getDiagnostics(document.uri).length, 0);
  });

  it('evaluates TypeScript: 63 with ∂/∂x = 93', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('seed.ts'));
    await show(document);
    const report = await inspect();
    const result = report?.assignments.find((a) => a.name === '');
    assert.equal(result?.value.text, '63');
    assert.deepEqual(result?.partials.map((p) => [p.withRespectTo, p.value.text]), [['x', '93']]);
  });

  it('opens the graph panel beside the editor', async () => {
    await vscode.commands.executeCommand('gradientLens.showGraph');
    const graphTab = () =>
      vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((tab) => tab.input instanceof vscode.TabInputWebview && tab.label.startsWith('Gradient Graph'));
    for (let waited = 0; !graphTab() && waited < 10_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    assert.ok(graphTab(), `tabs: ${tabs.map((tab) => `${tab.label} (${tab.input?.constructor.name})`).join(', ')}`);
    assert.equal(graphTab()?.label, 'Gradient Graph: seed.ts');
  });
});
