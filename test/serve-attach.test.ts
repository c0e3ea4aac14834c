/**
 * Read forms of every kind become part of a case (over real HTTP): a reviewed 授权委托书, 一次性告知书
 * or application attaches to the case of the same applicant (统一社会信用代码), or staff pick or make
 * one; and the review's page images and the crops of flagged fields (fields[ptr].box).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgSchema, postgresUp, startDesk, type Client } from './helpers/desk.js';
import { creditCodeCheckChar, orgCodeCheckChar } from '../src/core/identifiers.js';

const root = new URL('..', import.meta.url).pathname;
const fixture = (p: string) => JSON.parse(readFileSync(join(root, 'fixtures', p), 'utf8'));
const app = fixture('application/typical.json');
const auth = fixture('authorization/typical.json');
const notice = fixture('notice/one-material.json');

/** A valid 统一社会信用代码 of Nanyang with the given 8-character organisation body. */
function creditCode(org: string): string {
  const body = `91411300${org}${orgCodeCheckChar(org)}`;
  return body + creditCodeCheckChar(body);
}

const backends: ['sqlite' | 'postgres', boolean][] = [['sqlite', true], ['postgres', await postgresUp()]];

describe.each(backends)('on %s', (backend, available) => {
  let d: Awaited<ReturnType<typeof startDesk>>;
  let c: Client;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (!available) return;
    let databaseUrl: string | undefined;
    if (backend === 'postgres') ({ url: databaseUrl, drop } = await pgSchema());
    d = await startDesk({ databaseUrl });
    c = await d.login();
  });
  afterAll(async () => {
    await d?.close();
    await drop?.();
  });

  /** Renders `record` as `kind` and uploads the PDF; the parsed item. */
  async function ingest(kind: string, record: unknown) {
    const pdf = new Uint8Array(await (await c.fetch(`/api/documents/${kind}?format=pdf`, { method: 'POST', json: record })).arrayBuffer());
    const fd = new FormData();
    fd.append('files', new Blob([pdf]), `${kind}.pdf`);
    const r = await c.json('/api/ingest', { method: 'POST', body: fd });
    expect(r.body.items[0].status).toBe('parsed');
    return r.body.items[0];
  }
  const accept = (id: string, body: object) => c.json(`/api/ingest/${id}/accept`, { method: 'POST', json: body });

  describe.skipIf(!available)('accepted forms go to the case of their applicant', () => {
    it('a 授权委托书, a 一次性告知书 and an application of the same credit code attach to its case, shown there with their source, in the audit log', async () => {
      const code = creditCode('MA44QW12');
      const name = '南阳市归档测试环保有限公司';
      const mine = { ...app, applicant: { ...app.applicant, name, creditCode: code } };
      const caseId = (await c.json('/api/cases', { method: 'POST', json: { record: mine } })).body.case.id;
      const letter = { ...auth, principal: { ...auth.principal, name, creditCode: code } };
      const note = { ...notice, applicant: { name, creditCode: code }, docNumber: '宛环审告〔2026〕77号' };
      const items = [await ingest('authorization', letter), await ingest('notice', note), await ingest('application', mine)];
      const records = [letter, note, mine];
      const docIds: number[] = [];
      for (const [k, item] of items.entries()) {
        const r = await accept(item.id, { record: records[k] });
        expect(r.status, item.kind).toBe(201);
        expect(r.body.caseId).toBe(caseId);
        expect(r.body.item.status).toBe('accepted');
        docIds.push(r.body.documentId);
      }
      const page = (await c.json(`/api/cases/${caseId}`)).body;
      expect(page.documents.map((x: any) => [x.id, x.kind, x.ingestId, x.docNumber])).toEqual([
        [docIds[0], 'authorization', items[0].id, null],
        [docIds[1], 'notice', items[1].id, '宛环审告〔2026〕77号'],
        [docIds[2], 'application', items[2].id, null],
      ]);
      expect(page.documents[0].record).toEqual(letter);
      // the attached letter prints like an issued one
      expect((await c.fetch(`/api/letters/${docIds[0]}/file?format=pdf`)).status).toBe(200);
      // accepting again changes nothing
      const again = await accept(items[0].id, { record: letter });
      expect(again.status).toBe(200);
      expect((await c.json(`/api/cases/${caseId}`)).body.documents).toHaveLength(3);
      const admin = await d.login('admin', 'admin-pass-1');
      const log = (await admin.json('/api/audit?size=200')).body.rows.filter((r: any) => r.target === `case:${caseId}` && r.action === 'attach');
      expect(log.map((r: any) => r.detail).sort()).toEqual([`授权委托书（上传文件 authorization.pdf，文书 ${docIds[0]}）`, `补正材料一次性告知书（上传文件 notice.pdf，文书 ${docIds[1]}）`, `政务服务事项“全程辅导、帮办代办”申请表（上传文件 application.pdf，文书 ${docIds[2]}）`].sort());
    }, 60_000);

    it('a letter with no case of its credit code is refused with 409 and candidates by name; staff create a case for it or pick one', async () => {
      const name = '南阳市无案件测试有限公司';
      const other = (await c.json('/api/cases', { method: 'POST', json: { record: { ...app, applicant: { ...app.applicant, name, creditCode: creditCode('MA44XY01') } } } })).body.case.id;
      const letter = { ...auth, principal: { ...auth.principal, name, creditCode: creditCode('MA44XY02') } };
      const a = await ingest('authorization', letter);
      const r = await accept(a.id, { record: letter });
      expect(r.status).toBe(409);
      expect(r.body.error).toMatch(/没有找到同一申请单位的案件，请选择案件或新建案件/);
      expect(r.body.candidates.map((x: any) => x.id)).toEqual([other]);
      expect((await c.json(`/api/ingest/${a.id}`)).body.item.status).toBe('parsed');
      const made = await accept(a.id, { record: letter, newCase: true });
      expect(made.status).toBe(201);
      const fresh = (await c.json(`/api/cases/${made.body.caseId}`)).body;
      expect(fresh.case).toMatchObject({ status: 'draft', applicantName: name, creditCode: letter.principal.creditCode });
      expect(fresh.documents.map((x: any) => x.kind)).toEqual(['authorization']);
      // picked by hand
      const b = await ingest('authorization', letter);
      expect((await accept(b.id, { record: letter, caseId: other })).body.caseId).toBe(other);
      expect((await c.json(`/api/cases/${other}`)).body.documents.map((x: any) => x.ingestId)).toEqual([b.id]);
      expect((await accept((await ingest('authorization', letter)).id, { record: letter, caseId: 999999 })).status).toBe(404);
    }, 60_000);

    it('two cases of one credit code: 409 naming both; an application with no case makes one, once, even when accepted twice at once', async () => {
      const code = creditCode('MA44DU01');
      const mine = { ...app, applicant: { ...app.applicant, name: '南阳市两案测试有限公司', creditCode: code } };
      const first = await ingest('application', mine);
      const twice = await Promise.all([accept(first.id, { record: mine }), accept(first.id, { record: mine })]);
      expect(twice.map((r) => r.status).sort()).toEqual([200, 201]);
      expect(twice[0].body.caseId).toBe(twice[1].body.caseId);
      const made = (await c.json(`/api/cases/${twice[0].body.caseId}`)).body;
      expect(made.case.record).toEqual(mine);
      expect(made.documents).toEqual([]);
      const second = (await c.json('/api/cases', { method: 'POST', json: { record: mine } })).body.case.id;
      const n = { ...notice, applicant: { name: mine.applicant.name, creditCode: code } };
      const r = await accept((await ingest('notice', n)).id, { record: n });
      expect(r.status).toBe(409);
      expect(r.body.error).toMatch(/有多个案件/);
      expect(r.body.candidates.map((x: any) => x.id).sort()).toEqual([twice[0].body.caseId, second].sort());
    }, 60_000);
  });

  describe.skipIf(!available || backend === 'postgres')('page images and crops of flagged fields', () => {
    /** An uploaded file whose stored result is replaced by a stub whose flagged field has a box (as the reader will give). */
    async function withBox(item: any, box: object | undefined, extra: object = {}) {
      // the reader gives every field its box: here only the one set counts
      const unboxed = Object.fromEntries(Object.entries(item.result.fields ?? {}).map(([k, f]: [string, any]) => [k, { ...f, box: undefined }]));
      const fields = { ...unboxed, '/applicant/name': { ...unboxed['/applicant/name'], page: 1, confidence: 0.42, needsReview: true, reason: '置信度低', ...(box ? { box } : {}) } };
      await d.desk.store.updateIngest(item.id, { result: { ...item.result, ...extra, fields, needsReview: ['/applicant/name'] } });
    }
    const jpeg = async (path: string) => {
      const r = await c.fetch(path);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type')).toBe('image/jpeg');
      const bytes = Buffer.from(await r.arrayBuffer());
      return { bytes, ...(await sharp(bytes).metadata()) };
    };

    it('a PDF page is drawn server-side (pdf.js); the crop is its box with a 1 % margin; no box or no page is 404', async () => {
      const item = await ingest('application', app);
      await withBox(item, { x: 0.1, y: 0.2, w: 0.5, h: 0.05 });
      const page = await jpeg(`/api/ingest/${item.id}/pages/1`);
      expect(page.width).toBe(1400);
      expect(page.height! / page.width!).toBeCloseTo(297 / 210, 2);
      const stats = await sharp(page.bytes).stats();
      expect(stats.channels[0].min).toBeLessThan(100); // text drawn, not a blank page
      const crop = await jpeg(`/api/ingest/${item.id}/crop?field=${encodeURIComponent('/applicant/name')}`);
      expect(Math.abs(crop.width! - 0.52 * page.width!)).toBeLessThanOrEqual(2);
      expect(Math.abs(crop.height! - 0.07 * page.height!)).toBeLessThanOrEqual(2);
      // the crop is that part of the page
      const left = Math.floor(0.09 * page.width!);
      const top = Math.floor(0.19 * page.height!);
      const same = await sharp(page.bytes).extract({ left, top, width: crop.width!, height: crop.height! }).raw().toBuffer();
      const got = await sharp(crop.bytes).raw().toBuffer();
      let diff = 0;
      for (let i = 0; i < got.length; i++) diff += Math.abs(got[i] - same[i]);
      expect(diff / got.length).toBeLessThan(6); // JPEG again: nearly, not exactly, the same pixels
      expect((await c.json(`/api/ingest/${item.id}/crop?field=${encodeURIComponent('/applicant/address')}`)).body.error).toBe('该项没有原件中的位置');
      expect((await c.json(`/api/ingest/${item.id}/pages/2`)).status).toBe(404);
      await withBox(item, undefined);
      expect((await c.json(`/api/ingest/${item.id}/crop?field=${encodeURIComponent('/applicant/name')}`)).status).toBe(404);
    }, 60_000);

    it('a photo is shown upright as the reader turned it', async () => {
      const id = randomUUID();
      const photo = await sharp({ create: { width: 600, height: 400, channels: 3, background: '#ffffff' } }).jpeg().toBuffer();
      writeFileSync(join(d.dataDir, 'ingest', id), photo);
      await d.desk.store.createIngest({ id, fileName: 'photo.jpg', media: 'jpeg' }, 'staff');
      await d.desk.store.updateIngest(id, { status: 'parsed', kind: 'application', result: { kind: 'application', source: 'ocr', record: app, valid: true, errors: [], warnings: [], fields: {}, pages: [{ rotation: 90 }] } });
      await withBox((await c.json(`/api/ingest/${id}`)).body.item, { x: 0, y: 0, w: 1, h: 0.5 });
      const page = await jpeg(`/api/ingest/${id}/pages/1`);
      expect([page.width, page.height]).toEqual([400, 600]);
      const crop = await jpeg(`/api/ingest/${id}/crop?field=${encodeURIComponent('/applicant/name')}`);
      expect([crop.width, crop.height]).toEqual([400, 306]);
    });
  });
});
