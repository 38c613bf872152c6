/**
 * Keyboard-first forms: inside <EnterNavigation>, Enter moves to the next field (in screen order)
 * and submits on the last one; Ctrl+Enter submits from anywhere. It works with antd's inputs,
 * number inputs, date pickers and selects:
 * - a select whose list is open takes Enter to choose the highlighted option, then focus moves on;
 *   a closed select that has a value moves on; an empty closed one opens its list;
 * - a date picker with a typed date takes it, then focus moves on; an empty one just moves on; an
 *   unfinished date stays for correcting;
 * - Enter while an input method (拼音) is composing belongs to the input method.
 * A widget that handles Enter itself (the material picker: a scanner types the code and Enter)
 * marks its wrapper `data-enter-self` and calls `next()` from `useEnterNavigation()`.
 */
import {
  createContext,
  useCallback,
  useContext,
  useMemo,
  useRef,
  type KeyboardEvent,
  type ReactNode,
} from 'react';

export interface EnterNav {
  /** Focuses the field after `from` (an element inside a field), or submits when it is the last. */
  next(from: Element): void;
  /** Focuses the first field after everything inside `container` (leaving a lines table), or submits. */
  nextAfter(container: Element): void;
  submit(): void;
}

const EnterNavContext = createContext<EnterNav | null>(null);

/** The surrounding form's navigation, or null outside an <EnterNavigation>. */
export function useEnterNavigation(): EnterNav | null {
  return useContext(EnterNavContext);
}

const FIELD_SELECTOR =
  'input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file]), textarea';

function isField(el: Element): el is HTMLInputElement | HTMLTextAreaElement {
  if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement)) return false;
  if (el.disabled || el.tabIndex < 0 || el.closest('[data-enter-skip]')) return false;
  // A select without search renders a read-only input: it is still a field.
  if (el.readOnly && !el.closest('.ant-select')) return false;
  return el.getClientRects().length > 0;
}

/** Where a key event's field decides what Enter does; exported for widgets with data-enter-self. */
export function selectState(target: Element): { open: boolean; hasValue: boolean } | null {
  const root = target.closest('.ant-select');
  if (!root) return null;
  const input = root.querySelector('input');
  return {
    open: input?.getAttribute('aria-expanded') === 'true',
    hasValue: !!root.querySelector('.ant-select-content-has-value, .ant-select-content-value'),
  };
}

function focusField(el: HTMLInputElement | HTMLTextAreaElement) {
  el.focus();
  // Typing replaces what is there, as in a spreadsheet; selects keep their value.
  if (!el.closest('.ant-select') && !el.closest('.ant-picker')) el.select();
}

interface Props {
  onSubmit: () => void;
  children: ReactNode;
  className?: string;
}

export function EnterNavigation({ onSubmit, children, className }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const submitRef = useRef(onSubmit);
  submitRef.current = onSubmit;

  const fields = useCallback(
    () => [...(ref.current?.querySelectorAll(FIELD_SELECTOR) ?? [])].filter(isField),
    [],
  );

  const nav = useMemo<EnterNav>(() => {
    const submit = () => submitRef.current();
    return {
      submit,
      next(from) {
        const list = fields();
        const field = from.closest('.ant-select, .ant-picker, .ant-input-number') ?? from;
        const index = list.findIndex((f) => f === from || field.contains(f));
        const following = index >= 0 ? list.slice(index + 1).find((f) => !field.contains(f)) : undefined;
        if (following) focusField(following);
        else submit();
      },
      nextAfter(container) {
        const following = fields().find(
          (f) =>
            !container.contains(f) &&
            (container.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0,
        );
        if (following) focusField(following);
        else submit();
      },
    };
  }, [fields]);

  const onKeyDownCapture = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'Enter' || e.nativeEvent.isComposing) return;
    const target = e.target as Element;
    if (!isField(target)) return;
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      e.stopPropagation();
      nav.submit();
      return;
    }
    if (target.closest('[data-enter-self]')) return;
    if (target instanceof HTMLTextAreaElement) return; // a new line in a note
    handleEnter(e, target, nav);
  };

  return (
    <EnterNavContext.Provider value={nav}>
      <div ref={ref} className={className} onKeyDownCapture={onKeyDownCapture}>
        {children}
      </div>
    </EnterNavContext.Provider>
  );
}

/**
 * The default Enter behaviour for one field (see the file comment). `onEmpty` replaces opening an
 * empty select (a blank line's first cell leaves the lines table instead).
 */
export function handleEnter(e: KeyboardEvent, target: Element, nav: EnterNav, onEmpty?: () => void): void {
  const select = selectState(target);
  if (select) {
    if (select.open) {
      // The list chooses the highlighted option on this key; move on once it has.
      window.setTimeout(() => nav.next(target), 0);
      return;
    }
    if (!select.hasValue && !onEmpty) return; // the select opens its list
    e.preventDefault();
    e.stopPropagation();
    if (select.hasValue) nav.next(target);
    else onEmpty?.();
    return;
  }
  const picker = target.closest('.ant-picker');
  if (picker && (target as HTMLInputElement).value.trim() !== '') {
    // A date that is not one yet stays for the user to correct (leaving would drop it).
    if (picker.classList.contains('ant-picker-invalid')) {
      e.preventDefault();
      return;
    }
    // The picker takes a typed date on Enter; move on after it has.
    window.setTimeout(() => nav.next(target), 0);
    return;
  }
  e.preventDefault(); // no implicit form submission
  e.stopPropagation();
  nav.next(target);
}
