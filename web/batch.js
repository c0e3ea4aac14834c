// Batches: upload a spreadsheet, see each row's problems before rendering, run with a live progress bar, download.
import { h, clear, toast, fmtTime, busy } from './dom.js';
import { api, download } from './api.js';

const STATUS = { checked: '待生成', running: '生成中', done: '已完成', failed: '失败', interrupted: '已中断' };

function progressView(b) {
  const bar = h('progress', { max: String(b.total || 1), value: String(b.done), id: `progress-${b.id}` });
  const pct = h('span', { class: 'pct', 'data-pct': b.id }, `${Math.floor((100 * b.done) / (b.total || 1))} %`);
  const note = h('span', { class: 'muted' }, `${b.done} / ${b.total}`);
  return {
    el: h('div', { class: 'progress' }, bar, pct, note),
    update(s) {
      bar.max = s.total || 1;
      bar.value = s.done;
      pct.textContent = `${Math.floor((100 * s.done) / (s.total || 1))} %`;
      note.textContent = `${s.done} / ${s.total}`;
    },
  };
}

function batchCard(b, refresh) {
  const p = progressView(b);
  const state = h('span', { class: `badge ${b.status}`, 'data-status': b.id }, STATUS[b.status] ?? b.status);
  const body = h('div');
  const check = b.result?.check;
  const run = async () => {
    try {
      await api.post(`/api/batches/${b.id}/run`);
      follow();
    } catch (e) {
      toast(e.message, 'error');
    }
  };
  function follow() {
    state.textContent = STATUS.running;
    const es = new EventSource(`/api/batches/${b.id}/events`);
    es.onmessage = (ev) => {
      const s = JSON.parse(ev.data);
      p.update(s);
      state.textContent = STATUS[s.status] ?? s.status;
      state.className = `badge ${s.status}`;
      if (s.status !== 'running') {
        es.close();
        refresh();
      }
    };
    es.onerror = () => (es.close(), refresh());
  }
  const files = [
    ['zip', '全部文件 ZIP'],
    ['merged', '合并打印 PDF'],
    ['manifest-csv', '清单 CSV'],
    ['manifest-json', '清单 JSON'],
  ];
  clear(
    body,
    check?.problems?.length
      ? h(
          'details',
          { open: b.status === 'checked' },
          h('summary', {}, `检查发现 ${check.invalid} 条记录有问题（这些记录将不生成，其余照常生成）`),
          h('table', { class: 'list compact' }, h('thead', {}, h('tr', {}, ['第几条', '表格行号', '栏目', '问题'].map((t) => h('th', {}, t)))), h('tbody', {}, check.problems.flatMap((r) => r.issues.map((i) => h('tr', {}, h('td', {}, String(r.number)), h('td', {}, String(r.row)), h('td', {}, i.label), h('td', {}, i.message)))))),
        )
      : check
        ? h('p', { class: 'ok' }, `检查通过：${check.total} 条记录都可以生成`)
        : null,
    check?.notes?.length ? h('ul', { class: 'muted' }, check.notes.map((n) => h('li', {}, n))) : null,
    b.error ? h('div', { class: 'alert' }, b.error) : null,
    b.status === 'done' && b.result?.summary ? h('p', {}, `生成 ${b.result.summary.ok + (b.result.summary.unchanged ?? 0)} 份，无效 ${b.result.summary.invalid}，失败 ${b.result.summary.failed}`) : null,
    h(
      'div',
      { class: 'actions' },
      b.status === 'checked' ? h('button', { type: 'button', 'data-action': 'run-batch', onclick: run }, '开始生成') : null,
      b.status === 'interrupted' || b.status === 'failed' ? h('button', { type: 'button', onclick: run }, '继续') : null,
      b.status === 'done' ? files.map(([what, label]) => h('button', { type: 'button', class: 'secondary', 'data-download': what, onclick: () => download('GET', `/api/batches/${b.id}/download/${what}`).catch((e) => toast(e.message, 'error')) }, label)) : null,
    ),
  );
  const card = h('section', { class: 'card batch', 'data-batch': b.id }, h('div', { class: 'batch-head' }, h('strong', {}, b.fileName), h('span', { class: 'muted' }, ` ${b.total} 条 · ${fmtTime(b.createdAt)} · ${b.createdBy}`), state), p.el, body);
  if (b.status === 'running') follow();
  return card;
}

export async function batchPage() {
  const kinds = await api.get('/api/kinds');
  const kind = h('select', { id: 'batch-kind' }, kinds.map((k) => h('option', { value: k.name, selected: k.name === 'notice' }, k.title)));
  const file = h('input', { type: 'file', id: 'batch-file', accept: '.xlsx,.csv,.jsonl,.json' });
  const list = h('div');
  const refresh = async () => clear(list, (await api.get('/api/batches')).map((b) => batchCard(b, refresh)));
  const upload = async (e) => {
    e.preventDefault();
    if (!file.files.length) return toast('请选择数据文件', 'error');
    const fd = new FormData();
    fd.append('file', file.files[0]);
    await busy(e.submitter, '正在检查…', async () => {
      await api.post(`/api/batches?kind=${encodeURIComponent(kind.value)}`, fd);
      file.value = '';
      await refresh();
    });
  };
  await refresh();
  return h(
    'div',
    {},
    h('div', { class: 'page-head' }, h('h2', {}, '批量生成')),
    h(
      'section',
      { class: 'card' },
      h('p', { class: 'muted' }, '上传 Excel（.xlsx）、CSV 或 JSON Lines 文件：表头用中文栏目名（可用命令 bangban template 生成模板）。先检查每一行，再生成；可下载 ZIP、合并打印 PDF 和清单。'),
      h('form', { class: 'filters', onsubmit: upload }, h('label', { for: 'batch-kind' }, '文书'), kind, file, h('button', { type: 'submit' }, '上传并检查')),
    ),
    list,
  );
}
