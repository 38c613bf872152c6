/**
 * Files uploaded for import (`POST /upload`), kept in memory for the user who sent them until
 * they are previewed and committed: each under a random 128-bit id known only to that user, for
 * 30 minutes, at most three per user (the oldest goes first). Never written to disk.
 */
import { randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/rpc';
import type { Actor } from '../../services/context';
import { LIMITS } from './guard';

interface Upload {
  userId: number;
  fileName: string;
  bytes: Buffer;
  at: number;
}

const KEEP_MS = 30 * 60_000;
const PER_USER = 3;

export class Uploads {
  private files = new Map<string, Upload>();

  put(actor: Actor, fileName: string, bytes: Buffer): { uploadId: string; fileName: string; bytes: number } {
    if (bytes.length > LIMITS.fileBytes)
      throw new AppError('BAD_INPUT', 'import.tooBig', { mb: Math.round(LIMITS.fileBytes / 1024 / 1024) });
    this.sweep();
    const mine = [...this.files].filter(([, u]) => u.userId === actor.userId);
    for (const [id] of mine.slice(0, Math.max(0, mine.length - PER_USER + 1))) this.files.delete(id);
    const uploadId = randomBytes(16).toString('hex');
    const name = fileName.replace(/[\\/]/g, '_').slice(0, 200) || 'upload';
    this.files.set(uploadId, { userId: actor.userId, fileName: name, bytes, at: Date.now() });
    return { uploadId, fileName: name, bytes: bytes.length };
  }

  /** The caller's own upload (another user's is as unknown as a made-up id). */
  get(actor: Actor, uploadId: string): { fileName: string; bytes: Buffer } {
    this.sweep();
    const upload = this.files.get(uploadId);
    if (!upload || upload.userId !== actor.userId)
      throw new AppError('NOT_FOUND', 'import.uploadNotFound', {}, [
        { path: 'uploadId', key: 'import.uploadNotFound' },
      ]);
    return upload;
  }

  private sweep() {
    const now = Date.now();
    for (const [id, u] of this.files) if (now - u.at > KEEP_MS) this.files.delete(id);
  }
}
