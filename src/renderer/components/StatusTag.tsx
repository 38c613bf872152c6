/**
 * Workflow states as coloured tags with their words (never colour alone, UI.md): requests,
 * delivery orders, stocktakes; `Overdue` beside an order past its planned arrival; `Timeline`
 * for the who-when-what of a document's life.
 */
import { Tag, Timeline as AntTimeline, Typography } from 'antd';
import type { RequestStatus } from '../../shared/schemas/allocation';
import type { DeliveryStatus } from '../../shared/schemas/delivery';
import type { STOCKTAKE_STATUSES } from '../../shared/schemas/stocktake';
import { formatTime } from '../format';
import { useTerms } from '../i18n/messages';

type StocktakeStatus = (typeof STOCKTAKE_STATUSES)[number];

const COLOURS = {
  allocation: {
    draft: 'default',
    submitted: 'orange',
    approved: 'blue',
    partly_approved: 'blue',
    forwarded: 'purple',
    rejected: 'default',
    dispatching: 'cyan',
    completed: 'green',
    cancelled: 'default',
  } satisfies Record<RequestStatus, string>,
  delivery: {
    planned: 'orange',
    dispatched: 'cyan',
    delivered: 'green',
    closed: 'default',
    cancelled: 'default',
  } satisfies Record<DeliveryStatus, string>,
  stocktake: { open: 'orange', approved: 'green', cancelled: 'default' } satisfies Record<
    StocktakeStatus,
    string
  >,
  incident: { active: 'red', closed: 'default' },
};

export type StatusKind = keyof typeof COLOURS;
type StatusOf<K extends StatusKind> = keyof (typeof COLOURS)[K] & string;

export function StatusTag<K extends StatusKind>({ kind, status }: { kind: K; status: StatusOf<K> }) {
  const terms = useTerms();
  const colours = COLOURS[kind] as Record<string, string>;
  return (
    <Tag color={colours[status]} data-testid={`${kind}-status`} style={{ marginInlineEnd: 0 }}>
      {terms(`${kind}.status.${status}` as Parameters<typeof terms>[0])}
    </Tag>
  );
}

/** 逾期: planned or on the road past the planned arrival. */
export function OverdueTag() {
  const terms = useTerms();
  return (
    <Tag color="red" data-testid="overdue" style={{ marginInlineEnd: 0 }}>
      {terms('delivery.overdue')}
    </Tag>
  );
}

export interface TimelineEvent {
  at: string;
  userName: string;
  toStatus: string;
  comment: string | null;
}

/** A document's life, oldest first: when, who, the state it moved to, and what they said. */
export function Timeline<K extends StatusKind>({
  kind,
  events,
}: {
  kind: K;
  events: readonly TimelineEvent[];
}) {
  return (
    <AntTimeline
      data-testid={`${kind}-timeline`}
      items={events.map((e) => ({
        key: `${e.at}-${e.toStatus}`,
        content: (
          <div>
            <StatusTag kind={kind} status={e.toStatus as StatusOf<K>} />{' '}
            <Typography.Text>{e.userName}</Typography.Text>{' '}
            <Typography.Text type="secondary">{formatTime(e.at)}</Typography.Text>
            {e.comment && (
              <div style={{ color: '#555', marginTop: 2, whiteSpace: 'pre-wrap' }}>{e.comment}</div>
            )}
          </div>
        ),
      }))}
    />
  );
}
