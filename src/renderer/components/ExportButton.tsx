/**
 * 导出: exports a report with the screen's filters. The server writes the workbook as a job; a
 * dialog shows the rows written so far and offers 取消 (the half-written file is removed); once
 * done the file is saved (api.ts saveExport: the desktop's save dialog, or a browser download).
 */
import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Modal, Space, Spin, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { InputOf } from '../../shared/api';
import type { ReportJobDto, ReportName } from '../../shared/schemas/report';
import { rpc, RpcFailure, saveExport } from '../api';
import { formatQuantity } from '../format';
import { defineMessages, useLocale, useMessages } from '../i18n/messages';

const messages = defineMessages(
  {
    export: '导出',
    title: '正在导出',
    rows: '已写入 {n} 行',
    cancel: '取消导出',
    cancelled: '已取消导出，未留下文件',
    done: '已导出 {n} 行：{file}',
    notSaved: '已导出 {n} 行，但未保存文件',
  },
  {
    export: 'Export',
    title: 'Exporting',
    rows: '{n} rows written',
    cancel: 'Cancel export',
    cancelled: 'Export cancelled; no file was left',
    done: 'Exported {n} rows: {file}',
    notSaved: 'Exported {n} rows, but the file was not saved',
  },
);

/** The screen's filters the report takes (undefined: not filtered). */
export type ExportFilters = {
  [K in keyof Omit<InputOf<'report.export'>, 'report' | 'lang'>]?: InputOf<'report.export'>[K] | undefined;
};

const POLL_MS = 400;

export function ExportButton({
  report,
  filters = {},
  disabled,
}: {
  report: ReportName;
  filters?: ExportFilters;
  disabled?: boolean;
}) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { message } = App.useApp();
  const [job, setJob] = useState<ReportJobDto | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  // Leaving the screen stops following the job (the export itself runs on; nothing downloads).
  const gone = useRef(false);
  useEffect(
    () => () => {
      gone.current = true;
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const follow = (current: ReportJobDto) => {
    if (gone.current) return;
    setJob(current);
    if (current.state === 'running') {
      timer.current = setTimeout(() => {
        rpc('report.job', { jobId: current.jobId }, { background: true }).then(follow, fail);
      }, POLL_MS);
      return;
    }
    setJob(null);
    if (current.state === 'done') {
      const n = formatQuantity(current.rows);
      saveExport(current).then(
        ({ saved, fileName }) =>
          saved
            ? void message.success(t('done', { n, file: fileName ?? current.fileName }), 6)
            : void message.info(t('notSaved', { n })),
        fail,
      );
    } else if (current.state === 'failed') void message.error(current.error ?? '');
  };
  const fail = (error: unknown) => {
    setJob(null);
    void message.error(error instanceof RpcFailure ? error.message : String(error));
  };

  const start = () => {
    const defined = Object.fromEntries(
      Object.entries(filters).filter(([, v]) => v !== undefined && v !== null),
    );
    rpc('report.export', { report, lang: locale, ...defined }).then(follow, fail);
  };
  const cancel = () => {
    if (!job) return;
    if (timer.current) clearTimeout(timer.current);
    rpc('report.cancel', { jobId: job.jobId }).then(() => {
      setJob(null);
      void message.info(t('cancelled'));
    }, fail);
  };

  return (
    <>
      <Button
        icon={<DownloadOutlined />}
        onClick={start}
        disabled={disabled || job !== null}
        data-testid="export-button"
      >
        {t('export')}
      </Button>
      <Modal
        open={job !== null}
        title={t('title')}
        closable={false}
        maskClosable={false}
        footer={<Button onClick={cancel}>{t('cancel')}</Button>}
      >
        {/* How many rows there will be is not known until the end: the count, not a percentage. */}
        <Space data-testid="export-progress">
          <Spin />
          <Typography.Text>{t('rows', { n: formatQuantity(job?.rows ?? 0) })}</Typography.Text>
        </Space>
      </Modal>
    </>
  );
}
