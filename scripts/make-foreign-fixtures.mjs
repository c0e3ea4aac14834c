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
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, copyFileSync } from 'node:fs';
import { PDFDocument, degrees } from 'pdf-lib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getKind, renderDocument, creditCodeCheckChar } from '../dist/index.js';
import { htmlForm, fodtForm, cidPdf, dateInWords } from './foreign-forms.mjs';

/** Print an HTML file to PDF with headless Chromium (a fresh profile, no header or footer). */
function printWithChromium(html, pdf) {
  execFileSync('chromium', [
    '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    `--user-data-dir=${mkdtempSync(join(tmpdir(), 'chromium-'))}`, '--no-pdf-header-footer', `--print-to-pdf=${pdf}`, `file://${html}`,
  ], { stdio: 'inherit' });
}

const out = new URL('../fixtures/foreign/', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'foreign-'));

/** `node scripts/make-foreign-fixtures.mjs [bangban|own|bad]`: one part only (default: all). */
const part = process.argv[2];
const want = (name) => !part || part === name;

if (want('bangban')) {
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
}

// --- forms bangban did not lay out (scripts/foreign-forms.mjs), each with its own values ----------
const code = (first17) => first17 + creditCodeCheckChar(first17);
const record = (o) => ({
  applicant: { name: o.name, address: o.address, legalRepresentative: o.legal, creditCode: o.code },
  handler: { name: o.handler, phone: o.phone },
  serviceItem: o.item,
  ...(o.guidance ? { guidanceItem: o.guidance } : {}),
  services: o.services,
  applicationDate: o.date,
  ...(o.proxy ? { proxy: { name: o.proxy, receivedAt: o.at } } : {}),
});
// values with 目 月 日 人 民 (which Noto CJK fonts put into a PDF's text layer as radicals)
const R = {
  noto1: record({ name: '南阳市卧龙区人民路清源水务有限公司', address: '南阳市卧龙区人民路66号', legal: '王建民', code: code('91411303MA9KJ7X2Q'), handler: '陈月明', phone: '13903771234', item: '排污许可证申请核发', guidance: '建设项目环境影响评价文件编制辅导', services: ['大厅综合窗口办结领证', '邮寄送达办理结果'], date: '2026-05-18', proxy: '赵日新', at: '2026-05-18T10:15' }),
  noto2: record({ name: '河南目标环境监测技术服务有限公司', address: '南阳市高新区明月路9号科技园3栋', legal: '周民生', code: code('91411300MA45RT8N3'), handler: '孙明日', phone: '0377-63215678', item: '建设项目环境影响报告书审批', services: ['大厅综合窗口受理', '上门送达办理结果', '事前辅导'], date: '2026-01-07', proxy: '钱月华', at: '2026-01-08T08:30' }),
  noto3: record({ name: '南阳日月新能源科技有限公司', address: '南阳市宛城区白河南路188号', legal: '李目远', code: code('91411302MA9L2P5C8'), handler: '吴人杰', phone: '15838123456', item: '危险废物经营许可证核发', guidance: '危险废物管理计划备案辅导', services: ['事前辅导'], date: '2026-11-30', proxy: '郑民', at: '2026-12-01T16:05' }),
  noto4: record({ name: '南召县人民医院', address: '南召县城关镇人民路1号', legal: '冯日升', code: code('12411321416200017'), handler: '马月琴', phone: '0377-66221234', item: '辐射安全许可证核发', services: ['大厅综合窗口受理', '大厅综合窗口办结领证', '上门送达办理结果', '邮寄送达办理结果', '事前辅导'], date: '2026-02-28', proxy: '朱明', at: '2026-03-02T09:00' }),
  word: record({ name: '南阳市宛城区绿水青山生态农业专业合作社', address: '南阳市宛城区瓦店镇三里河村委会东二百米', legal: '欧阳秀兰', code: code('93411302MA47XY9K1'), handler: '司马东', phone: '13598765432', item: '建设项目环境影响登记表备案及排污登记（含畜禽养殖污染防治配套设施）', guidance: '畜禽养殖污染防治设施建设辅导', services: ['大厅综合窗口受理', '邮寄送达办理结果'], date: '2026-06-09', proxy: '黄晓燕', at: '2026-06-09T11:20' }),
  cid: record({ name: '西峡县丹水镇鑫源矿业有限公司', address: '西峡县丹水镇工业园区8号', legal: '胡国强', code: code('91411323MA40QW3E7'), handler: '林晓', phone: '18937756789', item: '建设项目竣工环境保护验收辅导', services: ['大厅综合窗口受理', '上门送达办理结果', '事前辅导'], date: '2026-04-01', proxy: '何静', at: '2026-04-01T15:45' }),
  lines: record({ name: '邓州市人民印务有限责任公司', address: '河南省南阳市邓州市新华东路218号邓州市产业集聚区创业服务中心综合楼东侧第二排厂房及配套办公楼三层', legal: '谢明亮', code: code('91411381MA3Y5TU0R'), handler: '许日红', phone: '13782134567', item: '建设项目环境影响报告表审批', guidance: '挥发性有机物治理方案编制辅导', services: ['大厅综合窗口受理', '大厅综合窗口办结领证', '事前辅导'], date: '2026-08-21', proxy: '韩月', at: '2026-08-21T14:10' }),
  inline: record({ name: '南阳市月季产业发展有限公司', address: '南阳市卧龙区月季大道1号', legal: '任明', code: code('91411303MA9F8KD2P'), handler: '曹日晓', phone: '13676601234', item: '排污许可证重新申请', guidance: '环境管理台账记录辅导', services: ['上门送达办理结果', '事前辅导'], date: '2026-10-21', proxy: '彭目清', at: '2026-10-21T15:05' }),
  stacked: record({ name: '桐柏县明日矿产品加工有限公司', address: '桐柏县城郊乡工业园区淮源大道西段', legal: '段人和', code: code('91411330MA40B7NC5'), handler: '夏目', phone: '0377-68123456', item: '建设项目环境影响报告书审批', guidance: '尾矿库环境风险评估辅导', services: ['大厅综合窗口受理', '邮寄送达办理结果', '事前辅导'], date: '2026-07-03', proxy: '潘民', at: '2026-07-06T08:50' }),
  gap: record({ name: '镇平县玉雕文化产业园管理有限公司', address: '镇平县石佛寺镇玉雕大世界东门', legal: '玉人杰', code: code('91411324MA45HJ2K8'), handler: '甘日', phone: '13303775678', item: '建设项目环境影响登记表备案', services: ['大厅综合窗口办结领证'], date: '2026-03-31', proxy: '严月', at: '2026-03-31T17:20' }),
  split: record({ name: '内乡县湍东镇宏达建材有限公司', address: '内乡县湍东镇工业集聚区纬一路16号', legal: '高志民', code: code('91411325MA3XG6B4W'), handler: '罗日辉', phone: '0377-65331234', item: '排污许可证变更', guidance: '排污许可执行报告填报辅导', services: ['大厅综合窗口办结领证', '事前辅导'], date: '2026-09-15', proxy: '宋丽', at: '2026-09-16T10:40' }),
};
const writeExpected = (name, rec) => writeFileSync(join(out, `${name}.expected.json`), JSON.stringify(rec, null, 2) + '\n');
const chromiumForm = (name, rec, opts) => {
  const file = join(tmp, `${name}.html`);
  writeFileSync(file, htmlForm(rec, opts));
  printWithChromium(file, join(out, `${name}.pdf`));
  writeExpected(name, rec);
};
if (want('own') || want('lines')) {
  chromiumForm('application-chromium-lines', R.lines, { notation: 'glyph', layout: 'lines', font: 'Noto Serif CJK SC' });
  // label：value inside cells, options in cells of their own, dates in words and 下午
  // labels above their values
  chromiumForm('application-chromium-stacked', R.stacked, { layout: 'stacked', notation: 'parens', font: 'Noto Serif CJK SC', labels: { name: '企业名称（盖章）', code: '社会信用代码', phone: '手机号码' } });
  chromiumForm('application-chromium-inlinegap', R.gap, { layout: 'inline', sep: '&emsp;&emsp;', font: 'Noto Serif CJK SC' });
  chromiumForm('application-chromium-inline', R.inline, { layout: 'inline', labels: { phone: '手机' }, printed: { date: dateInWords(R.inline.applicationDate), received: '2026年10月21日 下午3时05分' } });
}
if (want('own') || want('grey')) {
  // faint grey hairline borders, and values typed the way people type them: a date with dots, an
  // area code in brackets, a time 下午3时 (the record holds them folded)
  const grey = record({ name: '方城县清风环保材料有限公司', address: '方城县券桥镇产业集聚区经三路', legal: '张目林', code: code('91411322MA40CK6D7'), handler: '李晓民', phone: '0377-67221234', item: '排污许可证延续', guidance: '突发环境事件应急预案备案辅导', services: ['大厅综合窗口办结领证', '上门送达办理结果'], date: '2026-09-15', proxy: '周月', at: '2026-09-16T15:00' });
  chromiumForm('application-chromium-grey', grey, { notation: 'square', font: 'Noto Serif CJK SC', border: '0.5px solid #aaa', printed: { phone: '（0377）67221234', date: '2026.9.15', received: '2026年9月16日下午3时' } });
}
if (want('own')) {
chromiumForm('application-chromium-noto-tickbox', R.noto1, { notation: 'tickBox' });
chromiumForm('application-chromium-noto-boxtick', R.noto2, { notation: 'boxTickAfter', layout: 'four', font: 'Noto Serif CJK SC', perLine: true });
chromiumForm('application-chromium-noto-brackets', R.noto3, { notation: 'brackets', labels: { name: '单位名称（盖章）', phone: '联系电话' } });
chromiumForm('application-chromium-noto-parens', R.noto4, { notation: 'parens', layout: 'four', labels: { name: '申请单位名称〔盖章〕', received: '接收时间' } });
chromiumForm('application-chromium-noto-ticked', { ...R.noto3, services: ['大厅综合窗口受理', '邮寄送达办理结果'] }, { notation: 'tickAfter', perLine: true });
// a form split over two pages, and the same with its pages swapped (qpdf)
chromiumForm('application-chromium-twopage', R.split, { notation: 'square', split: 5 });
execFileSync('qpdf', [join(out, 'application-chromium-twopage.pdf'), '--pages', join(out, 'application-chromium-twopage.pdf'), '2,1', '--', join(out, 'application-chromium-swapped.pdf')]);
writeExpected('application-chromium-swapped', R.split);
// deliberately wrong values (a check character, a phone digit short, 30 February): read as written, flagged
const wrong = { ...R.noto2, applicant: { ...R.noto2.applicant, creditCode: R.noto2.applicant.creditCode.slice(0, 17) + (R.noto2.applicant.creditCode[17] === '1' ? '2' : '1') }, handler: { ...R.noto2.handler, phone: '1390377123' }, applicationDate: '2026-02-30' };
chromiumForm('application-chromium-wrong', wrong, { notation: 'glyph' });
writeFileSync(join(out, 'application-chromium-wrong.needs-review.json'), JSON.stringify(['/applicant/creditCode', '/applicationDate', '/handler/phone']) + '\n');
// Word-style document converted by LibreOffice
writeFileSync(join(tmp, 'application-libreoffice-word.fodt'), fodtForm(R.word));
execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${mkdtempSync(join(tmpdir(), 'lo-'))}`, '--convert-to', 'pdf', '--outdir', out, join(tmp, 'application-libreoffice-word.fodt')], { stdio: 'inherit' });
writeExpected('application-libreoffice-word', R.word);
// a non-embedded CID font (STSong-Light, UniGB-UCS2-H), check boxes drawn as squares
writeFileSync(join(out, 'application-cid-stsong.pdf'), cidPdf(R.cid));
writeExpected('application-cid-stsong', R.cid);
}

// --- turned pages: /Rotate set (qpdf), and content drawn turned (pdf-lib), read upright -------------
if (want('own')) {
  const src = await PDFDocument.load(readFileSync(join(out, 'application-chromium-noto-brackets.pdf')));
  for (const [name, turn] of [['application-rotated-content90', 90], ['application-rotated-content180', 180]]) {
    const doc = await PDFDocument.create();
    const [page] = await doc.embedPdf(src, [0]);
    const { width: w, height: h } = page;
    const p = turn === 90 ? doc.addPage([h, w]) : doc.addPage([w, h]);
    p.drawPage(page, turn === 90 ? { x: h, y: 0, rotate: degrees(90) } : { x: w, y: h, rotate: degrees(180) });
    writeFileSync(join(out, `${name}.pdf`), await doc.save({ useObjectStreams: false }));
    writeExpected(name, JSON.parse(readFileSync(join(out, 'application-chromium-noto-brackets.expected.json'), 'utf8')));
  }
  execFileSync('qpdf', ['--rotate=+90', join(out, 'application-cid-stsong.pdf'), join(out, 'application-rotated-page90.pdf')]);
  writeExpected('application-rotated-page90', R.cid);
}

// --- bad input: what must be refused or recognised as what it is (fixtures/foreign/bad/) ------------
if (want('bad')) {
  const bad = join(out, 'bad');
  mkdirSync(bad, { recursive: true });
  const empty = { applicant: { name: '', address: '', legalRepresentative: '', creditCode: '' }, handler: { name: '', phone: '' }, serviceItem: '', services: [], applicationDate: '' };
  writeFileSync(join(tmp, 'blank.html'), htmlForm(empty, { notation: 'square', printed: { date: '　　年　　月　　日', received: '　　年　　月　　日　　时　　分' } }));
  printWithChromium(join(tmp, 'blank.html'), join(bad, 'blank-form.pdf'));
  writeFileSync(join(bad, 'blank-form.expect.json'), JSON.stringify({ failure: 'blank' }) + '\n');
  writeFileSync(join(tmp, 'letter.html'), `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><body style="font-family:'Noto Serif CJK SC'"><h2 style="text-align:center">关于开展2026年度环境保护宣传月活动的通知</h2><p>各县（市、区）生态环境分局、局机关各科室：</p><p>为进一步增强全社会生态环境保护意识，经研究，决定于2026年6月在全市开展环境保护宣传月活动。现将有关事项通知如下：</p><p>一、活动时间：2026年6月1日至6月30日。</p><p>二、活动内容：开展环保知识进社区、进企业、进学校活动，组织生态环境开放日。</p><p>三、工作要求：各单位要高度重视，精心组织，确保活动取得实效。</p><p style="text-align:right">南阳市生态环境局<br>2026年5月20日</p></body></html>`);
  printWithChromium(join(tmp, 'letter.html'), join(bad, 'other-document.pdf'));
  writeFileSync(join(bad, 'other-document.expect.json'), JSON.stringify({ failure: 'not-a-form' }) + '\n');
  // an authorization letter read as what it is, and refused when the caller says it is an application
  copyFileSync(join(out, 'authorization-libreoffice.pdf'), join(bad, 'authorization-as-application.pdf'));
  writeFileSync(join(bad, 'authorization-as-application.expect.json'), JSON.stringify({ kind: 'application', failure: 'not-a-form' }) + '\n');
  copyFileSync(join(out, 'authorization-libreoffice.pdf'), join(bad, 'authorization-detected.pdf'));
  writeFileSync(join(bad, 'authorization-detected.expect.json'), JSON.stringify({ detected: 'authorization' }) + '\n');
}
console.log('fixtures written to', out);
