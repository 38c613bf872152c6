/**
 * Urgent delivery orders (紧急配送单) and what follows them after an incident: return (回收) and
 * write-off (核销). The DTOs of the delivery area; orders carry the sources of an approval.
 */
import { z } from 'zod';
import { id, isoTime, noteText, optionalText, quantity, text } from './common';
import { momentInput, phone, requestStatus, urgency } from './allocation';

export const DELIVERY_STATUSES = ['planned', 'dispatched', 'delivered', 'closed', 'cancelled'] as const;
export const deliveryStatus = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof deliveryStatus>;

/** The provinces' one-character abbreviations that open a Chinese plate. */
const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
/** Plate letters never include I or O (they read as 1 and 0). */
const L = 'A-HJ-NP-Z';
const PLATE = new RegExp(
  `^[${PROVINCES}][${L}](` +
    // Ordinary (蓝牌/黄牌): five letters or digits; trailers, coaching cars, police, HK/Macau.
    `[${L}0-9]{4}[${L}0-9挂学警港澳]` +
    // New energy (新能源, eight characters): D/F then a letter or digit and four digits (small cars), or five digits then D/F (large).
    `|[DF][${L}0-9][0-9]{4}|[0-9]{5}[DF]` +
    // Emergency rescue (应急救援): four digits or letters and 应急.
    `|[${L}0-9]{4}应急` +
    `)$`,
);

/** A vehicle plate as people write it (粤B·12345, 粤b 12345), checked in its one printed form. */
export const vehiclePlate = z
  .string()
  .transform((s) => s.replace(/[\s·•.-]/g, '').toUpperCase())
  .pipe(z.string().regex(PLATE, { message: 'validation.plate' }));

const personName = text(50);

const vehicleFields = {
  vehiclePlate,
  driverName: personName,
  driverPhone: phone,
  /** 押运人, when the load travels with one. */
  escortName: optionalText(50),
  plannedDeparture: momentInput,
  plannedArrival: momentInput,
};

function arrivalAfterDeparture(
  input: { plannedDeparture?: string | undefined; plannedArrival?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (input.plannedDeparture && input.plannedArrival && input.plannedArrival < input.plannedDeparture)
    ctx.addIssue({ code: 'custom', path: ['plannedArrival'], message: 'delivery.arrivalBeforeDeparture' });
}

export const deliveryCreateInput = z
  .strictObject({
    requestId: id,
    /**
     * The approved sources it carries. By default the screen offers one order per source depot;
     * a coordinator may merge sources of several depots onto one vehicle.
     */
    sourceIds: z.array(id).min(1).max(200),
    ...vehicleFields,
    note: noteText(500),
  })
  .superRefine((input, ctx) => {
    arrivalAfterDeparture(input, ctx);
    const seen = new Set<number>();
    input.sourceIds.forEach((sourceId, i) => {
      if (seen.has(sourceId))
        ctx.addIssue({ code: 'custom', path: ['sourceIds', i], message: 'delivery.sourceTwice' });
      seen.add(sourceId);
    });
  });

/** Before dispatch: another vehicle, driver or time. */
export const deliveryUpdateInput = z
  .strictObject({
    deliveryId: id,
    vehiclePlate: vehiclePlate.optional(),
    driverName: personName.optional(),
    driverPhone: phone.optional(),
    escortName: optionalText(50),
    plannedDeparture: momentInput.optional(),
    plannedArrival: momentInput.optional(),
    note: noteText(500),
  })
  .superRefine(arrivalAfterDeparture);

export const deliveryStepInput = z.strictObject({ deliveryId: id, comment: noteText(500) });
export const deliveryCancelInput = z.strictObject({ deliveryId: id, comment: text(500) });

export const SHORTFALL_KINDS = ['missing', 'damaged'] as const;
export const shortfallKind = z.enum(SHORTFALL_KINDS);

export const deliveryDeliverInput = z.strictObject({
  deliveryId: id,
  /** Who signed for the goods (the keeper of a destination depot, or the outside unit's receiver). */
  receiverName: personName,
  receivedAt: momentInput,
  /** What arrived, per lot dispatched; a lot not listed arrived in full. */
  items: z
    .array(
      z.strictObject({
        itemId: id,
        received: z.number().int().min(0).max(999_999_999_999),
        shortfallKind: shortfallKind.optional(),
        /** Required when less arrived than was sent. */
        reason: optionalText(200),
      }),
    )
    .max(1000)
    .default([]),
  note: noteText(500),
});

export const deliveryListInput = z
  .strictObject({
    /** A state, or `overdue`: planned or on the road past the planned arrival. */
    status: z.union([deliveryStatus, z.literal('overdue')]).optional(),
    /** The board: every planned and dispatched order, and those delivered in the last 7 days. */
    board: z.boolean().default(false),
    incidentId: id.optional(),
    requestId: id.optional(),
    /** Leaving or bound for this depot. */
    depotId: id.optional(),
    limit: z.number().int().min(1).max(5000).default(500),
  })
  .prefault({});

const recoveryLine = z.strictObject({ itemId: id, quantity });
export const recoveryReturnInput = z.strictObject({
  deliveryId: id,
  /** The depot the goods come back into. */
  depotId: id,
  lines: z.array(recoveryLine).min(1).max(1000),
  note: noteText(500),
});
export const recoveryWriteOffInput = z.strictObject({
  deliveryId: id,
  lines: z.array(recoveryLine).min(1).max(1000),
  reason: text(200),
});

/** The three timers of an order, as instants; the screens show the spans (running ones to now). */
const timers = {
  /** The request was submitted (its first submission), and decided. */
  requestSubmittedAt: isoTime.nullable(),
  approvedAt: isoTime.nullable(),
  dispatchedAt: isoTime.nullable(),
  receivedAt: isoTime.nullable(),
};

export const deliverySummaryDto = z.object({
  deliveryId: id,
  docNo: z.string(),
  requestId: id,
  requestDocNo: z.string(),
  incidentId: id.nullable(),
  incidentName: z.string().nullable(),
  urgency,
  /** The depots it loads at, in order. */
  sourceDepotIds: z.array(id),
  sourceDepotNames: z.array(z.string()),
  deliverToDepotId: id.nullable(),
  deliverToName: z.string(),
  vehiclePlate: z.string(),
  driverName: z.string(),
  driverPhone: z.string(),
  plannedDeparture: isoTime,
  plannedArrival: isoTime,
  status: deliveryStatus,
  /** Planned or on the road past the planned arrival. */
  overdue: z.boolean(),
  lineCount: z.number().int(),
  ...timers,
});
export type DeliverySummaryDto = z.infer<typeof deliverySummaryDto>;

const itemDto = z.object({
  itemId: id,
  batchId: id,
  lotNo: z.string(),
  producedOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
  quantity: z.number().int(),
  received: z.number().int().nullable(),
  shortfallKind: shortfallKind.nullable(),
  shortfallReason: z.string().nullable(),
  returned: z.number().int(),
  writtenOff: z.number().int(),
});
export const deliveryLineDto = z.object({
  lineId: id,
  lineNo: z.number().int(),
  sourceId: id,
  depotId: id,
  depotName: z.string(),
  materialId: id,
  materialCode: z.string(),
  materialName: z.string(),
  spec: z.string().nullable(),
  unit: z.string(),
  quantity: z.number().int(),
  /** The lots taken at dispatch (empty while planned). */
  items: z.array(itemDto),
});
export const deliveryEventDto = z.object({
  at: isoTime,
  userName: z.string(),
  fromStatus: deliveryStatus.nullable(),
  toStatus: deliveryStatus,
  comment: z.string().nullable(),
});
export const deliveryDto = deliverySummaryDto.extend({
  requestStatus,
  deliverAddress: z.string().nullable(),
  deliverContact: z.string().nullable(),
  deliverPhone: z.string().nullable(),
  escortName: z.string().nullable(),
  receiverName: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: isoTime,
  createdByName: z.string(),
  dispatchedByName: z.string().nullable(),
  lines: z.array(deliveryLineDto),
  events: z.array(deliveryEventDto),
});
export type DeliveryDto = z.infer<typeof deliveryDto>;

export const inTransitInput = z.strictObject({ depotId: id.optional() }).prefault({});
/** Goods on the road (dispatched, not yet signed for), per destination and material. */
export const inTransitOutput = z.array(
  z.object({
    deliverToDepotId: id.nullable(),
    deliverToName: z.string(),
    materialId: id,
    materialCode: z.string(),
    materialName: z.string(),
    unit: z.string(),
    quantity: z.number().int(),
    orders: z.number().int(),
  }),
);
