/**
 * Warning tags shared by the stock screens, the warning lists and the stock card: coloured AND
 * worded (UI.md: expiring soon orange, expired red, below quota red; never colour alone).
 */
import { Tag } from 'antd';
import type { ExpiryStatus } from '../../../shared/schemas/stock';
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
    depotsBelow: '{n} 个库低于定额',
    earliest: '最早一批{days}',
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
    depotsBelow: '{n} depots below quota',
    earliest: 'Earliest lot: {days}',
    hasExpiring: 'Lots expiring',
    hasExpired: 'Lots expired',
  },
);

/** 临期 / 已过期, optionally with the days: 临期 · 剩 12 天. */
export function ExpiryTag({ status, daysLeft }: { status: ExpiryStatus; daysLeft?: number | null }) {
  const t = useMessages(tagMessages);
  const days =
    daysLeft === undefined || daysLeft === null
      ? null
      : daysLeft < 0
        ? t('daysAgo', { n: -daysLeft })
        : daysLeft === 0
          ? t('dueToday')
          : t('daysLeft', { n: daysLeft });
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

/** 低于定额; 缺口 80 顶 when the shortfall is known; 3 个库低于定额 on city totals. */
export function BelowQuotaTag({
  shortBy,
  unit,
  depots,
}: {
  shortBy?: number;
  unit?: string;
  depots?: number;
}) {
  const t = useMessages(tagMessages);
  const text =
    shortBy !== undefined
      ? `${t('shortBy', { n: formatQuantity(shortBy) })}${unit ? ` ${unit}` : ''}`
      : depots !== undefined
        ? t('depotsBelow', { n: formatQuantity(depots) })
        : t('belowQuota');
  return (
    <Tag color="red" data-status="belowQuota" style={{ marginInlineEnd: 4 }}>
      {text}
    </Tag>
  );
}

/** Some lots of this depot × material (or material) are expiring or expired; the earliest one's days on hover. */
export function LotsTag({ status, daysLeft }: { status: ExpiryStatus; daysLeft: number }) {
  const t = useMessages(tagMessages);
  const days = useDaysText();
  return (
    <Tag
      color={status === 'expired' ? 'red' : 'orange'}
      data-status={status}
      title={t('earliest', { days: days(daysLeft) })}
      style={{ marginInlineEnd: 4 }}
    >
      {t(status === 'expired' ? 'hasExpired' : 'hasExpiring')}
    </Tag>
  );
}
