// Types of scripts/ports.cjs for the TypeScript tests.
export declare const LOOPBACK: '127.0.0.1';
export declare function freePort(): Promise<number>;
export declare function freePorts(count: number, taken?: Set<number>): Promise<number[]>;
export declare function isPortFree(port: number): Promise<boolean>;
export declare function acceptsConnections(port: number): Promise<boolean>;
export declare function isPortClosed(port: number): Promise<boolean>;
