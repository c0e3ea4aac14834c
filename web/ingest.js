// Reading forms back: upload PDFs, scans or photos; review each result beside its page image,
// correct the fields the reader flagged, accept as a case or send back with a reason.
import { h, clear, toast, fmtTime, busy } from './dom.js';
import { api } from './api.js';
import { schemaForm, kindSchema } from './form.js';

const STATUS = { queued: '识别中', parsed: '待核对', failed: '无法读取', accepted: '已接收', rejected: '已退回' };

export async function ingestPage() {
  const file = h('input', { type: 'file', id: 'ingest-files', multiple: true, accept: '.pdf,.jpg,.jpeg,.png,.tif,.tiff,.webp' });
  const list = h('tbody');
  const load = async () =>
    clear(
      list,
      (await api.get('/api/ingest')).map((i) =>
        h(
          'tr',
          { 'data-ingest': i.id },
          h('td', {}, i.status === 'parsed' || i.status === 'accepted' ? h('a', { href: `#/ingest/${i.id}` }, i.fileName) : i.fileName),
          h('td', {}, h('span', { class: `badge ${i.status}` }, STATUS[i.status])),
          h('td', {}, i.kind ? { application: '申请表', authorization: '授权委托书', notice: '告知书', roster: '人员名单' }[i.kind] ?? i.kind : ''),
          h('td', {}, i.review ? h('span', { class: 'warn' }, `${i.review} 项需核对`) : i.status === 'parsed' ? (i.valid ? '有效' : '有误') : ''),
          h('td', {}, i.reason ?? (i.caseId ? h('a', { href: `#/case/${i.caseId}` }, `案件 ${i.caseId}`) : '')),
          h('td', {}, `${i.createdBy} ${fmtTime(i.createdAt)}`),
        ),
      ),
    );
  const upload = async (e) => {
    e.preventDefault();
    if (!file.files.length) return toast('请选择文件', 'error');
    const fd = new FormData();
    for (const f of file.files) fd.append('files', f, f.name);
    await busy(e.submitter, '正在识别…（扫描件每页约 2 秒）', async () => {
      const r = await api.post('/api/ingest', fd);
      file.value = '';
      const failed = r.items.filter((i) => i.status === 'failed').length;
      toast(`已识别 ${r.items.length - failed} 个文件${failed ? `，${failed} 个无法读取` : ''}`, failed ? 'error' : 'ok');
      await load();
    });
  };
  await load();
  return h(
    'div',
    {},
    h('div', { class: 'page-head' }, h('h2', {}, '上传识别')),
    h('section', { class: 'card' }, h('p', { class: 'muted' }, '可一次选择多个文件：bangban 生成的 PDF、可填写表单、其他软件导出的 PDF，以及扫描件和手机照片（PDF、JPEG、PNG、TIFF）。单个文件不超过 20 MB、10 页。'), h('form', { class: 'filters', onsubmit: upload }, file, h('button', { type: 'submit' }, '上传并识别'))),
    h('section', { class: 'card' }, h('table', { class: 'list' }, h('thead', {}, h('tr', {}, ['文件', '状态', '文书', '识别结果', '原因 / 案件', '上传'].map((t) => h('th', {}, t)))), list)),
  );
}

/** Where a read field sits on its page: fractions of the upright page, or undefined. */
const boxOf = (info) => {
  const b = info?.box;
  return b && [b.x, b.y, b.w, b.h].every((v) => typeof v === 'number' && v >= 0 && v <= 1) ? b : undefined;
};

/**
 * The page images with the flagged fields' regions outlined (set by position through the CSSOM:
 * the page's CSP allows no inline styles). `show(pointer)` turns to its page and picks its region.
 */
function pageView(id, flagged, fields, fileName) {
  const pages = [...new Set([1, ...flagged.map((p) => fields[p].page || 1)])].sort((a, b) => a - b);
  const img = h('img', { class: 'scan', alt: `原件：${fileName}` });
  const marks = h('div', { class: 'marks' });
  const nav = h('div', { class: 'page-nav' });
  let current = 0;
  const regions = new Map();
  function turn(n, pick) {
    current = n;
    img.src = `/api/ingest/${id}/pages/${n}`;
    clear(
      marks,
      flagged
        .filter((p) => (fields[p].page || 1) === n)
        .map((p) => {
          const b = boxOf(fields[p]);
          const r = h('div', { class: `region${p === pick ? ' picked' : ''}`, title: p, 'data-region': p });
          Object.assign(r.style, { left: `${b.x * 100}%`, top: `${b.y * 100}%`, width: `${b.w * 100}%`, height: `${b.h * 100}%` });
          regions.set(p, r);
          return r;
        }),
    );
    for (const b of nav.querySelectorAll('button')) b.disabled = Number(b.dataset.page) === n;
  }
  if (pages.length > 1) clear(nav, pages.map((n) => h('button', { type: 'button', class: 'secondary small', 'data-page': n, onclick: () => turn(n) }, `第 ${n} 页`)));
  turn(pages[0]);
  return {
    el: h('div', {}, nav, h('div', { class: 'page-view' }, h('div', { class: 'page-frame' }, img, marks))),
    show(pointer) {
      const n = fields[pointer].page || 1;
      if (n !== current) turn(n, pointer);
      for (const [p, r] of regions) r.classList.toggle('picked', p === pointer);
      regions.get(pointer)?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    },
  };
}

/** Which case an accepted file goes to: found by the applicant's 统一社会信用代码, picked, or new. */
function caseTarget(kindInfo, form) {
  const select = h('select', { id: 'case-target' });
  const find = h('input', { type: 'search', id: 'case-find', placeholder: '按名称或代码查找其他案件' });
  const fill = (cases, note) => {
    const keep = select.value;
    clear(
      select,
      h('option', { value: 'auto' }, '按统一社会信用代码自动归入'),
      h('option', { value: 'new' }, '新建案件'),
      cases.map((c) => h('option', { value: String(c.id) }, `案件 ${c.id}：${c.applicantName || '（未填写）'} ${c.creditCode ?? ''} ${c.applicationDate ?? ''}`)),
    );
    select.value = [...select.options].some((o) => o.value === keep) ? keep : cases.length === 1 && !note ? String(cases[0].id) : 'auto';
  };
  const search = async (q) => (q ? (await api.get(`/api/cases?${new URLSearchParams({ q, size: '20' })}`)).rows : []);
  const applicantCode = () => (kindInfo?.applicant ? String(form.get(`${kindInfo.applicant}/creditCode`) ?? '').trim().toUpperCase() : '');
  const refresh = async () => fill(await search(applicantCode()));
  void refresh().catch(() => fill([]));
  return {
    el: h(
      'div',
      { class: 'case-target' },
      h('label', { for: 'case-target' }, '归入案件'),
      select,
      find,
      h('button', { type: 'button', class: 'secondary small', onclick: async () => fill(await search(find.value.trim() || applicantCode())) }, '查找'),
    ),
    /** The accept request's choice. */
    choice: () => (select.value === 'new' ? { newCase: true } : /^\d+$/.test(select.value) ? { caseId: Number(select.value) } : {}),
    /** A 409 from the server: the cases to choose from. */
    ask(candidates) {
      fill(candidates, true);
      select.focus();
    },
  };
}

export async function reviewPage(id) {
  const { item } = await api.get(`/api/ingest/${id}`);
  const r = item.result;
  const [schema, kinds] = await Promise.all([kindSchema(r.kind), api.get('/api/kinds')]);
  const kindInfo = kinds.find((k) => k.name === r.kind);
  const form = schemaForm(r.kind, schema, r.record);
  const review = new Set(r.needsReview ?? []);
  const fields = r.fields ?? {};
  const flagged = Object.keys(fields).filter((p) => review.has(p) || fields[p].needsReview);
  // crops need every flagged field's place on its page; without them, the whole page as before
  const located = flagged.length > 0 && flagged.every((p) => boxOf(fields[p]));
  const view = located ? pageView(id, flagged, fields, item.fileName) : undefined;
  for (const pointer of flagged) {
    const info = fields[pointer];
    const conf = `识别置信度 ${Math.round(info.confidence * 100)}%（第 ${info.page} 页）`;
    form.mark(pointer, 'review', `⚠ 请核对：${conf}`);
    const f = form.field(pointer);
    if (!view || !f) continue;
    f.wrap.append(h('img', { class: 'crop', src: `/api/ingest/${id}/crop?${new URLSearchParams({ field: pointer })}`, alt: `原件中的“${pointer}”`, title: '原件中读取此项的位置（点击在整页中查看）', onclick: () => view.show(pointer) }));
    f.wrap.addEventListener('focusin', () => view.show(pointer));
  }
  for (const p of review) if (!fields[p]) form.mark(p, 'review', '⚠ 未读出，请对照原件填写');
  const image = view
    ? view.el
    : item.media === 'pdf'
      ? h('iframe', { class: 'scan', src: `/api/ingest/${id}/image`, title: '原件' })
      : h('img', { class: 'scan', src: `/api/ingest/${id}/image`, alt: `原件：${item.fileName}` });
  const reason = h('input', { id: 'reject-reason', placeholder: '退回原因，如：签章不清、缺页' });
  const target = caseTarget(kindInfo, form);
  const accept = async () => {
    const v = await form.validate();
    form.showAll();
    if (!v.valid) return toast('还有未填或有误的项目，请对照原件更正', 'error');
    try {
      const res = await api.post(`/api/ingest/${id}/accept`, { record: form.value(), ...target.choice() });
      toast(res.documentId ? `已归入案件 ${res.caseId}` : `已接收为案件 ${res.caseId}`);
      location.hash = `#/case/${res.caseId}`;
    } catch (e) {
      if (e.issues) form.showIssues(e.issues);
      if (e.status === 409 && e.body?.candidates) target.ask(e.body.candidates);
      toast(e.message, 'error');
    }
  };
  const reject = async () => {
    try {
      await api.post(`/api/ingest/${id}/reject`, { reason: reason.value });
      toast('已退回');
      location.hash = '#/ingest';
    } catch (e) {
      toast(e.message, 'error');
    }
  };
  void form.validate().then(() => form.showAll());
  const done = item.status !== 'parsed';
  const note = view ? '原件（黄框为需核对的项目，点击右侧的截图可在整页中定位）' : '原件（识别结果不含字段位置，无法单独截取字段，请对照整页核对黄色标出的项目）';
  return h(
    'div',
    {},
    h('div', { class: 'page-head' }, h('h2', {}, `核对：${item.fileName}`), h('span', { class: `badge ${item.status}` }, STATUS[item.status]), h('span', { class: 'muted' }, r.source === 'ocr' ? ` OCR 识别，${review.size} 项需核对` : ' 从 PDF 文字读取')),
    h(
      'div',
      { class: 'review-split' },
      h('div', { class: 'card scan-pane' }, h('div', { class: 'muted small' }, note), image),
      h(
        'div',
        { class: 'card' },
        form.el,
        done
          ? h('p', { class: 'muted' }, item.status === 'accepted' ? h('a', { href: `#/case/${item.caseId}` }, `已归入案件 ${item.caseId}`) : `已退回：${item.reason ?? ''}`)
          : h('div', {}, target.el, h('div', { class: 'actions' }, h('button', { type: 'button', 'data-action': 'accept', onclick: accept }, '核对无误，接收'), reason, h('button', { type: 'button', class: 'secondary', 'data-action': 'reject', onclick: reject }, '退回'))),
      ),
    ),
  );
}
