/**
 * A small dependency-free horizontal bar chart in SVG: a label column, bars scaled to the
 * largest value, and the formatted value right-aligned in its own column (so the figure is
 * always readable as text, not only as a length). Drawn at the container's real pixel width,
 * so text stays crisp and never scales. Rows with `onClick` are links: clickable, focusable,
 * Enter opens them.
 */
import { useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';

export interface BarDatum {
  key: string;
  label: string;
  value: number;
  /** The value as shown at the end of the row (12,000 顶 · ¥1,234.50). */
  display: string;
  /** Tooltip; defaults to "label: display". */
  title?: string;
  /** Greyed out: the value is not known (e.g. no reference price), `display` says why. */
  muted?: boolean;
  onClick?: () => void;
}

interface Props {
  data: BarDatum[];
  /** Names the chart for screen readers. */
  ariaLabel: string;
  labelWidth?: number;
  valueWidth?: number;
  rowHeight?: number;
  color?: string;
  emptyText?: string;
  testId?: string;
}

const FONT_SIZE = 12;

/** Approximate rendered width: CJK and full-width characters are about one em, others half. */
function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u2e80-\uffff]/.test(ch) ? FONT_SIZE : FONT_SIZE * 0.58;
  return w;
}

function fit(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  let out = '';
  for (const ch of text) {
    if (textWidth(`${out}${ch}…`) > width) break;
    out += ch;
  }
  return `${out}…`;
}

export function BarChart({
  data,
  ariaLabel,
  labelWidth = 96,
  valueWidth = 120,
  rowHeight = 24,
  color = '#1677ff',
  emptyText,
  testId,
}: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [hover, setHover] = useState<string | null>(null);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setWidth(Math.floor(el.clientWidth));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  if (data.length === 0) {
    return (
      <div ref={box} data-testid={testId} style={{ color: '#999', padding: '12px 0' }}>
        {emptyText}
      </div>
    );
  }

  const max = Math.max(...data.map((d) => d.value), 0);
  const barX = labelWidth + 8;
  const barSpace = Math.max(0, width - barX - valueWidth - 8);
  const height = data.length * rowHeight;
  const barHeight = Math.round(rowHeight * 0.6);

  const onKey = (d: BarDatum) => (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      d.onClick?.();
    }
  };

  return (
    <div ref={box} data-testid={testId} style={{ width: '100%' }}>
      {width > 0 && (
        <svg
          width={width}
          height={height}
          role="img"
          aria-label={ariaLabel}
          style={{ display: 'block', fontSize: FONT_SIZE }}
        >
          {data.map((d, i) => {
            const y = i * rowHeight;
            const mid = y + rowHeight / 2;
            const w = max > 0 ? Math.max(d.value > 0 ? 2 : 0, (d.value / max) * barSpace) : 0;
            const active = hover === d.key;
            const title = d.title ?? `${d.label}: ${d.display}`;
            return (
              <g
                key={d.key}
                role={d.onClick ? 'link' : undefined}
                aria-label={d.onClick ? title : undefined}
                tabIndex={d.onClick ? 0 : undefined}
                onClick={d.onClick}
                onKeyDown={d.onClick ? onKey(d) : undefined}
                onMouseEnter={() => setHover(d.key)}
                onMouseLeave={() => setHover(null)}
                onFocus={() => setHover(d.key)}
                onBlur={() => setHover(null)}
                style={{ cursor: d.onClick ? 'pointer' : 'default', outline: 'none' }}
                data-bar={d.key}
              >
                <title>{title}</title>
                <rect
                  x={0}
                  y={y}
                  width={width}
                  height={rowHeight}
                  fill={active ? '#f0f5ff' : 'transparent'}
                />
                <text x={labelWidth} y={mid} textAnchor="end" dominantBaseline="central" fill="#333">
                  {fit(d.label, labelWidth)}
                </text>
                <rect
                  x={barX}
                  y={mid - barHeight / 2}
                  width={w}
                  height={barHeight}
                  rx={2}
                  fill={color}
                  opacity={active ? 1 : 0.85}
                />
                <text
                  x={width - 4}
                  y={mid}
                  textAnchor="end"
                  dominantBaseline="central"
                  fill={d.muted ? '#999' : '#333'}
                  style={{
                    fontVariantNumeric: 'tabular-nums',
                    textDecoration: active && d.onClick ? 'underline' : undefined,
                  }}
                >
                  {d.display}
                </text>
              </g>
            );
          })}
        </svg>
      )}
    </div>
  );
}
