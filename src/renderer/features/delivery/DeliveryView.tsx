/**
 * One delivery order (紧急配送单) as its document view: the vehicle and its people, where it
 * loads and where it goes, the lots on it and what arrived, the three timers, the timeline; and
 * the steps its state allows: dispatch, sign for, cancel, return or write off what went to an
 * outside unit, close, print the 配送单.
 */
import { App, Button, Card, Descriptions, Input, Modal, Popconfirm, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import type { DeliveryDto } from '../../../shared/schemas/delivery';
import { DocLink } from '../../components/DocLink';
import { PrintView } from '../../components/PrintDocument';
import { OverdueTag, StatusTag, Timeline } from '../../components/StatusTag';
import { newIdempotencyKey, rpc, RpcFailure } from '../../api';
import { formatQuantity, formatTime } from '../../format';
import { useMessages, useTerms } from '../../i18n/messages';
import { useSession } from '../../session';
import { useDeliveryPrint } from '../documents/documentPrints';
import { UrgencyTag } from '../allocation/UrgencyTag';
import { deliveryMessages, spanSeconds, useDuration } from './deliveryMessages';
import { ReceiveDrawer } from './ReceiveDrawer';
import { RecoveryDrawer } from './RecoveryDrawer';

type Line = DeliveryDto['lines'][number];

export function DeliveryView({
  delivery: d,
  reload,
}: {
  delivery: DeliveryDto;
  reload: () => Promise<void>;
}) {
  const t = useMessages(deliveryMessages);
  const terms = useTerms();
  const duration = useDuration();
  const { message } = App.useApp();
  const { user, canCall } = useSession();
  const print = useDeliveryPrint();
  const [printing, setPrinting] = useState(false);
  const [receiving, setReceiving] = useState(false);
  const [recovery, setRecovery] = useState<'return' | 'writeOff' | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [cancelReason, setCancelReason] = useState('');

  const coordinator = canCall('delivery.create');
  const keeperOf = (depotId: number | null) =>
    user?.role === 'keeper' && depotId !== null && user.depotIds.includes(depotId);
  const mayDispatch = coordinator || d.sourceDepotIds.every((id) => keeperOf(id));
  const maySign = d.deliverToDepotId === null ? coordinator : keeperOf(d.deliverToDepotId);
  const outside = d.deliverToDepotId === null;
  const items = d.lines.flatMap((l) => l.items);
  const outstanding = items.reduce((s, i) => s + (i.received ?? 0) - i.returned - i.writtenOff, 0);

  const step = async (procedure: 'delivery.dispatch' | 'delivery.close', label: string) => {
    try {
      await rpc(procedure, { deliveryId: d.deliveryId }, { idempotencyKey: newIdempotencyKey() });
      void message.success(t('done', { action: label, docNo: d.docNo }));
      await reload();
    } catch (e) {
      void message.error(e instanceof RpcFailure ? e.message : String(e));
    }
  };
  const cancel = async () => {
    try {
      await rpc(
        'delivery.cancel',
        { deliveryId: d.deliveryId, comment: cancelReason },
        { idempotencyKey: newIdempotencyKey() },
      );
      setCancelling(false);
      void message.success(t('done', { action: t('cancelOrder'), docNo: d.docNo }));
      await reload();
    } catch (e) {
      void message.error(e instanceof RpcFailure ? e.message : String(e));
    }
  };

  const timer = (label: string, from: string | null, to: string | null) => ({
    key: label,
    label,
    children: (
      <span className="num">
        {duration(spanSeconds(from, to))}
        {from && !to && <Typography.Text type="secondary"> {t('running')}</Typography.Text>}
      </span>
    ),
  });

  return (
    <div data-testid="delivery-view">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Space>
          <Typography.Title level={4} style={{ margin: 0 }} className="doc-no" data-testid="delivery-doc-no">
            {d.docNo}
          </Typography.Title>
          <StatusTag kind="delivery" status={d.status} />
          {d.overdue && <OverdueTag />}
          <UrgencyTag urgency={d.urgency} />
        </Space>
        <Space wrap>
          {d.status === 'planned' && mayDispatch && (
            <Popconfirm
              title={t('dispatchConfirm', { docNo: d.docNo })}
              onConfirm={() => step('delivery.dispatch', t('dispatch'))}
            >
              <Button type="primary" data-testid="dispatch">
                {t('dispatch')}
              </Button>
            </Popconfirm>
          )}
          {d.status === 'dispatched' && maySign && (
            <Button type="primary" onClick={() => setReceiving(true)} data-testid="deliver">
              {t('deliver')}
            </Button>
          )}
          {d.status === 'delivered' && outside && outstanding > 0 && canCall('recovery.return') && (
            <Button onClick={() => setRecovery('return')}>{t('recover')}</Button>
          )}
          {d.status === 'delivered' && outside && outstanding > 0 && canCall('recovery.writeOff') && (
            <Button onClick={() => setRecovery('writeOff')}>{t('writeOff')}</Button>
          )}
          {d.status === 'delivered' && coordinator && (!outside || outstanding === 0) && (
            <Button onClick={() => void step('delivery.close', t('close'))}>{t('close')}</Button>
          )}
          <Button onClick={() => setPrinting(true)} data-testid="print-delivery">
            {t('printDelivery')}
          </Button>
          {d.status === 'planned' && coordinator && (
            <Button danger type="text" onClick={() => setCancelling(true)}>
              {t('cancelOrder')}
            </Button>
          )}
        </Space>
      </Space>

      <Descriptions
        size="small"
        bordered
        column={3}
        style={{ marginBottom: 12 }}
        items={[
          { key: 'request', label: t('request'), children: <DocLink docNo={d.requestDocNo} /> },
          { key: 'incident', label: t('incident'), children: d.incidentName ?? '—' },
          { key: 'from', label: t('from'), children: d.sourceDepotNames.join('、') },
          {
            key: 'to',
            label: t('to'),
            span: 3,
            children: [d.deliverToName, d.deliverContact, d.deliverPhone].filter(Boolean).join(' '),
          },
          { key: 'vehicle', label: t('vehicle'), children: d.vehiclePlate },
          { key: 'driver', label: t('driver'), children: `${d.driverName} ${d.driverPhone}` },
          { key: 'escort', label: t('escort'), children: d.escortName ?? '—' },
          { key: 'dep', label: t('plannedDeparture'), children: formatTime(d.plannedDeparture) },
          { key: 'arr', label: t('plannedArrival'), children: formatTime(d.plannedArrival) },
          {
            key: 'created',
            label: t('createdBy'),
            children: `${d.createdByName} ${formatTime(d.createdAt)}`,
          },
          {
            key: 'dispatched',
            label: t('dispatchedBy'),
            children: d.dispatchedAt ? `${d.dispatchedByName ?? ''} ${formatTime(d.dispatchedAt)}` : '—',
          },
          {
            key: 'received',
            label: t('receivedBy'),
            span: 2,
            children: d.receivedAt ? `${d.receiverName ?? ''} ${formatTime(d.receivedAt)}` : '—',
          },
          timer(t('toApproval'), d.requestSubmittedAt, d.approvedAt),
          timer(t('toDispatch'), d.approvedAt, d.dispatchedAt),
          timer(t('toDelivery'), d.dispatchedAt, d.receivedAt),
          ...(d.note ? [{ key: 'note', label: t('note'), span: 3, children: d.note }] : []),
        ]}
      />

      <Table<Line>
        size="small"
        rowKey="lineId"
        pagination={false}
        dataSource={d.lines}
        style={{ marginBottom: 12 }}
        data-testid="delivery-lines"
        columns={[
          { title: '#', dataIndex: 'lineNo', width: 40 },
          { title: t('from'), dataIndex: 'depotName', width: 170, ellipsis: true },
          {
            title: t('material'),
            key: 'material',
            ellipsis: true,
            render: (_, l) => `${l.materialCode} ${l.materialName}${l.spec ? `（${l.spec}）` : ''}`,
          },
          {
            title: t('sent'),
            key: 'qty',
            width: 100,
            align: 'right',
            className: 'num',
            render: (_, l) => `${formatQuantity(l.quantity)} ${l.unit}`,
          },
          {
            title: `${t('lot')} · ${t('received')}`,
            key: 'items',
            render: (_, l) =>
              l.items.length === 0 ? (
                '—'
              ) : (
                <Space direction="vertical" size={0}>
                  {l.items.map((i) => (
                    <span key={i.itemId}>
                      {i.lotNo}
                      {i.expiresOn ? ` (${i.expiresOn})` : ''} · {formatQuantity(i.quantity)}
                      {i.received !== null && (
                        <>
                          {' → '}
                          <Typography.Text type={i.received < i.quantity ? 'danger' : undefined}>
                            {formatQuantity(i.received)}
                          </Typography.Text>
                          {i.shortfallKind && (
                            <Typography.Text type="danger">
                              {' '}
                              {terms(`delivery.shortfall.${i.shortfallKind}`)}{' '}
                              {formatQuantity(i.quantity - i.received)}：{i.shortfallReason}
                            </Typography.Text>
                          )}
                        </>
                      )}
                      {(i.returned > 0 || i.writtenOff > 0) && (
                        <Typography.Text type="secondary">
                          {' '}
                          · {t('returned')} {formatQuantity(i.returned)} · {t('writtenOff')}{' '}
                          {formatQuantity(i.writtenOff)}
                        </Typography.Text>
                      )}
                    </span>
                  ))}
                </Space>
              ),
          },
        ]}
      />

      <Card size="small" title={t('timeline')}>
        <Timeline kind="delivery" events={d.events} />
      </Card>

      <Modal
        open={cancelling}
        title={t('cancelOrder')}
        onCancel={() => setCancelling(false)}
        onOk={() => void cancel()}
        okText={t('cancelOrder')}
        okButtonProps={{ danger: true, disabled: cancelReason.trim() === '' }}
      >
        <Input.TextArea
          autoFocus
          aria-label={t('cancelReason')}
          placeholder={t('cancelReason')}
          maxLength={500}
          value={cancelReason}
          onChange={(e) => setCancelReason(e.target.value)}
        />
      </Modal>
      {receiving && (
        <ReceiveDrawer
          delivery={d}
          onClose={() => setReceiving(false)}
          onDone={async () => {
            setReceiving(false);
            void message.success(t('done', { action: t('deliver'), docNo: d.docNo }));
            await reload();
          }}
        />
      )}
      {recovery && (
        <RecoveryDrawer
          delivery={d}
          kind={recovery}
          onClose={() => setRecovery(null)}
          onDone={async (text) => {
            setRecovery(null);
            void message.success(text);
            await reload();
          }}
        />
      )}
      {printing && <PrintView docs={[print(d)]} onClose={() => setPrinting(false)} />}
    </div>
  );
}
