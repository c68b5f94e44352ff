/** Types of bin/build-state.js (plain JavaScript, so the CLI's launcher needs no build). */
export declare const BUILT_MAIN: string;
export declare function staleBuild(): string | undefined;
