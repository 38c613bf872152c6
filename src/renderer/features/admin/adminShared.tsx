/** Small pieces the administrator's screens share: the active/inactive tag, money entry in yuan. */
import { Tag } from 'antd';
import { common } from '../../i18n/common';
import { useMessages } from '../../i18n/messages';

/** 启用 green / 停用 grey, always with its word. */
export function ActiveTag({ active }: { active: boolean }) {
  const c = useMessages(common);
  return (
    <Tag color={active ? 'green' : 'default'} style={{ marginInlineEnd: 0 }}>
      {active ? c('active') : c('inactive')}
    </Tag>
  );
}

/** `'12.5'` yuan → 1250 fen, exactly (no binary floating point); null when empty. */
export function yuanToFen(yuan: string | number | null | undefined): number | null {
  if (yuan === null || yuan === undefined) return null;
  const text = String(yuan).trim().replace(/[,，¥￥\s]/g, '');
  if (text === '') return null;
  const match = /^(\d+)(?:\.(\d{0,2}))?$/.exec(text);
  if (!match) return Number.NaN;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** 1250 fen → `'12.50'` for an input in yuan. */
export function fenToYuan(fen: number | null | undefined): string | null {
  if (fen === null || fen === undefined) return null;
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}
