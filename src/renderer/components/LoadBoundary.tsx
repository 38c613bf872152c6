/**
 * Around a lazily loaded part of the interface: a spinner while it loads, and when its code
 * cannot be fetched (the server was updated under an open page, a dropped connection) a clear
 * message with 重新加载 instead of a blank window.
 */
import { Button, Result, Spin } from 'antd';
import { Component, Suspense, type ReactNode } from 'react';
import { common } from '../i18n/common';
import { useMessages } from '../i18n/messages';

function LoadFailed() {
  const t = useMessages(common);
  return (
    <Result
      status="warning"
      title={t('loadFailed')}
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          {t('reload')}
        </Button>
      }
    />
  );
}

class Boundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override componentDidCatch(error: unknown) {
    console.error('a part of the interface failed to load', error);
  }

  override render() {
    return this.state.failed ? <LoadFailed /> : this.props.children;
  }
}

export function LoadBoundary({
  children,
  spinnerTop = 80,
}: {
  children: ReactNode;
  spinnerTop?: number | string;
}) {
  return (
    <Boundary>
      <Suspense fallback={<Spin size="large" style={{ display: 'block', marginTop: spinnerTop }} />}>
        {children}
      </Suspense>
    </Boundary>
  );
}
