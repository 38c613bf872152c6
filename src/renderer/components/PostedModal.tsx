/**
 * The confirmation after a stock write: the document number people read out on the phone, a
 * summary of what was posted, and 打印 / 再录一张. Enter starts the next document; closing does too
 * (the posted values are never left in the form to be posted twice).
 */
import { Button, Modal, Result, Typography } from 'antd';
import type { ReactNode } from 'react';
import { common } from '../i18n/common';
import { useMessages } from '../i18n/messages';

interface Props {
  open: boolean;
  /** 入库单已保存 … */
  title: string;
  docNos: string[];
  children?: ReactNode;
  onPrint: () => void;
  onNew: () => void;
  /** The second action's label (再录一张 by default). */
  newLabel?: string;
}

export function PostedModal({ open, title, docNos, children, onPrint, onNew, newLabel }: Props) {
  const c = useMessages(common);
  return (
    <Modal open={open} footer={null} onCancel={onNew} width={860} destroyOnHidden maskClosable={false}>
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
          <Button key="print" onClick={onPrint}>
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
  );
}
