import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noStack } from './helpers/cli.js';

/** Runs the built command (npm test builds first), as a user would. */
function bangban(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/bangban.js', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const tmp = () => mkdtempSync(join(tmpdir(), 'bangban-'));

describe('bangban validate', () => {
  it('exits 0 for a valid record', () => {
    const r = bangban('validate', 'application', 'fixtures/application/typical.json');
    expect(r.code).toBe(0);
  });
  it('exits 1 listing every error as `label (pointer): reason`', () => {
    const r = bangban('validate', 'application', 'fixtures/invalid/application/credit-code-check.json');
    expect(r.code).toBe(1);
    expect(r.stdout.trim()).toBe('统一社会信用代码 (/applicant/creditCode): 校验码错误，应为 J');
  });
  it('exits 2 with one line for a missing or non-JSON file, without a stack trace', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    for (const file of [join(dir, 'missing.json'), join(dir, 'bad.json')]) {
      const r = bangban('validate', 'application', file);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      noStack(r.stderr);
    }
  });
  it('says in Chinese where a JSON file breaks (line and column), not in English', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'comma.json'), '{\n  "applicant": { "name": "x", },\n}');
    const r = bangban('validate', 'application', join(dir, 'comma.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/不是有效的 JSON：第 2 行第 31 列附近有语法错误/);
    expect(r.stderr).not.toMatch(/Expected|Unexpected|position/);
  });
  it('names the kinds when given an unknown one', () => {
    const r = bangban('validate', 'permit', 'fixtures/application/typical.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/不认识的文书类型“permit”.*application/);
  });
});

describe('bangban render', () => {
  it('writes a PDF for valid data and nothing else in the folder', () => {
    const dir = tmp();
    const r = bangban('render', 'application', 'fixtures/application/typical.json', '-o', join(dir, 'a.pdf'));
    expect(r.code).toBe(0);
    expect(readdirSync(dir)).toEqual(['a.pdf']);
  });
  it('refuses invalid data with the errors and writes no file', () => {
    const dir = tmp();
    const r = bangban('render', 'application', 'fixtures/invalid/application/phone.json', '-o', join(dir, 'a.pdf'));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/经办人联系电话 \(\/handler\/phone\)/);
    expect(readdirSync(dir)).toEqual([]);
  });
  it('prints the blank application form without a data file', () => {
    const dir = tmp();
    expect(bangban('render', 'application', '-o', join(dir, 'blank.pdf')).code).toBe(0);
    expect(existsSync(join(dir, 'blank.pdf'))).toBe(true);
  });
  it('maps a font role to another font file through a configuration file', () => {
    const dir = tmp();
    const sans = 'node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';
    writeFileSync(join(dir, 'fonts.json'), JSON.stringify({ body: { file: join(process.cwd(), sans), name: '宋体' } }));
    const r = bangban('render', 'roster', 'fixtures/roster/source.json', '-o', join(dir, 'r.pdf'), '--fonts', join(dir, 'fonts.json'));
    expect(r.code).toBe(0);
    writeFileSync(join(dir, 'broken.json'), JSON.stringify({ body: 'no-such-font.ttf' }));
    const bad = bangban('render', 'roster', 'fixtures/roster/source.json', '-o', join(dir, 'r2.pdf'), '--fonts', join(dir, 'broken.json'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/找不到字体文件/);
    noStack(bad.stderr);
  });
  it('fails on a character no font has, naming field and character, without a stack trace', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'r.json'), JSON.stringify({ organization: '南阳市生态环境局', entries: [{ department: '水科', members: ['𠮷玉'] }], appointmentPhone: '61387687', mailingAddress: '南阳' }));
    const r = bangban('render', 'roster', join(dir, 'r.json'), '-o', join(dir, 'r.pdf'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/人员.*\/entries\/0\/members\/0.*𠮷/);
    expect(existsSync(join(dir, 'r.pdf'))).toBe(false);
    noStack(r.stderr);
  });
});

describe('output that cannot be written', () => {
  it('is a one-line error naming the file, not an internal error', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'file'), 'x');
    const r = bangban('render', 'application', 'fixtures/application/typical.json', '-o', join(dir, 'file', 'a.pdf'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/无法写入 .*a\.pdf/);
    noStack(r.stderr);
  });
});
