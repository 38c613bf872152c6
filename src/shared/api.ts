/**
 * THE contract between the UI and the core: every procedure, its input and output schemas and
 * the roles allowed to call it. `dispatch()` enforces it for every transport; `handlers.ts`
 * must implement exactly these names. Keepers are further limited to their own depots by the
 * handlers (the scope depends on the input, not only the role).
 */
import { z } from 'zod';
import { id, ok } from './schemas/common';
import { depotCreateInput, depotDto, depotListInput, depotUpdateInput } from './schemas/depot';
import {
  materialCreateInput,
  materialDto,
  materialListInput,
  materialPage,
  materialUpdateInput,
  quotaDto,
  quotaListInput,
  quotaSetInput,
} from './schemas/material';
import {
  balancesInput,
  balancesPage,
  batchDetail,
  batchGetInput,
  belowQuotaInput,
  belowQuotaOutput,
  expiringInput,
  expiringOutput,
  issueInput,
  matrixInput,
  matrixOutput,
  movementsInput,
  movementsPage,
  postingResult,
  receiveInput,
  reverseInput,
  scrapInput,
  transferInput,
} from './schemas/stock';
import {
  stocktakeApproveOutput,
  stocktakeCountInput,
  stocktakeDto,
  stocktakeIdInput,
  stocktakeListInput,
  stocktakeOpenInput,
  stocktakeSummaryDto,
} from './schemas/stocktake';
import { dashboardInput, dashboardOutput } from './schemas/dashboard';
import { documentGetInput, documentOutput } from './schemas/document';
import { reportExportInput, reportJobDto, reportJobInput } from './schemas/report';
import { importInput, importPreviewDto, importResultDto } from './schemas/import';
import { settingsUpdateInput, appSettings } from './schemas/settings';
import { createAdminInput, setupStatusOutput } from './schemas/setup';
import {
  allocationApproveInput,
  allocationCreateInput,
  allocationDto,
  allocationListInput,
  allocationRejectInput,
  allocationStepInput,
  allocationSummaryDto,
  allocationUpdateInput,
  incidentCloseInput,
  incidentCreateInput,
  incidentDto,
  incidentListInput,
  incidentSummaryOutput,
  incidentUpdateInput,
  suggestSourcesOutput,
} from './schemas/allocation';
import {
  deliveryCancelInput,
  deliveryCreateInput,
  deliveryDeliverInput,
  deliveryDto,
  deliveryListInput,
  deliveryStepInput,
  deliverySummaryDto,
  deliveryUpdateInput,
  inTransitInput,
  inTransitOutput,
  recoveryReturnInput,
  recoveryWriteOffInput,
} from './schemas/delivery';
import {
  auditHeadOutput,
  auditListInput,
  auditListOutput,
  auditVerifyOutput,
  ledgerCheckOutput,
} from './schemas/system';
import {
  changePasswordInput,
  loginInput,
  loginOutput,
  userCreateInput,
  userDto,
  userResetPasswordInput,
  userUpdateInput,
  type Role,
} from './schemas/user';

/** 'public' means callable without a session (only signing in). */
export type Access = readonly Role[] | 'public';

export interface Procedure<I extends z.ZodTypeAny, O extends z.ZodTypeAny, A extends Access = Access> {
  input: I;
  output: O;
  access: A;
}

function procedure<I extends z.ZodTypeAny, O extends z.ZodTypeAny, const A extends Access>(
  p: Procedure<I, O, A>,
): Procedure<I, O, A> {
  return p;
}

const none = z.strictObject({}).prefault({});
const everyone = ['admin', 'coordinator', 'keeper', 'staff'] as const;
const admin = ['admin'] as const;
const stockWriters = ['admin', 'coordinator', 'keeper'] as const;
const supervisors = ['admin', 'coordinator'] as const;
const coordinators = ['coordinator'] as const;
/** Who files allocation requests: keepers for their depots; coordinators and staff for any, or outside units. */
const requesters = ['coordinator', 'keeper', 'staff'] as const;
/** Who loads, signs for and takes back delivered goods: keepers at their own depots, and coordinators. */
const handlers = ['coordinator', 'keeper'] as const;

export const api = {
  /** Before sign-in: does the store need its first administrator, is it demo data. */
  'setup.status': procedure({ input: none, output: setupStatusOutput, access: 'public' }),
  /** First run only: create the administrator and sign in. */
  'setup.createAdmin': procedure({ input: createAdminInput, output: loginOutput, access: 'public' }),
  /** First run only: fill the empty store with the demo data set. */
  'setup.loadDemo': procedure({ input: none, output: setupStatusOutput, access: 'public' }),

  /** Sign in; returns a session token. The error never says which of the two was wrong. */
  'auth.login': procedure({ input: loginInput, output: loginOutput, access: 'public' }),
  /** End the current session. */
  'auth.logout': procedure({ input: none, output: ok, access: everyone }),
  /** The signed-in user with role and depots. */
  'auth.me': procedure({ input: none, output: userDto, access: everyone }),
  /** Change one's own password; other sessions of the user end. */
  'auth.changePassword': procedure({ input: changePasswordInput, output: ok, access: everyone }),

  /** All users (admin). */
  'user.list': procedure({ input: none, output: z.array(userDto), access: admin }),
  /** Create a user with a role and, for keepers, their depots. */
  'user.create': procedure({ input: userCreateInput, output: userDto, access: admin }),
  /** Change name, role, depots or deactivate; deactivation ends the user's sessions. */
  'user.update': procedure({ input: userUpdateInput, output: userDto, access: admin }),
  /** Set a new password for a user; their sessions end. */
  'user.resetPassword': procedure({ input: userResetPasswordInput, output: ok, access: admin }),

  /** Depots, active only unless asked. */
  'depot.list': procedure({ input: depotListInput, output: z.array(depotDto), access: everyone }),
  'depot.create': procedure({ input: depotCreateInput, output: depotDto, access: admin }),
  /** Update fields or deactivate (depots are never deleted: the ledger references them). */
  'depot.update': procedure({ input: depotUpdateInput, output: depotDto, access: admin }),

  /** Catalogue search by code, name or spec; keyset-paged by code. */
  'material.list': procedure({ input: materialListInput, output: materialPage, access: everyone }),
  /** The local categories in use (帐篷, 被服 …), for filters. */
  'material.categories': procedure({ input: none, output: z.array(z.string()), access: everyone }),
  'material.create': procedure({ input: materialCreateInput, output: materialDto, access: admin }),
  /** Update fields or deactivate (never deleted). */
  'material.update': procedure({ input: materialUpdateInput, output: materialDto, access: admin }),

  /** Set a depot's reserve quota for a material (0 removes it). */
  'quota.set': procedure({ input: quotaSetInput, output: quotaDto, access: admin }),
  'quota.list': procedure({ input: quotaListInput, output: z.array(quotaDto), access: everyone }),

  /** Receipt (入库) into new or existing batches; one document, one transaction. */
  'stock.receive': procedure({ input: receiveInput, output: postingResult, access: stockWriters }),
  /** Issue (出库), FEFO unless a batch is chosen; expired batches only when chosen. */
  'stock.issue': procedure({ input: issueInput, output: postingResult, access: stockWriters }),
  /** Transfer between depots (调拨移库): out and in, one transaction. */
  'stock.transfer': procedure({ input: transferInput, output: postingResult, access: stockWriters }),
  /** Scrap (报废) from named batches. */
  'stock.scrap': procedure({ input: scrapInput, output: postingResult, access: stockWriters }),
  /** Reversal (红冲) of a posted movement, exactly once; a transfer is reversed on both sides. */
  'stock.reverse': procedure({ input: reverseInput, output: postingResult, access: stockWriters }),
  /** Balances by batch, by depot and material, or city totals per material; keyset-paged. */
  'stock.balances': procedure({ input: balancesInput, output: balancesPage, access: everyone }),
  /** One batch: material, depot, lot, dates, source, supplier, price, on hand (the stock card's header). */
  'stock.batch': procedure({ input: batchGetInput, output: batchDetail, access: everyone }),
  /** The material × depot matrix in columns. */
  'stock.matrix': procedure({ input: matrixInput, output: matrixOutput, access: everyone }),
  /** Ledger history, newest first, keyset-paged. */
  'stock.movements': procedure({ input: movementsInput, output: movementsPage, access: everyone }),
  /** Batches within their warning window before expiry, and expired ones. */
  'stock.expiring': procedure({ input: expiringInput, output: expiringOutput, access: everyone }),
  /** Depots whose available quantity is under their quota. */
  'stock.belowQuota': procedure({ input: belowQuotaInput, output: belowQuotaOutput, access: everyone }),

  /** Open a stocktake: book quantities of every batch in the depot are frozen. */
  'stocktake.open': procedure({ input: stocktakeOpenInput, output: stocktakeDto, access: stockWriters }),
  /** Enter counted quantities (and reasons for differences). */
  'stocktake.count': procedure({ input: stocktakeCountInput, output: stocktakeDto, access: stockWriters }),
  /** Approve: differences are posted as gain/loss movements. */
  'stocktake.approve': procedure({
    input: stocktakeIdInput,
    output: stocktakeApproveOutput,
    access: supervisors,
  }),
  /** Cancel an open stocktake; nothing is posted. */
  'stocktake.cancel': procedure({ input: stocktakeIdInput, output: stocktakeDto, access: stockWriters }),
  'stocktake.get': procedure({ input: stocktakeIdInput, output: stocktakeDto, access: everyone }),
  'stocktake.list': procedure({
    input: stocktakeListInput,
    output: z.array(stocktakeSummaryDto),
    access: everyone,
  }),

  /** Dashboard figures: stock by category and depot level, warning counts. */
  'dashboard.summary': procedure({ input: dashboardInput, output: dashboardOutput, access: everyone }),
  'settings.get': procedure({ input: none, output: appSettings, access: everyone }),
  'settings.update': procedure({ input: settingsUpdateInput, output: appSettings, access: admin }),

  /** Recompute every balance from the ledger and report differences. */
  'ledger.check': procedure({ input: none, output: ledgerCheckOutput, access: supervisors }),
  /** Walk the audit hash chain; report the first broken link. */
  'audit.verify': procedure({ input: none, output: auditVerifyOutput, access: admin }),
  'audit.list': procedure({ input: auditListInput, output: auditListOutput, access: admin }),
  /** 突发事件: what requests, deliveries and movements are for. */
  'incident.create': procedure({ input: incidentCreateInput, output: incidentDto, access: coordinators }),
  'incident.update': procedure({ input: incidentUpdateInput, output: incidentDto, access: coordinators }),
  'incident.close': procedure({ input: incidentCloseInput, output: incidentDto, access: coordinators }),
  'incident.list': procedure({ input: incidentListInput, output: z.array(incidentDto), access: everyone }),
  'incident.get': procedure({
    input: z.strictObject({ incidentId: id }),
    output: incidentDto,
    access: everyone,
  }),
  /** The incident page: per material requested → consumed, requests and orders by state, timers. */
  'incident.summary': procedure({
    input: z.strictObject({ incidentId: id }),
    output: incidentSummaryOutput,
    access: everyone,
  }),

  /** 调拨申请 and its tiered approval: approving reserves the chosen sources. */
  'allocation.create': procedure({ input: allocationCreateInput, output: allocationDto, access: requesters }),
  'allocation.update': procedure({ input: allocationUpdateInput, output: allocationDto, access: requesters }),
  'allocation.submit': procedure({ input: allocationStepInput, output: allocationDto, access: requesters }),
  'allocation.approve': procedure({
    input: allocationApproveInput,
    output: allocationDto,
    access: coordinators,
  }),
  /** District level: pass the whole request, nothing given here, up to the city. */
  'allocation.forward': procedure({
    input: allocationStepInput,
    output: allocationDto,
    access: coordinators,
  }),
  'allocation.reject': procedure({
    input: allocationRejectInput,
    output: allocationDto,
    access: coordinators,
  }),
  'allocation.cancel': procedure({ input: allocationStepInput, output: allocationDto, access: requesters }),
  'allocation.list': procedure({
    input: allocationListInput,
    output: z.array(allocationSummaryDto),
    access: everyone,
  }),
  'allocation.get': procedure({
    input: z.strictObject({ requestId: id }),
    output: allocationDto,
    access: everyone,
  }),
  'allocation.suggestSources': procedure({
    input: z.strictObject({ requestId: id }),
    output: suggestSourcesOutput,
    access: coordinators,
  }),

  /** 紧急配送单: approved sources on a vehicle, dispatched out of the source depots, signed for at the destination. */
  'delivery.create': procedure({ input: deliveryCreateInput, output: deliveryDto, access: coordinators }),
  /** Before dispatch: another vehicle, driver, escort or time. */
  'delivery.update': procedure({ input: deliveryUpdateInput, output: deliveryDto, access: coordinators }),
  /** Consumes the reservations and posts the issue movements (FEFO): the goods are in transit. */
  'delivery.dispatch': procedure({ input: deliveryStepInput, output: deliveryDto, access: handlers }),
  /** The signed receipt: what arrived per lot; into a depot it enters the ledger. */
  'delivery.deliver': procedure({ input: deliveryDeliverInput, output: deliveryDto, access: handlers }),
  /** Before dispatch only: the reservations are released. */
  'delivery.cancel': procedure({ input: deliveryCancelInput, output: deliveryDto, access: coordinators }),
  'delivery.close': procedure({ input: deliveryStepInput, output: deliveryDto, access: coordinators }),
  'delivery.list': procedure({
    input: deliveryListInput,
    output: z.array(deliverySummaryDto),
    access: everyone,
  }),
  'delivery.get': procedure({
    input: z.strictObject({ deliveryId: id }),
    output: deliveryDto,
    access: everyone,
  }),
  /** 在途: goods dispatched and not yet signed for, per destination and material. */
  'delivery.inTransit': procedure({ input: inTransitInput, output: inTransitOutput, access: everyone }),
  /** 回收: goods an outside unit hands back, received into a depot (source "recovered"). */
  'recovery.return': procedure({ input: recoveryReturnInput, output: postingResult, access: handlers }),
  /** 核销: goods an outside unit used up, written off against the delivery. */
  'recovery.writeOff': procedure({ input: recoveryWriteOffInput, output: deliveryDto, access: coordinators }),

  /**
   * What live screens poll: a number that grows with every write anywhere (the audit chain's
   * length). Polling it does not count as activity, so an idle session still ends.
   */
  'changes.version': procedure({
    input: none,
    output: z.object({ version: z.number().int() }),
    access: everyone,
  }),

  /** Any document by its number (the document view and its reprint). */
  'document.get': procedure({ input: documentGetInput, output: documentOutput, access: everyone }),

  /**
   * Starts exporting a report as a workbook and returns its job at once; the file is written
   * in the background and, once done, downloaded from `GET /download/<jobId>` (a browser) or
   * saved through the desktop shell's save dialog (报表 › 导出).
   */
  'report.export': procedure({ input: reportExportInput, output: reportJobDto, access: everyone }),
  /**
   * What an uploaded file would write: every row with its status and reason; nothing is written.
   * Anyone may check a file against the catalogue and the depots (statistics staff, before
   * handing it on); posting it is for those who may post stock.
   */
  'import.preview': procedure({ input: importInput, output: importPreviewDto, access: everyone }),
  /** All of it or nothing (a catalogue needs an administrator; stock goes to depots the caller may post in). */
  'import.commit': procedure({ input: importInput, output: importResultDto, access: stockWriters }),
  /** An export job of the caller's: its state and the rows written so far. */
  'report.job': procedure({ input: reportJobInput, output: reportJobDto, access: everyone }),
  /** Stops a running export; the half-written file is removed. */
  'report.cancel': procedure({ input: reportJobInput, output: reportJobDto, access: everyone }),

  /** The chain head, for the anchor printed on every document. */
  'audit.head': procedure({ input: none, output: auditHeadOutput, access: everyone }),
} as const;

export type Api = typeof api;
export type ProcedureName = keyof Api;
export type InputOf<P extends ProcedureName> = z.input<Api[P]['input']>;
export type ParsedInputOf<P extends ProcedureName> = z.output<Api[P]['input']>;
export type OutputOf<P extends ProcedureName> = z.output<Api[P]['output']>;
export type PublicProcedure = {
  [P in ProcedureName]: Api[P]['access'] extends 'public' ? P : never;
}[ProcedureName];

export function isProcedureName(name: string): name is ProcedureName {
  return Object.prototype.hasOwnProperty.call(api, name);
}
