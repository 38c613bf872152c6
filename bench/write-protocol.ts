/** What bench.ts and its writer processes (write-worker.ts) say to each other over the IPC channel. */
import type { StoreConfig } from '../src/main/db/store';

export type WriterMode = 'dispatch' | 'raw-insert' | 'raw-receipt';

export interface WriterTask {
  mode: WriterMode;
  store: StoreConfig;
  /** 1, 2, …: which writer this is (its own lot and document numbers). */
  index: number;
  calls: number;
  warmup: number;
  depotId: number;
  materialId: number;
  username: string;
  password: string;
  scryptN: number;
}

export interface WriterReport {
  startNs: string;
  endNs: string;
  cpuMs: number;
  latenciesMs: number[];
  errors: Record<string, number>;
  maxRssMb: number;
}

export type ToWorker = { type: 'task'; task: WriterTask } | { type: 'go' } | { type: 'close' };
export type FromWorker =
  { type: 'ready' } | { type: 'done'; report: WriterReport } | { type: 'failed'; message: string };

/** The scratch table of the raw-insert baseline (created by bench.ts, dropped afterwards). */
export const SCRATCH_TABLE = 'bench_scratch';
