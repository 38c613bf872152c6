/** Form totals (UI.md): quantities of different units are never added together. */
import { totalsByUnit } from '../../src/renderer/format';

test('totals are per unit, in the order the units first appear, with thousands separators', () => {
  expect(
    totalsByUnit([
      { quantity: 1200, unit: '顶' },
      { quantity: 300, unit: '床' },
      { quantity: 800, unit: '顶' },
    ]),
  ).toBe('2,000 顶 · 300 床');
});

test('a line whose material is not chosen yet counts apart; no lines total 0', () => {
  expect(totalsByUnit([{ quantity: 5, unit: '件' }, { quantity: 7 }, { quantity: null, unit: '件' }])).toBe(
    '5 件 · 7',
  );
  expect(totalsByUnit([])).toBe('0');
});
