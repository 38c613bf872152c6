/** Turns failures into the wire's RpcError in the caller's language, naming the fields. */
import type { z } from 'zod';
import { isMessageKey, t, type Locale, type MessageKey } from '../../shared/i18n';
import { AppError, type FieldIssue, type RpcError } from '../../shared/rpc';

/** Array segments that are rows the user sees (`lines.0` is 第 1 行); other indexes are dropped. */
const ROW_LISTS = new Set(['lines', 'counts']);

export function fieldLabel(locale: Locale, path: string): string {
  const parts: string[] = [];
  const segments = path.split('.').filter((s) => s !== '');
  segments.forEach((segment, i) => {
    if (/^\d+$/.test(segment)) {
      if (ROW_LISTS.has(segments[i - 1] ?? ''))
        parts.push(t(locale, 'field.line', { n: String(Number(segment) + 1) }));
      return;
    }
    if (ROW_LISTS.has(segment) && /^\d+$/.test(segments[i + 1] ?? '')) return;
    const key = `field.${segment}`;
    parts.push(isMessageKey(key) ? t(locale, key) : segment);
  });
  return parts.join(' · ');
}

/** Maps one zod issue to a message key; our own refinements already carry a key as message. */
export function zodIssueToField(issue: z.core.$ZodIssue): FieldIssue {
  const path = issue.path.map(String).join('.');
  const at = (key: MessageKey, params: Record<string, string | number> = {}): FieldIssue => ({
    path,
    key,
    params,
  });
  if (isMessageKey(issue.message)) {
    const params = issue.code === 'custom' ? ((issue.params ?? {}) as Record<string, string | number>) : {};
    return at(issue.message, params);
  }
  // dispatch parses with reportInput, so a missing field is the only issue without an input
  // (whatever check it failed: a type, an enumeration, a union of literals).
  if (issue.code !== 'unrecognized_keys' && issue.input === undefined) return at('validation.required');
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.expected === 'int') return at('validation.integer');
      const typeKey = `type.${issue.expected}`;
      return at('validation.type', { expected: isMessageKey(typeKey) ? typeKey : issue.expected });
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string')
        return min <= 1 ? at('validation.textEmpty') : at('validation.textMin', { min });
      if (issue.origin === 'array') return at('validation.listMin', { min });
      return min === 0 && !issue.inclusive
        ? at('validation.positive')
        : at('validation.min', { min: issue.inclusive ? min : min + 1 });
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return at('validation.textMax', { max });
      if (issue.origin === 'array') return at('validation.listMax', { max });
      return at('validation.max', { max });
    }
    case 'invalid_value':
      return at('validation.oneOf', { options: issue.values.map(String).join(' / ') });
    case 'invalid_union': {
      // A union of literals (topClass: 1 | 2 | 3) lists its options like an enumeration.
      const options = issue.errors
        .flat()
        .flatMap((e) => (e.code === 'invalid_value' ? e.values.map(String) : [null]));
      if (options.length > 0 && options.every((o) => o !== null))
        return at('validation.oneOf', { options: options.join(' / ') });
      return at('validation.format');
    }
    case 'unrecognized_keys':
      return at('validation.unknownField', { keys: issue.keys.join(', ') });
    default:
      return at('validation.format');
  }
}

function localizeParams(
  locale: Locale,
  params: Record<string, string | number>,
): Record<string, string | number> {
  // A parameter may itself be a message key (a type name, say): translate it too.
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, typeof v === 'string' && isMessageKey(v) ? t(locale, v) : v]),
  );
}

export function toRpcError(locale: Locale, error: AppError): RpcError {
  const fields = error.fields.map((f) => ({
    path: f.path,
    label: fieldLabel(locale, f.path),
    message: t(locale, f.key, localizeParams(locale, f.params ?? {})),
  }));
  let message = t(locale, error.key, localizeParams(locale, error.params));
  // The whole input has no label (path ''): then the problem alone, not "：problem".
  const labelled = (label: string, text: string) =>
    label === '' ? text : `${label}${locale === 'en' ? ': ' : '：'}${text}`;
  const first = fields[0];
  // A field problem names its field: "第 2 行 · 原因：…" (unless the sentence already says it).
  const unnamed =
    first !== undefined &&
    (error.key === 'error.BAD_INPUT' || (first.message === message && !message.includes(first.label)));
  if (error.code === 'BAD_INPUT' && first && unnamed) {
    const more =
      fields.length > 1
        ? locale === 'en'
          ? ` (and ${fields.length - 1} more)`
          : `（另有 ${fields.length - 1} 处）`
        : '';
    message = `${labelled(first.label, first.message)}${more}`;
  } else if (fields.length === 1 && fields[0]!.message !== message) {
    message = labelled(fields[0]!.label, message);
  }
  return { code: error.code, message, ...(fields.length > 0 ? { fields } : {}) };
}

/**
 * A failure as the wire's envelope: a typed error in the caller's language; anything else is
 * logged and told as INTERNAL, never with its stack.
 */
export function failureResponse(
  locale: Locale,
  error: unknown,
  log: (error: unknown) => void,
): { ok: false; error: RpcError } {
  if (error instanceof AppError) return { ok: false, error: toRpcError(locale, error) };
  log(error);
  return { ok: false, error: toRpcError(locale, new AppError('INTERNAL', 'error.INTERNAL')) };
}

export function badInput(issues: readonly z.core.$ZodIssue[]): AppError {
  // One problem once: a value can fail two checks that say the same thing (a date's pattern and
  // its calendar check both report validation.date).
  const seen = new Set<string>();
  const fields = issues.map(zodIssueToField).filter((f) => {
    const key = JSON.stringify([f.path, f.key, f.params ?? {}]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return new AppError('BAD_INPUT', 'error.BAD_INPUT', {}, fields);
}
