export declare const CODE_SERVER_VERSION: string;
export declare const NODE24_VERSION: string;
/** The folder of the Node 24 distribution (bin/node, include/node). */
export declare function ensureNode24(): Promise<string>;
/** Installs code-server into the user's cache once; returns the Node 24 binary and code-server's entry script. */
export declare function ensureCodeServer(): Promise<{ node: string; entry: string }>;
