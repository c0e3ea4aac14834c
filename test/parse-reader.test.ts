import { describe, it, expect } from 'vitest';
import { ticked, drawnBoxes } from '../src/parse/boxes.js';
import { labelScore, preparePages, readTemplate } from '../src/parse/read.js';
import { templateOf } from '../src/parse/template.js';
import { isUnfilled, normaliseValue } from '../src/parse/normalize.js';
import { matchKey } from '../src/core/normalizeText.js';
import { getKind } from '../src/kinds/index.js';
import type { PageData } from '../src/parse/pdf.js';
import { joinLines, type Line } from '../src/parse/geometry.js';

const o = getKind('application').options('/services');
const [A, B, C, D, E] = o;

describe('check boxes in any notation', () => {
  it('a tick beside a box, before or after the option', () => {
    expect(ticked(`√□${A} □${B} √□${C} □${D} □${E}`, o)).toEqual([A, C]);
    expect(ticked(`${A}□\n${B}□√\n${C}□\n${D}□√\n${E}□`, o)).toEqual([B, D]);
    expect(ticked(`${A}□ ${B}□√ ${C}□ ${D}□ ${E}□√`, o)).toEqual([B, E]);
  });
  it('brackets, full-width or not', () => {
    expect(ticked(`[√]${A} [ ]${B} [√]${C} [　]${D} [ ]${E}`, o)).toEqual([A, C]);
    expect(ticked(`（√）${A} （　）${B} （ ）${C} （√）${D} （）${E}`, o)).toEqual([A, D]);
    expect(ticked(`(√)${A} ( )${B} ( )${C} ( )${D} (√)${E}`, o)).toEqual([A, E]);
  });
  it('a bare tick after its option, one option a line or several to a line', () => {
    expect(ticked(`${A}✓\n${B}\n${C}\n${D}✓\n${E}`, o)).toEqual([A, D]);
    expect(ticked(`${A} ${B}√ ${C} ${D} ${E}√`, o)).toEqual([B, E]);
    expect(ticked(`√${A} ${B} √${C} ${D} ${E}`, o)).toEqual([A, C]);
  });
  it('a box between every two options, the one at an end lost (read as 口): that end tells the side', () => {
    // the ticked box before E ends the line of D's rest, a space after it
    expect(ticked(`口${A}☑${B} ☐ ${C} ☐ 邮寄送\n达办理结果☑ ${E}`, o)).toEqual([B, E]);
    expect(ticked(`${A}☐ ${B}☑ ${C}☐ ${D}☐ ${E}口`, o)).toEqual([B]);
  });
  it('nothing ticked is nothing', () => {
    expect(ticked(`□${A} □${B} □${C} □${D} □${E}`, o)).toEqual([]);
    expect(ticked(`${A} ${B} ${C} ${D} ${E}`, o)).toEqual([]);
  });
});

describe('check boxes drawn as paths', () => {
  const page = (ink: NonNullable<PageData['rules']['ink']>, h: PageData['rules']['h'] = [], v: PageData['rules']['v'] = []): PageData => ({ index: 0, width: 600, height: 800, items: [{ str: A, x: 112, y: 100, w: 80, size: 10 }], rules: { h, v, ink } });
  const box = (x: number) => ({ x0: x, x1: x + 8, y0: 99, y1: 107, outline: true });
  it('an outlined square with a tick, a cross or a fill inside is ticked; an empty one is not', () => {
    const marks = drawnBoxes(page([box(100), { x0: 101.5, x1: 107, y0: 100.5, y1: 106, outline: false }, box(200), box(300), { x0: 301.5, x1: 305.5, y0: 100.5, y1: 104.5, outline: false }]));
    expect(marks.map((m) => [m.str, m.x])).toEqual([
      ['☑', 100],
      ['☐', 200],
      ['☑', 300],
    ]);
  });
  it('a square drawn as four strokes is a box; a lone filled square is a filled box', () => {
    const h = [{ x1: 400, x2: 408, y1: 99, y2: 99 }, { x1: 400, x2: 408, y1: 107, y2: 107 }];
    const v = [{ x1: 400, x2: 400, y1: 99, y2: 107 }, { x1: 408, x2: 408, y1: 99, y2: 107 }];
    const marks = drawnBoxes(page([{ x0: 500, x1: 508, y0: 99, y1: 107, outline: false }], h, v));
    expect(marks.map((m) => m.str).sort()).toEqual(['☐', '☑']);
  });
  it('a box the text layer already has as a glyph is not added again', () => {
    expect(drawnBoxes(page([{ x0: 112, x1: 120, y0: 99, y1: 107, outline: true }]))).toEqual([]);
  });
});

describe('labels', () => {
  const k = (s: string) => matchKey(s);
  it('match exactly, without notes, with a colon, approximately when long; never a different short label', () => {
    expect(labelScore(k('申请单位名称（盖章）'), k('申请单位名称(盖章)'))).toBe(1);
    expect(labelScore(k('申请单位名称〔盖章〕：'), k('申请单位名称(盖章)'))).toBeGreaterThanOrEqual(0.9);
    expect(labelScore(k('申请单位名'), k('申请单位名称'))).toBeGreaterThan(0.6);
    expect(labelScore(k('申请单位名尔'), k('申请单位名称'))).toBeGreaterThan(0.6);
    expect(labelScore(k('代办人'), k('经办人'))).toBe(0);
    expect(labelScore(k('经办人联系电话'), k('经办人'))).toBeLessThan(labelScore(k('经办人联系电话'), k('经办人联系电话')));
  });
});

describe('values checked by their format', () => {
  const s = (p: string) => getKind('application').schema.at(p);
  it('a code with a letter for a digit is corrected by its check character, with a reason', () => {
    const n = normaliseValue(s('/applicant/creditCode'), '9141130OMA44ABCD5J');
    expect(n).toMatchObject({ value: '91411300MA44ABCD5J', ok: true });
    expect(n.reason).toMatch(/O→0/);
  });
  it('a wrong check character, a phone a digit short, a date that does not exist: kept, with the reason', () => {
    expect(normaliseValue(s('/applicant/creditCode'), '91411300MA44ABCD5K')).toMatchObject({ ok: false, reason: expect.stringMatching(/\p{Script=Han}/u) });
    expect(normaliseValue(s('/handler/phone'), '1383771234')).toMatchObject({ ok: false, reason: expect.stringMatching(/电话/) });
    expect(normaliseValue(s('/applicationDate'), '2026年2月30日')).toMatchObject({ value: '2026-02-30', ok: false, reason: expect.stringMatching(/不存在/) });
  });
  it('dates and times in words, as office forms write them', () => {
    expect(normaliseValue(s('/applicationDate'), '二〇二六年五月十八日')).toMatchObject({ value: '2026-05-18', ok: true });
    expect(normaliseValue(s('/applicationDate'), '2026年12月3号')).toMatchObject({ value: '2026-12-03', ok: true });
    expect(normaliseValue(s('/proxy/receivedAt'), '2026年5月18日 下午2时40分')).toMatchObject({ value: '2026-05-18T14:40', ok: true });
    expect(normaliseValue(s('/proxy/receivedAt'), '二〇二六年十月二十一日 上午九时五分')).toMatchObject({ value: '2026-10-21T09:05', ok: true });
  });
  it('a printed note beside a name, or the fill-in line under a value, is no part of it', () => {
    expect(normaliseValue(s('/handler/name'), '陈 月明（签字）').value).toBe('陈月明');
    expect(normaliseValue(s('/serviceItem'), '＿＿排污许可证变更＿＿').value).toBe('排污许可证变更');
  });
  it('full-width digits are folded without a reason', () => {
    expect(normaliseValue(s('/handler/phone'), '１３８３７７１２３４５')).toEqual({ value: '13837712345', repaired: true, ok: true });
  });
  it('a blank form’s fill-in skeleton is no value', () => {
    expect(isUnfilled(s('/applicationDate'), '　　年　　月　　日')).toBe(true);
    expect(isUnfilled(s('/applicant/name'), '＿＿＿＿')).toBe(true);
    expect(isUnfilled(s('/applicationDate'), '2026年5月')).toBe(false);
  });
});

describe('wrapped lines joined', () => {
  /** A line of glyphs 10 wide, a space leaving a gap. */
  const line = (text: string, top: number): Line => ({
    glyphs: [...text].flatMap((ch, i) => (ch === ' ' ? [] : [{ ch, x: i * 10, w: 10 }])),
    top,
    bottom: top - 10,
    size: 10,
  });
  it('a break between Han and digits takes a space when the writer spaces them elsewhere', () => {
    expect(joinLines([line('河南省南阳市仲景路', 100), line('1088 号', 86)])).toBe('河南省南阳市仲景路 1088 号');
    expect(joinLines([line('河南省南阳市仲景路', 100), line('1088号', 86)])).toBe('河南省南阳市仲景路1088号');
    expect(joinLines([line('河南省南阳市', 100), line('仲景路 1088 号', 86)])).toBe('河南省南阳市仲景路 1088 号');
  });
});

describe('labels and values in running text (no table)', () => {
  /** One line of text as OCR gives it: one item, glyphs spread evenly over its width. */
  const item = (str: string, x: number, y: number, size: number, w = [...str].length * size) => ({ str, x, y, w, size });
  const read = (items: ReturnType<typeof item>[]) => {
    const page: PageData = { index: 0, width: 595, height: 842, items, rules: { h: [], v: [] } };
    return readTemplate(templateOf(getKind('application')), preparePages([page])).values;
  };
  it('a full line goes on to the next when their heights, as read, differ by a tenth', () => {
    const v = read([
      item('申请单位地址：河南省南阳市邓州市新华东路218号邓州市产业集聚区创业服务中心综合楼东侧第二排厂', 66.7, 632.5, 8.5, 469.4),
      item('房及配套办公楼三层', 66.2, 617.3, 7.8, 93.1),
      item('经办人：许日红', 65.8, 591.3, 8.9, 72.5),
    ]);
    expect(v.get('/applicant/address')?.raw).toBe('河南省南阳市邓州市新华东路218号邓州市产业集聚区创业服务中心综合楼东侧第二排厂房及配套办公楼三层');
    expect(v.get('/handler/name')?.raw).toBe('许日红');
  });
  it('a long label read with one character wrong is known by the colon after it', () => {
    const v = read([item('审请办理政务服务事项名称：建设项目环境影响报告表审批', 66.7, 566.6, 8.2, 276.5)]);
    expect(v.get('/serviceItem')?.raw).toBe('建设项目环境影响报告表审批');
    // with no colon, a near-miss is no label
    expect(read([item('审请办理政务服务事项名称', 66.7, 566.6, 8.2)]).get('/serviceItem')).toBeUndefined();
  });
});
