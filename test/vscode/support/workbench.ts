// Driving the VS Code workbench in the browser the way a user does: quick open, the command
// palette, the mouse; reading after-line decorations, hovers and the webview.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';

export const screenshotFolder = join('test-results', 'vscode');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotFolder, { recursive: true });
  await page.screenshot({ path: join(screenshotFolder, `${name}.png`) });
}

export async function waitForWorkbench(page: Page): Promise<void> {
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await page.waitForSelector('.explorer-folders-view, .explorer-viewlet', { timeout: 60_000 });
}

async function pickFromQuickInput(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  await page.locator('.quick-input-widget .monaco-list-row').first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}

/** Opens a file of the workspace from the explorer, as a user would (keys may be going to a webview). */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().dblclick();
  await page.locator(`.tab.active:has-text("${name}")`).waitFor({ timeout: 15_000 });
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await pickFromQuickInput(page, `>${title}`);
}

/** The texts of the after-line decorations in the visible editor (CSS content, not DOM text). */
export async function afterLineTexts(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('.view-line span[class*="ced-"]')]
      .map((span) => getComputedStyle(span, '::after').content)
      .filter((content) => content && content !== 'none')
      .map((content) => JSON.parse(content) as string),
  );
}

export async function waitForAfterLineText(page: Page, expected: string, timeout = 30_000): Promise<string[]> {
  const deadline = Date.now() + timeout;
  let texts: string[] = [];
  while (Date.now() < deadline) {
    texts = await afterLineTexts(page);
    if (texts.some((text) => text.includes(expected))) return texts;
    await page.waitForTimeout(200);
  }
  throw new Error(`no after-line text contains ${JSON.stringify(expected)}; found ${JSON.stringify(texts)}`);
}

/** Hovers the first occurrence of `token` on the editor line that reads `lineText`. */
export async function hoverToken(page: Page, lineText: string, token: string): Promise<string> {
  const line = page.locator('.monaco-editor .view-line', { hasText: lineText }).first();
  const box = await line.boundingBox();
  if (!box) throw new Error(`line ${lineText} is not visible`);
  const position = await line.evaluate((element, wanted) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const index = node.textContent?.search(new RegExp(`\\b${wanted}\\b`)) ?? -1;
      if (index >= 0) {
        const range = document.createRange();
        range.setStart(node, index);
        range.setEnd(node, index + wanted.length);
        const rect = range.getBoundingClientRect();
        return { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
      }
    }
    return undefined;
  }, token);
  if (!position) throw new Error(`token ${token} not found on line ${lineText}`);
  const hover = page.locator('.monaco-hover:visible .hover-contents, .monaco-hover:visible .rendered-markdown').first();
  // The editor shows a hover after the mouse rests on a word; come from elsewhere, as a hand does, and retry.
  for (let attempt = 1; ; attempt++) {
    await page.mouse.move(position.x + 40, position.y + 60);
    await page.mouse.move(position.x, position.y, { steps: 5 });
    try {
      await hover.waitFor({ timeout: 5_000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
  return (await page.locator('.monaco-hover:visible').first().innerText()).trim();
}

/** The content frame of the active webview panel. */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}
