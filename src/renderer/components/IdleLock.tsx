/**
 * Locks the screen after the configured minutes without keyboard or mouse input. Unlocking
 * signs in again as the same user (a fresh session); the screen underneath keeps its state.
 */
import { Alert, Button, Form, Input, Modal } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { rpc, RpcFailure } from '../api';
import { common } from '../i18n/common';
import { useMessages } from '../i18n/messages';
import { useSession } from '../session';

const ACTIVITY_EVENTS = ['keydown', 'mousedown', 'mousemove', 'wheel', 'touchstart'] as const;

export function IdleLock() {
  const t = useMessages(common);
  const { status, user, signedIn, signOut } = useSession();
  const [locked, setLocked] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const lastActivity = useRef(Date.now());
  const minutes = status.idleLockMinutes;

  useEffect(() => {
    if (minutes <= 0) return;
    const touch = () => {
      lastActivity.current = Date.now();
    };
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, touch, { passive: true });
    const timer = window.setInterval(() => {
      if (Date.now() - lastActivity.current >= minutes * 60_000) setLocked(true);
    }, 5_000);
    return () => {
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, touch);
      window.clearInterval(timer);
    };
  }, [minutes]);

  if (!locked || !user) return null;

  const unlock = async ({ password }: { password: string }) => {
    try {
      const result = await rpc('auth.login', { username: user.username, password });
      await signedIn(result);
      lastActivity.current = Date.now();
      setError(null);
      setLocked(false);
    } catch (e) {
      setError(e instanceof RpcFailure ? e.message : String(e));
    }
  };

  return (
    <Modal
      open
      title={t('locked')}
      footer={null}
      closable={false}
      maskClosable={false}
      keyboard={false}
      width={380}
      styles={{ mask: { backdropFilter: 'blur(6px)', background: 'rgba(0,0,0,0.55)' } }}
    >
      <p>{t('lockedHint')}</p>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form layout="vertical" onFinish={unlock}>
        <Form.Item
          name="password"
          label={user.displayName}
          rules={[{ required: true, message: t('required') }]}
        >
          <Input.Password autoFocus autoComplete="current-password" />
        </Form.Item>
        <div style={{ display: 'flex', justifyContent: 'space-between' }}>
          <Button onClick={() => void signOut()}>{t('signOut')}</Button>
          <Button type="primary" htmlType="submit">
            {t('unlock')}
          </Button>
        </div>
      </Form>
    </Modal>
  );
}
