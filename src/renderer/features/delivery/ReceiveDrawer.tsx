/**
 * 签收: who signed and when, and per lot what arrived (it starts at what was sent); anything
 * short needs its kind (missing, damaged) and reason. Into a depot, the received quantity
 * enters its ledger; an outside unit's signature is on the paper note.
 */
import { Alert, DatePicker, Form, Input, InputNumber, Select, Table } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { SHORTFALL_KINDS, type DeliveryDto } from '../../../shared/schemas/delivery';
import { EntityDrawer } from '../../components/EntityDrawer';
import { rpc } from '../../api';
import { formatQuantity } from '../../format';
import { common } from '../../i18n/common';
import { useMessages, useTerms } from '../../i18n/messages';
import { useSession } from '../../session';
import { deliveryMessages } from './deliveryMessages';

interface ItemValues {
  itemId: number;
  received: number;
  shortfallKind?: (typeof SHORTFALL_KINDS)[number];
  reason?: string;
}
interface Values {
  receiverName: string;
  receivedAt: Dayjs;
  items: ItemValues[];
  note?: string;
}

export function ReceiveDrawer({
  delivery: d,
  onClose,
  onDone,
}: {
  delivery: DeliveryDto;
  onClose: () => void;
  onDone: () => void | Promise<void>;
}) {
  const t = useMessages(deliveryMessages);
  const c = useMessages(common);
  const terms = useTerms();
  const { user } = useSession();
  const [form] = Form.useForm<Values>();
  const rows = d.lines.flatMap((l) => l.items.map((item) => ({ line: l, item })));
  const watched = Form.useWatch('items', form);

  return (
    <EntityDrawer<Values, DeliveryDto>
      title={t('deliverTitle', { docNo: d.docNo })}
      form={form}
      size={820}
      testId="receive-form"
      submitLabel={t('deliver')}
      initialValues={{
        receiverName: d.deliverToDepotId !== null ? (user?.displayName ?? '') : (d.deliverContact ?? ''),
        receivedAt: dayjs(),
        items: rows.map(({ item }) => ({ itemId: item.itemId, received: item.quantity })),
      }}
      save={(v, idempotencyKey) =>
        rpc(
          'delivery.deliver',
          {
            deliveryId: d.deliveryId,
            receiverName: v.receiverName,
            receivedAt: v.receivedAt.toISOString(),
            items: v.items.map((i) => ({
              itemId: i.itemId,
              received: i.received,
              ...(i.shortfallKind ? { shortfallKind: i.shortfallKind } : {}),
              ...(i.reason?.trim() ? { reason: i.reason.trim() } : {}),
            })),
            note: v.note?.trim() || undefined,
          },
          { idempotencyKey },
        )
      }
      onSaved={onDone}
      onClose={onClose}
    >
      {d.deliverToDepotId === null && (
        <Alert type="info" showIcon title={t('signOutside')} style={{ marginBottom: 12 }} />
      )}
      <div style={{ display: 'flex', gap: 12 }}>
        <Form.Item
          name="receiverName"
          label={t('receiverName')}
          style={{ flex: 1 }}
          rules={[{ required: true, whitespace: true, message: c('required') }]}
        >
          <Input maxLength={50} autoFocus />
        </Form.Item>
        <Form.Item
          name="receivedAt"
          label={t('receivedAt')}
          style={{ flex: 1 }}
          rules={[{ required: true, message: c('required') }]}
        >
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
      </div>
      <Table
        size="small"
        pagination={false}
        rowKey={(r) => r.item.itemId}
        dataSource={rows}
        style={{ marginBottom: 12 }}
        columns={[
          {
            title: t('material'),
            key: 'material',
            ellipsis: true,
            render: (_, r) => `${r.line.materialCode} ${r.line.materialName}`,
          },
          { title: t('lot'), key: 'lot', width: 110, render: (_, r) => r.item.lotNo },
          {
            title: t('sent'),
            key: 'sent',
            width: 80,
            align: 'right',
            className: 'num',
            render: (_, r) => `${formatQuantity(r.item.quantity)} ${r.line.unit}`,
          },
          {
            title: t('received'),
            key: 'received',
            width: 110,
            render: (_, r, i) => (
              <Form.Item
                name={['items', i, 'received']}
                noStyle
                rules={[{ required: true, message: c('required') }]}
              >
                <InputNumber<number>
                  min={0}
                  max={r.item.quantity}
                  precision={0}
                  size="small"
                  style={{ width: 96 }}
                  aria-label={`${t('received')} ${r.item.lotNo}`}
                />
              </Form.Item>
            ),
          },
          {
            title: t('shortfallKind'),
            key: 'kind',
            width: 100,
            render: (_, r, i) =>
              (watched?.[i]?.received ?? r.item.quantity) < r.item.quantity ? (
                <Form.Item name={['items', i, 'shortfallKind']} noStyle>
                  <Select
                    size="small"
                    style={{ width: 88 }}
                    aria-label={`${t('shortfallKind')} ${r.item.lotNo}`}
                    options={SHORTFALL_KINDS.map((k) => ({
                      value: k,
                      label: terms(`delivery.shortfall.${k}`),
                    }))}
                  />
                </Form.Item>
              ) : null,
          },
          {
            title: t('reason'),
            key: 'reason',
            width: 200,
            render: (_, r, i) =>
              (watched?.[i]?.received ?? r.item.quantity) < r.item.quantity ? (
                <Form.Item
                  name={['items', i, 'reason']}
                  style={{ margin: 0 }}
                  rules={[{ required: true, whitespace: true, message: t('reasonNeeded') }]}
                >
                  <Input size="small" maxLength={200} aria-label={`${t('reason')} ${r.item.lotNo}`} />
                </Form.Item>
              ) : null,
          },
        ]}
      />
      {rows.map((r, i) => (
        <Form.Item key={r.item.itemId} name={['items', i, 'itemId']} hidden>
          <Input />
        </Form.Item>
      ))}
      <Form.Item name="note" label={t('note')}>
        <Input.TextArea maxLength={500} autoSize={{ minRows: 1, maxRows: 3 }} />
      </Form.Item>
    </EntityDrawer>
  );
}
