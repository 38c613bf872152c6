/**
 * Deciding a request (分级审批): per line the requested quantity, every depot in the approver's
 * jurisdiction holding the material with its available stock and reserve quota, the proposed
 * quantities (editable), the total against the request; a reason when a depot would go below
 * its quota. Approve reserves the chosen quantities; a district may send the rest to the city.
 */
import { Alert, Button, Card, Checkbox, Input, InputNumber, Space, Table, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { AllocationDto } from '../../../shared/schemas/allocation';
import { usePosting } from '../../components/usePosting';
import { useRpc } from '../../components/useRpc';
import { rpc, RpcFailure } from '../../api';
import { formatQuantity } from '../../format';
import { common } from '../../i18n/common';
import { useMessages, useTerms } from '../../i18n/messages';
import { allocationMessages } from './allocationMessages';

const key = (lineId: number, depotId: number) => `${lineId}:${depotId}`;

export function ApprovalPanel({
  allocation: a,
  onDone,
  onCancel,
}: {
  allocation: AllocationDto;
  onDone: () => Promise<void>;
  onCancel: () => void;
}) {
  const t = useMessages(allocationMessages);
  const c = useMessages(common);
  const terms = useTerms();
  const proposals = useRpc('allocation.suggestSources', { requestId: a.requestId });
  const [take, setTake] = useState<Record<string, number>>({});
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [comment, setComment] = useState('');
  const district = a.approverDepotId !== null;
  const [forwardRest, setForwardRest] = useState(district);
  const posting = usePosting();

  useEffect(() => {
    if (!proposals.data) return;
    const initial: Record<string, number> = {};
    for (const line of proposals.data)
      for (const d of line.depots) initial[key(line.lineId, d.depotId)] = d.proposed;
    setTake(initial);
  }, [proposals.data]);

  const byLine = useMemo(() => new Map((proposals.data ?? []).map((p) => [p.lineId, p])), [proposals.data]);
  const totalOf = (lineId: number) =>
    (byLine.get(lineId)?.depots ?? []).reduce((s, d) => s + (take[key(lineId, d.depotId)] ?? 0), 0);
  const short = a.lines.some((l) => totalOf(l.lineId) < l.requested);

  const approve = async () => {
    const lines = a.lines.map((l) => ({
      lineId: l.lineId,
      sources: (byLine.get(l.lineId)?.depots ?? [])
        .filter((d) => (take[key(l.lineId, d.depotId)] ?? 0) > 0)
        .map((d) => {
          const reason = reasons[key(l.lineId, d.depotId)]?.trim();
          return {
            depotId: d.depotId,
            quantity: take[key(l.lineId, d.depotId)]!,
            ...(reason ? { overrideReason: reason } : {}),
          };
        }),
    }));
    const done = await posting.post(
      (idempotencyKey) =>
        rpc(
          'allocation.approve',
          {
            requestId: a.requestId,
            lines,
            comment: comment.trim() || undefined,
            forwardRemainder: district && short && forwardRest,
          },
          { idempotencyKey },
        ),
      (e) => (e instanceof RpcFailure ? e.message : String(e)),
    );
    if (done) await onDone();
  };

  return (
    <Card size="small" title={t('approve')} style={{ marginBottom: 12 }} data-testid="approval-panel">
      {proposals.error && <Alert type="error" showIcon title={proposals.error} style={{ marginBottom: 8 }} />}
      {posting.alert && (
        <Alert
          type="error"
          showIcon
          title={posting.alert}
          style={{ marginBottom: 8 }}
          data-testid="approval-error"
        />
      )}
      {a.lines.map((line) => {
        const proposal = byLine.get(line.lineId);
        const total = totalOf(line.lineId);
        return (
          <div key={line.lineId} style={{ marginBottom: 12 }} data-testid={`approve-line-${line.lineNo}`}>
            <Space style={{ marginBottom: 4 }}>
              <Typography.Text strong>
                {line.lineNo}. {line.materialCode} {line.materialName}
                {line.spec ? `（${line.spec}）` : ''}
              </Typography.Text>
              <Typography.Text
                type={total === line.requested ? 'success' : total > line.requested ? 'danger' : 'warning'}
              >
                {t('lineTotal', {
                  total: `${formatQuantity(total)} ${line.unit}`,
                  requested: `${formatQuantity(line.requested)} ${line.unit}`,
                })}
              </Typography.Text>
            </Space>
            <Table
              size="small"
              rowKey="depotId"
              pagination={false}
              loading={proposals.loading}
              dataSource={proposal?.depots ?? []}
              locale={{ emptyText: t('noSource') }}
              columns={[
                { title: t('sources'), dataIndex: 'depotName', ellipsis: true },
                {
                  title: t('level'),
                  dataIndex: 'level',
                  width: 80,
                  render: (v: 'city' | 'district' | 'town') => terms(`level.${v}`),
                },
                {
                  title: t('available'),
                  dataIndex: 'available',
                  width: 100,
                  align: 'right',
                  className: 'num',
                  render: (v: number) => formatQuantity(v),
                },
                {
                  title: t('quota'),
                  dataIndex: 'quota',
                  width: 100,
                  align: 'right',
                  className: 'num',
                  render: (v: number) => formatQuantity(v),
                },
                {
                  title: t('proposed'),
                  key: 'take',
                  width: 130,
                  render: (_, d) => (
                    <InputNumber<number>
                      min={0}
                      max={d.available}
                      precision={0}
                      size="small"
                      style={{ width: 110 }}
                      aria-label={`${t('proposed')} ${d.depotName}`}
                      value={take[key(line.lineId, d.depotId)] ?? 0}
                      onChange={(v) => {
                        posting.changed();
                        setTake((s) => ({ ...s, [key(line.lineId, d.depotId)]: v ?? 0 }));
                      }}
                    />
                  ),
                },
                {
                  title: t('overrideReason'),
                  key: 'reason',
                  width: 220,
                  render: (_, d) => {
                    const q = take[key(line.lineId, d.depotId)] ?? 0;
                    if (q === 0 || d.available - q >= d.quota) return null;
                    return (
                      <Input
                        size="small"
                        status={reasons[key(line.lineId, d.depotId)]?.trim() ? undefined : 'warning'}
                        placeholder={`${t('belowQuota')}：${t('overrideReason')}`}
                        aria-label={`${t('overrideReason')} ${d.depotName}`}
                        maxLength={200}
                        value={reasons[key(line.lineId, d.depotId)] ?? ''}
                        onChange={(e) => {
                          posting.changed();
                          setReasons((s) => ({ ...s, [key(line.lineId, d.depotId)]: e.target.value }));
                        }}
                      />
                    );
                  },
                },
              ]}
            />
          </div>
        );
      })}
      <Input.TextArea
        placeholder={t('comment')}
        aria-label={t('comment')}
        maxLength={500}
        autoSize={{ minRows: 1, maxRows: 3 }}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        style={{ marginBottom: 8 }}
      />
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        {district && short ? (
          <Checkbox checked={forwardRest} onChange={(e) => setForwardRest(e.target.checked)}>
            {t('forwardRemainder')}
          </Checkbox>
        ) : (
          <span />
        )}
        <Space>
          <Button onClick={onCancel}>{c('cancel')}</Button>
          <Button
            type="primary"
            loading={posting.posting}
            onClick={() => void approve()}
            data-testid="approve-now"
          >
            {t('approveNow')}
          </Button>
        </Space>
      </Space>
    </Card>
  );
}
