// @vscode/test-cli: the extension host suites under Electron VS Code, on machines that can
// download it (`npx vscode-test` after `npm run build`). Here, where VS Code cannot be downloaded,
// npm test runs the same suites in code-server (test/vscode/runExtensionHostTests.ts).
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  files: 'out/test/extensionHost/*.test.js',
  workspaceFolder: './examples',
  mocha: { ui: 'bdd', timeout: 30000 },
});
