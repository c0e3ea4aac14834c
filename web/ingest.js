// Reading forms back: upload PDFs, scans or photos; review each result beside its page image,
// correct the fields the reader flagged, accept as a case or send back with a reason.
import { h, clear, toast, fmtTime, busy } from './dom.js';
import { api } from './api.js';
import { schemaForm, kindSchema } from './form.js';

const STATUS = { queued: '识别中', parsed: '待核对', failed: '无法读取', accepted: '已接收', rejected: '已退回' };
const CASE_KIND = 'application';

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

export async function reviewPage(id) {
  const { item } = await api.get(`/api/ingest/${id}`);
  const r = item.result;
  const schema = await kindSchema(r.kind);
  const form = schemaForm(r.kind, schema, r.record);
  const review = new Set(r.needsReview ?? []);
  for (const [pointer, info] of Object.entries(r.fields ?? {})) {
    const conf = `识别置信度 ${Math.round(info.confidence * 100)}%（第 ${info.page} 页）`;
    if (review.has(pointer) || info.needsReview) form.mark(pointer, 'review', `⚠ 请核对：${conf}`);
  }
  for (const p of review) if (!r.fields?.[p]) form.mark(p, 'review', '⚠ 未读出，请对照原件填写');
  const image =
    item.media === 'pdf'
      ? h('iframe', { class: 'scan', src: `/api/ingest/${id}/image`, title: '原件' })
      : h('img', { class: 'scan', src: `/api/ingest/${id}/image`, alt: `原件：${item.fileName}` });
  const reason = h('input', { id: 'reject-reason', placeholder: '退回原因，如：签章不清、缺页' });
  const accept = async () => {
    const v = await form.validate();
    form.showAll();
    if (!v.valid) return toast('还有未填或有误的项目，请对照原件更正', 'error');
    try {
      const res = await api.post(`/api/ingest/${id}/accept`, { record: form.value() });
      toast(`已接收为案件 ${res.caseId}`);
      location.hash = `#/case/${res.caseId}`;
    } catch (e) {
      if (e.issues) form.showIssues(e.issues);
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
  return h(
    'div',
    {},
    h('div', { class: 'page-head' }, h('h2', {}, `核对：${item.fileName}`), h('span', { class: `badge ${item.status}` }, STATUS[item.status]), h('span', { class: 'muted' }, r.source === 'ocr' ? ` OCR 识别，${review.size} 项需核对` : ' 从 PDF 文字读取')),
    h(
      'div',
      { class: 'review-split' },
      h('div', { class: 'card scan-pane' }, h('div', { class: 'muted small' }, '原件（识别结果不含字段位置，无法单独截取字段，请对照整页核对黄色标出的项目）'), image),
      h(
        'div',
        { class: 'card' },
        form.el,
        done
          ? h('p', { class: 'muted' }, item.status === 'accepted' ? h('a', { href: `#/case/${item.caseId}` }, `已接收为案件 ${item.caseId}`) : `已退回：${item.reason ?? ''}`)
          : h('div', { class: 'actions' }, r.kind === CASE_KIND ? h('button', { type: 'button', 'data-action': 'accept', onclick: accept }, '核对无误，接收为案件') : h('span', { class: 'muted' }, '只有申请表可以接收为案件'), reason, h('button', { type: 'button', class: 'secondary', 'data-action': 'reject', onclick: reject }, '退回')),
      ),
    ),
  );
}
