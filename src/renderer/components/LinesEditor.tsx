/**
 * The editable lines of a stock document (Form.List `lines`): a compact table where a new blank
 * line appears as soon as the last one is used, so a keeper scans and types without reaching for
 * the mouse. Blank lines are ignored on submit (`filledLines`) and their fields are not validated
 * (`lineRequired`). Enter on the first cell of the trailing blank line leaves the table.
 */
import { Button, Form, InputNumber, Table, Tooltip, type FormInstance, type InputNumberProps } from 'antd';
import type { Rule } from 'antd/es/form';
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { RpcFailure } from '../api';
import { defineMessages, useMessages } from '../i18n/messages';
import { applyServerErrors } from './serverErrors';
import { useEnterNavigation } from './EnterNavigation';

export const linesMessages = defineMessages(
  {
    no: '序号',
    removeLine: '删除此行',
    remove: '删除',
    lineRequired: '请填写',
    hint: 'Enter 跳到下一项；在末尾空行的第一格按 Enter 离开明细；Ctrl+Enter 随时提交',
    noLines: '请至少录入一行明细',
  },
  {
    no: 'No.',
    removeLine: 'Remove this line',
    remove: 'Remove',
    lineRequired: 'Required',
    hint: 'Enter moves to the next field; Enter on the first cell of the blank last line leaves the lines; Ctrl+Enter submits',
    noLines: 'Enter at least one line',
  },
);

export interface LineCellContext {
  /** The Form.List field name (the line's index in the form). */
  name: number;
  index: number;
  /** This is the trailing blank line (a new one appears when it is used). */
  trailingBlank: boolean;
  /** Leaves the lines table: focus goes to the field after it, or the form submits. */
  leave: () => void;
}

export interface LineColumn {
  key: string;
  title: ReactNode;
  width?: number;
  align?: 'left' | 'right' | 'center';
  render: (ctx: LineCellContext) => ReactNode;
}

interface Props<L> {
  form: FormInstance;
  columns: LineColumn[];
  /** A line with nothing entered (ignored on submit). */
  isBlank: (line: L | undefined) => boolean;
  newLine: () => L;
  /** The watched `lines` value (Form.useWatch('lines', form)). */
  lines: L[] | undefined;
}

export function LinesEditor<L>({ form, columns, isBlank, newLine, lines }: Props<L>) {
  const t = useMessages(linesMessages);
  const tableRef = useRef<HTMLDivElement>(null);
  const nav = useEnterNavigation();

  // Keep exactly one blank line at the end.
  useEffect(() => {
    if (lines === undefined) return;
    const last = lines[lines.length - 1];
    if (lines.length === 0 || !isBlank(last)) form.setFieldValue('lines', [...lines, newLine()]);
  }, [lines, form, isBlank, newLine]);

  const leave = () => {
    if (tableRef.current) nav?.nextAfter(tableRef.current);
  };

  return (
    <div ref={tableRef} className="lines-editor">
      <Form.List name="lines">
        {(fields, { remove }) => (
          <Table
            size="small"
            bordered
            pagination={false}
            tableLayout="fixed"
            rowKey="key"
            dataSource={fields}
            scroll={{ x: columns.reduce((sum, c) => sum + (c.width ?? 160), 88) }}
            columns={[
              {
                key: 'no',
                title: t('no'),
                width: 48,
                align: 'right',
                className: 'num',
                render: (_: unknown, __: unknown, i: number) => i + 1,
              },
              ...columns.map((c) => ({
                key: c.key,
                title: c.title,
                width: c.width,
                align: c.align,
                render: (_: unknown, field: { name: number }, index: number) =>
                  c.render({
                    name: field.name,
                    index,
                    trailingBlank: index === fields.length - 1 && index > 0 && isBlank(lines?.[index]),
                    leave,
                  }),
              })),
              {
                key: 'remove',
                width: 52,
                align: 'center' as const,
                className: 'line-action',
                render: (_: unknown, field: { name: number }, index: number) =>
                  index === fields.length - 1 && isBlank(lines?.[index]) ? null : (
                    <Tooltip title={t('removeLine')}>
                      <Button
                        type="link"
                        size="small"
                        danger
                        aria-label={t('removeLine')}
                        onClick={() => remove(field.name)}
                        style={{ padding: 0 }}
                      >
                        {t('remove')}
                      </Button>
                    </Tooltip>
                  ),
              },
            ]}
          />
        )}
      </Form.List>
    </div>
  );
}

/** A rule for a line's field: required unless the whole line is blank. */
export function lineRequired<L>(
  index: number,
  isBlank: (line: L | undefined) => boolean,
  message: string,
): Rule {
  return ({ getFieldValue }) => ({
    validator: async (_, value: unknown) => {
      if (isBlank(getFieldValue(['lines', index]) as L | undefined)) return;
      if (value === undefined || value === null || value === '') throw new Error(message);
    },
  });
}

/** The lines that carry something, with each one's index in the form (server errors name the former). */
export function filledLines<L>(
  lines: L[] | undefined,
  isBlank: (line: L | undefined) => boolean,
): { line: L; formIndex: number }[] {
  return (lines ?? []).map((line, formIndex) => ({ line, formIndex })).filter(({ line }) => !isBlank(line));
}

/**
 * Shows a server failure on the form: `lines.N.field` (N counting only the submitted lines) goes
 * to the form's line and field (`rename` maps the wire name to the form's, e.g. materialId →
 * material). Returns the message for the alert, or null when every problem sits on a field.
 */
export function applyLineErrors(
  form: FormInstance,
  error: unknown,
  formIndexes: number[],
  rename: Record<string, string> = {},
): string | null {
  if (!(error instanceof RpcFailure)) return applyServerErrors(form, error);
  const fields = error.fields.map((f) => {
    const parts = f.path.split('.');
    if (parts[0] === 'lines' && parts[1] !== undefined && /^\d+$/.test(parts[1])) {
      parts[1] = String(formIndexes[Number(parts[1])] ?? parts[1]);
    }
    const last = parts.length - 1;
    if (last > 0 && rename[parts[last]!]) parts[last] = rename[parts[last]!]!;
    else if (parts.length === 1 && rename[parts[0]!]) parts[0] = rename[parts[0]!]!;
    return { ...f, path: parts.join('.') };
  });
  const message = applyServerErrors(form, new RpcFailure(error.code, error.message, fields));
  const first = fields.find(
    (f) => form.getFieldError(f.path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s))).length > 0,
  );
  if (first)
    form.scrollToField(
      first.path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
      { block: 'center' },
    );
  return message;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Keys that would make a quantity fractional or negative never reach the input. */
function blockNonInteger(e: KeyboardEvent<HTMLInputElement>) {
  if (['.', '-', '+', 'e', 'E', '。'].includes(e.key)) e.preventDefault();
}

/** A whole-number quantity in the material's unit: 12,000 顶. */
export function QuantityInput({
  unit,
  ...props
}: Omit<InputNumberProps<number>, 'precision' | 'formatter' | 'parser'> & { unit?: string }) {
  return (
    <InputNumber<number>
      min={1}
      max={1_000_000_000_000}
      precision={0}
      controls={false}
      changeOnWheel={false}
      formatter={(v) => (v === undefined || v === null || `${v}` === '' ? '' : integer.format(Number(v)))}
      parser={(v) => (v ?? '').replace(/[^\d]/g, '') as unknown as number}
      onKeyDown={blockNonInteger}
      suffix={unit ? <span className="unit-suffix">{unit}</span> : undefined}
      style={{ width: '100%' }}
      className="num-input"
      inputMode="numeric"
      {...props}
    />
  );
}

/** A column title with the required mark (a line's cell is required once the line is used). */
export function Required({ children }: { children: ReactNode }) {
  return (
    <span>
      <span className="required-mark">*</span>
      {children}
    </span>
  );
}
