/**
 * Forms of 附件2 laid out the way other software and other people lay them out (never bangban's
 * layout), for scripts/make-foreign-fixtures.mjs: an HTML page (any column count, group cell, tick
 * notation, page split), a Word-style document as Flat ODT (narrow label cells, a group cell over two
 * rows, ■/□, rows in another order) and a PDF written object by object with a non-embedded CID font
 * (STSong-Light, UniGB-UCS2-H) whose check boxes are drawn squares, not glyphs.
 */

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const SERVICES = ['大厅综合窗口受理', '大厅综合窗口办结领证', '上门送达办理结果', '邮寄送达办理结果', '事前辅导'];

/** How a document shows a ticked / an empty option, as people type them. */
export const NOTATIONS = {
  glyph: (on, o) => `${on ? '☑' : '☐'}${o}`,
  square: (on, o) => `${on ? '■' : '□'} ${o}`,
  tickBox: (on, o) => `${on ? '√' : ''}□${o}`,
  boxTickAfter: (on, o) => `${o}□${on ? '√' : ''}`,
  brackets: (on, o) => `[${on ? '√' : '\u3000'}]${o}`,
  parens: (on, o) => `（${on ? '√' : '\u3000'}）${o}`,
  tickAfter: (on, o) => `${o}${on ? '✓' : ''}`,
};

const WORD_DIGITS = '〇一二三四五六七八九';
/** 2026-10-21 → 二〇二六年十月二十一日, as office forms print dates in words. */
export function dateInWords(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  const n = (x) => (x < 10 ? WORD_DIGITS[x] : `${x >= 20 ? WORD_DIGITS[Math.floor(x / 10)] : ''}十${x % 10 ? WORD_DIGITS[x % 10] : ''}`);
  return `${[...String(y)].map((c) => WORD_DIGITS[c]).join('')}年${n(m)}月${n(d)}日`;
}

/** Printed dates and times, as a person would type them. */
const cnDate = (iso) => {
  const [y, m, d] = iso.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
};
const cnTime = (iso) => {
  const [d, t] = iso.split('T');
  const [h, mi] = t.split(':');
  return `${cnDate(d)} ${Number(h)}时${mi}分`;
};

/**
 * An HTML page of the form. `layout`: 'seven' (the source table's 7 columns) or 'four'
 * (label | value | label | value, another row order); `notation` names NOTATIONS; `split` puts the
 * rows from that index on a second page; `text` overrides printed values (a date as typed).
 */
export function htmlForm(r, { layout = 'seven', notation = 'glyph', font = 'Noto Sans CJK SC', split, printed = {}, perLine = false, labels = {}, sep = '：', border = '1px solid #000' } = {}) {
  const box = NOTATIONS[notation];
  const services = SERVICES.map((o) => box(r.services.includes(o), o)).join(perLine ? '<br>' : '&nbsp;&nbsp; ');
  const p = {
    name: r.applicant.name,
    address: r.applicant.address,
    legal: r.applicant.legalRepresentative,
    code: r.applicant.creditCode,
    handler: r.handler.name,
    phone: r.handler.phone,
    date: cnDate(r.applicationDate),
    received: r.proxy ? cnTime(r.proxy.receivedAt) : '',
    proxy: r.proxy?.name ?? '',
    ...printed,
  };
  const L = { name: '申请单位名称（盖章）', code: '统一社会信用代码', phone: '联系电话', received: '代办申请接收时间', ...labels };
  const td = (s, a = '') => `<td${a}>${s}</td>`;
  const lb = (s, a = '') => `<td class="l"${a}>${s}</td>`;
  let rows;
  if (layout === 'seven') {
    rows = [
      `<tr>${lb('申请单位<br>基本情况', ' rowspan="2"')}${lb(L.name)}${td(esc(p.name))}${lb('申请单位地址')}${td(esc(p.address))}${lb('法人或主要负责人')}${td(esc(p.legal))}</tr>`,
      `<tr>${lb('申请单位' + L.code)}${td(esc(p.code))}${lb('经办人')}${td(esc(p.handler))}${lb('经办人' + L.phone)}${td(esc(p.phone))}</tr>`,
      `<tr>${lb('申请办理政务服务事项名称', ' colspan="2"')}${td(esc(r.serviceItem), ' colspan="5"')}</tr>`,
      `<tr>${lb('全程辅导事项名称（选填）', ' colspan="2"')}${td(esc(r.guidanceItem ?? ''), ' colspan="5"')}</tr>`,
      `<tr>${lb('代办内容', ' colspan="2"')}${td(services, ' colspan="5"')}</tr>`,
      `<tr>${lb('申请日期', ' colspan="2"')}${td(esc(p.date), ' colspan="5"')}</tr>`,
      `<tr>${lb('以下内容由行政审批工作人员（帮办代办人员）填写', ' colspan="7"')}</tr>`,
      `<tr>${lb('代办人', ' colspan="2"')}${td(esc(p.proxy), ' colspan="5"')}</tr>`,
      `<tr>${lb(L.received, ' colspan="2"')}${td(esc(p.received), ' colspan="5"')}</tr>`,
      `<tr>${lb('法律责任', ' colspan="2"')}${td('1. 申请人填报本表格视为同意授权委托审批工作人员（帮办代办人员）开展相关服务，相关服务产生的法律后果及法律责任由申请人承担。<br>2. 经办人非单位法人的，应当提交授权委托书。', ' colspan="5"')}</tr>`,
    ];
  } else {
    rows = [
      `<tr>${lb('申请单位基本情况', ' colspan="4"')}</tr>`,
      `<tr>${lb(L.name)}${td(esc(p.name), ' colspan="3"')}</tr>`,
      `<tr>${lb(L.code)}${td(esc(p.code))}${lb('法人或主要负责人')}${td(esc(p.legal))}</tr>`,
      `<tr>${lb('单位地址')}${td(esc(p.address), ' colspan="3"')}</tr>`,
      `<tr>${lb('申请日期')}${td(esc(p.date))}${lb('经办人')}${td(esc(p.handler))}</tr>`,
      `<tr>${lb(L.phone)}${td(esc(p.phone), ' colspan="3"')}</tr>`,
      `<tr>${lb('申请办理政务服务事项名称')}${td(esc(r.serviceItem), ' colspan="3"')}</tr>`,
      `<tr>${lb('全程辅导事项名称（选填）')}${td(esc(r.guidanceItem ?? ''), ' colspan="3"')}</tr>`,
      `<tr>${lb('代办内容')}${td(services, ' colspan="3"')}</tr>`,
      `<tr>${lb('以下由帮办代办人员填写', ' colspan="4"')}</tr>`,
      `<tr>${lb('代办人')}${td(esc(p.proxy))}${lb(L.received)}${td(esc(p.received))}</tr>`,
    ];
  }
  if (layout === 'lines') {
    // no table at all: label：value on lines of text, two to a line where they are short
    const pair = (a, b) => `<p>${a}${b ? `<span style="display:inline-block;width:3em"></span>${b}` : ''}</p>`;
    const f = (l, v) => `${l}：${esc(v)}`;
    rows = [
      pair(f(L.name, p.name)),
      pair(f(L.code, p.code), f('法人或主要负责人', p.legal)),
      pair(f('申请单位地址', p.address)),
      pair(f('经办人', p.handler), f(L.phone, p.phone)),
      pair(f('申请办理政务服务事项名称', r.serviceItem)),
      pair(f('全程辅导事项名称（选填）', r.guidanceItem ?? '')),
      pair(`代办内容：${services}`),
      pair(f('申请日期', p.date)),
      pair(f('代办人', p.proxy), f(L.received, p.received)),
    ];
  }
  if (layout === 'inline') {
    // label and value in one cell (label：value), the options each in a cell of its own beside its box
    const c = (l, v, span) => `<td colspan="${span}">${l}${sep}${esc(v)}</td>`;
    const opts = SERVICES.map((o) => `<td class="l">${r.services.includes(o) ? '■' : '□'}</td><td>${o}</td>`).join('');
    rows = [
      `<tr>${c(L.name, p.name, 11)}</tr>`,
      `<tr>${c(L.code, p.code, 6)}${c('法定代表人', p.legal, 5)}</tr>`,
      `<tr>${c('单位地址', p.address, 11)}</tr>`,
      `<tr>${c('经办人', p.handler, 6)}${c(L.phone, p.phone, 5)}</tr>`,
      `<tr>${c('申请事项', r.serviceItem, 11)}</tr>`,
      `<tr>${c('辅导事项', r.guidanceItem ?? '', 11)}</tr>`,
      `<tr><td class="l">代办内容</td>${opts}</tr>`,
      `<tr>${c('申请日期', p.date, 11)}</tr>`,
      `<tr>${c('代办人', p.proxy + '（签字）', 6)}${c(L.received, p.received, 5)}</tr>`,
    ];
  }
  if (layout === 'stacked') {
    // labels above their values, three to a row (a spreadsheet-like layout)
    const head = (...ls) => `<tr>${ls.map(([l, span = 1]) => lb(l, ` colspan="${span}"`)).join('')}</tr>`;
    const vals = (...vs) => `<tr>${vs.map(([v, span = 1]) => td(v, ` colspan="${span}"`)).join('')}</tr>`;
    rows = [
      head([L.name, 2], ['法人或主要负责人']),
      vals([esc(p.name), 2], [esc(p.legal)]),
      head([L.code], ['申请单位地址', 2]),
      vals([esc(p.code)], [esc(p.address), 2]),
      head(['经办人'], [L.phone], ['申请日期']),
      vals([esc(p.handler)], [esc(p.phone)], [esc(p.date)]),
      head(['申请办理政务服务事项名称', 3]),
      vals([esc(r.serviceItem), 3]),
      head(['全程辅导事项名称（选填）', 3]),
      vals([esc(r.guidanceItem ?? ''), 3]),
      head(['代办内容', 3]),
      vals([services, 3]),
      head(['代办人'], [L.received, 2]),
      vals([esc(p.proxy)], [esc(p.received), 2]),
    ];
  }
  const cols = layout === 'stacked' ? [34, 33, 33] : layout === 'inline' ? [12, 3, 14, 3, 14, 3, 14, 3, 14, 3, 17] : layout === 'seven' ? [8, 11, 24, 9, 18, 12, 18] : [20, 32, 18, 30];
  const table = (rs) => `<table><colgroup>${cols.map((w) => `<col style="width:${w}%">`).join('')}</colgroup>${rs.join('\n')}</table>`;
  const body = layout === 'lines' ? rows.join('\n') : split ? `${table(rows.slice(0, split))}<div style="page-break-before: always"></div>${table(rows.slice(split))}` : table(rows);
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
  @page { size: A4; margin: 20mm 18mm; }
  body { font-family: "${font}", sans-serif; font-size: 10.5pt; }
  h1 { text-align: center; font-size: 17pt; line-height: 1.4; }
  table { border-collapse: collapse; width: 100%; table-layout: fixed; }
  td { border: ${border}; padding: 5px 6px; vertical-align: middle; word-break: break-all; }
  td.l { text-align: center; }
</style></head><body>
<p>附件2</p>
<h1>南阳市生态环境局政务服务事项<br>“全程辅导、帮办代办”申请表</h1>
${body}
</body></html>`;
}

/**
 * A Word-style document (Flat ODT, converted by LibreOffice like a .docx): five columns with narrow
 * label cells (申请单位名称（盖章） wraps over four lines), a group cell over two rows, ■/□ boxes one
 * option a line, rows in another order than the source table, 宋体 as an office suite sets it.
 */
export function fodtForm(r) {
  const cell = (text, { span = 1, rows = 1, center = false } = {}) => {
    const paras = String(text).split('\n').map((t) => `<text:p text:style-name="${center ? 'Pc' : 'Pl'}">${esc(t)}</text:p>`).join('');
    return `<table:table-cell table:style-name="Cell"${span > 1 ? ` table:number-columns-spanned="${span}"` : ''}${rows > 1 ? ` table:number-rows-spanned="${rows}"` : ''} office:value-type="string">${paras}</table:table-cell>${'<table:covered-table-cell/>'.repeat(span - 1)}`;
  };
  const covered = '<table:covered-table-cell/>';
  const row = (...cells) => `<table:table-row>${cells.join('')}</table:table-row>`;
  const boxes = SERVICES.map((o) => `${r.services.includes(o) ? '■' : '□'}${o}`).join('\n');
  const rows = [
    row(cell('申请单位基本情况', { rows: 2, center: true }), cell('申请单位名称（盖章）', { center: true }), cell(r.applicant.name), cell('法人或主要负责人', { center: true }), cell(r.applicant.legalRepresentative)),
    row(covered, cell('统一社会信用代码', { center: true }), cell(r.applicant.creditCode), cell('申请单位地址', { center: true }), cell(r.applicant.address)),
    row(cell('经办人', { span: 2, center: true }), cell(r.handler.name), cell('经办人联系电话', { center: true }), cell(r.handler.phone)),
    row(cell('申请日期', { span: 2, center: true }), cell(cnDate(r.applicationDate), { span: 3 })),
    row(cell('申请办理政务服务事项名称', { span: 2, center: true }), cell(r.serviceItem, { span: 3 })),
    row(cell('全程辅导事项名称（选填）', { span: 2, center: true }), cell(r.guidanceItem ?? '', { span: 3 })),
    row(cell('代办内容', { span: 2, center: true }), cell(boxes, { span: 3 })),
    row(cell('以下内容由行政审批工作人员（帮办代办人员）填写', { span: 5, center: true })),
    row(cell('代办人', { span: 2, center: true }), cell(r.proxy?.name ?? ''), cell('代办申请接收时间', { center: true }), cell(r.proxy ? cnTime(r.proxy.receivedAt) : '')),
    row(cell('法律责任', { span: 2, center: true }), cell('1.申请人填报本表格视为同意授权委托审批工作人员(帮办代办人员)开展相关服务，相关服务产生的法律后果及法律责任由申请人承担。\n2.经办人非单位法人的，应当提交授权委托书。', { span: 3 })),
  ];
  const widths = ['1.1cm', '1.55cm', '5.6cm', '1.75cm', '6.3cm'];
  return `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls><style:font-face style:name="宋体" svg:font-family="宋体"/><style:font-face style:name="黑体" svg:font-family="黑体"/></office:font-face-decls>
<office:styles>
<style:default-style style:family="paragraph"><style:text-properties style:font-name="宋体" fo:font-size="10.5pt" style:font-name-asian="宋体" style:font-size-asian="10.5pt"/></style:default-style>
</office:styles>
<office:automatic-styles>
<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2.5cm" fo:margin-bottom="2.5cm" fo:margin-left="1.8cm" fo:margin-right="1.8cm"/></style:page-layout>
<style:style style:name="Tbl" style:family="table"><style:table-properties style:width="16.3cm" table:align="center"/></style:style>
${widths.map((w, i) => `<style:style style:name="Col${i}" style:family="table-column"><style:table-column-properties style:column-width="${w}"/></style:style>`).join('\n')}
<style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties fo:border="0.5pt solid #000000" fo:padding="0.08cm" style:vertical-align="middle"/></style:style>
<style:style style:name="Pc" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/></style:style>
<style:style style:name="Pl" style:family="paragraph"><style:paragraph-properties fo:text-align="justify"/></style:style>
<style:style style:name="Title" style:family="paragraph"><style:paragraph-properties fo:text-align="center" fo:margin-bottom="0.4cm"/><style:text-properties style:font-name="黑体" fo:font-size="16pt" style:font-name-asian="黑体" style:font-size-asian="16pt"/></style:style>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/></office:master-styles>
<office:body><office:text>
<text:p>附件2</text:p>
<text:p text:style-name="Title">南阳市生态环境局政务服务事项</text:p>
<text:p text:style-name="Title">“全程辅导、帮办代办”申请表</text:p>
<table:table table:name="申请表" table:style-name="Tbl">
${widths.map((_, i) => `<table:table-column table:style-name="Col${i}"/>`).join('')}
${rows.join('\n')}
</table:table>
</office:text></office:body></office:document>
`;
}

/**
 * The advance widths of STSong-Light's proportional Latin (CIDs 1–95 of Adobe-GB1, U+0020–U+007E), in
 * 1/1000 em, as iText and ReportLab write them into /W. Writing 500 for all of them instead would be
 * wrong: a W (972) overprints the character after it in every viewer.
 */
const STSONG_ASCII = [
  207, 270, 342, 467, 462, 797, 710, 239, 374, 374, 423, 605, 238, 375, 238, 334,
  462, 462, 462, 462, 462, 462, 462, 462, 462, 462, 238, 238, 605, 605, 605, 344,
  748, 684, 560, 695, 739, 563, 511, 729, 793, 318, 312, 666, 526, 896, 758, 772,
  544, 772, 628, 465, 607, 753, 711, 972, 647, 620, 607, 374, 333, 374, 606, 500,
  239, 417, 503, 427, 529, 415, 264, 444, 518, 241, 230, 495, 228, 793, 527, 524,
  524, 504, 338, 336, 277, 517, 450, 652, 466, 452, 407, 370, 258, 370, 605,
];

/**
 * A PDF written object by object: text in STSong-Light, not embedded, through UniGB-UCS2-H (as
 * older office exporters and form tools write it), a 4-column table, check boxes drawn as squares:
 * ticked with a stroked √, filled, crossed, or empty. No glyph of the boxes is in the text layer.
 */
export function cidPdf(r, { marks = ['tick', 'fill', 'cross'] } = {}) {
  const W = 595.28;
  const H = 841.89;
  const ops = [];
  const hex = (s) => [...s].map((c) => c.codePointAt(0).toString(16).padStart(4, '0')).join('');
  // ASCII is proportional (UniGB-UCS2-H maps U+0020–U+007E to CIDs 1–95), everything else full width
  const width = (s, size) => [...s].reduce((w, c) => w + (c.codePointAt(0) < 0x7f ? STSONG_ASCII[c.codePointAt(0) - 0x20] / 1000 : 1) * size, 0);
  const text = (s, x, y, size = 10.5) => ops.push(`BT /F1 ${size} Tf 1 0 0 1 ${x.toFixed(2)} ${y.toFixed(2)} Tm <${hex(s)}> Tj ET`);
  const line = (x1, y1, x2, y2) => ops.push(`${x1.toFixed(2)} ${y1.toFixed(2)} m ${x2.toFixed(2)} ${y2.toFixed(2)} l S`);
  /** Text wrapped to a width, lines from the top of a cell, centred or not. */
  const wrap = (s, w, size) => {
    const out = [];
    let cur = '';
    for (const c of s) {
      if (width(cur + c, size) > w) {
        out.push(cur);
        cur = '';
      }
      cur += c;
    }
    if (cur) out.push(cur);
    return out;
  };
  const left = 60;
  const colW = [88, 160, 88, 139.28];
  const xs = colW.reduce((a, w) => [...a, a[a.length - 1] + w], [left]);
  text('附件2', left, H - 60, 12);
  const title1 = '南阳市生态环境局政务服务事项';
  const title2 = '“全程辅导、帮办代办”申请表';
  text(title1, (W - width(title1, 16)) / 2, H - 95, 16);
  text(title2, (W - width(title2, 16)) / 2, H - 117, 16);
  ops.push('0.6 w');
  let y = H - 140;
  /** One table row: cells as [text, firstCol, lastCol, {center, boxes}]; returns the row's height. */
  const row = (cells, minH = 34) => {
    const size = 10.5;
    const laid = cells.map(([s, a, b, o = {}]) => {
      const w = xs[b + 1] - xs[a] - 8;
      const ls = o.boxes ? o.boxes.map((x) => x.label) : String(s).split('\n').flatMap((p) => wrap(p, w - (o.boxes ? 14 : 0), size));
      return { s, a, b, o, ls, w };
    });
    const h = Math.max(minH, ...laid.map((c) => c.ls.length * size * 1.45 + 10));
    for (const c of laid) {
      const x0 = xs[c.a];
      const top = y - (h - c.ls.length * size * 1.45) / 2;
      c.ls.forEach((l, i) => {
        const ly = top - (i + 1) * size * 1.45 + 3;
        if (c.o.boxes) {
          const bx = x0 + 6;
          const by = ly - 1;
          const s = 8;
          ops.push(`${bx} ${by} ${s} ${s} re S`);
          const m = c.o.boxes[i].mark;
          if (m === 'tick') line(bx + 1.5, by + 4, bx + 3.5, by + 1.5), line(bx + 3.5, by + 1.5, bx + 7, by + 7);
          if (m === 'fill') ops.push(`${bx + 1.5} ${by + 1.5} ${s - 3} ${s - 3} re f`);
          if (m === 'cross') line(bx + 1, by + 1, bx + 7, by + 7), line(bx + 1, by + 7, bx + 7, by + 1);
          text(l, bx + 12, ly, size);
        } else text(l, c.o.center ? x0 + (xs[c.b + 1] - x0 - width(l, size)) / 2 : x0 + 4, ly, size);
      });
      // borders: each cell's own four sides, as many producers draw them
      line(x0, y, xs[c.b + 1], y);
      line(x0, y - h, xs[c.b + 1], y - h);
      line(x0, y, x0, y - h);
      line(xs[c.b + 1], y, xs[c.b + 1], y - h);
    }
    y -= h;
  };
  let k = 0;
  const boxes = SERVICES.map((o) => ({ label: o, mark: r.services.includes(o) ? marks[k++ % marks.length] : 'none' }));
  const C = { center: true };
  row([['申请单位名称（盖章）', 0, 0, C], [r.applicant.name, 1, 3]]);
  row([['申请单位地址', 0, 0, C], [r.applicant.address, 1, 3]]);
  row([['统一社会信用代码', 0, 0, C], [r.applicant.creditCode, 1, 1], ['法人或主要负责人', 2, 2, C], [r.applicant.legalRepresentative, 3, 3]]);
  row([['经办人', 0, 0, C], [r.handler.name, 1, 1], ['联系电话', 2, 2, C], [r.handler.phone, 3, 3]]);
  row([['申请办理政务服务事项名称', 0, 0, C], [r.serviceItem, 1, 3]]);
  row([['全程辅导事项名称（选填）', 0, 0, C], [r.guidanceItem ?? '', 1, 3]]);
  row([['代办内容', 0, 0, C], ['', 1, 3, { boxes }]]);
  row([['申请日期', 0, 0, C], [cnDate(r.applicationDate), 1, 3]]);
  row([['以下内容由行政审批工作人员（帮办代办人员）填写', 0, 3, C]], 26);
  row([['代办人', 0, 0, C], [r.proxy?.name ?? '', 1, 1], ['代办申请接收时间', 2, 2, C], [r.proxy ? cnTime(r.proxy.receivedAt) : '', 3, 3]]);
  const content = ops.join('\n');
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${W} ${H}] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>`,
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>',
    `<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 7 0 R /DW 1000 /W [1 [${STSONG_ASCII.join(' ')}]] >>`,
    '<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>',
  ];
  let pdf = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets = [];
  objs.forEach((o, i) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}
