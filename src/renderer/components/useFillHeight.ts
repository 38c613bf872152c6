/**
 * The height a table body may take so the page itself never scrolls at 1366×768: from the top
 * of the measured element to the bottom of the window, less `reserve` pixels (table header,
 * footer lines, padding). Follows window resizes and layout shifts above the element.
 */
import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

export function useFillHeight<E extends HTMLElement = HTMLDivElement>(
  reserve: number,
  min = 240,
): [RefObject<E | null>, number] {
  const ref = useRef<E | null>(null);
  const [height, setHeight] = useState(min);
  useLayoutEffect(() => {
    const measure = () => {
      const top = ref.current?.getBoundingClientRect().top ?? 0;
      setHeight(Math.max(min, Math.floor(window.innerHeight - top - reserve)));
    };
    measure();
    window.addEventListener('resize', measure);
    // Content above (filters wrapping, alerts) can move the table without a window resize.
    const observer = new ResizeObserver(measure);
    const parent = ref.current?.parentElement;
    if (parent) observer.observe(parent);
    return () => {
      window.removeEventListener('resize', measure);
      observer.disconnect();
    };
  }, [reserve, min]);
  return [ref, height];
}
