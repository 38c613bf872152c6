/**
 * The confirmation after a stock write: the document number people read out on the phone, a
 * summary of what was posted, and 打印 / 再录一张. 打印 opens the paper documents over it; Enter
 * starts the next document, and closing does too (the posted values are never left in the form
 * to be posted twice).
 */
import { Button, Modal, Result, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { common } from '../i18n/common';
import { useMessages } from '../i18n/messages';
import { PrintView, type PrintableDoc } from './PrintDocument';

interface Props {
  /** 入库单已保存 … */
  title: string;
  docNos: string[];
  children?: ReactNode;
  /** The documents to print (built when 打印 is pressed). */
  print: () => PrintableDoc[];
  onNew: () => void;
  /** The second action's label (再录一张 by default). */
  newLabel?: string;
}

export function PostedModal({ title, docNos, children, print, onNew, newLabel }: Props) {
  const c = useMessages(common);
  const [printing, setPrinting] = useState(false);
  return (
    <>
      <Modal open footer={null} onCancel={onNew} width={860} destroyOnHidden maskClosable={false}>
        <div data-testid="posted">
          <Result
            status="success"
            style={{ padding: '8px 0 0' }}
            title={title}
            subTitle={
              <span data-testid="posted-doc-no">
                {docNos.map((d) => (
                  <Typography.Text key={d} copyable className="doc-no" style={{ marginInline: 8 }}>
                    {d}
                  </Typography.Text>
                ))}
              </span>
            }
            extra={[
              <Button key="print" onClick={() => setPrinting(true)}>
                {c('print')}
              </Button>,
              <Button key="new" type="primary" autoFocus onClick={onNew}>
                {newLabel ?? c('newOne')}
              </Button>,
            ]}
          >
            {children}
          </Result>
        </div>
      </Modal>
      {printing && <PrintView docs={print()} onClose={() => setPrinting(false)} />}
    </>
  );
}
