/**
 * Incidents (突发事件) and allocation requests (调拨申请) with their tiered approval (分级审批):
 * the DTOs of the allocation area. Delivery orders (配送单) build on these.
 */
import { z } from 'zod';
import { id, isoTime, noteText, optionalText, quantity, text } from './common';

export const INCIDENT_TYPES = [
  'typhoon',
  'flood',
  'rainstorm',
  'earthquake',
  'forest_fire',
  'fire',
  'hazardous_chemicals',
  'geological',
  'other',
] as const;
export const incidentType = z.enum(INCIDENT_TYPES);

/** YYYY-MM-DD that is a day of the calendar (Date.parse would move 02-31 to 03-03). */
function realDate(day: string): boolean {
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

/** A moment as the forms send it: ISO-8601 with a zone, between 1990 and 2100. */
export const momentInput = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, {
    message: 'validation.time',
  })
  .refine((s) => !Number.isNaN(Date.parse(s)) && realDate(s.slice(0, 10)), { message: 'validation.time' })
  .transform((s) => new Date(s).toISOString())
  .refine((s) => s >= '1990-01-01' && s < '2100-01-01', { message: 'validation.dateRange' });

/** A Chinese phone number: a mobile (13812345678) or a landline with its area code (0532-88886666). */
export const phone = z
  .string()
  .trim()
  .regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$/, { message: 'validation.phone' });

export const incidentCreateInput = z.strictObject({
  type: incidentType,
  name: text(100),
  /** 1 = Ⅰ级 (most severe) … 4 = Ⅳ级. */
  responseLevel: z.number().int().min(1).max(4),
  startedAt: momentInput,
  /** The affected area: depots (a district depot stands for its district). */
  areaDepotIds: z.array(id).max(500).default([]),
  note: noteText(500),
});
export const incidentUpdateInput = z.strictObject({
  incidentId: id,
  type: incidentType.optional(),
  name: text(100).optional(),
  responseLevel: z.number().int().min(1).max(4).optional(),
  startedAt: momentInput.optional(),
  areaDepotIds: z.array(id).max(500).optional(),
  note: noteText(500),
});
export const incidentCloseInput = z.strictObject({
  incidentId: id,
  note: noteText(500),
  /** What is still out with outside units is written off as consumed (核销) with this reason. */
  writeOffReason: optionalText(200),
});
export const incidentListInput = z
  .strictObject({ status: z.enum(['active', 'closed']).optional() })
  .prefault({});
export const incidentDto = z.object({
  incidentId: id,
  type: incidentType,
  name: z.string(),
  responseLevel: z.number().int(),
  startedAt: isoTime,
  status: z.enum(['active', 'closed']),
  closedAt: isoTime.nullable(),
  note: z.string().nullable(),
  areaDepotIds: z.array(id),
  createdAt: isoTime,
});
export type IncidentDto = z.infer<typeof incidentDto>;

export const URGENCIES = ['extra_urgent', 'urgent', 'normal'] as const;
export const urgency = z.enum(URGENCIES);
export const REQUEST_STATUSES = [
  'draft',
  'submitted',
  'approved',
  'partly_approved',
  /** Passed whole to the city, nothing given at district level. */
  'forwarded',
  'rejected',
  'dispatching',
  'completed',
  'cancelled',
] as const;
export const requestStatus = z.enum(REQUEST_STATUSES);
export type RequestStatus = z.infer<typeof requestStatus>;

export const allocationLineInput = z.strictObject({
  materialId: id,
  quantity,
  purpose: optionalText(100),
});

export const allocationCreateInput = z
  .strictObject({
    incidentId: id.optional(),
    /** A depot asks (its keeper files it)… */
    requesterDepotId: id.optional(),
    /** …or an outside unit (a town office, a shelter, a command post), entered by a coordinator or staff. */
    requesterUnit: z.strictObject({ name: text(100), contact: text(50), phone }).optional(),
    urgency,
    /** Into a depot, or to an address with someone to receive it. */
    deliverToDepotId: id.optional(),
    deliverTo: z.strictObject({ address: text(200), contact: text(50), phone }).optional(),
    neededBy: momentInput,
    lines: z.array(allocationLineInput).min(1).max(200),
    note: noteText(500),
    /** Submit at once (otherwise it stays a draft). */
    submit: z.boolean().default(false),
  })
  .superRefine((input, ctx) => {
    if ((input.requesterDepotId === undefined) === (input.requesterUnit === undefined))
      ctx.addIssue({ code: 'custom', path: ['requesterDepotId'], message: 'allocation.oneRequester' });
    if ((input.deliverToDepotId === undefined) === (input.deliverTo === undefined))
      ctx.addIssue({ code: 'custom', path: ['deliverToDepotId'], message: 'allocation.oneDestination' });
    const seen = new Set<number>();
    input.lines.forEach((line, i) => {
      if (seen.has(line.materialId))
        ctx.addIssue({
          code: 'custom',
          path: ['lines', i, 'materialId'],
          message: 'allocation.materialTwice',
        });
      seen.add(line.materialId);
    });
  });

export const allocationStepInput = z.strictObject({ requestId: id, comment: noteText(500) });

/** A draft's fields, changed by its filer (the requester stays: it decides who approves). */
export const allocationUpdateInput = z
  .strictObject({
    requestId: id,
    incidentId: id.nullable().optional(),
    urgency: urgency.optional(),
    deliverToDepotId: id.optional(),
    deliverTo: z.strictObject({ address: text(200), contact: text(50), phone }).optional(),
    neededBy: momentInput.optional(),
    /** All the lines, replacing the draft's. */
    lines: z.array(allocationLineInput).min(1).max(200).optional(),
    note: noteText(500),
  })
  .superRefine((input, ctx) => {
    if (input.deliverToDepotId !== undefined && input.deliverTo !== undefined)
      ctx.addIssue({ code: 'custom', path: ['deliverToDepotId'], message: 'allocation.oneDestination' });
    const seen = new Set<number>();
    input.lines?.forEach((line, i) => {
      if (seen.has(line.materialId))
        ctx.addIssue({
          code: 'custom',
          path: ['lines', i, 'materialId'],
          message: 'allocation.materialTwice',
        });
      seen.add(line.materialId);
    });
  });
export const allocationRejectInput = z.strictObject({ requestId: id, comment: text(500) });

export const allocationSourceInput = z.strictObject({
  depotId: id,
  quantity,
  /** Why the depot may go below its reserve quota (required when it would). */
  overrideReason: optionalText(200),
});
export const allocationApproveInput = z.strictObject({
  requestId: id,
  /** Per line, where its approved quantity comes from; a line not listed is approved as 0. */
  lines: z.array(z.strictObject({ lineId: id, sources: z.array(allocationSourceInput).max(50) })).max(200),
  comment: noteText(500),
  /** District level: send what this approval does not cover up to the city, as a linked request. */
  forwardRemainder: z.boolean().default(false),
});

export const allocationListInput = z
  .strictObject({
    status: requestStatus.optional(),
    incidentId: id.optional(),
    urgency: urgency.optional(),
    /** Filed by this depot. */
    requesterDepotId: id.optional(),
    /** Decided at the caller's level (a coordinator's jurisdiction), in any state. */
    myJurisdiction: z.boolean().default(false),
    /** Only the requests waiting for the caller's decision (a coordinator's queue). */
    awaitingMe: z.boolean().default(false),
    limit: z.number().int().min(1).max(1000).default(200),
  })
  .prefault({});

const sourceDto = z.object({
  sourceId: id,
  depotId: id,
  depotName: z.string(),
  quantity: z.number().int(),
  overrideReason: z.string().nullable(),
  /** reserved: waiting to leave; consumed: dispatched; released: called off. */
  reservation: z.enum(['active', 'released', 'consumed']),
  /** The delivery order it travels on, once planned. */
  deliveryId: id.nullable(),
  deliveryDocNo: z.string().nullable(),
});
export const allocationLineDto = z.object({
  lineId: id,
  lineNo: z.number().int(),
  materialId: id,
  materialCode: z.string(),
  materialName: z.string(),
  spec: z.string().nullable(),
  unit: z.string(),
  requested: z.number().int(),
  approved: z.number().int().nullable(),
  purpose: z.string().nullable(),
  sources: z.array(sourceDto),
});
export const allocationEventDto = z.object({
  at: isoTime,
  userName: z.string(),
  fromStatus: requestStatus.nullable(),
  toStatus: requestStatus,
  comment: z.string().nullable(),
});
export const allocationSummaryDto = z.object({
  requestId: id,
  docNo: z.string(),
  incidentId: id.nullable(),
  incidentName: z.string().nullable(),
  requesterDepotId: id.nullable(),
  requesterName: z.string(),
  urgency,
  deliverToName: z.string(),
  neededBy: isoTime,
  status: requestStatus,
  /** The district depot whose coordinators decide it; null: the city's. */
  approverDepotId: id.nullable(),
  createdAt: isoTime,
  lineCount: z.number().int(),
});
export const allocationDto = allocationSummaryDto.extend({
  requesterContact: z.string().nullable(),
  requesterPhone: z.string().nullable(),
  deliverToDepotId: id.nullable(),
  deliverAddress: z.string().nullable(),
  deliverContact: z.string().nullable(),
  deliverPhone: z.string().nullable(),
  forwardedFromId: id.nullable(),
  forwardedFromDocNo: z.string().nullable(),
  /** The city-level request this one's unmet remainder went to. */
  forwardedToId: id.nullable(),
  forwardedToDocNo: z.string().nullable(),
  note: z.string().nullable(),
  createdBy: id,
  createdByName: z.string(),
  lines: z.array(allocationLineDto),
  events: z.array(allocationEventDto),
});
export type AllocationDto = z.infer<typeof allocationDto>;
export type AllocationSummaryDto = z.infer<typeof allocationSummaryDto>;

export const suggestSourcesOutput = z.array(
  z.object({
    lineId: id,
    remaining: z.number().int(),
    /** Every depot the approver may take from that holds the material, best first. */
    depots: z.array(
      z.object({
        depotId: id,
        depotName: z.string(),
        level: z.enum(['city', 'district', 'town']),
        available: z.number().int(),
        quota: z.number().int(),
        /** What the proposal takes from it (never below its quota). */
        proposed: z.number().int(),
      }),
    ),
  }),
);

/** One timer over an incident's requests or orders: how many, the median and the worst. */
export const timerSpan = z.object({
  count: z.number().int(),
  medianSeconds: z.number().int().nullable(),
  worstSeconds: z.number().int().nullable(),
});
export type TimerSpan = z.infer<typeof timerSpan>;

export const incidentSummaryOutput = z.object({
  incident: incidentDto,
  materials: z.array(
    z.object({
      materialId: id,
      code: z.string(),
      name: z.string(),
      spec: z.string().nullable(),
      unit: z.string(),
      requested: z.number().int(),
      approved: z.number().int(),
      dispatched: z.number().int(),
      delivered: z.number().int(),
      /** Dispatched and signed for as missing or damaged. */
      shortfall: z.number().int(),
      inTransit: z.number().int(),
      returned: z.number().int(),
      /** Written off as consumed (核销). */
      consumed: z.number().int(),
    }),
  ),
  requestsByStatus: z.record(z.string(), z.number().int()),
  deliveriesByStatus: z.record(z.string(), z.number().int()),
  overdue: z.number().int(),
  timers: z.object({ toApproval: timerSpan, toDispatch: timerSpan, toDelivery: timerSpan }),
});
