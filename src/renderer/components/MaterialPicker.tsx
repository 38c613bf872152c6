/**
 * Find a material by code, name or spec as you type. A barcode scanner types the code and
 * Enter: an exact code match is chosen at once, even before the suggestions arrive.
 */
import { Select, type SelectProps } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { MaterialDto } from '../../shared/schemas/material';
import { rpc } from '../api';

interface Props extends Omit<SelectProps<number>, 'options' | 'onChange'> {
  value?: number;
  onChange?: (materialId: number | undefined, material?: MaterialDto) => void;
}

export function materialLabel(m: Pick<MaterialDto, 'code' | 'name' | 'spec' | 'unit'>): string {
  return `${m.code} ${m.name}${m.spec ? `（${m.spec.length > 24 ? `${m.spec.slice(0, 24)}…` : m.spec}）` : ''} · ${m.unit}`;
}

export function MaterialPicker({ value, onChange, ...props }: Props) {
  const [options, setOptions] = useState<MaterialDto[]>([]);
  const [search, setSearch] = useState('');
  const request = useRef(0);

  const load = async (text: string) => {
    const id = ++request.current;
    const page = await rpc('material.list', { text: text || undefined, limit: 30 });
    if (id === request.current) setOptions(page.rows);
    return page.rows;
  };

  useEffect(() => {
    void load('');
  }, []);

  // Keep the chosen material visible even when it is not in the current suggestions.
  const [chosen, setChosen] = useState<MaterialDto | undefined>();
  const all = chosen && !options.some((o) => o.materialId === chosen.materialId) ? [chosen, ...options] : options;

  const choose = (m: MaterialDto | undefined) => {
    setChosen(m);
    onChange?.(m?.materialId, m);
  };

  return (
    <Select<number>
      value={value}
      showSearch={{ filterOption: false, searchValue: search, onSearch: (text) => {
        setSearch(text);
        void load(text);
      } }}
      options={all.map((m) => ({ value: m.materialId, label: materialLabel(m) }))}
      onChange={(id) => choose(all.find((m) => m.materialId === id))}
      onInputKeyDown={(e) => {
        if (e.key !== 'Enter' || !search.trim()) return;
        const code = search.trim();
        const exact = all.find((m) => m.code === code);
        if (exact) return; // the open list chooses it
        e.preventDefault();
        void load(code).then((rows) => {
          const hit = rows.find((m) => m.code === code);
          if (hit) {
            choose(hit);
            setSearch('');
          }
        });
      }}
      popupMatchSelectWidth={false}
      allowClear
      {...props}
    />
  );
}
