// Cases: the list (search, paging, masked ID numbers) and a case's page (the application form,
// its print preview and downloads, the 授权委托书 and the 一次性告知书 issued for it).
import { h, clear, formKey, toast, fmtTime } from './dom.js';
import { api, download } from './api.js';
import { schemaForm, kindSchema } from './form.js';

const CASE_KIND = 'application';

export async function casesPage() {
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const q = h('input', { type: 'search', id: 'case-q', placeholder: '申请单位名称或统一社会信用代码', value: params.get('q') ?? '' });
  const status = h('select', { id: 'case-status' }, h('option', { value: '' }, '全部状态'));
  const from = h('input', { type: 'date', id: 'case-from', title: '申请日期起' });
  const to = h('input', { type: 'date', id: 'case-to', title: '申请日期止' });
  const table = h('div');
  let page = 1;
  async function load() {
    const qs = new URLSearchParams({ q: q.value, status: status.value, from: from.value, to: to.value, page: String(page), size: '15' });
    const r = await api.get(`/api/cases?${qs}`);
    if (status.options.length === 1) for (const [k, v] of Object.entries(r.statuses)) status.append(h('option', { value: k }, v));
    const pages = Math.max(1, Math.ceil(r.total / r.size));
    clear(
      table,
      h(
        'table',
        { class: 'list' },
        h('thead', {}, h('tr', {}, ['编号', '申请单位', '统一社会信用代码', '办理事项', '经办人', '受托人身份证号', '申请日期', '状态', '更新时间'].map((t) => h('th', {}, t)))),
        h(
          'tbody',
          {},
          r.rows.length
            ? r.rows.map((c) =>
                h(
                  'tr',
                  { class: 'clickable', onclick: () => (location.hash = `#/case/${c.id}`) },
                  h('td', {}, String(c.id)),
                  h('td', {}, h('a', { href: `#/case/${c.id}` }, c.applicantName || '（未填写）')),
                  h('td', { class: 'mono' }, c.creditCode),
                  h('td', {}, c.serviceItem),
                  h('td', {}, c.handler),
                  h('td', { class: 'mono' }, c.trusteeId ?? ''),
                  h('td', { class: 'nowrap' }, c.applicationDate),
                  h('td', {}, h('span', { class: `badge ${c.status}` }, r.statuses[c.status])),
                  h('td', { class: 'nowrap' }, fmtTime(c.updatedAt)),
                ),
              )
            : h('tr', {}, h('td', { colspan: 9, class: 'muted center' }, '没有符合条件的案件')),
        ),
      ),
      h(
        'div',
        { class: 'pager' },
        h('span', {}, `共 ${r.total} 件，第 ${page} / ${pages} 页`),
        h('button', { class: 'secondary small', disabled: page <= 1, onclick: () => (page--, load()) }, '上一页'),
        h('button', { class: 'secondary small', disabled: page >= pages, onclick: () => (page++, load()) }, '下一页'),
      ),
    );
  }
  const search = (e) => (e?.preventDefault(), (page = 1), load());
  await load();
  return h(
    'div',
    {},
    h('div', { class: 'page-head' }, h('h2', {}, '案件列表'), h('a', { class: 'button', href: '#/new' }, '新建申请')),
    h('form', { class: 'filters', onsubmit: search }, q, status, h('span', { class: 'muted' }, '申请日期'), from, h('span', {}, '至'), to, h('button', { type: 'submit' }, '查询')),
    table,
  );
}

/** Preview area: the PDF itself in the page. */
function previewBox() {
  const box = h('div', { class: 'preview hidden' });
  return {
    el: box,
    async show(path, record) {
      const r = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(record) });
      if (!r.ok) throw new Error((await r.json()).map?.((i) => `${i.label}：${i.message}`).join('；') ?? '无法预览');
      const url = URL.createObjectURL(await r.blob());
      clear(box, h('div', { class: 'preview-head' }, '打印预览', h('button', { class: 'link', onclick: () => box.classList.add('hidden') }, '关闭')), h('iframe', { src: url, title: '打印预览', class: 'pdf' }));
      box.classList.remove('hidden');
      box.scrollIntoView({ block: 'start' });
    },
  };
}

function downloads(kind, value, blankToo) {
  const go = (format, blank) => async () => {
    try {
      await download('POST', `/api/documents/${kind}?format=${format}${blank ? '&blank=1' : ''}`, blank ? undefined : value());
    } catch (e) {
      toast(e.message, 'error');
    }
  };
  return [
    h('button', { type: 'button', class: 'secondary', 'data-action': `${kind}-pdf`, onclick: go('pdf') }, '下载 PDF'),
    h('button', { type: 'button', class: 'secondary', 'data-action': `${kind}-docx`, onclick: go('docx') }, '下载 Word'),
    blankToo ? h('button', { type: 'button', class: 'link', onclick: go('pdf', true) }, '空白表 PDF') : null,
    blankToo ? h('button', { type: 'button', class: 'link', onclick: go('docx', true) }, '空白表 Word') : null,
  ];
}

export async function casePage(id) {
  const schema = await kindSchema(CASE_KIND);
  const data = id ? await api.get(`/api/cases/${id}`) : null;
  const key = formKey();
  const status = h('span', { class: 'form-status muted' });
  const form = schemaForm(CASE_KIND, schema, data?.case.record ?? {}, {
    onValidated: (r) => clear(status, r.valid ? h('span', { class: 'ok' }, '✓ 填写完整，可以打印') : `还有 ${r.errors.length} 处需要填写或更正`),
  });
  const preview = previewBox();
  async function save() {
    const record = form.value();
    const v = await form.validate();
    form.showAll();
    try {
      if (id) {
        await api.put(`/api/cases/${id}`, { record });
        toast(v.valid ? '已保存' : '已保存为草稿（尚有未填或有误的项目）');
      } else {
        const r = await api.post('/api/cases', { record }, { 'idempotency-key': key });
        toast(v.valid ? '已保存' : '已保存为草稿');
        location.hash = `#/case/${r.case.id}`;
      }
    } catch (e) {
      toast(e.message, 'error');
    }
  }
  async function print() {
    const v = await form.validate();
    form.showAll();
    if (!v.valid) return toast('申请表还有未填或有误的项目，请先更正', 'error');
    try {
      await preview.show(`/api/documents/${CASE_KIND}?format=pdf&inline=1`, form.value());
    } catch (e) {
      toast(e.message, 'error');
    }
  }
  const head = h(
    'div',
    { class: 'page-head' },
    h('h2', {}, id ? `案件 ${id}：${data.case.applicantName || '（未填写）'}` : '新建申请'),
    data ? h('span', { class: `badge ${data.case.status}` }, data.statuses[data.case.status]) : null,
  );
  const actions = h(
    'div',
    { class: 'actions sticky' },
    h('button', { type: 'button', 'data-action': 'save', onclick: save }, id ? '保存' : '保存草稿'),
    h('button', { type: 'button', class: 'secondary', 'data-action': 'preview', onclick: print }, '打印预览'),
    downloads(CASE_KIND, form.value, true),
    status,
  );
  const parts = [head, h('section', { class: 'card' }, h('h3', {}, '政务服务事项“全程辅导、帮办代办”申请表'), form.el, actions), preview.el];
  if (id) parts.push(await lettersSection(id, data));
  void form.validate();
  return h('div', {}, parts);
}

async function lettersSection(id, data) {
  const list = h('table', { class: 'list', id: 'case-documents' }, h('thead', {}, h('tr', {}, ['文书', '文号', '来源', '经办人', '时间', ''].map((t) => h('th', {}, t)))));
  const titles = { application: '申请表', authorization: '授权委托书', notice: '补正材料一次性告知书', roster: '人员名单' };
  list.append(
    h(
      'tbody',
      {},
      data.documents.length
        ? data.documents.map((d) =>
            h(
              'tr',
              {},
              h('td', {}, titles[d.kind] ?? d.kind),
              h('td', { class: 'doc-number' }, d.docNumber ?? '—'),
              h('td', {}, d.ingestId ? h('a', { href: `#/ingest/${d.ingestId}`, 'data-source': 'ingest' }, '上传识别') : '本窗口出具'),
              h('td', {}, d.createdBy),
              h('td', {}, fmtTime(d.createdAt)),
              h('td', {}, h('button', { class: 'link', onclick: () => download('GET', `/api/letters/${d.id}/file?format=pdf`).catch((e) => toast(e.message, 'error')) }, 'PDF'), h('button', { class: 'link', onclick: () => download('GET', `/api/letters/${d.id}/file?format=docx`).catch((e) => toast(e.message, 'error')) }, 'Word')),
            ),
          )
        : h('tr', {}, h('td', { colspan: 6, class: 'muted center' }, '尚未出具或归入文书')),
    ),
  );
  const slot = h('div');
  const open = (fn) => async () => clear(slot, await fn(id));
  return h(
    'section',
    { class: 'card' },
    h('h3', {}, '本案件的文书（出具的与上传识别后归入的）'),
    list,
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', 'data-action': 'authorization', onclick: open(authorizationForm) }, '出具授权委托书'), h('button', { type: 'button', class: 'secondary', 'data-action': 'notice', onclick: open(noticeForm) }, '出具一次性告知书')),
    slot,
  );
}

async function letterForm(id, kind, title, initial, opts = {}) {
  const schema = await kindSchema(kind);
  const key = formKey();
  const form = schemaForm(kind, schema, initial, { hide: opts.hide });
  const issue = async (btn) => {
    const v = await form.validate();
    form.showAll();
    const errors = v.errors.filter((e) => !opts.hide?.some((p) => e.path === p));
    if (errors.length) return toast(`${title}还有未填或有误的项目`, 'error');
    btn.disabled = true;
    try {
      const r = await api.post(`/api/cases/${id}/documents/${kind}`, { record: form.value() }, { 'idempotency-key': key });
      toast(`已出具${title}${r.document.docNumber ? `：${r.document.docNumber}` : ''}`);
      location.hash = `#/case/${id}`;
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (e) {
      btn.disabled = false;
      if (e.issues) form.showIssues(e.issues);
      toast(e.message, 'error');
    }
  };
  return { form, el: (extra) => h('div', { class: 'letter' }, h('h3', {}, title), extra, form.el, h('div', { class: 'actions' }, h('button', { type: 'button', 'data-action': `issue-${kind}`, onclick: (e) => issue(e.currentTarget) }, `出具${title}`))) };
}

async function authorizationForm(id) {
  const pre = await api.get(`/api/cases/${id}/prefill/authorization`);
  const f = await letterForm(id, 'authorization', '授权委托书', pre.record);
  return f.el(h('p', { class: 'muted' }, '已从申请表带入委托单位、受托人（经办人）、委托事项和日期；请补填受托人身份证号码和委托期限。'));
}

async function noticeForm(id) {
  const pre = await api.get(`/api/cases/${id}/prefill/notice`);
  const today = new Date().toISOString().slice(0, 10);
  const f = await letterForm(id, 'notice', '一次性告知书', { ...pre.record, issueDate: today, issuer: '南阳市生态环境局' }, { hide: ['/docNumber'] });
  const catalog = await api.get('/api/materials');
  const rows = f.form.field('/materials').rows;
  const picker = h(
    'div',
    { class: 'picker' },
    h('div', { class: 'label' }, '从材料清单选择需补正的材料（可再修改或添加）：'),
    catalog.length
      ? catalog.map((m) =>
          h('button', { type: 'button', class: 'chip', 'data-material': m.name, onclick: (e) => (rows.add({ name: m.name, copies: m.copies ?? undefined, requirement: m.requirement ?? undefined, howToObtain: m.howToObtain }), (e.currentTarget.disabled = true), f.form.validate()) }, `＋ ${m.name}`),
        )
      : h('span', { class: 'muted' }, '材料清单为空，可在“材料清单”页添加'),
  );
  return f.el([h('p', { class: 'muted' }, '文号在出具时按年度顺序自动编号（宛环审告〔年份〕N号）。'), picker]);
}
