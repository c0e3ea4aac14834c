#!/usr/bin/env node
/**
 * Makes the foreign-producer fixtures under fixtures/foreign/ (committed; CI never runs this):
 * - application-chromium.pdf: an HTML version of 附件2, as an applicant's web page would print it,
 *   printed by headless Chromium. Narrow label cells wrap, boxes are ☑/☐, digits full-width, the date
 *   2026.03.02 and the time 14时40分.
 * - application-chromium-2.pdf: the same page with ■/□ boxes, long values that wrap, spaces inside
 *   names (司马 晓东, 丁 选 香), a full-width 400 number and 2026年12月31日 9:05.
 * - application-libreoffice.pdf: bangban's own DOCX of the form, exported by LibreOffice.
 * - authorization-libreoffice.pdf: an authorization letter (running text, a numbered list) the same way.
 * Needs: npm run build; apt-get install -y chromium libreoffice-writer-nogui
 * The expected records are fixtures/foreign/*.expected.json (free text keeps full-width digits as
 * typed; codes, phones and dates are folded).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getKind, renderDocument } from '../dist/index.js';

/** Print an HTML file to PDF with headless Chromium (a fresh profile, no header or footer). */
function printWithChromium(html, pdf) {
  execFileSync('chromium', [
    '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    `--user-data-dir=${mkdtempSync(join(tmpdir(), 'chromium-'))}`, '--no-pdf-header-footer', `--print-to-pdf=${pdf}`, `file://${html}`,
  ], { stdio: 'inherit' });
}

const out = new URL('../fixtures/foreign/', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'foreign-'));

// --- HTML printed by Chromium -------------------------------------------------------------
const box = (on) => (on ? '☑' : '☐');
const services = ['大厅综合窗口受理', '大厅综合窗口办结领证', '上门送达办理结果', '邮寄送达办理结果', '事前辅导'];
const ticked = new Set(['大厅综合窗口受理', '事前辅导']);
const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
  @page { size: A4; margin: 20mm 18mm; }
  body { font-family: "AR PL UMing CN", "Droid Sans Fallback", serif; font-size: 11pt; }
  h1 { text-align: center; font-size: 18pt; line-height: 1.4; }
  table { border-collapse: collapse; width: 100%; table-layout: fixed; }
  td { border: 1px solid #000; padding: 4px 5px; vertical-align: middle; word-break: break-all; }
  td.l { text-align: center; }
  .hint { font-size: 8pt; color: #444; display: block; }
</style></head><body>
<p>附件 2</p>
<h1>南阳市生态环境局政务服务事项<br>“全程辅导、帮办代办”申请表</h1>
<table>
<colgroup><col style="width:8%"><col style="width:11%"><col style="width:24%"><col style="width:9%"><col style="width:18%"><col style="width:12%"><col style="width:18%"></colgroup>
<tr><td class="l" rowspan="2">申请单位基本情况</td><td class="l">申请单位名称（盖章）</td><td>南阳市宛城区绿源环保科技有限公司<span class="hint">（此处加盖单位公章）</span></td><td class="l">申请单位地址</td><td>南阳市宛城区仲景路１０８８号（高新技术产业开发区北区）</td><td class="l">法人或主要负责人</td><td>张　伟</td></tr>
<tr><td class="l">申请单位统一社会信用代码</td><td>９１４１１３００ＭＡ４４ＡＢＣＤ５Ｊ</td><td class="l">经办人</td><td>刘 芳<span class="hint">（本人手签）</span></td><td class="l">经办人联系电话</td><td>１３８３７７１２３４５</td></tr>
<tr><td class="l" colspan="2">申请办理政务服务事项名称</td><td colspan="5">建设项目环境影响报告表审批</td></tr>
<tr><td class="l" colspan="2">全程辅导事项名称（选填）</td><td colspan="5">环境影响评价文件编制辅导</td></tr>
<tr><td class="l" colspan="2">代办内容</td><td colspan="5">${services.map((s) => `${box(ticked.has(s))}${s}`).join('&nbsp;&nbsp; ')}</td></tr>
<tr><td class="l" colspan="2">申请日期</td><td colspan="5">2026.03.02</td></tr>
<tr><td class="l" colspan="7">以下内容由行政审批工作人员（帮办代办人员）填写</td></tr>
<tr><td class="l" colspan="2">代办人</td><td colspan="5">李智斌<span class="hint">（代办人手签）</span></td></tr>
<tr><td class="l" colspan="2">代办申请接收时间</td><td colspan="5">2026-03-02 14时40分</td></tr>
<tr><td class="l" colspan="2">法律责任</td><td colspan="5">1. 申请人填报本表格视为同意授权委托审批工作人员(帮办代办人员)开展相关服务, 相关服务产生的法律后果及法律责任由申请人承担。<br>2. 经办人非单位法人的, 应当提交授权委托书。</td></tr>
</table></body></html>`;
writeFileSync(join(tmp, 'application.html'), html);
copyFileSync(join(tmp, 'application.html'), join(out, 'application-chromium.html'));
printWithChromium(join(tmp, 'application.html'), join(out, 'application-chromium.pdf'));
const typical = JSON.parse(readFileSync(new URL('../fixtures/application/typical.json', import.meta.url), 'utf8'));
writeFileSync(join(out, 'application-chromium.expected.json'), JSON.stringify({ ...typical, applicant: { ...typical.applicant, address: '南阳市宛城区仲景路１０８８号（高新技术产业开发区北区）' } }, null, 2) + '\n');

// --- a second web page: ■/□ boxes, wrapped long values, ordinary spaces in names, landline in full width
const landline = JSON.parse(readFileSync(new URL('../fixtures/application/long-values.json', import.meta.url), 'utf8'));
const sq = (on) => (on ? '■' : '□');
const ticked2 = ['大厅综合窗口受理', '邮寄送达办理结果', '事前辅导'];
const html2 = html
  .replace('南阳市宛城区绿源环保科技有限公司<span', `${landline.applicant.name}<span`)
  .replace('南阳市宛城区仲景路１０８８号（高新技术产业开发区北区）', landline.applicant.address)
  .replace('张　伟', '欧阳明远')
  .replace('９１４１１３００ＭＡ４４ＡＢＣＤ５Ｊ', '１２４１１３００４１６００１２３４Ａ')
  .replace('刘 芳<span', '司马 晓东<span')
  .replace('１３８３７７１２３４５', '４００－１２３－４５６７')
  .replace('建设项目环境影响报告表审批', landline.serviceItem)
  .replace('环境影响评价文件编制辅导', landline.guidanceItem)
  .replace(/☑|☐/g, '')
  .replace(services.map((s) => `${s}`).join('&nbsp;&nbsp; '), services.map((s) => `${sq(ticked2.includes(s))} ${s}`).join('&nbsp;&nbsp; '))
  .replace('2026.03.02', '2026-12-31')
  .replace('李智斌<span', '丁 选 香<span')
  .replace('2026-03-02 14时40分', '2026年12月31日 9:05');
writeFileSync(join(tmp, 'application-2.html'), html2);
copyFileSync(join(tmp, 'application-2.html'), join(out, 'application-chromium-2.html'));
printWithChromium(join(tmp, 'application-2.html'), join(out, 'application-chromium-2.pdf'));
writeFileSync(join(out, 'application-chromium-2.expected.json'), JSON.stringify({ ...landline, services: ticked2 }, null, 2) + '\n');

// --- bangban's DOCX exported by LibreOffice -------------------------------------------------
const kind = getKind('application');
const long = JSON.parse(readFileSync(new URL('../fixtures/application/long-values.json', import.meta.url), 'utf8'));
writeFileSync(join(tmp, 'application-libreoffice.docx'), await renderDocument(kind, long, 'docx'));
execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${mkdtempSync(join(tmpdir(), 'lo-'))}`, '--convert-to', 'pdf', '--outdir', out, join(tmp, 'application-libreoffice.docx')], { stdio: 'inherit' });
writeFileSync(join(out, 'application-libreoffice.expected.json'), JSON.stringify(long, null, 2) + '\n');
// --- an authorization letter (running text): bangban's DOCX exported by LibreOffice
const auth = JSON.parse(readFileSync(new URL('../fixtures/authorization/custom-powers.json', import.meta.url), 'utf8'));
writeFileSync(join(tmp, 'authorization-libreoffice.docx'), await renderDocument(getKind('authorization'), auth, 'docx'));
execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${mkdtempSync(join(tmpdir(), 'lo-'))}`, '--convert-to', 'pdf', '--outdir', out, join(tmp, 'authorization-libreoffice.docx')], { stdio: 'inherit' });
writeFileSync(join(out, 'authorization-libreoffice.expected.json'), JSON.stringify(auth, null, 2) + '\n');
console.log('fixtures written to', out);
