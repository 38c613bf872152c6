/** What the administrator's screens share: the active/inactive tag. */
import { Tag } from 'antd';
import { common } from '../../i18n/common';
import { useMessages } from '../../i18n/messages';

/** 启用 green / 停用 grey, always with its word. */
export function ActiveTag({ active }: { active: boolean }) {
  const c = useMessages(common);
  return (
    <Tag color={active ? 'green' : 'default'} style={{ marginInlineEnd: 0 }}>
      {active ? c('active') : c('inactive')}
    </Tag>
  );
}
