// Types of scripts/process-memory.cjs for the TypeScript tests.
export declare function residentMemory(pid: number): { rss: number; peak: number };
export declare function memoryAfterGc(options: { pid: number; inspectPort: number; timeoutMs?: number }): Promise<{ rss: number; heapUsed: number }>;
