// The packaged extension in a real VS Code (code-server) driven through its UI in Chromium: the
// reference example inline, on hover and in the graph panel. Screenshots go to test-results/vscode/.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { vsixPath } from '../../scripts/lib/packaging.mjs';
import { type TestBrowser, launchBrowser } from './support/browser';
import { type CodeServer, startCodeServer } from './support/codeServer';
import {
  afterLineTexts,
  hoverToken,
  openFile,
  runCommand,
  screenshot,
  waitForAfterLineText,
  waitForWorkbench,
  webviewFrame,
} from './support/workbench';

describe('Gradient Lens in VS Code (code-server, through the UI)', function () {
  this.timeout(120_000);
  let server: CodeServer;
  let browser: TestBrowser;
  let page: Page;
  let workspace: string;

  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'gradient-lens-workspace-'));
    cpSync('examples', workspace, { recursive: true });
    server = await startCodeServer({ vsix: resolve(vsixPath) });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await waitForWorkbench(page);
  });

  after(async () => {
    await browser?.close();
    server?.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await screenshot(page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  it('activates on a tensor script: the status bar shows Gradient Lens', async () => {
    await openFile(page, 'seed.py');
    await page.locator('.statusbar-item', { hasText: 'Gradient Lens' }).waitFor({ timeout: 30_000 });
    await screenshot(page, '1-seed-opened');
  });

  it('offers Inspect Gradients and Show Graph in the editor context menu', async () => {
    await page.locator('.monaco-editor .view-line', { hasText: 'print(x.grad)' }).first().click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu');
    await menu.waitFor({ timeout: 10_000 });
    const items = await menu.locator('.action-label').allInnerTexts();
    assert.ok(items.includes('Inspect Gradients'), JSON.stringify(items));
    assert.ok(items.includes('Show Graph'), JSON.stringify(items));
    await page.keyboard.press('Escape');
    // Leave nothing selected, so that the whole file runs next.
    await page.locator('.monaco-editor .view-line', { hasText: 'import torch' }).first().click();
  });

  it('shows tensor(2., requires_grad=True), None, 63. ∂y/∂x = 93. and tensor(93.) after the lines', async () => {
    await runCommand(page, 'Gradient Lens: Inspect Gradients');
    const texts = await waitForAfterLineText(page, 'tensor(93.)');
    assert.ok(texts.includes('tensor(2., requires_grad=True)'), JSON.stringify(texts));
    assert.ok(texts.includes('None'), JSON.stringify(texts));
    assert.ok(texts.includes('63.  ∂y/∂x = 93.'), JSON.stringify(texts));
    await screenshot(page, '2-inline-gradients');
  });

  it('shows value, dtype, requires_grad and the gradient 93 on hover over x', async () => {
    const text = await hoverToken(page, 'print(x)', 'x');
    assert.match(text, /torch\.float32/);
    assert.match(text, /requires_grad=True/);
    assert.match(text, /\.grad.*tensor\(93\.\)/s);
    await screenshot(page, '3-hover-x');
    await page.keyboard.press('Escape');
  });

  it('draws the graph in the panel: x with gradient 93, PowBackward0 nodes, y as output', async () => {
    await runCommand(page, 'Gradient Lens: Show Graph');
    const frame = webviewFrame(page);
    const leaf = frame.locator('.node.leaf', { hasText: 'x' });
    await leaf.waitFor({ timeout: 30_000 });
    assert.match(await leaf.innerText(), /grad\s+93\./);
    assert.ok((await frame.locator('.node', { hasText: 'PowBackward0' }).count()) >= 3);
    assert.match(await frame.locator('.node.output').innerText(), /y[\s\S]*AddBackward0[\s\S]*value 63\./);
    // Without the side bar, the editor and the graph share the window: the picture for the README.
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await page.waitForTimeout(500);
    await screenshot(page, '4-graph-panel');
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
  });

  it('shows 63 and ∂/∂x = 93 for the TypeScript example', async () => {
    await openFile(page, 'seed.ts');
    await runCommand(page, 'Gradient Lens: Inspect Gradients');
    const texts = await waitForAfterLineText(page, '∂/∂x = 93');
    assert.ok(texts.includes('63  ∂/∂x = 93'), JSON.stringify(texts));
    // The open graph panel follows the newest run.
    const leaf = webviewFrame(page).locator('.node.leaf', { hasText: 'grad  93' });
    await leaf.waitFor({ timeout: 30_000 });
    assert.match(await webviewFrame(page).locator('.node.output').innerText(), /value 63\b/);
    await screenshot(page, '5-typescript');
  });

  it('asks for the values of a selection’s inputs, then shows the result and its gradient', async () => {
    await openFile(page, 'inputs.ts');
    await page.locator('.monaco-editor .view-line', { hasText: 'a * a + 3 * b' }).first().click();
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await runCommand(page, 'Gradient Lens: Inspect Gradients');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Gradient Lens: input values' }).waitFor({ timeout: 30_000 });
    const box = page.locator('.quick-input-widget input');
    assert.equal(await box.inputValue(), 'a=, b=');
    await box.fill('a=3, b=2');
    await screenshot(page, '6-input-values');
    await page.keyboard.press('Enter');
    const texts = await waitForAfterLineText(page, '∂/∂a = 6');
    assert.ok(texts.includes('15  ∂/∂a = 6  ∂/∂b = 3'), JSON.stringify(texts));
  });

  it('drops the results once the text changes', async () => {
    await openFile(page, 'seed.ts');
    await runCommand(page, 'Gradient Lens: Inspect Gradients');
    await waitForAfterLineText(page, '∂/∂x = 93');
    await page.locator('.monaco-editor .view-line', { hasText: 'const x = 2' }).first().click();
    await page.keyboard.press('End');
    await page.keyboard.type(' ');
    await page.waitForTimeout(500);
    assert.deepEqual(await afterLineTexts(page), []);
  });
});
