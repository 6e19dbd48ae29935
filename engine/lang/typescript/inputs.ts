// Where a TypeScript selection's inputs get their values: `x=2, w=[1, 2]` given with the run (the
// editor's input box, `--set` on the command line), `// @grad x=2` comments, and numeric
// declarations earlier in the file. Also which names a selection uses without declaring them.
import { parse, parseExpression } from '@babel/parser';
import type * as Babel from '@babel/types';
import { EngineError } from '../../errors';

/** A number, or a (nested) array of numbers. */
export type InputValue = number | readonly InputValue[];

const parserPlugins: ['typescript'] = ['typescript'];

function literalValue(node: Babel.Node): InputValue | undefined {
  if (node.type === 'NumericLiteral') return node.value;
  if (node.type === 'UnaryExpression' && (node.operator === '-' || node.operator === '+') && node.argument.type === 'NumericLiteral') {
    return node.operator === '-' ? -node.argument.value : node.argument.value;
  }
  if (node.type === 'ArrayExpression' && node.elements.length > 0) {
    const items = node.elements.map((element) => (element ? literalValue(element) : undefined));
    return items.every((item) => item !== undefined) ? (items as InputValue[]) : undefined;
  }
  return undefined;
}

/** The numeric value a declaration's initializer spells out, if it is one: `2`, `-1.5`, `[1, 2]`. */
export function numericLiteral(node: Babel.Node | null | undefined): InputValue | undefined {
  return node ? literalValue(node) : undefined;
}

/** Parses `x=2, w=[1, 2]` (the form of the input box, `--set` and `// @grad`). */
export function parseInputAssignments(text: string): Map<string, InputValue> {
  const values = new Map<string, InputValue>();
  if (text.trim() === '') return values;
  let expression: Babel.Expression;
  try {
    expression = parseExpression(text, { plugins: parserPlugins });
  } catch (error) {
    throw new EngineError('SyntaxError', `input values must look like x=2, w=[1, 2]: ${(error as Error).message.replace(/\s*\(\d+:\d+\)$/, '')}`);
  }
  const assignments = expression.type === 'SequenceExpression' ? expression.expressions : [expression];
  for (const assignment of assignments) {
    const value = assignment.type === 'AssignmentExpression' && assignment.operator === '=' ? literalValue(assignment.right) : undefined;
    if (assignment.type !== 'AssignmentExpression' || assignment.left.type !== 'Identifier' || value === undefined) {
      throw new EngineError('SyntaxError', `input values must look like x=2, w=[1, 2], not ${text.slice(assignment.start ?? 0, assignment.end ?? text.length)}`);
    }
    values.set(assignment.left.name, value);
  }
  return values;
}

const gradComment = /^\s*@grad\b(.*)$/s;

/** The values `// @grad x=2, w=[1, 2]` comments give, later comments winning. */
export function gradCommentValues(comments: readonly Babel.Comment[]): Map<string, InputValue> {
  const values = new Map<string, InputValue>();
  for (const comment of comments) {
    const match = gradComment.exec(comment.value);
    if (match) for (const [name, value] of parseInputAssignments(match[1])) values.set(name, value);
  }
  return values;
}

/** What the text before the selection offers: numeric top-level declarations and @grad comments. */
export function preambleValues(preamble: string): Map<string, InputValue> {
  const values = new Map<string, InputValue>();
  if (preamble.trim() === '') return values;
  let file: Babel.File;
  try {
    file = parse(preamble, { sourceType: 'module', plugins: parserPlugins, errorRecovery: true, allowReturnOutsideFunction: true });
  } catch {
    return values;
  }
  for (const statement of file.program.body) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (declaration?.type !== 'VariableDeclaration') continue;
    for (const declarator of declaration.declarations) {
      const value = numericLiteral(declarator.init);
      if (declarator.id.type === 'Identifier' && value !== undefined) values.set(declarator.id.name, value);
    }
  }
  for (const [name, value] of gradCommentValues(file.comments ?? [])) values.set(name, value);
  return values;
}

/** Keys of a node that hold types, or names that are not references. */
const skippedKeys = new Set(['typeAnnotation', 'returnType', 'typeParameters', 'superTypeParameters', 'implements', 'loc', 'leadingComments', 'trailingComments', 'innerComments', 'extra']);

/** A syntax node's child nodes (and arrays of them) by key, without types, comments and locations. */
export function* childEntries(node: Babel.Node): Generator<[string, unknown]> {
  for (const entry of Object.entries(node)) if (!skippedKeys.has(entry[0])) yield entry;
}

/** Whether a value from a syntax tree is a node. */
export const isNode = (value: unknown): value is Babel.Node => typeof value === 'object' && value !== null && typeof (value as Babel.Node).type === 'string';

/** The names a selection reads without declaring them anywhere in it. */
export function freeNames(program: Babel.Program): string[] {
  const declared = new Set<string>();
  const referenced: string[] = [];
  const declare = (pattern: Babel.Node | null | undefined): void => {
    if (!pattern) return;
    if (pattern.type === 'Identifier') declared.add(pattern.name);
    else if (pattern.type === 'ArrayPattern') pattern.elements.forEach(declare);
    else if (pattern.type === 'ObjectPattern') pattern.properties.forEach((property) => declare(property.type === 'RestElement' ? property.argument : property.value));
    else if (pattern.type === 'AssignmentPattern') declare(pattern.left);
    else if (pattern.type === 'RestElement') declare(pattern.argument);
  };
  const visit = (node: unknown, parent: Babel.Node | undefined, key: string): void => {
    if (Array.isArray(node)) return node.forEach((child) => visit(child, parent, key));
    if (!isNode(node)) return;
    const current = node;
    if (current.type.startsWith('TS') && !['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion'].includes(current.type)) return;
    switch (current.type) {
      case 'VariableDeclarator':
        declare(current.id);
        visit(current.init, current, 'init');
        return;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        if (current.type !== 'ArrowFunctionExpression' && current.id) declare(current.id);
        current.params.forEach(declare);
        current.params.forEach((param) => param.type === 'AssignmentPattern' && visit(param.right, param, 'right'));
        visit(current.body, current, 'body');
        return;
      case 'CatchClause':
        declare(current.param);
        visit(current.body, current, 'body');
        return;
      case 'Identifier':
        if (parent?.type === 'MemberExpression' && key === 'property' && !parent.computed) return;
        if ((parent?.type === 'ObjectProperty' || parent?.type === 'ObjectMethod') && key === 'key' && !parent.computed) return;
        if (parent?.type === 'LabeledStatement' || parent?.type === 'BreakStatement' || parent?.type === 'ContinueStatement') return;
        referenced.push(current.name);
        return;
    }
    for (const [childKey, child] of childEntries(current)) visit(child, current, childKey);
  };
  visit(program.body, undefined, 'body');
  return [...new Set(referenced)].filter((name) => !declared.has(name));
}
