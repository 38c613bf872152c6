/**
 * After an incident, what an outside unit holds of a delivery: 回收 brings it back into a depot
 * (a receipt with source "recovered"), 核销 writes off what was used up, with its reason. Each
 * lot shows what is still out; nothing more can be settled.
 */
import { Form, Input, InputNumber, Table } from 'antd';
import type { DeliveryDto } from '../../../shared/schemas/delivery';
import { DepotSelect } from '../../components/DepotSelect';
import { EntityDrawer } from '../../components/EntityDrawer';
import { rpc } from '../../api';
import { formatQuantity } from '../../format';
import { common } from '../../i18n/common';
import { useMessages } from '../../i18n/messages';
import { deliveryMessages } from './deliveryMessages';

interface Values {
  depotId?: number;
  lines: { itemId: number; quantity: number }[];
  reason?: string;
  note?: string;
}

export function RecoveryDrawer({
  delivery: d,
  kind,
  onClose,
  onDone,
}: {
  delivery: DeliveryDto;
  kind: 'return' | 'writeOff';
  onClose: () => void;
  onDone: (text: string) => void | Promise<void>;
}) {
  const t = useMessages(deliveryMessages);
  const c = useMessages(common);
  const [form] = Form.useForm<Values>();
  const rows = d.lines
    .flatMap((l) =>
      l.items.map((item) => ({ line: l, item, out: (item.received ?? 0) - item.returned - item.writtenOff })),
    )
    .filter((r) => r.out > 0);

  return (
    <EntityDrawer<Values, string>
      title={t(kind === 'return' ? 'recoverTitle' : 'writeOffTitle', { docNo: d.docNo })}
      form={form}
      size={720}
      testId="recovery-form"
      submitLabel={t(kind === 'return' ? 'recover' : 'writeOff')}
      initialValues={{
        lines: rows.map((r) => ({ itemId: r.item.itemId, quantity: kind === 'writeOff' ? r.out : 0 })),
      }}
      save={async (v, idempotencyKey) => {
        const lines = v.lines.filter((l) => l.quantity > 0);
        if (kind === 'return') {
          const posted = await rpc(
            'recovery.return',
            { deliveryId: d.deliveryId, depotId: v.depotId!, lines, note: v.note?.trim() || undefined },
            { idempotencyKey },
          );
          return t('recovered', { docNo: posted.docNo });
        }
        await rpc(
          'recovery.writeOff',
          { deliveryId: d.deliveryId, lines, reason: v.reason ?? '' },
          { idempotencyKey },
        );
        return t('done', { action: t('writeOff'), docNo: d.docNo });
      }}
      onSaved={onDone}
      onClose={onClose}
    >
      {kind === 'return' ? (
        <Form.Item
          name="depotId"
          label={t('recoverInto')}
          rules={[{ required: true, message: c('required') }]}
        >
          <DepotSelect mine autoFocus style={{ width: '100%' }} />
        </Form.Item>
      ) : (
        <Form.Item
          name="reason"
          label={t('writeOffReason')}
          rules={[{ required: true, whitespace: true, message: c('required') }]}
        >
          <Input maxLength={200} autoFocus />
        </Form.Item>
      )}
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
            title: t('outstanding'),
            key: 'out',
            width: 90,
            align: 'right',
            className: 'num',
            render: (_, r) => `${formatQuantity(r.out)} ${r.line.unit}`,
          },
          {
            title: t('quantity'),
            key: 'quantity',
            width: 120,
            render: (_, r, i) => (
              <>
                <Form.Item name={['lines', i, 'itemId']} hidden>
                  <Input />
                </Form.Item>
                <Form.Item name={['lines', i, 'quantity']} style={{ margin: 0 }}>
                  <InputNumber<number>
                    min={0}
                    max={r.out}
                    precision={0}
                    size="small"
                    style={{ width: 100 }}
                    aria-label={`${t('quantity')} ${r.item.lotNo}`}
                  />
                </Form.Item>
              </>
            ),
          },
        ]}
      />
      {kind === 'return' && (
        <Form.Item name="note" label={t('note')}>
          <Input.TextArea maxLength={500} autoSize={{ minRows: 1, maxRows: 3 }} />
        </Form.Item>
      )}
    </EntityDrawer>
  );
}
