// Hovering a variable in the range that ran shows its value, shape, dtype, requires_grad and
// gradient. The markdown is not trusted: it shows text only, no command links.
import * as vscode from 'vscode';
import type { ValueSummary, VariableReport } from '../protocol/runReport';
import { valueText } from './inlineText';
import type { RunResults } from './runResults';

const identifier = /[A-Za-z_$][A-Za-z0-9_$]*/;

export class ResultHoverProvider implements vscode.HoverProvider {
  constructor(private readonly results: RunResults) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const run = this.results.get(document.uri);
    if (!run || run.version !== document.version || !run.range.contains(position)) return undefined;
    const wordRange = document.getWordRangeAtPosition(position, identifier);
    if (!wordRange) return undefined;
    const variable = run.report.variables.find((candidate) => candidate.name === document.getText(wordRange));
    if (!variable) return undefined;
    return new vscode.Hover(hoverMarkdown(variable, run.report.language), wordRange);
  }
}

function describeType(value: ValueSummary): string {
  if (value.kind === 'value') return `\`${value.type}\``;
  const flags = [value.requiresGrad ? 'requires_grad=True' : 'requires_grad=False', ...(value.gradFn ? [`grad_fn=${value.gradFn}`] : [])];
  return `\`${value.dtype}\` · shape \`[${value.shape.join(', ')}]\` · ${flags.map((flag) => `\`${flag}\``).join(' · ')}`;
}

export function hoverMarkdown(variable: VariableReport, language: string): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString();
  markdown.appendMarkdown(`**${variable.name}** · ${describeType(variable.value)}\n\n`);
  markdown.appendCodeblock(variable.value.kind === 'tensor' ? variable.value.repr : variable.value.text, language);
  for (const partial of variable.partials) {
    markdown.appendMarkdown(`\n∂${variable.name}/∂${partial.withRespectTo} = \`${valueText(partial.value)}\`\n`);
  }
  if (variable.value.kind === 'tensor' && variable.value.requiresGrad && variable.isLeaf) {
    const grad = variable.grad;
    markdown.appendMarkdown(`\n\`.grad\` = \`${grad ? (grad.kind === 'tensor' ? grad.repr : grad.text) : 'None'}\`\n`);
  }
  return markdown;
}
