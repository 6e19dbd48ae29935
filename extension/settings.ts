// The extension's settings (contributed in package.json under gradientLens.*), read when used.
import * as vscode from 'vscode';
import type { RunLimits } from '../protocol/messages';
import { defaultRunLimits } from '../engine/lang/runtime/limits';

export function runLimits(): RunLimits {
  const config = vscode.workspace.getConfiguration('gradientLens');
  const setting = (name: string, fallback: number, minimum: number) => Math.max(minimum, config.get<number>(`limits.${name}`, fallback));
  return {
    timeMs: setting('timeSeconds', defaultRunLimits.timeMs / 1000, 0.1) * 1000,
    maxSteps: setting('steps', defaultRunLimits.maxSteps, 1000),
    maxRecursionDepth: setting('recursionDepth', defaultRunLimits.maxRecursionDepth, 10),
    maxTensorElements: setting('tensorElements', defaultRunLimits.maxTensorElements, 1000),
    maxTensorMemoryMb: setting('tensorMemoryMb', defaultRunLimits.maxTensorMemoryMb, 16),
    maxGraphNodes: setting('graphNodes', defaultRunLimits.maxGraphNodes, 1000),
  };
}

export function workerMemoryMb(): number {
  return Math.max(64, vscode.workspace.getConfiguration('gradientLens').get<number>('limits.memoryMb', 1024));
}
