/**
 * Qingdao's depots for the demo: the city depot, one per district and county-level city, and a
 * few town (street-office) depots. Coordinates are approximate district centres, for maps only.
 */
export interface DemoDistrict {
  code: string;
  name: string;
  /** Street offices and towns people issue to (the recipients of issue notes). */
  streets: string[];
  latitude: number;
  longitude: number;
}

export const CITY_DEPOT = { code: 'QD-SJ', name: '青岛市级应急物资储备库', address: '山东省青岛市' } as const;

export const DISTRICTS: DemoDistrict[] = [
  {
    code: 'QD-SN',
    name: '市南区',
    streets: ['八大湖街道', '湛山街道', '香港中路街道'],
    latitude: 36.07,
    longitude: 120.38,
  },
  {
    code: 'QD-SB',
    name: '市北区',
    streets: ['台东街道', '辽宁路街道', '浮山新区街道'],
    latitude: 36.09,
    longitude: 120.37,
  },
  {
    code: 'QD-LC',
    name: '李沧区',
    streets: ['李村街道', '九水街道', '虎山路街道'],
    latitude: 36.15,
    longitude: 120.43,
  },
  {
    code: 'QD-LS',
    name: '崂山区',
    streets: ['沙子口街道', '王哥庄街道', '北宅街道', '中韩街道'],
    latitude: 36.11,
    longitude: 120.47,
  },
  {
    code: 'QD-HD',
    name: '黄岛区',
    streets: ['灵山卫街道', '薛家岛街道', '辛安街道'],
    latitude: 35.96,
    longitude: 120.2,
  },
  {
    code: 'QD-CY',
    name: '城阳区',
    streets: ['流亭街道', '棘洪滩街道', '夏庄街道'],
    latitude: 36.31,
    longitude: 120.4,
  },
  {
    code: 'QD-JM',
    name: '即墨区',
    streets: ['鳌山卫街道', '通济街道', '环秀街道'],
    latitude: 36.39,
    longitude: 120.45,
  },
  {
    code: 'QD-JZ',
    name: '胶州市',
    streets: ['胶东街道', '九龙街道', '李哥庄镇'],
    latitude: 36.26,
    longitude: 120.03,
  },
  {
    code: 'QD-PD',
    name: '平度市',
    streets: ['南村镇', '同和街道', '东阁街道'],
    latitude: 36.79,
    longitude: 119.99,
  },
  {
    code: 'QD-LX',
    name: '莱西市',
    streets: ['姜山镇', '水集街道', '望城街道'],
    latitude: 36.89,
    longitude: 120.52,
  },
];

export interface DemoTown {
  code: string;
  name: string;
  district: string;
}

export const TOWNS: DemoTown[] = [
  { code: 'QD-LS-SZK', name: '沙子口街道', district: 'QD-LS' },
  { code: 'QD-LS-WGZ', name: '王哥庄街道', district: 'QD-LS' },
  { code: 'QD-JZ-JD', name: '胶东街道', district: 'QD-JZ' },
  { code: 'QD-HD-LSW', name: '灵山卫街道', district: 'QD-HD' },
  { code: 'QD-JM-ASW', name: '鳌山卫街道', district: 'QD-JM' },
  { code: 'QD-PD-NC', name: '南村镇', district: 'QD-PD' },
  { code: 'QD-LX-JS', name: '姜山镇', district: 'QD-LX' },
];

export const districtDepotName = (district: string) => `${district}应急物资储备库`;
export const townDepotName = (town: string) => `${town}应急物资储备点`;
