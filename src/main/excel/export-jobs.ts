/**
 * Exports the screens ask for, run as jobs so a large one never blocks a request: `start`
 * returns at once and the workbook is written in the background (the report reads page by page,
 * so other calls are served in between); the screen polls `get` for the rows written, may
 * `cancel` (the half-written file is removed), and once done downloads the file from the HTTP
 * transport's `/download/<jobId>` or saves it through the desktop's save dialog (the job id is
 * a random 128-bit capability of one user's job, valid for a few minutes). One export per user
 * and a few in all run at once: each holds a read snapshot (on PostgreSQL, a pooled connection)
 * for as long as it runs. Files live in a temporary folder of this process, removed on close.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { localDate } from '../../shared/dates';
import { AppError } from '../../shared/rpc';
import type { Actor, ServiceContext } from '../services/context';
import { exportReport, REPORT_TITLES, type ExportRequest } from './export';

export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

interface Job {
  jobId: string;
  userId: number;
  state: JobState;
  rows: number;
  file: string;
  fileName: string;
  error: AppError | null;
  finishedAt: number | null;
  abort: AbortController;
}

/** A finished file waits this long for its download. */
const KEEP_MS = 10 * 60_000;
/** Exports running at once, all users together: the rest of the pool stays for everyone's work. */
export const MAX_RUNNING = 3;

export class ExportJobs {
  private readonly jobs = new Map<string, Job>();
  private folder: string | null = null;

  constructor(private readonly logError: (message: string, error: unknown) => void) {}

  start(ctx: ServiceContext, actor: Actor, request: Omit<ExportRequest, 'file' | 'exportedBy'>): Job {
    this.sweep();
    // One at a time per user: a second click while one runs waits for it, it does not pile up.
    const running = [...this.jobs.values()].filter((j) => j.state === 'running');
    if (running.some((j) => j.userId === actor.userId))
      throw new AppError('CONFLICT', 'export.alreadyRunning', {});
    if (running.length >= MAX_RUNNING) throw new AppError('CONFLICT', 'export.busy', { n: MAX_RUNNING });
    this.folder ??= mkdtempSync(path.join(tmpdir(), 'relief-depot-exports-'));
    const jobId = randomBytes(16).toString('hex');
    const now = ctx.clock.now();
    const stamp = localDate(now).replaceAll('-', '');
    const job: Job = {
      jobId,
      userId: actor.userId,
      state: 'running',
      rows: 0,
      file: path.join(this.folder, `${jobId}.xlsx`),
      fileName: `${REPORT_TITLES[request.report][request.lang === 'en' ? 'en' : 'zh-CN']}-${stamp}.xlsx`,
      error: null,
      finishedAt: null,
      abort: new AbortController(),
    };
    this.jobs.set(jobId, job);
    const finish = (state: JobState, error: AppError | null = null) => {
      job.state = state;
      job.error = error;
      job.finishedAt = Date.now();
    };
    exportReport(
      ctx,
      {
        ...request,
        file: job.file,
        exportedBy: actor.displayName,
        keeperDepotIds: actor.role === 'keeper' ? actor.depotIds : undefined,
      },
      { signal: job.abort.signal, onRows: (rows) => void (job.rows = rows) },
    ).then(
      ({ rows }) => {
        job.rows = rows.reduce((a, b) => a + b, 0);
        if (!job.abort.signal.aborted) return finish('done');
        rmSync(job.file, { force: true });
        finish('cancelled');
      },
      (error: unknown) => {
        if (job.abort.signal.aborted) return finish('cancelled');
        if (error instanceof AppError) return finish('failed', error);
        this.logError('export', error);
        finish('failed', new AppError('INTERNAL', 'error.INTERNAL'));
      },
    );
    return job;
  }

  /** The caller's own job (another user's is as unknown as a made-up id). */
  get(actor: Actor, jobId: string): Job {
    const job = this.jobs.get(jobId);
    if (!job || job.userId !== actor.userId)
      throw new AppError('NOT_FOUND', 'export.jobNotFound', {}, [
        { path: 'jobId', key: 'export.jobNotFound' },
      ]);
    return job;
  }

  cancel(actor: Actor, jobId: string): Job {
    const job = this.get(actor, jobId);
    if (job.state === 'running') {
      job.abort.abort();
      job.state = 'cancelled';
      job.finishedAt = Date.now();
    }
    return job;
  }

  /** The finished file of a job, for the download endpoint; null when there is none (any more). */
  download(jobId: string): { file: string; fileName: string } | null {
    this.sweep();
    const job = this.jobs.get(jobId);
    return job?.state === 'done' ? { file: job.file, fileName: job.fileName } : null;
  }

  close(): void {
    for (const job of this.jobs.values()) job.abort.abort();
    this.jobs.clear();
    if (this.folder) rmSync(this.folder, { recursive: true, force: true });
    this.folder = null;
  }

  /** Forgets jobs finished long ago, and their files. */
  private sweep(): void {
    const now = Date.now();
    for (const [id, job] of this.jobs)
      if (job.finishedAt !== null && now - job.finishedAt > KEEP_MS) {
        rmSync(job.file, { force: true });
        this.jobs.delete(id);
      }
  }
}

/** What a screen sees of a job. */
export function jobView(job: Job, message: (error: AppError) => string) {
  return {
    jobId: job.jobId,
    state: job.state,
    rows: job.rows,
    fileName: job.fileName,
    error: job.error ? message(job.error) : null,
  };
}
