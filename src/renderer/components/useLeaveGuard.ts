/**
 * Warns before leaving a screen with unsaved entries: closing or reloading the window (the
 * browser's own prompt) and in-app navigation (a confirm dialog; the screen stays, with what
 * was typed, until the user chooses to leave).
 *
 * In-app navigation is caught before the hash changes, because the router re-renders as soon
 * as it sees a `hashchange` (React treats it as a discrete event) and the screen would be gone.
 * Chromium (the browser and Electron) has the Navigation API: its cancelable `navigate` event
 * covers links, `navigate()` and the back button. Elsewhere, clicks on in-app links are caught.
 */
import { App } from 'antd';
import { useEffect, useRef } from 'react';

export interface LeaveGuardText {
  title: string;
  content: string;
  leave: string;
  stay: string;
}

/** The part of the Navigation API used here (not yet in TypeScript's DOM library). */
interface NavigateEventLike extends Event {
  readonly cancelable: boolean;
  readonly hashChange: boolean;
  readonly destination: { readonly url: string };
}
interface NavigationLike {
  addEventListener(type: 'navigate', listener: (e: NavigateEventLike) => void): void;
  removeEventListener(type: 'navigate', listener: (e: NavigateEventLike) => void): void;
}

export function useLeaveGuard(dirty: boolean, text: LeaveGuardText): void {
  const { modal } = App.useApp();
  const textRef = useRef(text);
  textRef.current = text;

  useEffect(() => {
    if (!dirty) return;
    let asking = false;
    let leaving = false;
    const navigation = (window as unknown as { navigation?: NavigationLike }).navigation;

    const ask = (url: string) => {
      if (asking) return;
      asking = true;
      const { title, content, leave, stay } = textRef.current;
      modal.confirm({
        title,
        content,
        okText: leave,
        okButtonProps: { danger: true },
        cancelText: stay,
        onOk: () => {
          leaving = true;
          window.location.href = url;
        },
        afterClose: () => {
          asking = false;
        },
      });
    };

    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (leaving) return;
      e.preventDefault();
      e.returnValue = '';
    };
    const onNavigate = (e: NavigateEventLike) => {
      if (leaving || !e.hashChange || !e.cancelable) return;
      // Signing out goes to `#/` after the session has ended: the screen is closing anyway.
      if (new URL(e.destination.url).hash === '#/') return;
      e.preventDefault();
      ask(e.destination.url);
    };
    const onClick = (e: MouseEvent) => {
      if (leaving || e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
      const link = (e.target as Element | null)?.closest?.('a[href^="#"]');
      if (!link) return;
      e.preventDefault();
      ask(new URL(link.getAttribute('href')!, window.location.href).href);
    };

    window.addEventListener('beforeunload', beforeUnload);
    if (navigation) navigation.addEventListener('navigate', onNavigate);
    else document.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('beforeunload', beforeUnload);
      if (navigation) navigation.removeEventListener('navigate', onNavigate);
      else document.removeEventListener('click', onClick, true);
    };
  }, [dirty, modal]);
}
