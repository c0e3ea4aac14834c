import { describe, it, expect, vi, afterEach } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getKind, renderPdf, validateRecord } from '../src/index.js';
import { main } from '../src/cli.js';
import { chineseDate } from '../src/core/dates.js';
import { pdfPages, squash } from './helpers/pdf.js';

const kind = getKind('authorization');
const load = (f: string) => JSON.parse(readFileSync(f, 'utf8'));
const DEFAULT_POWERS = kind.schema.at('/powers')!.default as string[];

/** Runs the command line in this process, capturing what it prints. */
async function bangban(...args: string[]) {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}
afterEach(() => vi.restoreAllMocks());

describe('授权委托书 PDF', () => {
  for (const name of readdirSync('fixtures/authorization')) {
    const r = load(join('fixtures/authorization', name));
    it(`${name}: valid, one page, every value readable`, async () => {
      expect(validateRecord(kind, r).valid).toBe(true);
      const pages = await pdfPages(await renderPdf(kind, r));
      expect(pages).toHaveLength(1);
      const text = squash(pages[0]);
      expect(text).not.toMatch(/[\u0000\uFFFD]/);
      expect(text.startsWith('授权委托书')).toBe(true);
      const powers: string[] = r.powers ?? DEFAULT_POWERS;
      const values = [
        r.principal.name, r.principal.creditCode, r.principal.legalRepresentative, r.principal.address, r.principal.phone,
        r.trustee.name, r.trustee.idNumber, r.trustee.phone, r.trustee.position, r.matter,
        `自${chineseDate(r.period.from)}起至${chineseDate(r.period.to)}止`,
        ...powers.map((p, i) => `${i + 1}.${p}`),
      ];
      for (const v of values.filter(Boolean)) expect(text).toContain(squash(v));
      for (const line of ['法定代表人（签字或盖章）：', '受托人（签字）：', '委托单位（盖章）', '身份证号码']) expect(text).toContain(line);
      // The date closes the letter, under the seal line, before the page number.
      expect(text.endsWith(`委托单位（盖章）${chineseDate(r.date)}—1—`)).toBe(true);
    });
  }

  it('lists the default powers, ending with 无转委托权, when none are given', () => {
    expect(DEFAULT_POWERS[DEFAULT_POWERS.length - 1]).toBe('无转委托权');
    expect(load('fixtures/authorization/typical.json').powers).toBeUndefined();
  });
});

describe('cross-field rules', () => {
  const expected: Record<string, [string, RegExp]> = {
    'period-reversed.json': ['/period/to', /不能早于起始日期（2026年7月1日）/],
    'id-check-digit.json': ['/trustee/idNumber', /校验码错误/],
  };
  it('has one invalid fixture per rule', () => {
    expect(readdirSync('fixtures/invalid/authorization').sort()).toEqual(Object.keys(expected).sort());
  });
  for (const [file, [path, message]] of Object.entries(expected)) {
    it(`${file}: refused at ${path}`, () => {
      const r = validateRecord(kind, load(join('fixtures/invalid/authorization', file)));
      expect(r.valid).toBe(false);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toMatchObject({ path, label: kind.label(path) });
      expect(r.errors[0].message).toMatch(message);
    });
  }
  it('accepts a one-day period (from = to)', () => {
    const r = load('fixtures/authorization/typical.json');
    r.period = { from: '2026-03-02', to: '2026-03-02' };
    expect(validateRecord(kind, r).valid).toBe(true);
  });
});

describe('application → 授权委托书', () => {
  const application = getKind('application');
  it('warns (does not refuse) when the 经办人 is not the legal representative', () => {
    const app = load('fixtures/application/typical.json');
    const r = validateRecord(application, app);
    expect(r.valid).toBe(true);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0].path).toBe('/handler/name');
    expect(r.warnings[0].message).toMatch(/应当提交授权委托书/);
    app.handler.name = ` ${app.applicant.legalRepresentative} `;
    expect(validateRecord(application, app).warnings).toEqual([]);
  });

  it('bangban validate prints the warning as 提示：…', async () => {
    const r = await bangban('validate', 'application', 'fixtures/application/typical.json');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^提示：经办人 \(\/handler\/name\): .*授权委托书/);
  });

  it('--from-application without 身份证号码 and 委托期限: exit 1 naming them, no file', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'bangban-')), 'letter.pdf');
    const r = await bangban('render', 'authorization', '--from-application', 'fixtures/application/typical.json', '-o', out);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('身份证号码 (/trustee/idNumber): 必填');
    expect(r.stdout).toContain('委托期限 (/period): 必填');
    expect(existsSync(out)).toBe(false);
  });

  it('--from-application with --set fills the letter from the application', async () => {
    const app = load('fixtures/application/typical.json');
    const out = join(mkdtempSync(join(tmpdir(), 'bangban-')), 'letter.pdf');
    const r = await bangban('render', 'authorization', '--from-application', 'fixtures/application/typical.json', '--set', 'trustee.idNumber=411302199001011236', '--set', 'period.from=2026-03-02', '--set', 'period.to=2026-12-31', '--set', 'trustee.position=办公室主任', '-o', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const text = squash((await pdfPages(readFileSync(out))).join(''));
    for (const v of [app.applicant.name, app.applicant.creditCode, app.applicant.legalRepresentative, app.applicant.address, app.handler.name, app.handler.phone, app.serviceItem, '411302199001011236', '办公室主任', '自2026年3月2日起至2026年12月31日止', chineseDate(app.applicationDate)]) {
      expect(text).toContain(squash(v));
    }
  });

  it('--set refuses an unknown field, a non-number for a number, and a kind without prefill, in one line', async () => {
    const out = join(tmpdir(), 'never.pdf');
    const unknown = await bangban('render', 'authorization', 'fixtures/authorization/typical.json', '--set', 'trustee.email=a@b.c', '-o', out);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe('错误：--set：没有字段“trustee.email”');
    const nan = await bangban('render', 'notice', 'fixtures/notice/one-material.json', '--set', 'materials.0.copies=两', '-o', out);
    expect(nan.code).toBe(2);
    expect(nan.stderr).toMatch(/不是数字/);
    const noPrefill = await bangban('render', 'notice', '--from-application', 'fixtures/application/typical.json', '-o', out);
    expect(noPrefill.code).toBe(2);
    expect(noPrefill.stderr).toMatch(/不能从.*申请表预填（--from-application）/);
  });

  it('--set changes a field of a data file (a list field takes items separated by ；)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'bangban-')), 'letter.pdf');
    const r = await bangban('render', 'authorization', 'fixtures/authorization/typical.json', '--set', 'powers=代为提交申请材料；无转委托权', '-o', out);
    expect(r.code).toBe(0);
    const text = squash((await pdfPages(readFileSync(out))).join(''));
    expect(text).toContain('1.代为提交申请材料2.无转委托权');
    expect(text).not.toContain('代为陈述');
  });
});
