/**
 * The typed mirror of the contract: one handler per procedure in src/shared/api.ts. A missing,
 * extra or mistyped handler does not compile. Handlers only translate to service calls.
 */
import type { z } from 'zod';
import type { Api, ParsedInputOf, ProcedureName } from '../../shared/api';
import type { Locale } from '../../shared/i18n';
import { AppError } from '../../shared/rpc';
import { jobView, type ExportJobs } from '../excel/export-jobs';
import type { Actor, ServiceContext } from '../services/context';
import { toRpcError } from './errors';
import { auditHead, listAudit, verifyAudit } from '../services/audit.service';
import { changePassword, login, logout } from '../services/auth.service';
import { dashboardSummary } from '../services/dashboard.service';
import { getSettings, updateSettings } from '../services/settings.service';
import { assertFirstRun, createFirstAdmin, setupStatus, type DemoAccount } from '../services/setup.service';
import { createDepot, listDepots, updateDepot } from '../services/depot.service';
import { checkLedger } from '../services/ledger-check.service';
import { createMaterial, listCategories, listMaterials, updateMaterial } from '../services/material.service';
import { listQuotas, setQuota } from '../services/quota.service';
import { commitImport, previewImport, type ImportRequest } from '../services/import.service';
import type { Uploads } from '../excel/import/uploads';
import {
  approveAllocation,
  cancelAllocation,
  createAllocation,
  forwardAllocation,
  getAllocationFor,
  listAllocations,
  rejectAllocation,
  submitAllocation,
  suggestSources,
  updateAllocation,
} from '../services/allocation.service';
import {
  cancelDelivery,
  closeDelivery,
  createDelivery,
  deliverDelivery,
  dispatchDelivery,
  getDeliveryFor,
  inTransit,
  listDeliveries,
  returnRecovered,
  updateDelivery,
  writeOffConsumed,
} from '../services/delivery.service';
import { getDocument } from '../services/document.service';
import { incidentSummary } from '../services/incident-summary.service';
import {
  closeIncident,
  createIncident,
  getIncident,
  listIncidents,
  updateIncident,
} from '../services/incident.service';
import {
  issueStock,
  receiveStock,
  reverseMovement,
  scrapStock,
  transferStock,
} from '../services/stock.service';
import { listBalances } from '../services/balances.service';
import { getBatch, listMovements, stockMatrix } from '../services/stock-query.service';
import { listBelowQuota, listExpiring } from '../services/stock-warnings.service';
import {
  approveStocktake,
  cancelStocktake,
  countStocktake,
  getStocktake,
  listStocktakes,
  openStocktake,
} from '../services/stocktake.service';
import { createUser, getUser, listUsers, resetPassword, updateUser } from '../services/user.service';

/** The demo data set, provided by the composition root (it needs the whole app to seed). */
export interface DemoHooks {
  accounts: readonly DemoAccount[];
  load(): Promise<void>;
}

export interface CallContext {
  svc: ServiceContext;
  demo: DemoHooks;
  exports: ExportJobs;
  uploads: Uploads;
  token: string | undefined;
  /** The caller's language (messages written into a response). */
  locale: Locale;
}

/** Signed-in calls also know who is calling (dispatch has checked the session and the role). */
export interface SignedInCall extends CallContext {
  actor: Actor;
  token: string;
}

type CallFor<P extends ProcedureName> = Api[P]['access'] extends 'public' ? CallContext : SignedInCall;

/** An import call's request: the caller's uploaded file, with the screen's choices. */
function importRequest(c: SignedInCall, input: ParsedInputOf<'import.preview'>): ImportRequest {
  const { fileName, bytes } = c.uploads.get(c.actor, input.uploadId);
  return {
    kind: input.kind,
    fileName,
    bytes,
    lang: c.locale,
    depotId: input.depotId,
    sheet: input.sheet,
    mapping: input.mapping,
    createMissing: input.createMissing,
    skipRows: input.skipRows,
  };
}

export type Handlers = {
  [P in ProcedureName]: (call: CallFor<P>, input: ParsedInputOf<P>) => Promise<z.input<Api[P]['output']>>;
};

export const handlers: Handlers = {
  'setup.status': (c) => setupStatus(c.svc, c.demo.accounts),
  'setup.createAdmin': async (c, input) => {
    await createFirstAdmin(c.svc, input);
    return login(c.svc, { username: input.username, password: input.password });
  },
  'setup.loadDemo': async (c) => {
    await assertFirstRun(c.svc);
    await c.demo.load();
    return setupStatus(c.svc, c.demo.accounts);
  },

  'auth.login': (c, input) => login(c.svc, input),
  'auth.logout': (c) => logout(c.svc, c.actor, c.token),
  'auth.me': (c) => getUser(c.svc.db, c.actor.userId),
  'auth.changePassword': (c, input) => changePassword(c.svc, c.actor, c.token, input),

  'user.list': (c) => listUsers(c.svc),
  'user.create': (c, input) => createUser(c.svc, c.actor, input),
  'user.update': (c, input) => updateUser(c.svc, c.actor, input),
  'user.resetPassword': (c, input) => resetPassword(c.svc, c.actor, input),

  'depot.list': (c, input) => listDepots(c.svc, input),
  'depot.create': (c, input) => createDepot(c.svc, c.actor, input),
  'depot.update': (c, input) => updateDepot(c.svc, c.actor, input),

  'material.list': (c, input) => listMaterials(c.svc, input),
  'material.categories': (c) => listCategories(c.svc),
  'material.create': (c, input) => createMaterial(c.svc, c.actor, input),
  'material.update': (c, input) => updateMaterial(c.svc, c.actor, input),

  'quota.set': (c, input) => setQuota(c.svc, c.actor, input),
  'quota.list': (c, input) => listQuotas(c.svc, input),

  'stock.receive': (c, input) => receiveStock(c.svc, c.actor, input),
  'stock.issue': (c, input) => issueStock(c.svc, c.actor, input),
  'stock.transfer': (c, input) => transferStock(c.svc, c.actor, input),
  'stock.scrap': (c, input) => scrapStock(c.svc, c.actor, input),
  'stock.reverse': (c, input) => reverseMovement(c.svc, c.actor, input),
  'stock.balances': (c, input) => listBalances(c.svc, input),
  'stock.batch': (c, input) => getBatch(c.svc, input.batchId),
  'stock.matrix': (c, input) => stockMatrix(c.svc.db, input),
  'stock.movements': (c, input) => listMovements(c.svc.db, input),
  'stock.expiring': (c, input) => listExpiring(c.svc, input),
  'stock.belowQuota': (c, input) => listBelowQuota(c.svc.db, input),

  'stocktake.open': (c, input) => openStocktake(c.svc, c.actor, input),
  'stocktake.count': (c, input) => countStocktake(c.svc, c.actor, input),
  'stocktake.approve': (c, input) => approveStocktake(c.svc, c.actor, input.stocktakeId),
  'stocktake.cancel': (c, input) => cancelStocktake(c.svc, c.actor, input.stocktakeId),
  'stocktake.get': (c, input) => getStocktake(c.svc.db, input.stocktakeId),
  'stocktake.list': (c, input) => listStocktakes(c.svc.db, input),

  'dashboard.summary': (c, input) => dashboardSummary(c.svc, c.actor, input),
  'settings.get': (c) => getSettings(c.svc.db),
  'settings.update': (c, input) => updateSettings(c.svc, c.actor, input),

  'ledger.check': (c) => checkLedger(c.svc),
  'audit.verify': (c) => verifyAudit(c.svc.db),
  'audit.list': (c, input) => listAudit(c.svc.db, input),
  'audit.head': (c) => auditHead(c.svc.db),
  'document.get': (c, input) => getDocument(c.svc, c.actor, input.docNo),
  'changes.version': async (c) => ({ version: (await auditHead(c.svc.db))?.auditId ?? 0 }),
  'import.preview': async (c, input) => previewImport(c.svc, importRequest(c, input)),
  'import.commit': async (c, input) => {
    if (input.kind === 'catalogue' && c.actor.role !== 'admin')
      throw new AppError('FORBIDDEN', 'auth.roleNotAllowed', { role: `role.${c.actor.role}` });
    return commitImport(c.svc, c.actor, importRequest(c, input));
  },
  'report.export': async (c, input) =>
    jobView(c.exports.start(c.svc, c.actor, input), (e) => toRpcError(c.locale, e).message),
  'report.job': async (c, input) =>
    jobView(c.exports.get(c.actor, input.jobId), (e) => toRpcError(c.locale, e).message),
  'report.cancel': async (c, input) =>
    jobView(c.exports.cancel(c.actor, input.jobId), (e) => toRpcError(c.locale, e).message),

  'incident.create': (c, input) => createIncident(c.svc, c.actor, input),
  'incident.update': (c, input) => updateIncident(c.svc, c.actor, input),
  'incident.close': (c, input) => closeIncident(c.svc, c.actor, input),
  'incident.list': (c, input) => listIncidents(c.svc.db, input),
  'incident.get': (c, input) => getIncident(c.svc.db, input.incidentId),
  'incident.summary': (c, input) => incidentSummary(c.svc, input.incidentId),

  'allocation.create': (c, input) => createAllocation(c.svc, c.actor, input),
  'allocation.update': (c, input) => updateAllocation(c.svc, c.actor, input),
  'allocation.submit': (c, input) => submitAllocation(c.svc, c.actor, input),
  'allocation.approve': (c, input) => approveAllocation(c.svc, c.actor, input),
  'allocation.forward': (c, input) => forwardAllocation(c.svc, c.actor, input),
  'allocation.reject': (c, input) => rejectAllocation(c.svc, c.actor, input),
  'allocation.cancel': (c, input) => cancelAllocation(c.svc, c.actor, input),
  'allocation.list': (c, input) => listAllocations(c.svc, c.actor, input),
  'allocation.get': (c, input) => getAllocationFor(c.svc, c.actor, input.requestId),
  'allocation.suggestSources': (c, input) => suggestSources(c.svc, c.actor, input.requestId),
  'delivery.create': (c, input) => createDelivery(c.svc, c.actor, input),
  'delivery.update': (c, input) => updateDelivery(c.svc, c.actor, input),
  'delivery.dispatch': (c, input) => dispatchDelivery(c.svc, c.actor, input),
  'delivery.deliver': (c, input) => deliverDelivery(c.svc, c.actor, input),
  'delivery.cancel': (c, input) => cancelDelivery(c.svc, c.actor, input),
  'delivery.close': (c, input) => closeDelivery(c.svc, c.actor, input),
  'delivery.list': (c, input) => listDeliveries(c.svc, c.actor, input),
  'delivery.get': (c, input) => getDeliveryFor(c.svc, c.actor, input.deliveryId),
  'delivery.inTransit': (c, input) => inTransit(c.svc, input),
  'recovery.return': (c, input) => returnRecovered(c.svc, c.actor, input),
  'recovery.writeOff': (c, input) => writeOffConsumed(c.svc, c.actor, input),
};
