/** balanceRows: a stock.balances page in columns back to row objects. */
import { balanceRows } from '../../src/shared/balance-rows';
import type { BalancesPage } from '../../src/shared/schemas/stock';

const page = (): BalancesPage => ({
  depots: [{ depotId: 7, code: 'QD-SN', name: '市南区储备库' }],
  materials: [
    { materialId: 1, code: 'M0001', name: '帐篷', spec: '12㎡', unit: '顶', category: '帐篷' },
    { materialId: 2, code: 'M0002', name: '棉被', spec: null, unit: '床', category: '被服' },
  ],
  rows: {
    depotId: [7, null],
    materialId: [1, 2],
    batchId: [null, null],
    lotNo: [null, null],
    expiresOn: [null, null],
    onHand: [5, 30],
    reserved: [1, 0],
    available: [4, 30],
    quota: [10, null],
    expiryStatus: ['expiring', null],
    daysLeft: [12, null],
    depotsBelowQuota: [null, 2],
  },
  nextCursor: null,
});

test('joins each row with its depot and material, and rebuilds the expiry warning', () => {
  expect(balanceRows(page())).toEqual([
    {
      depotId: 7,
      depotCode: 'QD-SN',
      depotName: '市南区储备库',
      materialId: 1,
      materialCode: 'M0001',
      materialName: '帐篷',
      spec: '12㎡',
      unit: '顶',
      category: '帐篷',
      batchId: null,
      lotNo: null,
      expiresOn: null,
      onHand: 5,
      reserved: 1,
      available: 4,
      quota: 10,
      expiry: { status: 'expiring', daysLeft: 12 },
      depotsBelowQuota: null,
    },
    {
      depotId: null,
      depotCode: null,
      depotName: null,
      materialId: 2,
      materialCode: 'M0002',
      materialName: '棉被',
      spec: null,
      unit: '床',
      category: '被服',
      batchId: null,
      lotNo: null,
      expiresOn: null,
      onHand: 30,
      reserved: 0,
      available: 30,
      quota: null,
      expiry: null,
      depotsBelowQuota: 2,
    },
  ]);
});

test('a row naming a depot or material the page lacks is an error, not a row with blanks', () => {
  const noDepot = page();
  noDepot.depots = [];
  expect(() => balanceRows(noDepot)).toThrow('row 1');
  const noMaterial = page();
  noMaterial.materials = noMaterial.materials.slice(0, 1);
  expect(() => balanceRows(noMaterial)).toThrow('row 2');
});
