/**
 * Choosing an incident: `useIncidents()` reads the list once per screen (for the picker and for
 * naming the chosen one among the active filters), `IncidentSelect` is the picker.
 */
import { Select, type SelectProps } from 'antd';
import { useMemo } from 'react';
import { useRpc } from './useRpc';

export interface Incidents {
  options: { value: number; label: string }[];
  nameOf: (incidentId: number | null | undefined) => string;
}

export function useIncidents(): Incidents {
  const { data } = useRpc('incident.list', {});
  return useMemo(() => {
    const options = (data ?? []).map((i) => ({ value: i.incidentId, label: i.name }));
    return { options, nameOf: (id) => options.find((o) => o.value === id)?.label ?? '' };
  }, [data]);
}

export function IncidentSelect({
  incidents,
  ...props
}: Omit<SelectProps<number>, 'options'> & { incidents: Incidents }) {
  return (
    <Select<number>
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      style={{ width: 180 }}
      options={incidents.options}
      {...props}
    />
  );
}
