/**
 * Saving a finished export where the user picked in the shell's save dialog (the desktop's
 * counterpart of `GET /download/<jobId>`). Imports no 'electron' at run time: ipc.ts passes the
 * dialog in, so jest runs this in plain Node. The file is copied beside its target under a
 * temporary name and renamed into place, so an interrupted save leaves no partial workbook and
 * never half-overwrites the file it replaces.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { SaveExportRequest } from '../../shared/bridge';
import { resolveLocale } from '../../shared/i18n';
import { AppError, type RpcResponse } from '../../shared/rpc';
import type { ExportJobs } from '../excel/export-jobs';
import { toRpcError } from '../rpc/errors';

/**
 * Asks the user where to save, starting from a file name (in their documents folder) or a
 * whole path (when asking again); null when the dialog was dismissed.
 */
export type ChooseSaveTarget = (suggested: string) => Promise<string | null>;

export async function saveExportFile(
  exports: Pick<ExportJobs, 'download'>,
  request: SaveExportRequest,
  chooseTarget: ChooseSaveTarget,
): Promise<RpcResponse> {
  const locale = resolveLocale(request.locale);
  const refuse = (error: AppError): RpcResponse => ({ ok: false, error: toRpcError(locale, error) });
  const notFound = () => refuse(new AppError('NOT_FOUND', 'export.jobNotFound'));
  const found = exports.download(request.jobId);
  if (!found) return notFound();
  let suggested = found.fileName;
  let target: string;
  for (;;) {
    const chosen = await chooseTarget(suggested);
    if (!chosen) return { ok: true, result: { saved: false } };
    // GTK's dialog does not add the filter's extension to a typed name.
    if (path.extname(chosen).toLowerCase() === '.xlsx') {
      target = chosen;
      break;
    }
    target = `${chosen}.xlsx`;
    if (!existsSync(target)) break;
    // The dialog asked about overwriting the name typed, not this one: ask again, with it.
    suggested = target;
  }
  const partial = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(4).toString('hex')}.part`,
  );
  try {
    await copyFile(found.file, partial);
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    const { code, message } = error as NodeJS.ErrnoException;
    // The finished file was swept while the dialog was open.
    if (code === 'ENOENT' && !exports.download(request.jobId)) return notFound();
    return refuse(new AppError('BAD_INPUT', 'export.cannotWrite', { file: target, reason: code ?? message }));
  }
  return { ok: true, result: { saved: true, fileName: path.basename(target) } };
}
