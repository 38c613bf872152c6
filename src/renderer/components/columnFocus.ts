/**
 * Spreadsheet-style entry in a table: Enter in a cell input moves to the same column one row
 * down (or up with Shift+Enter). Inputs carry `data-col` and `data-row` (the row's index in
 * the table's current dataSource). Works with `virtual` tables: a row not rendered yet is
 * scrolled into view first, then focused.
 */
import type { TableRef } from 'antd';
import type { KeyboardEvent } from 'react';

function find(root: HTMLElement, column: string, row: number): HTMLInputElement | null {
  return root.querySelector<HTMLInputElement>(`input[data-col="${column}"][data-row="${row}"]`);
}

function focus(el: HTMLInputElement) {
  el.focus();
  el.select();
}

/** Focus the input of `column` in row `row` (scrolling a virtual table there when needed). */
export function focusCell(table: TableRef | null, column: string, row: number): void {
  const root = table?.nativeElement;
  if (!root || row < 0) return;
  const hit = find(root, column, row);
  if (hit) {
    focus(hit);
    hit.scrollIntoView({ block: 'nearest' });
    return;
  }
  table.scrollTo({ index: row, align: 'nearest' });
  let tries = 0;
  const retry = () => {
    const el = find(root, column, row);
    if (el) focus(el);
    else if (++tries < 20) requestAnimationFrame(retry);
  };
  requestAnimationFrame(retry);
}

/** onKeyDown for a cell input: Enter → next row, Shift+Enter → previous row, same column. */
export function enterMovesDown(table: () => TableRef | null, column: string, row: number, rowCount: number) {
  return (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter' || e.nativeEvent.isComposing) return;
    e.preventDefault();
    const next = e.shiftKey ? row - 1 : row + 1;
    if (next >= 0 && next < rowCount) focusCell(table(), column, next);
  };
}
