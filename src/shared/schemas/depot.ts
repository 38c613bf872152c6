import { z } from 'zod';
import { id, isoTime, noteText, optionalText, text, searchText } from './common';

export const DEPOT_LEVELS = ['city', 'district', 'town'] as const;
export const depotLevel = z.enum(DEPOT_LEVELS);
export type DepotLevel = z.infer<typeof depotLevel>;

const depotFields = {
  name: text(100),
  level: depotLevel,
  parentId: id.nullish(),
  address: optionalText(200),
  keeperName: optionalText(50),
  phone: optionalText(30),
  capacityNote: noteText(200),
  latitude: z.number().min(-90).max(90).nullish(),
  longitude: z.number().min(-180).max(180).nullish(),
};

export const depotCreateInput = z.strictObject({ code: text(30), ...depotFields });
export const depotUpdateInput = z.strictObject({
  depotId: id,
  code: text(30).optional(),
  ...z.object(depotFields).partial().shape,
  active: z.boolean().optional(),
});
export const depotListInput = z
  .strictObject({
    includeInactive: z.boolean().default(false),
    level: depotLevel.optional(),
    text: searchText(100).optional(),
  })
  .prefault({});

export const depotDto = z.object({
  depotId: id,
  code: z.string(),
  name: z.string(),
  level: depotLevel,
  parentId: id.nullable(),
  address: z.string().nullable(),
  keeperName: z.string().nullable(),
  phone: z.string().nullable(),
  capacityNote: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  active: z.boolean(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type DepotDto = z.infer<typeof depotDto>;
