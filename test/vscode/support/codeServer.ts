// code-server for a test: a throwaway home under the system temp folder and quiet settings.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CodeServerProcess, startCodeServer as startProcess } from '../../../scripts/lib/codeServerProcess.mjs';

export type CodeServer = CodeServerProcess;

/** Settings that keep the test workbench quiet and its hovers quick. */
const testSettings = {
  'editor.hover.delay': 150,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'chat.disableAIFeatures': true,
  'editor.minimap.enabled': false,
};

export async function startCodeServer(options: { vsix?: string; smokeTestDriver?: boolean } = {}): Promise<CodeServer> {
  const home = mkdtempSync(join(tmpdir(), 'gradient-lens-code-server-'));
  const server = await startProcess({ ...options, home, settings: testSettings });
  return {
    ...server,
    stop: () => {
      server.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
