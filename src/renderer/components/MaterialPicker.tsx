/**
 * Find a material by code, name or spec as you type. A barcode scanner types the code and
 * Enter: an exact code match is chosen at once, even before the suggestions arrive, and inside
 * an <EnterNavigation> focus moves on to the next field. Typed text and Enter without choosing
 * from the list takes the exact code, else the first suggestion for that text; after the arrow
 * keys, Enter takes the highlighted one.
 */
import { Select, type SelectProps } from 'antd';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { MaterialDto } from '../../shared/schemas/material';
import { rpc } from '../api';
import { useEnterNavigation } from './EnterNavigation';

interface Props extends Omit<SelectProps<number>, 'options' | 'onChange'> {
  value?: number;
  onChange?: (materialId: number | undefined, material?: MaterialDto) => void;
  /** The chosen material, to show its label before it is among the suggestions (a restored form). */
  selected?: MaterialDto;
  /** Enter on an empty picker (a blank line: leave the lines table). Without it the list opens. */
  onEmptyEnter?: () => void;
}

export function materialLabel(m: Pick<MaterialDto, 'code' | 'name' | 'spec' | 'unit'>): string {
  return `${m.code} ${m.name}${m.spec ? `（${m.spec.length > 24 ? `${m.spec.slice(0, 24)}…` : m.spec}）` : ''} · ${m.unit}`;
}

export function MaterialPicker({ value, onChange, selected, onEmptyEnter, ...props }: Props) {
  const nav = useEnterNavigation();
  const [options, setOptions] = useState<MaterialDto[]>([]);
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState(false);
  const request = useRef(0);
  /** The arrow keys moved the highlight since the text last changed: Enter takes the highlight. */
  const navigated = useRef(false);

  const load = async (text: string) => {
    const id = ++request.current;
    const page = await rpc('material.list', { text: text || undefined, limit: 30 });
    if (id === request.current) setOptions(page.rows);
    return page.rows;
  };

  useEffect(() => {
    void load('').catch(() => undefined);
  }, []);

  // Keep the chosen material visible even when it is not in the current suggestions.
  const [chosen, setChosen] = useState<MaterialDto | undefined>();
  const current = [selected, chosen].find((m) => m && m.materialId === value);
  const all =
    current && !options.some((o) => o.materialId === current.materialId) ? [current, ...options] : options;

  const choose = (m: MaterialDto | undefined) => {
    setChosen(m);
    onChange?.(m?.materialId, m);
  };

  const onKeyDownCapture = (e: KeyboardEvent<HTMLSpanElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') navigated.current = true;
    if (e.key !== 'Enter' || e.nativeEvent.isComposing || e.ctrlKey || e.metaKey) return;
    const input = e.target as HTMLInputElement;
    const text = input.value.trim();
    const moveOn = () => {
      setSearch('');
      setOpen(false);
      if (nav) window.setTimeout(() => nav.next(input), 0);
    };
    if (open && navigated.current) {
      // The list takes its highlighted option on this key.
      navigated.current = false;
      window.setTimeout(moveOn, 0);
      return;
    }
    if (!text) {
      if (value !== undefined) {
        e.preventDefault();
        e.stopPropagation();
        moveOn();
      } else if (onEmptyEnter) {
        e.preventDefault();
        e.stopPropagation();
        setOpen(false);
        onEmptyEnter();
      }
      return; // empty: the list opens
    }
    e.preventDefault();
    e.stopPropagation();
    const exact = all.find((m) => m.code === text);
    if (exact) {
      choose(exact);
      moveOn();
      return;
    }
    void load(text).then(
      (rows) => {
        const hit = rows.find((m) => m.code === text) ?? rows[0];
        if (hit) {
          choose(hit);
          moveOn();
        }
      },
      () => undefined,
    );
  };

  return (
    <span data-enter-self onKeyDownCapture={onKeyDownCapture} style={{ display: 'block' }}>
      <Select<number>
        value={value}
        open={open}
        onOpenChange={setOpen}
        showSearch={{
          filterOption: false,
          searchValue: search,
          onSearch: (text) => {
            navigated.current = false;
            setSearch(text);
            void load(text).catch(() => undefined);
          },
        }}
        options={all.map((m) => ({ value: m.materialId, label: materialLabel(m) }))}
        onChange={(id) => {
          setSearch('');
          choose(all.find((m) => m.materialId === id));
        }}
        popupMatchSelectWidth={false}
        allowClear
        style={{ width: '100%' }}
        {...props}
      />
    </span>
  );
}
