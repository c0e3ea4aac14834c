/**
 * The desk in a real browser (playwright-core driving Debian's chromium): log in, fill an application
 * with live validation, print and download it (parsed back), issue a notice, run a batch, ingest a scan
 * and correct a flagged field. Screenshots of each page go to docs/ at 1366×768.
 */
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseForm } from '../src/index.js';
import { startDesk } from './helpers/desk.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const have = existsSync(CHROMIUM);
if (!have && process.env.BANGBAN_REQUIRE_TOOLS === '1') throw new Error(`找不到 ${CHROMIUM}（.ci/run 会安装 chromium）`);
// screenshots go to docs/ only when asked (BANGBAN_SCREENSHOTS=1), so a test run leaves the tree as it was
const docs = process.env.BANGBAN_SCREENSHOTS === '1' ? new URL('../docs/', import.meta.url).pathname : mkdtempSync(join(tmpdir(), 'desk-shots-'));
const scan = new URL('../fixtures/scans/application-hand-seal.jpg', import.meta.url).pathname;
const truth = JSON.parse(readFileSync(new URL('../fixtures/scans/application-hand-seal.truth.json', import.meta.url), 'utf8'));
const notice = JSON.parse(readFileSync(new URL('../fixtures/notice/one-material.json', import.meta.url), 'utf8'));

describe.skipIf(!have)('desk in a browser', () => {
  let d: Awaited<ReturnType<typeof startDesk>>;
  let browser: any;
  let page: any;
  const shot = (name: string) => page.screenshot({ path: join(docs, `serve-${name}.png`) });
  const id = (pointer: string) => `#f${pointer.replace(/[^\w]/g, '_')}`;

  beforeAll(async () => {
    d = await startDesk({ renderThreads: 2, users: [['王敏', 'admin', 'desk-pass-2026']] });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--lang=zh-CN'] });
    page = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true, locale: 'zh-CN' })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await d?.close();
  });

  const step = (name: string, fn: () => Promise<void>) =>
    it(name, async () => {
      try {
        await fn();
      } catch (e) {
        await page.screenshot({ path: join(tmpdir(), 'desk-e2e-failure.png') });
        throw e;
      }
    }, 120_000);
  let caseId = 0;

  step('log in (a wrong password is refused in Chinese), add a material to the list', async () => {
    await page.goto(d.base);
    await page.waitForSelector('#login-name');
    await shot('login');
    await page.fill('#login-name', '王敏');
    await page.fill('#login-password', 'wrong-password');
    await page.click('.login button[type=submit]');
    await page.getByText('用户名或密码错误').waitFor();
    await page.fill('#login-password', 'desk-pass-2026');
    await page.click('.login button[type=submit]');
    await page.getByRole('heading', { name: '案件列表' }).waitFor();

    // a material staff will pick in the notice
    await page.click('nav a[href="#/materials"]');
    await page.fill('#m-name', notice.materials[0].name);
    await page.fill('#m-copies', '2');
    await page.fill('#m-req', notice.materials[0].requirement);
    await page.fill('#m-how', notice.materials[0].howToObtain);
    await page.click('form.grid button[type=submit]');
    await page.getByRole('cell', { name: notice.materials[0].name }).waitFor();

  });

  step('fill the application: a wrong credit code is named as it is typed, then fixed; saved', async () => {
    await page.click('nav a[href="#/new"]');
    await page.waitForSelector(id('/applicant/name'));
    const app = truth;
    await page.fill(id('/applicant/name'), app.applicant.name);
    await page.fill(id('/applicant/address'), app.applicant.address);
    await page.fill(id('/applicant/legalRepresentative'), app.applicant.legalRepresentative);
    await page.locator(id('/applicant/creditCode')).pressSequentially('91411300MA44ABCD5K');
    await page.getByText('校验码错误，应为 J').waitFor();
    await shot('fill');
    await page.fill(id('/applicant/creditCode'), '91411300MA44ABCD5J');
    await page.getByText('校验码错误，应为 J').waitFor({ state: 'detached' });
    await page.fill(id('/handler/name'), app.handler.name);
    await page.fill(id('/handler/phone'), app.handler.phone);
    await page.fill(id('/serviceItem'), app.serviceItem);
    await page.fill(id('/guidanceItem'), app.guidanceItem);
    for (const s of app.services) await page.check(`input[data-pointer="/services"][value="${s}"]`);
    await page.fill(id('/applicationDate'), app.applicationDate);
    await page.fill(id('/proxy/name'), app.proxy.name);
    await page.fill(id('/proxy/receivedAt'), app.proxy.receivedAt);
    await page.getByText('填写完整，可以打印').waitFor();
    await page.click('[data-action=save]');
    await page.waitForURL(/#\/case\/\d+$/);
    await page.getByText('填写完整，可以打印').waitFor();

  });

  step('download the PDF and parse it back; print preview in the page', async () => {
    const app = truth;
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-action=application-pdf]')]);
    expect(dl.suggestedFilename()).toMatch(/\.pdf$/);
    const pdf = readFileSync(await dl.path());
    expect((await parseForm(new Uint8Array(pdf))).record).toEqual(app);
    await page.click('[data-action=preview]');
    await page.waitForSelector('iframe.pdf');
    await page.waitForTimeout(3000); // the PDF viewer draws the page
    await shot('print');

  });

  step('issue the 授权委托书 (prefilled) and the 一次性告知书 with its 文号', async () => {
    const app = truth;
    // the 授权委托书, prefilled from the application: only the ID number and the period to add
    await page.click('[data-action=authorization]');
    await page.waitForSelector(id('/trustee/idNumber'));
    expect(await page.inputValue(id('/principal/name'))).toBe(app.applicant.name);
    await page.fill(id('/trustee/idNumber'), '11010519491231002X');
    await page.fill(id('/period/from'), '2026-03-02');
    await page.fill(id('/period/to'), '2026-06-30');
    await page.click('[data-action=issue-authorization]');
    await page.getByRole('cell', { name: '授权委托书' }).waitFor();

    // the notice: a material from the list, its 文号 from the sequence
    await page.click('[data-action=notice]');
    await page.click(`button[data-material="${notice.materials[0].name}"]`);
    await page.fill(id('/deadline'), '2026-03-16');
    await page.fill(id('/contact/name'), '李智斌');
    await page.fill(id('/contact/phone'), '0377-61387687');
    await page.fill(id('/issueDate'), '2026-03-04');
    await page.fill(id('/receivedDate'), '2026-03-02');
    await page.click('[data-action=issue-notice]');
    await page.locator('.doc-number', { hasText: '宛环审告〔2026〕1号' }).waitFor();
    await page.locator('.doc-number', { hasText: '宛环审告〔2026〕1号' }).scrollIntoViewIfNeeded();
    await page.waitForTimeout(4500); // the toast goes
    await shot('case');

  });

  step('a small batch: a row refused by number and label, progress to 100 %, ZIP download', async () => {
    // a small batch: one row refused by row number and label, progress to 100 %
    const dir = mkdtempSync(join(tmpdir(), 'desk-e2e-'));
    const rows = Array.from({ length: 12 }, (_, i) => JSON.stringify({ ...notice, docNumber: `宛环审告〔2026〕${100 + i}号`, contact: i === 4 ? { name: '李智斌', phone: '123' } : notice.contact }));
    const input = join(dir, '告知书.jsonl');
    writeFileSync(input, rows.join('\n'));
    await page.click('nav a[href="#/batch"]');
    await page.setInputFiles('#batch-file', input);
    await page.click('.filters button[type=submit]');
    await page.getByRole('cell', { name: '联系电话' }).waitFor();
    await page.click('[data-action=run-batch]');
    await page.locator('.pct', { hasText: '100 %' }).waitFor({ timeout: 60000 });
    await page.locator('[data-download=merged]').waitFor();
    await shot('batch');
    const [zip] = await Promise.all([page.waitForEvent('download'), page.click('[data-download=zip]')]);
    expect(readFileSync(await zip.path()).subarray(0, 2).toString()).toBe('PK');

  });

  step('ingest a scan, correct a flagged field, accept it as a case', async () => {
    // ingest a scan: flagged fields highlighted; correct one and accept
    await page.click('nav a[href="#/ingest"]');
    await page.setInputFiles('#ingest-files', scan);
    await page.click('.filters button[type=submit]');
    await page.locator('a', { hasText: 'application-hand-seal.jpg' }).click({ timeout: 120000 });
    await page.waitForSelector('.field.review');
    await page.waitForSelector('img.scan');
    await page.waitForFunction(() => (document.querySelector('img.scan') as HTMLImageElement)?.complete);
    const flagged = await page.$$eval('.field.review input', (els: HTMLInputElement[]) => els.map((e) => e.dataset.pointer));
    expect(flagged).toContain('/applicant/name');
    await shot('review');
    // staff check the flagged name against the page and type it as printed
    await page.fill(id('/applicant/name'), '');
    await page.getByText('必填，不能缺少').first().waitFor();
    await page.fill(id('/applicant/name'), truth.applicant.name);
    await page.click('[data-action=accept]');
    await page.waitForURL(/#\/case\/\d+$/);
    caseId = Number(/case\/(\d+)/.exec(page.url())![1]);
    // the scan is the application of the case filled above (the same credit code): attached to it, listed there
    const c = await (await d.login('王敏', 'desk-pass-2026')).json(`/api/cases/${caseId}`);
    const read = c.body.documents.find((x: any) => x.kind === 'application');
    expect(read.record.applicant.name).toBe(truth.applicant.name);
    expect(read.ingestId).toMatch(/^[0-9a-f-]{36}$/);
    await page.locator('#case-documents a[data-source=ingest]').waitFor();

  });

  step('with field boxes in the result: the crop beside each flagged field, its region outlined on the page', async () => {
    // the reader's boxes (fields[ptr].box) stubbed into a stored result
    const api = await d.login('王敏', 'desk-pass-2026');
    const pdf = await (await api.fetch('/api/documents/application?format=pdf', { method: 'POST', json: truth })).arrayBuffer();
    const fd = new FormData();
    fd.append('files', new Blob([pdf]), '申请表.pdf');
    const item = (await api.json('/api/ingest', { method: 'POST', body: fd })).body.items[0];
    const flagged = { '/applicant/name': { x: 0.2, y: 0.16, w: 0.6, h: 0.04 }, '/handler/phone': { x: 0.55, y: 0.3, w: 0.3, h: 0.04 } };
    const fields = { ...item.result.fields };
    for (const [p, box] of Object.entries(flagged)) fields[p] = { ...fields[p], page: 1, confidence: 0.5, needsReview: true, reason: '置信度低', box };
    await d.desk.store.updateIngest(item.id, { result: { ...item.result, fields, needsReview: Object.keys(flagged) } });
    await page.goto(`${d.base}/#/ingest/${item.id}`);
    await page.waitForFunction(() => [...document.querySelectorAll('img.crop')].filter((i) => (i as HTMLImageElement).naturalWidth > 0).length === 2, undefined, { timeout: 60000 });
    await page.waitForFunction(() => (document.querySelector('.page-frame img.scan') as HTMLImageElement)?.naturalWidth > 0, undefined, { timeout: 60000 });
    expect(await page.locator('.region').count()).toBe(2);
    await page.click(`${id('/handler/phone')}`);
    await page.locator('.region.picked[data-region="/handler/phone"]').waitFor();
    await shot('review-crop');
    // one case of that credit code: it is offered, and the form goes there
    expect(await page.$eval('#case-target', (s: HTMLSelectElement) => s.value)).toBe(String(caseId));
  });

  step('the case list shows values as text, masks ID numbers; the audit log', async () => {
    // values are shown as text: markup in a field is not run
    const api = await d.login('王敏', 'desk-pass-2026');
    const xss = `<img src=x onerror="window.__xss=1">{{constructor}}`;
    await api.json('/api/cases', { method: 'POST', json: { record: { ...truth, applicant: { ...truth.applicant, name: xss } } } });
    await page.click('nav a[href="#/cases"]');
    await page.getByText(xss).waitFor();
    expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
    expect(await page.locator('main img').count()).toBe(0);
    await page.getByRole('cell', { name: String(caseId), exact: true }).waitFor();
    await page.getByRole('cell', { name: '110105********002X' }).waitFor();
    await page.waitForTimeout(4500);
    await shot('cases');
    await page.click('nav a[href="#/audit"]');
    await page.getByRole('heading', { name: '操作日志' }).waitFor();
    await shot('audit');
  });
});
