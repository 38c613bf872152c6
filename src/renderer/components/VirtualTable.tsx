/**
 * A lean virtualised table for lists of many thousand rows (库存): only the rows in view are in
 * the DOM, and nothing walks the whole list but a sort. antd's virtual Table re-processes every
 * row and re-measures the page on each data change (about 150 ms at 10,000 rows); this renders
 * in a few milliseconds whatever the length.
 *
 * It looks like antd's small table (the theme's colours), sorts by clicking a header or Enter on
 * it (ascending, descending, off), and works from the keyboard: with the table focused, the
 * arrows, Page Up/Down and Home/End move the current row (announced as the grid's active
 * descendant) and Enter opens it.
 */
import { theme } from 'antd';
import {
  memo,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type ReactNode,
} from 'react';

export interface VirtualColumn<T> {
  key: string;
  title: string;
  /** Pixels; when the table is wider than the columns, each grows in proportion. */
  width: number;
  align?: 'left' | 'right';
  /** The cell; a string or number is clipped with an ellipsis and shown whole on hover. */
  render: (row: T) => ReactNode;
  sorter?: (a: T, b: T) => number;
}

type SortOrder = 'ascending' | 'descending';

interface Props<T> {
  rows: T[];
  columns: VirtualColumn<T>[];
  rowKey: (row: T) => string;
  /** Height of the whole table, header included. */
  height: number;
  label: string;
  onOpen?: (row: T) => void;
  /** Shown in the body when there are no rows (loading, or nothing matches). */
  empty: ReactNode;
  rowHeight?: number;
}

const OVERSCAN = 6;

function VirtualTableView<T>({
  rows,
  columns,
  rowKey,
  height,
  label,
  onOpen,
  empty,
  rowHeight = 36,
}: Props<T>) {
  const { token } = theme.useToken();
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const scrollTopRef = useRef(0);
  const [sort, setSort] = useState<{ key: string; order: SortOrder } | null>(null);
  const [current, setCurrent] = useState(-1);
  const idPrefix = useId();
  const rowId = (index: number) => `${idPrefix}-row-${index}`;

  const sorted = useMemo(() => {
    const sorter = sort && columns.find((c) => c.key === sort.key)?.sorter;
    if (!sort || !sorter) return rows;
    const out = [...rows].sort(sorter);
    return sort.order === 'descending' ? out.reverse() : out;
  }, [rows, columns, sort]);

  // New rows (another filter) start from the top with no current row.
  // (Only when scrolled: writing scrollTop forces a layout of the page.)
  useLayoutEffect(() => {
    if (scroller.current && scrollTopRef.current !== 0) scroller.current.scrollTop = 0;
    scrollTopRef.current = 0;
    setScrollTop(0);
    setCurrent(-1);
  }, [rows]);

  const bodyHeight = Math.max(rowHeight, height - rowHeight);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(sorted.length, Math.ceil((scrollTop + bodyHeight) / rowHeight) + OVERSCAN);
  const totalWidth = columns.reduce((s, c) => s + c.width, 0);

  // The rows' visible height: the box less the header and any horizontal scrollbar.
  const viewHeight = () => (scroller.current ? scroller.current.clientHeight - rowHeight : bodyHeight);

  const moveTo = (index: number) => {
    if (sorted.length === 0) return;
    const i = Math.max(0, Math.min(sorted.length - 1, index));
    setCurrent(i);
    const box = scroller.current;
    if (!box) return;
    const top = i * rowHeight;
    if (top < box.scrollTop) box.scrollTop = top;
    else if (top + rowHeight > box.scrollTop + viewHeight()) box.scrollTop = top + rowHeight - viewHeight();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return;
    const page = Math.max(1, Math.floor(viewHeight() / rowHeight) - 1);
    const moves: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      PageDown: current + page,
      PageUp: current - page,
      Home: 0,
      End: sorted.length - 1,
    };
    if (e.key in moves) {
      e.preventDefault();
      moveTo(moves[e.key]!);
    } else if (e.key === 'Enter' && current >= 0 && sorted[current]) {
      e.preventDefault();
      onOpen?.(sorted[current]);
    }
  };

  // A new order has other rows at each place: no current row until one is chosen again.
  const toggleSort = (key: string) => {
    setCurrent(-1);
    setSort((s) =>
      s?.key !== key
        ? { key, order: 'ascending' }
        : s.order === 'ascending'
          ? { key, order: 'descending' }
          : null,
    );
  };

  const cellStyle = (c: VirtualColumn<T>): CSSProperties => ({
    flex: `${c.width} 0 ${c.width}px`,
    textAlign: c.align ?? 'left',
  });
  const vars = {
    '--vt-border': token.colorBorderSecondary,
    '--vt-head': token.colorFillAlter,
    '--vt-hover': token.controlItemBgHover,
    '--vt-current': token.controlItemBgActive,
    '--vt-focus': token.colorPrimary,
    '--vt-row': `${rowHeight}px`,
    height,
  } as CSSProperties;

  const visible = [];
  for (let i = first; i < last; i += 1) {
    const row = sorted[i]!;
    visible.push(
      <div
        key={rowKey(row)}
        id={rowId(i)}
        role="row"
        aria-rowindex={i + 2}
        aria-selected={i === current}
        className={`vt-row${i === current ? ' vt-current' : ''}${onOpen ? ' vt-clickable' : ''}`}
        style={{ top: i * rowHeight }}
        onClick={() => {
          setCurrent(i);
          onOpen?.(row);
        }}
      >
        {columns.map((c) => {
          const content = c.render(row);
          const plain = typeof content === 'string' || typeof content === 'number';
          return (
            <div
              key={c.key}
              role="gridcell"
              className={`vt-cell${c.align === 'right' ? ' num' : ''}`}
              style={cellStyle(c)}
              title={plain ? String(content) : undefined}
            >
              {content}
            </div>
          );
        })}
      </div>,
    );
  }

  return (
    <div
      ref={scroller}
      className="vt"
      style={vars}
      role="grid"
      aria-label={label}
      aria-rowcount={sorted.length + 1}
      aria-activedescendant={current >= 0 ? rowId(current) : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onScroll={(e) => {
        scrollTopRef.current = e.currentTarget.scrollTop;
        setScrollTop(scrollTopRef.current);
      }}
    >
      <div className="vt-inner" style={{ minWidth: totalWidth }}>
        <div role="row" aria-rowindex={1} className="vt-head">
          {columns.map((c) => {
            const order = sort?.key === c.key ? sort.order : undefined;
            return (
              <div
                key={c.key}
                role="columnheader"
                aria-sort={c.sorter ? (order ?? 'none') : undefined}
                className={`vt-cell${c.sorter ? ' vt-sortable' : ''}`}
                style={cellStyle(c)}
                title={c.title}
                tabIndex={c.sorter ? 0 : undefined}
                onClick={c.sorter ? () => toggleSort(c.key) : undefined}
                onKeyDown={
                  c.sorter
                    ? (e) => {
                        if (e.key !== 'Enter' && e.key !== ' ') return;
                        e.preventDefault();
                        toggleSort(c.key);
                      }
                    : undefined
                }
              >
                {c.title}
                {c.sorter && <span className={`vt-sort${order ? ` vt-sort-${order}` : ''}`} aria-hidden />}
              </div>
            );
          })}
        </div>
        {sorted.length === 0 ? (
          <div role="row" className="vt-empty" style={{ height: bodyHeight - 2 }}>
            <div role="gridcell">{empty}</div>
          </div>
        ) : (
          <div className="vt-body" style={{ height: sorted.length * rowHeight }}>
            {visible}
          </div>
        )}
      </div>
    </div>
  );
}

/** Memoised: a parent re-rendering (a filter being typed) does not re-render the rows. */
export const VirtualTable = memo(VirtualTableView) as typeof VirtualTableView;
