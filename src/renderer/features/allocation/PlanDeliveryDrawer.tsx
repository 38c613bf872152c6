/**
 * Planning a delivery order (紧急配送单) from an approval: the sources still waiting, grouped by
 * depot — one order per depot by default (the first depot's sources are ticked), or several
 * depots merged onto one vehicle — and the vehicle, driver, escort and planned times.
 */
import { Checkbox, Col, DatePicker, Form, Input, Row, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { AllocationDto } from '../../../shared/schemas/allocation';
import { EntityDrawer } from '../../components/EntityDrawer';
import { rpc } from '../../api';
import { formatQuantity } from '../../format';
import { common } from '../../i18n/common';
import { useMessages } from '../../i18n/messages';
import { allocationMessages } from './allocationMessages';

interface Values {
  sourceIds: number[];
  vehiclePlate: string;
  driverName: string;
  driverPhone: string;
  escortName?: string;
  plannedDeparture: Dayjs;
  plannedArrival: Dayjs;
  note?: string;
}

export function PlanDeliveryDrawer({
  allocation: a,
  onClose,
  onPlanned,
}: {
  allocation: AllocationDto;
  onClose: () => void;
  onPlanned: (docNo: string) => void | Promise<void>;
}) {
  const t = useMessages(allocationMessages);
  const c = useMessages(common);
  const [form] = Form.useForm<Values>();
  const waiting = a.lines.flatMap((l) =>
    l.sources
      .filter((s) => s.reservation === 'active' && s.deliveryId === null)
      .map((s) => ({ ...s, line: l })),
  );
  const depots = [...new Map(waiting.map((s) => [s.depotId, s.depotName])).entries()];
  const firstDepot = depots[0]?.[0];
  const now = dayjs().second(0).millisecond(0);
  const required = { required: true, whitespace: true, message: c('required') };

  return (
    <EntityDrawer<Values, { docNo: string }>
      title={t('planTitle', { docNo: a.docNo })}
      form={form}
      size={620}
      testId="plan-delivery-form"
      submitLabel={t('planDelivery')}
      initialValues={{
        sourceIds: waiting.filter((s) => s.depotId === firstDepot).map((s) => s.sourceId),
        plannedDeparture: now,
        plannedArrival: now.add(2, 'hour'),
      }}
      save={(v, idempotencyKey) =>
        rpc(
          'delivery.create',
          {
            requestId: a.requestId,
            sourceIds: v.sourceIds,
            vehiclePlate: v.vehiclePlate,
            driverName: v.driverName,
            driverPhone: v.driverPhone,
            escortName: v.escortName?.trim() || undefined,
            plannedDeparture: v.plannedDeparture.toISOString(),
            plannedArrival: v.plannedArrival.toISOString(),
            note: v.note?.trim() || undefined,
          },
          { idempotencyKey },
        )
      }
      onSaved={(order) => onPlanned(order.docNo)}
      onClose={onClose}
    >
      <Form.Item
        name="sourceIds"
        label={t('pickSources')}
        rules={[{ required: true, type: 'array', min: 1, message: c('required') }]}
      >
        <Checkbox.Group style={{ display: 'block' }}>
          {depots.map(([depotId, depotName]) => (
            <div key={depotId} style={{ marginBottom: 6 }}>
              <Typography.Text strong>{depotName}</Typography.Text>
              <div style={{ paddingLeft: 12 }}>
                {waiting
                  .filter((s) => s.depotId === depotId)
                  .map((s) => (
                    <div key={s.sourceId}>
                      <Checkbox value={s.sourceId}>
                        {s.line.materialCode} {s.line.materialName} · {formatQuantity(s.quantity)}{' '}
                        {s.line.unit}
                      </Checkbox>
                    </div>
                  ))}
              </div>
            </div>
          ))}
        </Checkbox.Group>
      </Form.Item>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="vehiclePlate" label={t('vehiclePlate')} rules={[required]}>
            <Input maxLength={12} autoFocus placeholder="鲁B12345" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="escortName" label={t('escortName')}>
            <Input maxLength={50} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="driverName" label={t('driverName')} rules={[required]}>
            <Input maxLength={50} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="driverPhone" label={t('driverPhone')} rules={[required]}>
            <Input maxLength={20} inputMode="tel" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item
            name="plannedDeparture"
            label={t('plannedDeparture')}
            rules={[{ required: true, message: c('required') }]}
          >
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="plannedArrival"
            label={t('plannedArrival')}
            rules={[{ required: true, message: c('required') }]}
          >
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="note" label={t('note')}>
        <Input.TextArea maxLength={500} autoSize={{ minRows: 1, maxRows: 3 }} />
      </Form.Item>
    </EntityDrawer>
  );
}
