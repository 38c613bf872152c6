/**
 * Puts the server's field errors on the form fields they name (`lines.0.quantity` →
 * ['lines', 0, 'quantity']); what no field shows is returned for an alert. What the user typed
 * stays in the form.
 */
import type { FormInstance } from 'antd';
import { RpcFailure } from '../api';

export function fieldName(path: string): (string | number)[] {
  return path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Returns the message to show above the form, or null when every problem sits on a field. */
export function applyServerErrors(form: FormInstance, error: unknown): string | null {
  if (!(error instanceof RpcFailure)) return String(error);
  const known = new Set(
    Object.keys(form.getFieldsValue(true) as object).length > 0
      ? collectNames(form.getFieldsValue(true) as object)
      : [],
  );
  const onFields = error.fields.filter((f) => known.has(f.path));
  form.setFields(onFields.map((f) => ({ name: fieldName(f.path), errors: [f.message] })));
  return onFields.length === error.fields.length && onFields.length > 0 ? null : error.message;
}

/** Every dotted path in a form's values (`lines.0.quantity`), to know which errors have a field. */
function collectNames(values: object, prefix = ''): string[] {
  const names: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const name = prefix ? `${prefix}.${key}` : key;
    names.push(name);
    if (value && typeof value === 'object') names.push(...collectNames(value as object, name));
  }
  return names;
}
