/**
 * The stock screen's filters: depot, level, category, GB class, text (applied on Enter or the
 * search button), warnings only, reset. Memoised with stable callbacks, so typing re-renders
 * this bar alone, and a new result re-renders the table alone.
 */
import { Button, Checkbox, Flex, Input, Select } from 'antd';
import { memo, useEffect, useState } from 'react';
import type { DepotLevel } from '../../../shared/schemas/depot';
import { DepotSelect } from '../../components/DepotSelect';
import { common } from '../../i18n/common';
import { useMessages, useTerms } from '../../i18n/messages';
import { stockMessages } from './stockMessages';

export type GroupBy = 'depotMaterial' | 'batch' | 'material';
export type TopClass = 1 | 2 | 3;

export interface Filters {
  groupBy: GroupBy;
  depotId?: number;
  level?: DepotLevel;
  category?: string;
  topClass?: TopClass;
  text: string;
  warningsOnly: boolean;
}

interface Props {
  filters: Filters;
  onChange: (patch: Partial<Filters>) => void;
  onReset: () => void;
  /** The catalogue's categories to choose from. */
  categories: string[];
}

export const StockFilterBar = memo(function StockFilterBar({
  filters,
  onChange,
  onReset,
  categories,
}: Props) {
  const t = useMessages(stockMessages);
  const c = useMessages(common);
  const terms = useTerms();
  const { depotId, level, category, topClass } = filters;
  // What is typed; the filter takes it on Enter.
  const [text, setText] = useState(filters.text);
  useEffect(() => setText(filters.text), [filters.text]);

  return (
    <Flex gap={8} wrap align="center">
      <DepotSelect
        allowClear
        aria-label={t('depot')}
        placeholder={t('allDepots')}
        includeInactive
        value={depotId}
        onChange={(v) => onChange({ depotId: v })}
        style={{ width: 190 }}
      />
      <Select<DepotLevel>
        allowClear
        aria-label={t('level')}
        placeholder={t('allLevels')}
        value={level}
        onChange={(v) => onChange({ level: v })}
        style={{ width: 120 }}
        options={(['city', 'district', 'town'] as const).map((l) => ({
          value: l,
          label: terms(`level.${l}`),
        }))}
      />
      <Select<string>
        allowClear
        showSearch
        aria-label={t('category')}
        placeholder={t('allCategories')}
        value={category}
        onChange={(v) => onChange({ category: v })}
        style={{ width: 130 }}
        options={[...new Set([...categories, ...(category ? [category] : [])])].map((x) => ({
          value: x,
          label: x,
        }))}
      />
      <Select<TopClass>
        allowClear
        aria-label={t('topClass')}
        placeholder={t('allTopClasses')}
        value={topClass}
        onChange={(v) => onChange({ topClass: v })}
        style={{ width: 170 }}
        popupMatchSelectWidth={false}
        options={([1, 2, 3] as const).map((n) => ({ value: n, label: `${n} ${terms(`topClass.${n}`)}` }))}
      />
      <Input.Search
        allowClear
        aria-label={t('text')}
        placeholder={t('text')}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value === '') onChange({ text: '' });
        }}
        onSearch={(v) => onChange({ text: v.trim() })}
        style={{ width: 230 }}
      />
      <Checkbox checked={filters.warningsOnly} onChange={(e) => onChange({ warningsOnly: e.target.checked })}>
        {t('warningsOnly')}
      </Checkbox>
      <Button onClick={onReset}>{c('reset')}</Button>
    </Flex>
  );
});
