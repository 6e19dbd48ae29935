// The webview's handle on VS Code: messages to the extension and state kept across reloads.
import type { FromWebview, ShowGraphMessage } from '../protocol/messages';

export type WebviewState = { readonly lastGraph?: ShowGraphMessage };

type VsCodeApi = {
  postMessage(message: FromWebview): void;
  getState(): WebviewState | undefined;
  setState(state: WebviewState): void;
};

declare function acquireVsCodeApi(): VsCodeApi;

export const vscode: VsCodeApi = acquireVsCodeApi();
