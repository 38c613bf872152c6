/**
 * Warning tags shared by the stock screens, the warning lists and the stock card: coloured AND
 * worded (UI.md: expiring soon orange, expired red, below quota red; never colour alone).
 */
import { Tag } from 'antd';
import { formatQuantity } from '../../format';
import { defineMessages, useMessages } from '../../i18n/messages';

export const tagMessages = defineMessages(
  {
    expiring: '临期',
    expired: '已过期',
    belowQuota: '低于定额',
    daysLeft: '剩 {n} 天',
    daysAgo: '过期 {n} 天',
    dueToday: '今天到期',
    shortBy: '缺口 {n}',
    hasExpiring: '含临期批次',
    hasExpired: '含过期批次',
  },
  {
    expiring: 'Expiring',
    expired: 'Expired',
    belowQuota: 'Below quota',
    daysLeft: '{n} days left',
    daysAgo: 'expired {n} days ago',
    dueToday: 'expires today',
    shortBy: 'Short {n}',
    hasExpiring: 'Lots expiring',
    hasExpired: 'Lots expired',
  },
);

export type ExpiryStatus = 'expiring' | 'expired';

/** 临期 / 已过期, optionally with the days: 临期 · 剩 12 天. */
export function ExpiryTag({ status, daysLeft }: { status: ExpiryStatus; daysLeft?: number | null }) {
  const t = useMessages(tagMessages);
  const days =
    daysLeft === undefined || daysLeft === null ? null : daysLeft < 0 ? t('daysAgo', { n: -daysLeft }) : daysLeft === 0 ? t('dueToday') : t('daysLeft', { n: daysLeft });
  return (
    <Tag color={status === 'expired' ? 'red' : 'orange'} data-status={status} style={{ marginInlineEnd: 4 }}>
      {t(status)}
      {days ? ` · ${days}` : ''}
    </Tag>
  );
}

/** The days to expiry as words: 剩 12 天 / 过期 25 天 / 今天到期. */
export function useDaysText(): (daysLeft: number) => string {
  const t = useMessages(tagMessages);
  return (d) => (d < 0 ? t('daysAgo', { n: -d }) : d === 0 ? t('dueToday') : t('daysLeft', { n: d }));
}

/** 低于定额, or 缺口 80 顶 when the shortfall is known. */
export function BelowQuotaTag({ shortBy, unit }: { shortBy?: number; unit?: string }) {
  const t = useMessages(tagMessages);
  return (
    <Tag color="red" data-status="belowQuota" style={{ marginInlineEnd: 4 }}>
      {shortBy === undefined ? t('belowQuota') : `${t('shortBy', { n: formatQuantity(shortBy) })}${unit ? ` ${unit}` : ''}`}
    </Tag>
  );
}

/** Some lots of this depot × material (or material) are expiring or expired. */
export function LotsTag({ status }: { status: ExpiryStatus }) {
  const t = useMessages(tagMessages);
  return (
    <Tag color={status === 'expired' ? 'red' : 'orange'} data-status={status} style={{ marginInlineEnd: 4 }}>
      {t(status === 'expired' ? 'hasExpired' : 'hasExpiring')}
    </Tag>
  );
}
