/**
 * One allocation request (调拨申请) as its document view: who asks for what, where and by when;
 * the lines with their sources and what became of each; the orders that carry them; its
 * timeline. The actions its state and the user's role allow: submit or cancel (the filer),
 * decide (the coordinators whose level it is: approve with sources, reject, forward), plan
 * delivery orders, print the 调拨单.
 */
import {
  App,
  Button,
  Card,
  Descriptions,
  Input,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import type { AllocationDto } from '../../../shared/schemas/allocation';
import { DocLink } from '../../components/DocLink';
import { PrintView } from '../../components/PrintDocument';
import { StatusTag, Timeline } from '../../components/StatusTag';
import { useRpc } from '../../components/useRpc';
import { newIdempotencyKey, rpc, RpcFailure } from '../../api';
import { formatQuantity, formatTime } from '../../format';
import { useMessages } from '../../i18n/messages';
import { useSession } from '../../session';
import { useAllocationPrint } from '../documents/documentPrints';
import { ApprovalPanel } from './ApprovalPanel';
import { allocationMessages } from './allocationMessages';
import { PlanDeliveryDrawer } from './PlanDeliveryDrawer';
import { UrgencyTag } from './UrgencyTag';

type Line = AllocationDto['lines'][number];

const OPEN_FOR_DELIVERY = ['approved', 'partly_approved', 'dispatching'];
const CANCELLABLE = ['draft', 'submitted', 'approved', 'partly_approved'];

export function AllocationView({
  allocation: a,
  reload,
}: {
  allocation: AllocationDto;
  reload: () => Promise<void>;
}) {
  const t = useMessages(allocationMessages);
  const { message } = App.useApp();
  const { user, canCall } = useSession();
  const print = useAllocationPrint();
  const [printing, setPrinting] = useState(false);
  const [deciding, setDeciding] = useState(false);
  const [planning, setPlanning] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [rejectReason, setRejectReason] = useState('');
  const deliveries = useRpc('delivery.list', { requestId: a.requestId }, { live: true });

  const isFiler =
    user !== null &&
    (a.createdBy === user.userId ||
      (user.role === 'keeper' && a.requesterDepotId !== null && user.depotIds.includes(a.requesterDepotId)));
  const coordinator = canCall('allocation.approve');
  const unplanned = a.lines.some((l) =>
    l.sources.some((s) => s.reservation === 'active' && s.deliveryId === null),
  );

  const step = async (
    procedure: 'allocation.submit' | 'allocation.cancel' | 'allocation.forward',
    label: string,
  ) => {
    try {
      await rpc(procedure, { requestId: a.requestId }, { idempotencyKey: newIdempotencyKey() });
      void message.success(t('done', { action: label, docNo: a.docNo }));
      await reload();
    } catch (e) {
      void message.error(e instanceof RpcFailure ? e.message : String(e));
    }
  };
  const reject = async () => {
    try {
      await rpc(
        'allocation.reject',
        { requestId: a.requestId, comment: rejectReason },
        { idempotencyKey: newIdempotencyKey() },
      );
      setRejecting(false);
      void message.success(t('done', { action: t('reject'), docNo: a.docNo }));
      await reload();
    } catch (e) {
      void message.error(e instanceof RpcFailure ? e.message : String(e));
    }
  };

  return (
    <div data-testid="allocation-view">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Space>
          <Typography.Title
            level={4}
            style={{ margin: 0 }}
            className="doc-no"
            data-testid="allocation-doc-no"
          >
            {a.docNo}
          </Typography.Title>
          <StatusTag kind="allocation" status={a.status} />
          <UrgencyTag urgency={a.urgency} />
        </Space>
        <Space wrap>
          {a.status === 'draft' && isFiler && (
            <Button type="primary" onClick={() => void step('allocation.submit', t('submit'))}>
              {t('submit')}
            </Button>
          )}
          {a.status === 'submitted' && coordinator && !deciding && (
            <Button type="primary" onClick={() => setDeciding(true)} data-testid="decide">
              {t('approve')}
            </Button>
          )}
          {a.status === 'submitted' && coordinator && (
            <Button danger onClick={() => setRejecting(true)}>
              {t('reject')}
            </Button>
          )}
          {a.status === 'submitted' && coordinator && a.approverDepotId !== null && (
            <Button onClick={() => void step('allocation.forward', t('forward'))}>{t('forward')}</Button>
          )}
          {OPEN_FOR_DELIVERY.includes(a.status) && canCall('delivery.create') && unplanned && (
            <Button type="primary" onClick={() => setPlanning(true)} data-testid="plan-delivery">
              {t('planDelivery')}
            </Button>
          )}
          {a.lines.some((l) => l.approved !== null) && (
            <Button onClick={() => setPrinting(true)}>{t('printAllocation')}</Button>
          )}
          {CANCELLABLE.includes(a.status) && (isFiler || coordinator) && (
            <Popconfirm
              title={t('cancelConfirm', { docNo: a.docNo })}
              okButtonProps={{ danger: true }}
              onConfirm={() => step('allocation.cancel', t('cancel'))}
            >
              <Button danger type="text">
                {t('cancel')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      </Space>

      <Descriptions
        size="small"
        column={3}
        bordered
        style={{ marginBottom: 12 }}
        items={[
          {
            key: 'requester',
            label: t('requester'),
            children: [a.requesterName, a.requesterContact, a.requesterPhone].filter(Boolean).join(' '),
          },
          { key: 'incident', label: t('incident'), children: a.incidentName ?? t('noIncident') },
          { key: 'neededBy', label: t('neededBy'), children: formatTime(a.neededBy) },
          {
            key: 'deliverTo',
            label: t('deliverTo'),
            span: 2,
            children: [a.deliverToName, a.deliverContact, a.deliverPhone].filter(Boolean).join(' '),
          },
          {
            key: 'createdBy',
            label: t('createdBy'),
            children: `${a.createdByName} ${formatTime(a.createdAt)}`,
          },
          ...(a.forwardedFromDocNo
            ? [{ key: 'from', label: t('forwardedFrom'), children: <DocLink docNo={a.forwardedFromDocNo} /> }]
            : []),
          ...(a.forwardedToDocNo
            ? [{ key: 'to', label: t('forwardedTo'), children: <DocLink docNo={a.forwardedToDocNo} /> }]
            : []),
          ...(a.note ? [{ key: 'note', label: t('note'), span: 3, children: a.note }] : []),
        ]}
      />

      {deciding && a.status === 'submitted' ? (
        <ApprovalPanel
          allocation={a}
          onDone={async () => {
            setDeciding(false);
            await reload();
          }}
          onCancel={() => setDeciding(false)}
        />
      ) : (
        <Table<Line>
          size="small"
          rowKey="lineId"
          pagination={false}
          dataSource={a.lines}
          style={{ marginBottom: 12 }}
          data-testid="allocation-lines"
          columns={[
            { title: '#', dataIndex: 'lineNo', width: 40 },
            {
              title: t('material'),
              key: 'material',
              ellipsis: true,
              render: (_, l) => `${l.materialCode} ${l.materialName}${l.spec ? `（${l.spec}）` : ''}`,
            },
            {
              title: t('requested'),
              key: 'requested',
              width: 110,
              align: 'right',
              className: 'num',
              render: (_, l) => `${formatQuantity(l.requested)} ${l.unit}`,
            },
            {
              title: t('approved'),
              key: 'approved',
              width: 110,
              align: 'right',
              className: 'num',
              render: (_, l) => (l.approved === null ? '' : `${formatQuantity(l.approved)} ${l.unit}`),
            },
            {
              title: t('sources'),
              key: 'sources',
              render: (_, l) => (
                <Space direction="vertical" size={0}>
                  {l.sources.map((s) => (
                    <span key={s.sourceId}>
                      {s.depotName} {formatQuantity(s.quantity)}{' '}
                      <Tag style={{ marginInlineEnd: 4 }}>{t(`reservation_${s.reservation}`)}</Tag>
                      {s.deliveryDocNo && <DocLink docNo={s.deliveryDocNo} />}
                      {s.overrideReason && (
                        <Typography.Text type="warning" style={{ fontSize: 12 }}>
                          {' '}
                          {t('overrideReason')}：{s.overrideReason}
                        </Typography.Text>
                      )}
                    </span>
                  ))}
                </Space>
              ),
            },
            { title: t('purpose'), dataIndex: 'purpose', width: 160, ellipsis: true },
          ]}
        />
      )}

      <div style={{ display: 'flex', gap: 12, alignItems: 'flex-start' }}>
        <Card size="small" title={t('deliveriesOfRequest')} style={{ flex: 1 }}>
          {(deliveries.data ?? []).length === 0 ? (
            <Typography.Text type="secondary">{t('none')}</Typography.Text>
          ) : (
            <Space direction="vertical">
              {deliveries.data!.map((d) => (
                <Space key={d.deliveryId}>
                  <DocLink docNo={d.docNo} />
                  <StatusTag kind="delivery" status={d.status} />
                  <span>
                    {d.sourceDepotNames.join('、')} → {d.deliverToName} · {d.vehiclePlate}
                  </span>
                </Space>
              ))}
            </Space>
          )}
        </Card>
        <Card size="small" title={t('timeline')} style={{ flex: 1 }}>
          <Timeline kind="allocation" events={a.events} />
        </Card>
      </div>

      <Modal
        open={rejecting}
        title={t('reject')}
        onCancel={() => setRejecting(false)}
        onOk={() => void reject()}
        okButtonProps={{ danger: true, disabled: rejectReason.trim() === '' }}
        okText={t('reject')}
      >
        <Input.TextArea
          autoFocus
          aria-label={t('rejectReason')}
          placeholder={t('rejectReason')}
          value={rejectReason}
          maxLength={500}
          onChange={(e) => setRejectReason(e.target.value)}
        />
      </Modal>
      {planning && (
        <PlanDeliveryDrawer
          allocation={a}
          onClose={() => setPlanning(false)}
          onPlanned={async (docNo) => {
            setPlanning(false);
            void message.success(t('planned', { docNo }));
            await Promise.all([reload(), deliveries.reload()]);
          }}
        />
      )}
      {printing && <PrintView docs={[print(a)]} onClose={() => setPrinting(false)} />}
    </div>
  );
}
