/** The desk's JSON API over real HTTP, on SQLite and (when a server answers) PostgreSQL. */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKind, validateRecord, parseForm } from '../src/index.js';
import { pgSchema, postgresUp, startDesk } from './helpers/desk.js';

const fixture = (p: string) => JSON.parse(readFileSync(new URL(`../fixtures/${p}`, import.meta.url), 'utf8'));
const app = fixture('application/typical.json');
const notice = fixture('notice/one-material.json');
/** A notice's fields as a case issues it (no 文号: the desk numbers it). */
const noticeFields = () => {
  const { docNumber: _, applicant: __, serviceItem: ___, ...rest } = notice;
  return rest;
};

const squash = (v: unknown): unknown => JSON.parse(JSON.stringify(v).replace(/ /g, ''));

const backends: ['sqlite' | 'postgres', boolean][] = [['sqlite', true], ['postgres', await postgresUp()]];

describe.each(backends)('desk API on %s', (backend, available) => {
  let d: Awaited<ReturnType<typeof startDesk>>;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (!available) return;
    let databaseUrl: string | undefined;
    if (backend === 'postgres') ({ url: databaseUrl, drop } = await pgSchema());
    d = await startDesk({ databaseUrl });
  });
  afterAll(async () => {
    await d?.close();
    await drop?.();
  });
  const test = available ? it : it.skip;

  test('refuses unauthenticated calls with 401 and a wrong password in Chinese; the session cookie is HttpOnly SameSite=Strict', async () => {
    const anon = await fetch(`${d.base}/api/cases`);
    expect(anon.status).toBe(401);
    expect((await anon.json()).error).toBe('请先登录');
    const bad = await fetch(`${d.base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'staff', password: 'nope' }) });
    expect(bad.status).toBe(401);
    expect((await bad.json()).error).toBe('用户名或密码错误');
    const ok = await fetch(`${d.base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'staff', password: 'staff-pass-1' }) });
    const cookie = ok.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
  });

  test('renders a record to PDF and DOCX; an invalid one is 422 with [{path, label, message}] as the CLI words it', async () => {
    const c = await d.login();
    const pdf = await c.fetch('/api/documents/application?format=pdf', { method: 'POST', json: app });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    expect((await parseForm(bytes)).record).toEqual(app);
    const docx = await c.fetch('/api/documents/application?format=docx', { method: 'POST', json: app });
    expect(Buffer.from(await docx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
    const blank = await c.fetch('/api/documents/authorization?format=pdf&blank=1', { method: 'POST' });
    expect(blank.status).toBe(200);
    const wrong = { ...app, applicant: { ...app.applicant, creditCode: '91411300MA44ABCD5K' } };
    const r = await c.json('/api/documents/application?format=pdf', { method: 'POST', json: wrong });
    expect(r.status).toBe(422);
    expect(r.body).toEqual(validateRecord(getKind('application'), wrong).errors);
    expect(r.body).toEqual([{ path: '/applicant/creditCode', label: '统一社会信用代码', message: '校验码错误，应为 J' }]);
    expect((await c.json('/api/validate/application', { method: 'POST', json: wrong })).body.errors).toEqual(r.body);
    expect((await c.json('/api/documents/nokind?format=pdf', { method: 'POST', json: app })).status).toBe(404);
    expect((await c.json('/api/documents/application?format=exe', { method: 'POST', json: app })).body.error).toMatch(/不支持的输出格式/);
  });

  test('cases: search by name, credit code, status and date, paged; ID numbers masked in the list only', async () => {
    const c = await d.login();
    const names = ['南阳市甲乙环保有限公司', '南阳市丙丁水务有限公司', '唐河县戊己化工有限公司'];
    const ids: number[] = [];
    for (const [i, name] of names.entries()) {
      const r = await c.json('/api/cases', { method: 'POST', json: { record: { ...app, applicant: { ...app.applicant, name }, applicationDate: `2026-03-0${i + 1}` } } });
      expect(r.status).toBe(201);
      expect(r.body.case.status).toBe('complete');
      ids.push(r.body.case.id);
    }
    const draft = await c.json('/api/cases', { method: 'POST', json: { record: { applicant: { name: '草稿单位' } } } });
    expect(draft.body.case.status).toBe('draft');
    expect((await c.json('/api/cases?q=水务')).body.rows.map((r: any) => r.applicantName)).toEqual(['南阳市丙丁水务有限公司']);
    expect((await c.json('/api/cases?q=91411300MA44ABCD5J')).body.total).toBeGreaterThanOrEqual(3);
    expect((await c.json('/api/cases?status=draft')).body.rows.map((r: any) => r.applicantName)).toContain('草稿单位');
    expect((await c.json('/api/cases?from=2026-03-02&to=2026-03-02&q=南阳')).body.rows.map((r: any) => r.applicantName)).toEqual(['南阳市丙丁水务有限公司']);
    expect((await c.json('/api/cases?q=%25')).body.total).toBe(0); // % is text, not a wildcard
    const page = await c.json('/api/cases?size=2&page=2');
    expect(page.body.rows).toHaveLength(2);
    expect(page.body.total).toBeGreaterThanOrEqual(4);
    // an authorization letter with the 受托人's ID number
    const pre = await c.json(`/api/cases/${ids[0]}/prefill/authorization`);
    expect(pre.body.record.principal.name).toBe(names[0]);
    const letter = { ...pre.body.record, trustee: { ...pre.body.record.trustee, idNumber: '11010519491231002X' }, period: { from: '2026-03-02', to: '2026-06-30' } };
    expect((await c.json(`/api/cases/${ids[0]}/documents/authorization`, { method: 'POST', json: { record: letter } })).status).toBe(201);
    const listed = (await c.json(`/api/cases?q=${encodeURIComponent(names[0])}`)).body.rows[0];
    expect(listed.trusteeId).toBe('110105********002X');
    expect(JSON.stringify((await c.json(`/api/cases?q=${encodeURIComponent(names[0])}`)).body)).not.toContain('11010519491231002X');
    const full = await c.json(`/api/cases/${ids[0]}`);
    expect(full.body.documents[0].record.trustee.idNumber).toBe('11010519491231002X');
  });

  test('notice 文号 from a per-year sequence: consecutive, no gap after a refused notice, none shared by concurrent issuers, a double submit is one notice', async () => {
    const c1 = await d.login('staff', 'staff-pass-1');
    const c2 = await d.login('admin', 'admin-pass-1');
    const id = (await c1.json('/api/cases', { method: 'POST', json: { record: app } })).body.case.id;
    const issue = (c: typeof c1, key?: string, fields = noticeFields()) =>
      c.json(`/api/cases/${id}/documents/notice`, { method: 'POST', json: { record: { ...(fields as object), issueDate: '2026-03-04' } }, headers: key ? { 'idempotency-key': key } : {} });
    const first = await issue(c1);
    expect(first.status).toBe(201);
    expect(first.body.document.docNumber).toBe('宛环审告〔2026〕1号');
    const refused = await issue(c1, undefined, { ...noticeFields(), contact: { name: '李智斌', phone: '123' } });
    expect(refused.status).toBe(422);
    expect(refused.body[0].label).toBe('联系电话');
    const many = await Promise.all(Array.from({ length: 20 }, (_, i) => issue(i % 2 ? c1 : c2)));
    const seqs = many.map((r) => Number(/〕(\d+)号/.exec(r.body.document.docNumber)![1])).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    const twice = await Promise.all([issue(c1, 'form-0001-abc'), issue(c1, 'form-0001-abc')]);
    expect(twice[0].body.document.id).toBe(twice[1].body.document.id);
    expect(twice[0].body.document.docNumber).toBe('宛环审告〔2026〕22号');
    expect((await issue(c1)).body.document.docNumber).toBe('宛环审告〔2026〕23号');
    const doc = await c1.fetch(`/api/letters/${first.body.document.id}/file?format=pdf`);
    expect((await parseForm(new Uint8Array(await doc.arrayBuffer()))).record.docNumber).toBe('宛环审告〔2026〕1号');
    expect((await c1.json(`/api/cases/${id}`)).body.case.status).toBe('notified');
  });

  test('a double submit of the same new case is one case', async () => {
    const c = await d.login();
    const rs = await Promise.all([1, 2, 3].map(() => c.json('/api/cases', { method: 'POST', json: { record: app }, headers: { 'idempotency-key': 'case-form-xyz-1' } })));
    expect(new Set(rs.map((r) => r.body.case.id)).size).toBe(1);
    expect(rs.filter((r) => r.status === 201)).toHaveLength(1);
  });

  test('CSRF: a request with the session cookie from another origin is refused with 403', async () => {
    const c = await d.login();
    for (const headers of [{ origin: 'http://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'null' }]) {
      const r = await c.json('/api/cases', { method: 'POST', json: { record: app }, headers });
      expect(r.status).toBe(403);
      expect(r.body.error).toMatch(/跨站/);
    }
    expect((await c.json('/api/cases', { method: 'POST', json: { record: app }, headers: { origin: d.base, 'sec-fetch-site': 'same-origin' } })).status).toBe(201);
  });

  test('roles and the audit log: staff cannot delete or read the log; the admin can, and the log names who did what', async () => {
    const staff = await d.login();
    const admin = await d.login('admin', 'admin-pass-1');
    const id = (await staff.json('/api/cases', { method: 'POST', json: { record: app } })).body.case.id;
    await staff.fetch(`/api/cases/${id}/file?format=pdf`);
    expect((await staff.json(`/api/cases/${id}`, { method: 'DELETE' })).status).toBe(403);
    expect((await staff.json('/api/audit')).status).toBe(403);
    expect((await admin.json(`/api/cases/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await admin.json(`/api/cases/${id}`)).status).toBe(404);
    const log = (await admin.json('/api/audit')).body.rows.filter((r: any) => r.target === `case:${id}`);
    expect(log.map((r: any) => [r.user, r.action])).toEqual([
      ['admin', 'delete'],
      ['staff', 'print'],
      ['staff', 'create'],
    ]);
  });

  test('bad input: malformed JSON, a huge body, HTML and Handlebars in every field, paths in URLs', async () => {
    const c = await d.login();
    const malformed = await c.fetch('/api/cases', { method: 'POST', body: '{"record": {', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error).toBe('请求内容不是有效的 JSON');
    const huge = await c.fetch('/api/cases', { method: 'POST', body: JSON.stringify({ record: { x: 'x'.repeat(3 * 1024 * 1024) } }), headers: { 'content-type': 'application/json' } });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error).toMatch(/请求内容过大/);
    expect((await c.json('/api/cases', { method: 'POST', json: [1, 2] })).body.error).toMatch(/record/);
    // every text field carries markup and template syntax: stored, rendered and read back as text
    const evil = '<script>alert(1)</script>{{constructor}}';
    const record = {
      ...app,
      applicant: { ...app.applicant, name: `单位${evil}`, address: `地址<img src=x onerror=alert(1)>{{#each this}}x{{/each}}`, legalRepresentative: '张伟' },
      serviceItem: `事项{{{raw}}}<b>粗</b>`,
      guidanceItem: `辅导{{> partial}}&amp;`,
    };
    const saved = await c.json('/api/cases', { method: 'POST', json: { record } });
    expect(saved.status).toBe(201);
    expect((await c.json(`/api/cases/${saved.body.case.id}`)).body.case.record).toEqual(record);
    const pdf = await c.fetch(`/api/cases/${saved.body.case.id}/file?format=pdf`);
    expect(pdf.status).toBe(200);
    // (the text layer may space Chinese from Latin where a line wraps: compared without spaces)
    expect(squash((await parseForm(new Uint8Array(await pdf.arrayBuffer()))).record)).toEqual(squash(record));
    const letter = await c.fetch('/api/documents/notice?format=pdf', { method: 'POST', json: { ...notice, serviceItem: evil, issuer: '{{lookup . "constructor"}}' } });
    expect(letter.status).toBe(200);
    const back = await parseForm(new Uint8Array(await letter.arrayBuffer()));
    expect(back.record.serviceItem).toBe(evil);
    expect(back.record.issuer).toBe('{{lookup . "constructor"}}');
    // no request path reaches the file system
    for (const p of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/web/../package.json', '/index.html%00.js']) {
      const r = await fetch(d.base + p);
      expect(r.status, p).toBe(404);
    }
    expect((await c.json('/api/batches/..%2F..%2Fetc')).status).toBe(404);
    expect((await c.json('/api/ingest/../../package.json/image')).status).toBe(404);
    const page = await fetch(`${d.base}/`);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
  });

  test('materials list: added by staff, refused when incomplete', async () => {
    const c = await d.login();
    const m = await c.json('/api/materials', { method: 'POST', json: { name: '营业执照副本复印件', copies: 1, requirement: '加盖单位公章', howToObtain: '单位自行复印' } });
    expect(m.status).toBe(201);
    expect((await c.json('/api/materials')).body.map((x: any) => x.name)).toContain('营业执照副本复印件');
    expect((await c.json('/api/materials', { method: 'POST', json: { name: '缺途径' } })).status).toBe(422);
  });
});

describe('docs/openapi.json', () => {
  it('names only routes the desk has, with their methods', async () => {
    const spec = JSON.parse(readFileSync(new URL('../docs/openapi.json', import.meta.url), 'utf8'));
    const d = await startDesk({ users: [] });
    try {
      for (const [path, ops] of Object.entries<Record<string, unknown>>(spec.paths)) {
        for (const method of Object.keys(ops)) expect(d.desk.app.hasRoute({ method: method.toUpperCase() as any, url: path.replace(/\{(\w+)\}/g, ':$1') }), `${method} ${path}`).toBe(true);
      }
      const routes = d.desk.app.printRoutes({ commonPrefix: false });
      const documented = Object.keys(spec.paths).length;
      expect(documented).toBeGreaterThanOrEqual(28);
      expect(routes).toContain('/api/ingest');
    } finally {
      await d.close();
    }
  });
});
