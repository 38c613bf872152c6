/**
 * One incident: per material what was requested, approved, dispatched, delivered (and short),
 * is on the road, came back and was consumed; its requests and orders by state (each a link to
 * the list it counts); the three timers as median and worst; closing it (what is still out with
 * outside units is written off with the reason given).
 */
import { App, Button, Card, Descriptions, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { OutputOf } from '../../../shared/api';
import { StatusTag } from '../../components/StatusTag';
import { useRpc } from '../../components/useRpc';
import { newIdempotencyKey, rpc, RpcFailure } from '../../api';
import { formatQuantity, formatTime } from '../../format';
import { useMessages, useTerms } from '../../i18n/messages';
import { href } from '../../router';
import { useSession } from '../../session';
import { deliveryMessages, useDuration } from '../delivery/deliveryMessages';
import { incidentMessages, LEVELS } from './incidentMessages';

type Summary = OutputOf<'incident.summary'>;
type MaterialRow = Summary['materials'][number];

export default function IncidentPage({ params }: { params: Record<string, string> }) {
  const t = useMessages(incidentMessages);
  const td = useMessages(deliveryMessages);
  const terms = useTerms();
  const duration = useDuration();
  const { message } = App.useApp();
  const { canCall } = useSession();
  const incidentId = Number(params.id);
  const summary = useRpc('incident.summary', { incidentId }, { live: true });
  const [closing, setClosing] = useState(false);
  const [form] = Form.useForm<{ note?: string; writeOffReason?: string }>();

  if (!summary.data)
    return summary.error ? <Typography.Text type="danger">{summary.error}</Typography.Text> : null;
  const s = summary.data;
  const i = s.incident;

  const close = async () => {
    const v = form.getFieldsValue();
    try {
      await rpc(
        'incident.close',
        {
          incidentId,
          note: v.note?.trim() || undefined,
          writeOffReason: v.writeOffReason?.trim() || undefined,
        },
        { idempotencyKey: newIdempotencyKey() },
      );
      setClosing(false);
      void message.success(t('closed'));
      await summary.reload();
    } catch (e) {
      void message.error(e instanceof RpcFailure ? e.message : String(e));
    }
  };

  const qty = (field: keyof MaterialRow) => ({
    title: t(field as 'requested'),
    dataIndex: field,
    width: 96,
    align: 'right' as const,
    className: 'num',
    render: (v: number, r: MaterialRow) => (v === 0 ? '' : `${formatQuantity(v)} ${r.unit}`),
  });
  const timer = (key: 'toApproval' | 'toDispatch' | 'toDelivery') => {
    const span = s.timers[key];
    return span.count === 0
      ? t('none')
      : t('timerLine', {
          median: duration(span.medianSeconds),
          worst: duration(span.worstSeconds),
          count: span.count,
        });
  };

  return (
    <div data-testid="incident-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
        <Space>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {i.name}
          </Typography.Title>
          <StatusTag kind="incident" status={i.status} />
          <Tag color={i.responseLevel <= 2 ? 'red' : 'orange'}>
            {t('levelN', { n: LEVELS[i.responseLevel - 1]! })}
          </Tag>
        </Space>
        {i.status === 'active' && canCall('incident.close') && (
          <Button danger onClick={() => setClosing(true)}>
            {t('close')}
          </Button>
        )}
      </Space>
      <Descriptions
        size="small"
        bordered
        column={3}
        style={{ marginBottom: 12 }}
        items={[
          { key: 'type', label: t('type'), children: terms(`incidentType.${i.type}`) },
          { key: 'start', label: t('startedAt'), children: formatTime(i.startedAt) },
          { key: 'end', label: t('closedAt'), children: formatTime(i.closedAt) || '—' },
          {
            key: 'requests',
            label: t('requests'),
            children: (
              <Space wrap>
                {Object.entries(s.requestsByStatus).map(([status, n]) => (
                  <a key={status} href={href('/allocations', { incidentId, status })}>
                    {terms(`allocation.status.${status}` as Parameters<typeof terms>[0])} {n}
                  </a>
                ))}
              </Space>
            ),
          },
          {
            key: 'deliveries',
            label: t('deliveries'),
            children: (
              <Space wrap>
                {Object.entries(s.deliveriesByStatus).map(([status, n]) => (
                  <span key={status}>
                    {terms(`delivery.status.${status}` as Parameters<typeof terms>[0])} {n}
                  </span>
                ))}
                {s.overdue > 0 && (
                  <a href={href('/deliveries', { column: 'overdue' })}>
                    <Typography.Text type="danger">
                      {t('overdue')} {s.overdue}
                    </Typography.Text>
                  </a>
                )}
              </Space>
            ),
          },
          { key: 'note', label: t('note'), children: i.note ?? '' },
        ]}
      />
      <Card size="small" title={t('timers')} style={{ marginBottom: 12 }}>
        <Space size="large" wrap data-testid="incident-timers">
          <span>
            {td('toApproval')}：{timer('toApproval')}
          </span>
          <span>
            {td('toDispatch')}：{timer('toDispatch')}
          </span>
          <span>
            {td('toDelivery')}：{timer('toDelivery')}
          </span>
        </Space>
      </Card>
      <Table<MaterialRow>
        size="small"
        rowKey="materialId"
        pagination={false}
        dataSource={s.materials}
        title={() => <Typography.Text strong>{t('materials')}</Typography.Text>}
        data-testid="incident-materials"
        columns={[
          {
            title: t('material'),
            key: 'material',
            ellipsis: true,
            render: (_, r) => `${r.code} ${r.name}${r.spec ? `（${r.spec}）` : ''}`,
          },
          qty('requested'),
          qty('approved'),
          qty('dispatched'),
          qty('inTransit'),
          qty('delivered'),
          qty('shortfall'),
          qty('returned'),
          qty('consumed'),
        ]}
      />
      <Modal
        open={closing}
        title={t('closeTitle', { name: i.name })}
        onCancel={() => setClosing(false)}
        onOk={() => void close()}
        okText={t('close')}
        okButtonProps={{ danger: true }}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="note" label={t('closeNote')}>
            <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 4 }} />
          </Form.Item>
          <Form.Item name="writeOffReason" label={t('writeOffReason')} extra={t('writeOffHint')}>
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
