/**
 * Printable stock documents (入库单, 出库单, 调拨单, 报废单, 红冲单): A4 portrait, the title with
 * the document number and date at the top right, the issuing unit, a table of lines with totals,
 * notes, and signature lines with dates. <PrintView> shows them over the app as paper on a grey
 * desk with a toolbar; printing (window.print()) hides everything but the paper (styles.css,
 * @media print), so Electron and the browser print the same page.
 */
import { Button, Space } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { shortAnchor } from '../../shared/anchor';
import { rpc } from '../api';
import { formatTime } from '../format';
import { common } from '../i18n/common';
import { defineMessages, useLocale, useMessages } from '../i18n/messages';

export const printMessages = defineMessages(
  {
    docNo: '单号',
    date: '日期',
    unit: '单位',
    total: '合计',
    amountInWords: '合计金额（大写）',
    note: '备注',
    signDate: '日期：　　年　月　日',
    preparedBy: '制单：{name}　{time}',
    printedAt: '打印时间：{time}',
    anchor: '审计链 {anchor}',
    anchorTitle:
      '打印时账簿的审计链头（记录号:哈希前 16 位），可用 relief-depot check --anchor 核对账簿此后未被改写',
    printHint: '预览与打印效果一致（A4 纵向）。按 Esc 关闭。',
    reprint: '补打 {time}',
  },
  {
    docNo: 'No.',
    date: 'Date',
    unit: 'Unit',
    total: 'Total',
    amountInWords: 'Amount in words',
    note: 'Notes',
    signDate: 'Date: ____-__-__',
    preparedBy: 'Prepared by {name} {time}',
    printedAt: 'Printed {time}',
    anchor: 'Audit chain {anchor}',
    anchorTitle:
      'The audit chain head when printed (record:first 16 hex digits of its hash): relief-depot check --anchor verifies the books were not rewritten since',
    printHint: 'The preview matches the printout (A4 portrait). Esc closes it.',
    reprint: 'Reprint {time}',
  },
);

export interface PrintColumn {
  key: string;
  title: string;
  align?: 'left' | 'right' | 'center';
  /** Relative width (the table spans the page). */
  width?: string;
}

export interface PrintableDoc {
  /** 入库单 / 出库单 / 调拨单 / 报废单 / 红冲单 */
  title: string;
  docNo: string;
  /** YYYY-MM-DD */
  date: string;
  /** The issuing unit (the depot). */
  unit: string;
  /** Further header facts: source, supplier, recipient, destination, reason … */
  info: { label: string; value: string }[];
  columns: PrintColumn[];
  rows: Record<string, ReactNode>[];
  /** The totals row, by column key (the first column says 合计). */
  totals?: Record<string, ReactNode>;
  /** Money total in fen: printed in words (人民币大写) under the table. */
  amountFen?: number;
  note?: string | null;
  /** Signature lines: 经办人, 保管员, 审批人, 收货人 … */
  signatures: string[];
  preparedBy?: { name: string; at: string };
  /** Printed again later from its document view: the paper says 补打 and when. */
  reprint?: boolean;
}

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const SMALL_UNITS = ['', '拾', '佰', '仟'];
const BIG_UNITS = ['', '万', '亿', '万亿'];

function integerInWords(n: number): string {
  if (n === 0) return '零';
  const s = String(n);
  let out = '';
  let zero = false;
  for (let i = 0; i < s.length; i += 1) {
    const d = Number(s[i]);
    const pos = s.length - 1 - i;
    if (d === 0) zero = true;
    else {
      if (zero && out) out += '零';
      zero = false;
      out += DIGITS[d]! + SMALL_UNITS[pos % 4]!;
    }
    if (pos % 4 === 0 && pos > 0) {
      const group = s.slice(Math.max(0, s.length - pos - 4), s.length - pos);
      if (Number(group) !== 0) out += BIG_UNITS[pos / 4]!;
    }
  }
  return out;
}

/** ¥1,234.50 → 壹仟贰佰叁拾肆元伍角 (Chinese capital numerals, as on Chinese vouchers). */
export function amountInWords(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) return '';
  if (fen === 0) return '零元整';
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const cents = fen % 10;
  let out = yuan > 0 ? `${integerInWords(yuan)}元` : '';
  if (jiao === 0 && cents === 0) return `${out}整`;
  if (jiao > 0) out += `${DIGITS[jiao]}角`;
  else if (yuan > 0) out += '零';
  if (cents > 0) out += `${DIGITS[cents]}分`;
  return out;
}

/**
 * One document on one A4 sheet (more lines flow onto more sheets, the header row repeating).
 * `anchor`: the audit chain head at printing, in its short form (src/shared/anchor.ts).
 */
export function PrintDocument({ doc, anchor }: { doc: PrintableDoc; anchor: string | null }) {
  const t = useMessages(printMessages);
  const { locale } = useLocale();
  const spaced = locale === 'zh-CN' && doc.title.length <= 4 ? doc.title.split('').join(' ') : doc.title;
  return (
    <article className="print-paper" data-testid="print-document">
      <header className="pd-head">
        <h1 className="pd-title">
          {spaced}
          {doc.reprint && (
            <span className="pd-reprint" data-testid="print-reprint">
              {t('reprint', { time: formatTime(new Date().toISOString()) })}
            </span>
          )}
        </h1>
        <dl className="pd-number">
          <div>
            <dt>{t('docNo')}：</dt>
            <dd data-testid="print-doc-no">{doc.docNo}</dd>
          </div>
          <div>
            <dt>{t('date')}：</dt>
            <dd>{doc.date}</dd>
          </div>
        </dl>
      </header>
      <dl className="pd-info">
        <div className="pd-info-unit">
          <dt>{t('unit')}：</dt>
          <dd>{doc.unit}</dd>
        </div>
        {doc.info.map((i) => (
          <div key={i.label}>
            <dt>{i.label}：</dt>
            <dd>{i.value}</dd>
          </div>
        ))}
      </dl>
      <table className="pd-table">
        <colgroup>
          {doc.columns.map((c) => (
            <col key={c.key} style={c.width ? { width: c.width } : undefined} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {doc.columns.map((c) => (
              <th key={c.key}>{c.title}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {doc.rows.map((row, i) => (
            <tr key={i}>
              {doc.columns.map((c) => (
                <td
                  key={c.key}
                  className={c.align === 'right' ? 'num' : c.align === 'center' ? 'pd-center' : undefined}
                >
                  {row[c.key]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        {doc.totals && (
          <tfoot>
            <tr>
              {(() => {
                // 合计 spans the columns before the first total.
                const first = Math.max(
                  1,
                  doc.columns.findIndex((c) => doc.totals![c.key] !== undefined),
                );
                return [
                  <td key="label" colSpan={first} className="pd-center">
                    {t('total')}
                  </td>,
                  ...doc.columns.slice(first).map((c) => (
                    <td key={c.key} className={c.align === 'right' ? 'num' : 'pd-center'}>
                      {doc.totals![c.key]}
                    </td>
                  )),
                ];
              })()}
            </tr>
          </tfoot>
        )}
      </table>
      {doc.amountFen !== undefined && (
        <p className="pd-words">
          {t('amountInWords')}：{amountInWords(doc.amountFen)}
        </p>
      )}
      <p className="pd-note">
        {t('note')}：{doc.note || '　'}
      </p>
      <div className="pd-signs">
        {doc.signatures.map((s) => (
          <div key={s} className="pd-sign" style={{ flexGrow: s.length > 4 ? 1.4 : 1 }}>
            <div className="pd-sign-line">
              {s}：<span className="pd-line" />
            </div>
            <div className="pd-sign-date">{t('signDate')}</div>
          </div>
        ))}
      </div>
      <footer className="pd-foot">
        <span>
          {doc.preparedBy
            ? t('preparedBy', { name: doc.preparedBy.name, time: formatTime(doc.preparedBy.at) })
            : ''}
        </span>
        {anchor && (
          <span className="pd-anchor" title={t('anchorTitle')} data-testid="print-anchor">
            {t('anchor', { anchor })}
          </span>
        )}
        <span>{t('printedAt', { time: formatTime(new Date().toISOString()) })}</span>
      </footer>
    </article>
  );
}

/**
 * The print view: the documents as paper over the app, with 打印 and 关闭. Esc closes it.
 * While it is open, printing shows only the paper.
 */
export function PrintView({ docs, onClose }: { docs: PrintableDoc[]; onClose: () => void }) {
  const c = useMessages(common);
  const t = useMessages(printMessages);
  const [anchor, setAnchor] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    // The paper prints without it if the head cannot be read (it is a check, not the document).
    rpc('audit.head')
      .then((head) => live && setAnchor(head ? shortAnchor(head) : null))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  useEffect(() => {
    document.body.classList.add('print-view-open');
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      document.body.classList.remove('print-view-open');
      window.removeEventListener('keydown', onKey);
    };
  }, [onClose]);

  return createPortal(
    <div className="print-view" role="dialog" aria-modal="true" aria-label={docs[0]?.title}>
      <div className="print-toolbar no-print">
        <span className="print-toolbar-hint">{t('printHint')}</span>
        <Space>
          <Button type="primary" autoFocus onClick={() => window.print()}>
            {c('print')}
          </Button>
          <Button onClick={onClose}>{c('close')}</Button>
        </Space>
      </div>
      {docs.map((doc) => (
        <PrintDocument key={doc.docNo} doc={doc} anchor={anchor} />
      ))}
    </div>,
    document.body,
  );
}
