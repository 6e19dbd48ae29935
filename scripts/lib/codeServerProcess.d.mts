import type { ChildProcess } from 'node:child_process';

export type CodeServerOptions = {
  /** The folder for its user data, extensions, config and XDG folders. */
  readonly home: string;
  /** A .vsix to install first, as a user installs it. */
  readonly vsix?: string;
  /** Let the workbench read extensionDevelopmentPath/extensionTestsPath from the URL. */
  readonly smokeTestDriver?: boolean;
  readonly settings?: Record<string, unknown>;
  /** The port to try first; another free one is taken when it is busy. */
  readonly port?: number;
};

export type CodeServerProcess = {
  readonly url: string;
  readonly port: number;
  /** What code-server wrote, for a failing test's message. */
  readonly log: string[];
  readonly child: ChildProcess;
  stop(): void;
};

export declare function freePort(preferred?: number): Promise<number>;
export declare function startCodeServer(options: CodeServerOptions): Promise<CodeServerProcess>;
