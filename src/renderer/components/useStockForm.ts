/**
 * The life of a stock entry document (入库, 出库, 移库, 报废) as one hook: the form with its
 * restored draft, the safe submission (usePosting), the posted document, and starting the next
 * one. Each screen keeps only what is its own: its fields, its lines, and what it sends.
 */
import { Form, type FormInstance } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { applyLineErrors, filledLines, linesMessages } from './LinesEditor';
import { invalidateStock } from './StockCells';
import { drafts, lastDepot, usePosting, type Posting } from './usePosting';
import { useMessages } from '../i18n/messages';
import { useSession } from '../session';

export interface DocumentValues<L> {
  note?: string;
  lines: L[];
}

/** What was posted: the server's answer, the values, and the lines as typed (for the print). */
export interface PostedDocument<V, L, R> {
  result: R;
  values: V;
  lines: L[];
}

interface Spec<V, L> {
  /** The form's name (field ids are `${screen}_${field}`) and the draft's key. */
  screen: string;
  isBlank: (line: L | undefined) => boolean;
  /** The values of a new document, in the given depot. */
  fresh: (depotId: number | undefined) => V;
  /** The depot field: filled from the depot last worked in, and remembered after posting. */
  depotField: keyof V & string;
  /** Fields the next document keeps (the depot always). */
  keep?: (keyof V & string)[];
  /** Where typing starts on opening with the depot set (null: the first line). */
  firstField: string | null;
  /** Where typing starts on the next document (firstField by default). */
  nextField?: string | null;
}

export interface StockForm<V, L, R> {
  screen: string;
  form: FormInstance<V>;
  posting: Posting;
  /** The form's initialValues: the restored draft, or a new document. */
  initial: V;
  draftRestored: boolean;
  posted: PostedDocument<V, L, R> | null;
  /** The lines as they are now, and those filled in. */
  lines: L[] | undefined;
  filled: L[];
  /** Call from the form's onValuesChange after the screen's own reactions. */
  changed(): void;
  /** Sends the filled lines; server errors go to their fields (`rename`: wire name → form field). */
  submit(
    send: (values: V, lines: L[], idempotencyKey: string) => Promise<R>,
    rename: Record<string, string>,
  ): Promise<void>;
  /** Clears the form for the next document (keeping the depot and `keep` fields). */
  startNew(): void;
}

export function useStockForm<V extends DocumentValues<L>, L, R>(spec: Spec<V, L>): StockForm<V, L, R> {
  const tl = useMessages(linesMessages);
  const [form] = Form.useForm<V>();
  const posting = usePosting();
  const defaultDepot = useDefaultDepot(lastDepot.get());
  const [restored] = useState(() => drafts.load<V>(spec.screen));
  const [draftRestored, setDraftRestored] = useState(restored !== null);
  const [posted, setPosted] = useState<PostedDocument<V, L, R> | null>(null);
  // Set at once on success (state lags a render): a second submit event of the same click,
  // validated after the first had already posted, must not post the values again.
  const postedRef = useRef(false);
  const lines = Form.useWatch('lines', form) as L[] | undefined;
  const { screen, isBlank, fresh, depotField, firstField } = spec;
  const nextField = spec.nextField === undefined ? firstField : spec.nextField;
  const keep = useMemo(() => [depotField, ...(spec.keep ?? [])], [depotField, spec.keep]);

  const initial = useMemo(() => restored ?? fresh(defaultDepot), [restored, fresh, defaultDepot]);

  const focusAt = useCallback(
    (field: string | null) => (field === null ? focusFirstLine() : focusFirst(`#${screen}_${field}`)),
    [screen],
  );

  useEffect(() => {
    focusAt((form as FormInstance).getFieldValue(depotField) ? firstField : depotField);
  }, [form, depotField, firstField, focusAt]);

  const changed = () => {
    posting.changed();
    drafts.save(screen, form);
  };

  const submit = async (
    send: (values: V, lines: L[], idempotencyKey: string) => Promise<R>,
    rename: Record<string, string>,
  ) => {
    if (postedRef.current) return;
    const values = form.getFieldsValue(true) as V;
    const filled = filledLines(values.lines, isBlank);
    if (filled.length === 0) {
      posting.setAlert(tl('noLines'));
      focusFirstLine();
      return;
    }
    const result = await posting.post(
      (idempotencyKey) =>
        send(
          values,
          filled.map((f) => f.line),
          idempotencyKey,
        ),
      (error) =>
        applyLineErrors(
          form,
          error,
          filled.map((f) => f.formIndex),
          rename,
        ),
    );
    if (result === undefined) return;
    postedRef.current = true;
    invalidateStock();
    lastDepot.set(values[depotField] as number | undefined);
    drafts.clear(screen);
    setDraftRestored(false);
    setPosted({ result, values, lines: filled.map((f) => f.line) });
  };

  const startNew = useCallback(() => {
    const current = form.getFieldsValue(true) as V;
    const cleared = Object.fromEntries(Object.keys(current).map((k) => [k, undefined]));
    const kept = Object.fromEntries(keep.map((k) => [k, current[k]]));
    form.resetFields();
    form.setFieldsValue({ ...cleared, ...fresh(undefined), ...kept } as Parameters<
      typeof form.setFieldsValue
    >[0]);
    drafts.clear(screen);
    posting.changed();
    setDraftRestored(false);
    postedRef.current = false;
    setPosted(null);
    focusAt(nextField);
  }, [form, keep, fresh, screen, posting, focusAt, nextField]);

  return {
    screen,
    form,
    posting,
    initial,
    draftRestored,
    posted,
    lines,
    filled: filledLines(lines, isBlank).map((f) => f.line),
    changed,
    submit,
    startNew,
  };
}

/** The keeper's first depot, else the depot last worked in. */
function useDefaultDepot(last: number | undefined): number | undefined {
  const { user } = useSession();
  if (user?.role === 'keeper') return last && user.depotIds.includes(last) ? last : user.depotIds[0];
  return last;
}

/** Moves focus to the first line's first cell (after a reset or on opening). */
function focusFirstLine(): void {
  window.setTimeout(() => {
    document.querySelector<HTMLInputElement>('.lines-editor .ant-table-tbody input')?.focus();
  }, 0);
}

/** Focuses a field by selector once the screen has rendered. */
function focusFirst(selector: string): void {
  window.setTimeout(() => document.querySelector<HTMLInputElement>(selector)?.focus(), 0);
}
