// The extension's settings (contributed in package.json under gradientLens.*), read when used.
import * as vscode from 'vscode';
import type { RunLimits } from '../protocol/messages';

export function runLimits(): RunLimits {
  const config = vscode.workspace.getConfiguration('gradientLens');
  return {
    timeMs: Math.max(0.1, config.get<number>('limits.timeSeconds', 10)) * 1000,
    maxSteps: Math.max(1000, config.get<number>('limits.steps', 5_000_000)),
  };
}

export function workerMemoryMb(): number {
  return Math.max(64, vscode.workspace.getConfiguration('gradientLens').get<number>('limits.memoryMb', 1024));
}
