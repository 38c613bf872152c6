/**
 * 在途 on the stock screen: goods dispatched and not yet signed for, per destination (one
 * depot when the screen is filtered to it), until they are received. A click opens the board.
 */
import { Typography } from 'antd';
import { useRpc } from '../../components/useRpc';
import { formatQuantity } from '../../format';
import { defineMessages, useMessages } from '../../i18n/messages';
import { href } from '../../router';

const m = defineMessages(
  { inTransit: '在途', orders: '{n} 单', open: '查看配送单 ›' },
  { inTransit: 'In transit', orders: '{n} orders', open: 'Delivery orders ›' },
);

export function InTransitBar({ depotId }: { depotId: number | undefined }) {
  const t = useMessages(m);
  const transit = useRpc('delivery.inTransit', depotId === undefined ? {} : { depotId }, { live: true });
  const rows = transit.data ?? [];
  if (rows.length === 0) return null;
  const destinations = [...new Set(rows.map((r) => r.deliverToName))];
  return (
    <div
      data-testid="in-transit"
      style={{ background: '#e6fffb', border: '1px solid #87e8de', borderRadius: 6, padding: '4px 12px' }}
    >
      <Typography.Text strong style={{ color: '#08979c', marginRight: 8 }}>
        {t('inTransit')}
      </Typography.Text>
      {destinations.map((name) => (
        <span key={name} style={{ marginRight: 16 }}>
          → {name}：
          {rows
            .filter((r) => r.deliverToName === name)
            .map((r) => `${r.materialName} ${formatQuantity(r.quantity)} ${r.unit}`)
            .join('、')}
        </span>
      ))}
      <a href={href('/deliveries', { column: 'inTransit' })}>{t('open')}</a>
    </div>
  );
}
