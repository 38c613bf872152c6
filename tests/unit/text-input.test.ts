/**
 * Text as the contract takes it (schemas/common): NFC-normalised, trimmed, without control
 * characters or lone surrogates; notes keep their line breaks; search boxes are lenient but
 * never carry NUL or broken characters. Messages in both languages.
 */
import type { z } from 'zod';
import { badInput, toRpcError } from '../../src/main/rpc/errors';
import type { Locale } from '../../src/shared/i18n';
import { noteText, optionalText, searchText, text } from '../../src/shared/schemas/common';
import { depotCreateInput } from '../../src/shared/schemas/depot';
import { materialCreateInput, materialListInput } from '../../src/shared/schemas/material';
import { issueInput } from '../../src/shared/schemas/stock';
import { stocktakeOpenInput } from '../../src/shared/schemas/stocktake';

/** What the user reads for a refused value: the first field's message. */
function refusal(schema: z.ZodType, value: unknown, locale: Locale = 'zh-CN'): string | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : toRpcError(locale, badInput(parsed.error.issues)).fields?.[0]?.message;
}

const name = text(20);
const note = noteText(50);

test('text is NFC-normalised: a decomposed é is one character, a CJK compatibility ideograph the unified one', () => {
  expect(name.parse('Cafe\u0301')).toBe('Caf\u00e9');
  expect(name.parse('\uF900子')).toBe('\u8C48子');
  expect(optionalText(20).parse(' e\u0301 ')).toBe('\u00e9');
  expect(note.parse('e\u0301')).toBe('\u00e9');
  expect(searchText(20).parse('e\u0301')).toBe('\u00e9');
  // The length that counts is the composed one.
  expect(text(3).parse('e\u0301e\u0301e\u0301')).toBe('ééé');
});

test('control characters (C0, DEL, C1) and lone surrogates are refused in names, naming the character', () => {
  const cases: [string, string][] = [
    ['帐\u0000篷', 'U+0000'],
    ['帐\t篷', 'U+0009'],
    ['帐\u0007篷', 'U+0007'],
    ['帐\n篷', 'U+000A'],
    ['帐\r篷', 'U+000D'],
    ['帐\u007F篷', 'U+007F'],
    ['帐\u0085篷', 'U+0085'],
    ['帐\u009F篷', 'U+009F'],
  ];
  for (const [value, char] of cases) {
    expect([value, refusal(name, value)]).toEqual([value, `不能包含不可见的控制字符（${char}）`]);
    expect(refusal(optionalText(20), value)).toBe(`不能包含不可见的控制字符（${char}）`);
  }
  expect(refusal(name, '帐\u0085篷', 'en')).toBe('must not contain invisible control characters (U+0085)');
  for (const broken of ['\uD800', '帐\uDFFF篷', '\uDC00\uD800']) {
    expect(refusal(name, broken)).toBe('含有残缺的字符（不成对的代理项），请重新输入');
  }
  expect(refusal(name, '\uD800', 'en')).toBe(
    'contains a broken character (an unpaired surrogate): type it again',
  );
  // A surrogate pair is one character (outside the BMP), not a broken one.
  expect(name.parse('𠀀\uD83D\uDE00')).toBe('𠀀😀');
});

test('a note keeps its line breaks, CRLF as LF, and refuses every other control character', () => {
  expect(note.parse('第一行\r\n第二行\n\n第三行')).toBe('第一行\n第二行\n\n第三行');
  expect(note.parse('  \r\n  ')).toBeNull();
  for (const [value, char] of [
    ['a\u0000b', 'U+0000'],
    ['a\tb', 'U+0009'],
    ['a\rb', 'U+000D'],
    ['a\u0085b', 'U+0085'],
  ]) {
    expect(refusal(note, value)).toBe(`不能包含不可见的控制字符（${char}）`);
  }
  expect(refusal(note, 'a\uD800')).toBe('含有残缺的字符（不成对的代理项），请重新输入');
});

test('search text is lenient (a pasted tab) but carries no NUL or lone surrogate', () => {
  const search = searchText(20);
  expect(search.parse('帐篷\t12㎡')).toBe('帐篷\t12㎡');
  expect(search.parse('')).toBe('');
  expect(refusal(search, '帐\u0000')).toBe('不能包含不可见的控制字符（U+0000）');
  expect(refusal(search, '帐\uD800')).toBe('含有残缺的字符（不成对的代理项），请重新输入');
});

test('the contract: newlines are kept in notes and refused in names', () => {
  const material = { code: 'M1', unit: '顶', topClass: 1 };
  expect(refusal(materialCreateInput, { ...material, name: '帐篷\n12㎡' })).toBe(
    '不能包含不可见的控制字符（U+000A）',
  );
  expect(materialCreateInput.parse({ ...material, name: 'Tente\u0301' }).name).toBe('Tenté');
  expect(refusal(materialListInput, { text: '\u0000' })).toBe('不能包含不可见的控制字符（U+0000）');
  const depot = { code: 'D1', name: '储备库', level: 'city' };
  expect(
    depotCreateInput.parse({ ...depot, capacityNote: '仓库 A：500㎡\r\n仓库 B：300㎡' }).capacityNote,
  ).toBe('仓库 A：500㎡\n仓库 B：300㎡');
  expect(refusal(depotCreateInput, { ...depot, name: '储备\n库' })).toBe(
    '不能包含不可见的控制字符（U+000A）',
  );
  expect(stocktakeOpenInput.parse({ depotId: 1, note: '年终\r\n盘点' }).note).toBe('年终\n盘点');
  const issue = { depotId: 1, lines: [{ materialId: 1, quantity: 1 }] };
  expect(issueInput.parse({ ...issue, recipient: '市南区', note: '第一车\n第二车' }).note).toBe(
    '第一车\n第二车',
  );
  expect(refusal(issueInput, { ...issue, recipient: '市南\n区' })).toBe('不能包含不可见的控制字符（U+000A）');
});
