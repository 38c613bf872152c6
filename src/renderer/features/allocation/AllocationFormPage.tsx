/**
 * 新建调拨申请, keyboard-first like the stock forms: who asks (a keeper's own depot, or for
 * coordinators and staff any depot or an outside unit with its contact), the incident, the
 * urgency, where it goes (the requesting depot by default, another depot, or an address), when it
 * is needed, and the lines (material, quantity, purpose). Submitted at once to the level that
 * decides it.
 */
import { Col, DatePicker, Form, Input, Radio, Row, Segmented, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { OutputOf } from '../../../shared/api';
import { URGENCIES } from '../../../shared/schemas/allocation';
import type { MaterialDto } from '../../../shared/schemas/material';
import { DepotSelect } from '../../components/DepotSelect';
import {
  LinesEditor,
  lineRequired,
  QuantityInput,
  Required,
  type LineColumn,
} from '../../components/LinesEditor';
import { PostedModal } from '../../components/PostedModal';
import { MaterialCell } from '../../components/StockCells';
import { StockFormFooter, StockFormShell } from '../../components/StockFormShell';
import { useRpc } from '../../components/useRpc';
import { useStockForm } from '../../components/useStockForm';
import { rpc } from '../../api';
import { common } from '../../i18n/common';
import { useMessages, useTerms } from '../../i18n/messages';
import { navigate } from '../../router';
import { useSession } from '../../session';
import { useAllocationPrint } from '../documents/documentPrints';
import { allocationMessages } from './allocationMessages';

const SCREEN = 'allocation';

interface Line {
  material?: MaterialDto;
  quantity?: number | null;
  purpose?: string;
}
interface Values {
  requesterKind: 'depot' | 'unit';
  requesterDepotId?: number;
  unitName?: string;
  unitContact?: string;
  unitPhone?: string;
  incidentId?: number;
  urgency: (typeof URGENCIES)[number];
  deliverKind: 'requester' | 'depot' | 'address';
  deliverToDepotId?: number;
  deliverAddress?: string;
  deliverContact?: string;
  deliverPhone?: string;
  neededBy?: Dayjs;
  note?: string;
  lines: Line[];
}

const isBlank = (l: Line | undefined) => !l || (!l.material && !l.quantity && !l.purpose);
const fresh = (depotId: number | undefined): Values => ({
  requesterKind: 'depot',
  requesterDepotId: depotId,
  urgency: 'urgent',
  deliverKind: 'requester',
  neededBy: dayjs().add(6, 'hour').minute(0).second(0).millisecond(0),
  lines: [{}],
});

export default function AllocationFormPage() {
  const t = useMessages(allocationMessages);
  const c = useMessages(common);
  const terms = useTerms();
  const { user } = useSession();
  const print = useAllocationPrint();
  const incidents = useRpc('incident.list', { status: 'active' });
  const doc = useStockForm<Values, Line, OutputOf<'allocation.create'>>({
    screen: SCREEN,
    isBlank,
    fresh,
    depotField: 'requesterDepotId',
    keep: ['incidentId'],
    firstField: 'incidentId',
  });
  const { form, lines } = doc;
  const requesterKind = Form.useWatch('requesterKind', form) ?? 'depot';
  const deliverKind = Form.useWatch('deliverKind', form) ?? 'requester';
  const outsideAllowed = user?.role !== 'keeper';
  const required = { required: true, whitespace: true, message: c('required') };

  const columns: LineColumn[] = [
    {
      key: 'material',
      title: <Required>{t('material')}</Required>,
      width: 340,
      render: ({ name, trailingBlank, leave }) => (
        <Form.Item
          name={[name, 'material']}
          rules={[lineRequired(name, isBlank, terms('validation.required'))]}
        >
          <MaterialCell onEmptyEnter={trailingBlank ? leave : undefined} />
        </Form.Item>
      ),
    },
    {
      key: 'quantity',
      title: <Required>{t('requested')}</Required>,
      width: 160,
      align: 'right',
      render: ({ name }) => (
        <Form.Item
          name={[name, 'quantity']}
          rules={[lineRequired(name, isBlank, terms('validation.required'))]}
        >
          <QuantityInput unit={lines?.[name]?.material?.unit} />
        </Form.Item>
      ),
    },
    {
      key: 'purpose',
      title: t('purpose'),
      render: ({ name }) => (
        <Form.Item name={[name, 'purpose']}>
          <Input maxLength={100} />
        </Form.Item>
      ),
    },
  ];

  const submit = () =>
    doc.submit(
      (v, filled, idempotencyKey) =>
        rpc(
          'allocation.create',
          {
            ...(v.requesterKind === 'unit' && outsideAllowed
              ? {
                  requesterUnit: {
                    name: v.unitName ?? '',
                    contact: v.unitContact ?? '',
                    phone: v.unitPhone ?? '',
                  },
                }
              : { requesterDepotId: v.requesterDepotId }),
            ...(v.incidentId ? { incidentId: v.incidentId } : {}),
            urgency: v.urgency,
            ...(v.deliverKind === 'address' || (v.deliverKind === 'requester' && v.requesterKind === 'unit')
              ? {
                  deliverTo: {
                    address: v.deliverAddress ?? '',
                    contact: v.deliverContact ?? '',
                    phone: v.deliverPhone ?? '',
                  },
                }
              : { deliverToDepotId: v.deliverKind === 'depot' ? v.deliverToDepotId : v.requesterDepotId }),
            neededBy: (v.neededBy ?? dayjs()).toISOString(),
            note: v.note?.trim() || undefined,
            lines: filled.map((l) => ({
              materialId: l.material!.materialId,
              quantity: l.quantity!,
              purpose: l.purpose?.trim() || undefined,
            })),
            submit: true,
          },
          { idempotencyKey },
        ),
      { materialId: 'material', 'requesterUnit.name': 'unitName', 'requesterUnit.phone': 'unitPhone' },
    );

  const addressNeeded =
    deliverKind === 'address' || (deliverKind === 'requester' && requesterKind === 'unit');
  return (
    <StockFormShell
      title={t('newRequest')}
      doc={doc}
      onValuesChange={() => doc.changed()}
      onSubmit={() => void submit()}
      posted={
        doc.posted && (
          <PostedModal
            title={t('filed', { docNo: doc.posted.result.docNo })}
            docNos={[doc.posted.result.docNo]}
            print={() => [print(doc.posted!.result)]}
            onNew={() => {
              const docNo = doc.posted!.result.docNo;
              doc.startNew();
              navigate(`/doc/${docNo}`);
            }}
            newLabel={t('requests')}
          />
        )
      }
    >
      <Row gutter={12}>
        {outsideAllowed && (
          <Col span={5}>
            <Form.Item name="requesterKind" label={t('requester')}>
              <Segmented
                options={[
                  { value: 'depot', label: t('requesterDepot') },
                  { value: 'unit', label: t('requesterUnit') },
                ]}
              />
            </Form.Item>
          </Col>
        )}
        {requesterKind === 'depot' || !outsideAllowed ? (
          <Col span={7}>
            <Form.Item
              name="requesterDepotId"
              label={t('requesterDepot')}
              rules={[{ required: true, message: c('required') }]}
            >
              <DepotSelect mine style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        ) : (
          <>
            <Col span={7}>
              <Form.Item name="unitName" label={t('requesterUnit')} rules={[required]}>
                <Input maxLength={100} placeholder="如：沙子口街道办事处" />
              </Form.Item>
            </Col>
            <Col span={3}>
              <Form.Item name="unitContact" label={t('contact')} rules={[required]}>
                <Input maxLength={50} />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name="unitPhone" label={t('phone')} rules={[required]}>
                <Input maxLength={20} inputMode="tel" />
              </Form.Item>
            </Col>
          </>
        )}
        <Col span={outsideAllowed && requesterKind === 'unit' ? 5 : 7}>
          <Form.Item name="incidentId" label={t('incident')}>
            <Select<number>
              allowClear
              showSearch={{
                filterOption: (input, o) =>
                  String(o?.label ?? '')
                    .toLowerCase()
                    .includes(input.toLowerCase()),
              }}
              placeholder={t('noIncident')}
              options={(incidents.data ?? []).map((i) => ({ value: i.incidentId, label: i.name }))}
            />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={7}>
          <Form.Item name="urgency" label={t('urgency')}>
            <Radio.Group
              optionType="button"
              options={URGENCIES.map((u) => ({ value: u, label: terms(`urgency.${u}`) }))}
            />
          </Form.Item>
        </Col>
        <Col span={5}>
          <Form.Item
            name="neededBy"
            label={t('neededBy')}
            rules={[{ required: true, message: c('required') }]}
          >
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="deliverKind" label={t('deliverTo')}>
            <Segmented
              options={[
                {
                  value: 'requester',
                  label: requesterKind === 'unit' ? t('deliverAddress') : t('requesterDepot'),
                },
                { value: 'depot', label: t('deliverToDepot') },
                { value: 'address', label: t('deliverAddress') },
              ]}
            />
          </Form.Item>
        </Col>
      </Row>
      {deliverKind === 'depot' && (
        <Form.Item
          name="deliverToDepotId"
          label={t('deliverToDepot')}
          rules={[{ required: true, message: c('required') }]}
        >
          <DepotSelect style={{ width: 360 }} />
        </Form.Item>
      )}
      {addressNeeded && (
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="deliverAddress" label={t('deliverAddress')} rules={[required]}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col span={5}>
            <Form.Item name="deliverContact" label={t('contact')} rules={[required]}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col span={7}>
            <Form.Item name="deliverPhone" label={t('phone')} rules={[required]}>
              <Input maxLength={20} inputMode="tel" />
            </Form.Item>
          </Col>
        </Row>
      )}
      <LinesEditor form={form} columns={columns} isBlank={isBlank} newLine={() => ({})} lines={lines} />
      <StockFormFooter lines={doc.filled} submitLabel={t('submit')} posting={doc.posting.posting} />
    </StockFormShell>
  );
}
