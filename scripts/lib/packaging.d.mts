export declare const vsixPath: string;
export declare function packageExtension(): Promise<string>;
