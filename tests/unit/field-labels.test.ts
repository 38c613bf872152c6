/**
 * Every field a procedure's input can name in a BAD_INPUT error has a label in both languages:
 * walks each input schema of the contract (api.ts) and asks the real `fieldLabel()` for every
 * object key it finds, so a new field without a `field.<key>` message fails here instead of
 * showing "idleLockMinutes：…" to a Chinese user.
 */
import type { z } from 'zod';
import { api, type ProcedureName } from '../../src/shared/api';
import { badInput, fieldLabel, toRpcError } from '../../src/main/rpc/errors';
import type { Locale } from '../../src/shared/i18n';
import { zhCN } from '../../src/shared/i18n/zh-CN';
import { en } from '../../src/shared/i18n/en';

const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
const catalogues: Record<Locale, Record<string, string>> = { 'zh-CN': zhCN, en };

/** A path segment that stands for data, not a field (a record's keys): never labelled. */
const DATA_KEY = '<key>';

/**
 * Every path an issue can carry for values of `schema`, as segments: object keys, `0` for an
 * element of an array or tuple (fieldLabel turns it into 第 n 行 or drops it), DATA_KEY for a
 * record's keys. Wrappers (optional, nullable, default, prefault, pipe, readonly, catch, lazy…)
 * are looked through; unions and intersections contribute every branch.
 */
function fieldPaths(schema: z.core.$ZodType, prefix: readonly string[] = [], stack = new Set<unknown>()) {
  const out: string[][] = [];
  if (stack.has(schema)) return out; // a lazy schema refers to itself
  stack.add(schema);
  const walk = (inner: z.core.$ZodType | undefined, path: readonly string[] = prefix) => {
    if (inner) out.push(...fieldPaths(inner, path, stack));
  };
  const def = (schema as z.core.$ZodTypes)._zod.def;
  switch (def.type) {
    case 'object':
      for (const [key, value] of Object.entries(def.shape)) {
        out.push([...prefix, key]);
        walk(value, [...prefix, key]);
      }
      walk(def.catchall);
      break;
    case 'array':
      out.push([...prefix, '0']);
      walk(def.element, [...prefix, '0']);
      break;
    case 'tuple':
      def.items.forEach((item, i) => {
        out.push([...prefix, String(i)]);
        walk(item, [...prefix, String(i)]);
      });
      walk(def.rest ?? undefined, [...prefix, String(def.items.length)]);
      break;
    case 'record':
    case 'map':
      walk(def.valueType, [...prefix, DATA_KEY]);
      break;
    case 'set':
      walk(def.valueType, [...prefix, DATA_KEY]);
      break;
    case 'union':
      def.options.forEach((option) => walk(option));
      break;
    case 'intersection':
      walk(def.left);
      walk(def.right);
      break;
    case 'pipe':
      walk(def.in);
      walk(def.out);
      break;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
    case 'success':
    case 'promise':
      walk(def.innerType);
      break;
    case 'lazy':
      walk(def.getter());
      break;
    default:
      break; // a leaf (string, number, enum, literal, transform …): no fields below it
  }
  stack.delete(schema);
  return out;
}

const PROCEDURES = Object.keys(api) as ProcedureName[];
/** Every input path of the contract, as `procedure: a.0.b`. */
const INPUT_PATHS = PROCEDURES.flatMap((p) =>
  fieldPaths(api[p].input as z.core.$ZodType).map((segments) => ({ procedure: p, segments })),
);

/** The object keys that appear in some input, each with the first place it was seen. */
const KEYS = new Map<string, string>();
for (const { procedure, segments } of INPUT_PATHS) {
  for (const segment of segments) {
    if (segment === DATA_KEY || /^\d+$/.test(segment) || KEYS.has(segment)) continue;
    KEYS.set(segment, `${procedure}: ${segments.join('.')}`);
  }
}

/**
 * The label fieldLabel gives a key, or null when there is none: fieldLabel falls back to the raw
 * segment (and t() throws when a key is in zh-CN but not in the locale's catalogue). An English
 * label may be the key itself ('name'), so there the catalogue says whether it was looked up.
 */
function labelOf(locale: Locale, key: string): string | null {
  let label: string;
  try {
    label = fieldLabel(locale, key);
  } catch {
    return null;
  }
  if (label === '') return null;
  if (label === key && !Object.prototype.hasOwnProperty.call(catalogues[locale], `field.${key}`)) return null;
  return label;
}

describe('field labels of the contract', () => {
  test('the schema walk reaches nested fields through arrays, wrappers and pipes', () => {
    const paths = new Set(
      INPUT_PATHS.map(({ procedure, segments }) => `${procedure}: ${segments.join('.')}`),
    );
    for (const expected of [
      'stock.receive: lines.0.lotNo', // array of a refined strict object
      'stock.receive: lines.0.supplier', // optional → nullable → pipe → transform
      'stocktake.count: counts.0.countedQuantity',
      'user.create: depotIds.0', // array of ids, with a default
      'material.list: limit', // inside a prefault
      'settings.update: idleLockMinutes', // a partial of another object
    ]) {
      expect(paths).toContain(expected);
    }
    expect(KEYS.size).toBeGreaterThan(50);
  });

  test('every field of every input has a label in zh-CN and en', () => {
    const missing = LOCALES.flatMap((locale) =>
      [...KEYS]
        .filter(([key]) => labelOf(locale, key) === null)
        .map(([key, where]) => `${locale}: field.${key}  (${where})`),
    );
    expect(missing).toEqual([]);
  });

  test('no two fields of one input share a label (the user could not tell them apart)', () => {
    const clashes: string[] = [];
    for (const locale of LOCALES) {
      const seen = new Map<string, string>(); // procedure + label → first path
      for (const { procedure, segments } of INPUT_PATHS) {
        const path = segments.join('.');
        const key = `${procedure}\u0000${fieldLabel(locale, path)}`;
        const other = seen.get(key);
        if (other === undefined) seen.set(key, path);
        // A list and its element may share one (depotIds and depotIds.0: the index is dropped).
        else if (other !== path && path !== `${other}.0`)
          clashes.push(
            `${locale} ${procedure}: ${other} and ${path} both read "${fieldLabel(locale, path)}"`,
          );
      }
    }
    expect(clashes).toEqual([]);
  });

  test('nested paths read as row and field in both languages', () => {
    expect(fieldLabel('zh-CN', 'lines.1.lotNo')).toBe('第 2 行 · 批号');
    expect(fieldLabel('en', 'lines.1.lotNo')).toBe('line 2 · lot number');
    expect(fieldLabel('zh-CN', 'counts.0.countedQuantity')).toBe('第 1 行 · 实盘数量');
    expect(fieldLabel('en', 'counts.0.countedQuantity')).toBe('line 1 · counted quantity');
    // An index into a list that is not rows is dropped: the list names the field.
    expect(fieldLabel('zh-CN', 'depotIds.2')).toBe('负责储备库');
    expect(fieldLabel('en', 'depotIds.2')).toBe('depots');
    expect(fieldLabel('zh-CN', 'idleLockMinutes')).not.toBe('idleLockMinutes');
  });

  test('a bad settings.update names its field in Chinese, not by its key', () => {
    // As dispatch parses: with the offending value, so a wrong value is not mistaken for a missing one.
    const parsed = api['settings.update'].input.safeParse({ idleLockMinutes: -1 }, { reportInput: true });
    expect(parsed.success).toBe(false);
    const error = badInput(parsed.error!.issues);
    const zh = toRpcError('zh-CN', error);
    expect(zh.message).toBe(`${fieldLabel('zh-CN', 'idleLockMinutes')}：不能小于 0`);
    expect(zh.message).not.toContain('idleLockMinutes');
    expect(toRpcError('en', error).message).toBe(
      `${fieldLabel('en', 'idleLockMinutes')}: must be at least 0`,
    );
  });
});
