import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getKind, validateRecord, formatIssue } from '../src/index.js';

/** Each invalid fixture and the field it must be refused for. */
const expected: Record<string, Record<string, [string, RegExp]>> = {
  application: {
    'blank-handler': ['/handler/name', /不能为空/],
    'credit-code-check': ['/applicant/creditCode', /校验码错误，应为 J/],
    'credit-code-letters': ['/applicant/creditCode', /不允许的字符“O”/],
    'date-not-exist': ['/applicationDate', /不存在/],
    'missing-name': ['/applicant/name', /必填/],
    phone: ['/handler/phone', /电话号码/],
    'service-duplicate': ['/services', /重复/],
    'service-unknown': ['/services/1', /应为以下之一/],
    'time-invalid': ['/proxy/receivedAt', /小时/],
    'too-long': ['/serviceItem', /不能超过 200 个字/],
    'unknown-field': ['/applicant/fax', /不认识的字段/],
  },
  roster: {
    phone: ['/appointmentPhone', /电话号码/],
    'no-entries': ['/entries', /至少应有 1 项/],
    'empty-members': ['/entries/0/members', /至少应有 1 项/],
    'missing-address': ['/mailingAddress', /必填/],
  },
};

describe('invalid fixtures are refused naming the right field', () => {
  for (const [kindName, cases] of Object.entries(expected)) {
    const dir = join('fixtures/invalid', kindName);
    it(`${kindName}: every invalid fixture has an expectation`, () => {
      expect(readdirSync(dir).map((f) => f.replace(/\.json$/, '')).sort()).toEqual(Object.keys(cases).sort());
    });
    for (const [name, [pointer, reason]] of Object.entries(cases)) {
      it(`${kindName}/${name} → ${pointer}`, () => {
        const r = validateRecord(getKind(kindName), JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')));
        expect(r.valid).toBe(false);
        const hit = r.errors.find((e) => e.path === pointer);
        expect(hit, r.errors.map(formatIssue).join('\n')).toBeDefined();
        expect(hit!.message).toMatch(reason);
      });
    }
  }

  it('formats issues as `label (pointer): reason`', () => {
    const r = validateRecord(getKind('application'), JSON.parse(readFileSync('fixtures/invalid/application/credit-code-check.json', 'utf8')));
    expect(r.errors.map(formatIssue)).toContain('统一社会信用代码 (/applicant/creditCode): 校验码错误，应为 J');
  });

  it('lists every error, not only the first', () => {
    const r = validateRecord(getKind('application'), { applicant: {}, handler: { name: '', phone: 'x' }, services: ['x'] });
    const paths = r.errors.map((e) => e.path);
    for (const p of ['/applicant/name', '/applicant/creditCode', '/handler/name', '/handler/phone', '/serviceItem', '/services/0', '/applicationDate']) expect(paths).toContain(p);
  });
});
