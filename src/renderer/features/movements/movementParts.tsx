/**
 * Pieces of a ledger line shown on the movements screen and the stock card: the type as a
 * worded tag, the document number with its reversal marks (已红冲 HC-… / 红冲 RK-…), the
 * counterpart (depot, recipient or a receipt's supplier), and the reason in words.
 */
import { DocLink } from '../../components/DocLink';
import { Tag, type TableColumnType } from 'antd';
import type { MovementDto, MovementType } from '../../../shared/schemas/stock';
import type { DepotDto } from '../../../shared/schemas/depot';
import { formatFen } from '../../format';
import { defineMessages, useMessages, useTerms } from '../../i18n/messages';

export const partMessages = defineMessages(
  {
    reversed: '已红冲',
    reverses: '红冲',
    expiredOverride: '指定过期批次',
    toDepot: '调往 {depot}',
    fromDepot: '来自 {depot}',
  },
  {
    reversed: 'Reversed by',
    reverses: 'Reverses',
    expiredOverride: 'Expired lot chosen',
    toDepot: 'To {depot}',
    fromDepot: 'From {depot}',
  },
);

const TYPE_COLOR: Record<MovementType, string> = {
  receipt: 'green',
  issue: 'blue',
  transfer_out: 'cyan',
  transfer_in: 'cyan',
  stocktake_gain: 'purple',
  stocktake_loss: 'purple',
  scrap: 'volcano',
  reversal: 'magenta',
  dispatch: 'gold',
  delivery_in: 'lime',
};

export function MovementTypeTag({ type }: { type: MovementType }) {
  const terms = useTerms();
  return (
    <Tag color={TYPE_COLOR[type]} style={{ marginInlineEnd: 0 }}>
      {terms(`movementType.${type}`)}
    </Tag>
  );
}

/**
 * A document number with its reversal marks on a second, smaller line when there are any:
 * 已红冲 HC-… on a reversed line, 红冲 RK-… on the reversal (the document it cancels), and
 * 指定过期批次 when an expired lot was issued on purpose.
 */
export function DocNoCell({ movement: m }: { movement: MovementDto }) {
  const t = useMessages(partMessages);
  const marks: { kind: string; color: string; label: string; docNo: string | null }[] = [];
  if (m.reversedBy !== null)
    marks.push({ kind: 'reversed', color: 'default', label: t('reversed'), docNo: m.reversedByDocNo });
  if (m.reversesMovementId !== null)
    marks.push({
      kind: 'reverses',
      color: 'magenta',
      label: t('reverses'),
      docNo: m.reversesDocNo ?? `#${m.reversesMovementId}`,
    });
  if (m.expiredOverride)
    marks.push({ kind: 'expiredOverride', color: 'red', label: t('expiredOverride'), docNo: null });
  return (
    <>
      <div>
        <DocLink docNo={m.docNo} />
      </div>
      {marks.map((mark) => (
        <div
          key={mark.kind}
          data-mark={mark.kind}
          style={{ fontSize: 12, lineHeight: '20px', whiteSpace: 'nowrap' }}
        >
          <Tag
            color={mark.color}
            style={{ marginInlineEnd: 4, fontSize: 12, lineHeight: '18px', paddingInline: 4 }}
          >
            {mark.label}
          </Tag>{' '}
          {mark.docNo && !mark.docNo.startsWith('#') ? <DocLink docNo={mark.docNo} /> : mark.docNo}
        </div>
      ))}
    </>
  );
}

/** Where the goods went or came from: the other depot of a transfer, the recipient of an issue, a receipt's supplier. */
export function useCounterpart(depots: DepotDto[]): (m: MovementDto) => string {
  const t = useMessages(partMessages);
  return (m) => {
    if (m.counterpartDepotId !== null) {
      const depot =
        depots.find((d) => d.depotId === m.counterpartDepotId)?.name ?? `#${m.counterpartDepotId}`;
      // Stock leaving this depot goes to the other one; stock arriving came from it.
      return m.quantity < 0 ? t('toDepot', { depot }) : t('fromDepot', { depot });
    }
    return m.recipient ?? m.supplier ?? '';
  };
}

/** The reason and note; a receipt gives its source (procurement …) in words instead of a reason. */
export function useReasonText(): (m: MovementDto) => string {
  const terms = useTerms();
  return (m) => {
    const reason = m.source ? terms(`batchSource.${m.source}`) : m.reason;
    return [reason, m.note].filter(Boolean).join(' · ');
  };
}

/** A receipt's own unit price (null on other movements), in yuan. */
export function unitPriceColumn<Row extends { unitPriceFen: number | null }>(
  title: string,
): TableColumnType<Row> {
  return {
    title,
    dataIndex: 'unitPriceFen',
    key: 'unitPrice',
    width: 88,
    align: 'right',
    className: 'num',
    render: (fen: number | null) => formatFen(fen),
  };
}
