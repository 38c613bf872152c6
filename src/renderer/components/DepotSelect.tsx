/** Choose a depot by name or code. `mine` limits a keeper to their own depots. */
import { Select, type SelectProps } from 'antd';
import { useMemo } from 'react';
import { useTerms } from '../i18n/messages';
import { useSession } from '../session';

interface Props extends Omit<SelectProps<number>, 'options'> {
  /** Only the depots the signed-in keeper may move stock in (all depots for other roles). */
  mine?: boolean;
  includeInactive?: boolean;
}

export function DepotSelect({ mine = false, includeInactive = false, ...props }: Props) {
  const { depots, user } = useSession();
  const terms = useTerms();
  const options = useMemo(
    () =>
      depots
        .filter((d) => includeInactive || d.active)
        .filter((d) => !mine || user?.role !== 'keeper' || user.depotIds.includes(d.depotId))
        .map((d) => ({
          value: d.depotId,
          label: d.name,
          search: `${d.code} ${d.name}`,
          level: terms(`level.${d.level}`),
        })),
    [depots, includeInactive, mine, user, terms],
  );
  return (
    <Select<number>
      showSearch={{
        filterOption: (input, option) => (option?.search ?? '').toLowerCase().includes(input.toLowerCase()),
      }}
      options={options}
      optionRender={(o) => (
        <span>
          {o.data.label} <span style={{ color: '#999', fontSize: 12 }}>{o.data.level}</span>
        </span>
      )}
      popupMatchSelectWidth={false}
      {...props}
    />
  );
}
