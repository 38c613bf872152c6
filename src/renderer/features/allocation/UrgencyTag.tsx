/** 特急 red, 紧急 orange, 一般 plain: always with its word. */
import { Tag } from 'antd';
import type { URGENCIES } from '../../../shared/schemas/allocation';
import { useTerms } from '../../i18n/messages';

const COLOURS: Record<(typeof URGENCIES)[number], string> = {
  extra_urgent: 'red',
  urgent: 'orange',
  normal: 'default',
};

export function UrgencyTag({ urgency }: { urgency: (typeof URGENCIES)[number] }) {
  const terms = useTerms();
  return (
    <Tag color={COLOURS[urgency]} style={{ marginInlineEnd: 0 }}>
      {terms(`urgency.${urgency}`)}
    </Tag>
  );
}
