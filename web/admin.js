// The materials list staff pick from in a notice, and the audit log (administrators).
import { h, clear, toast, fmtTime } from './dom.js';
import { api } from './api.js';

export async function materialsPage() {
  const list = h('tbody');
  const load = async () =>
    clear(
      list,
      (await api.get('/api/materials')).map((m) =>
        h('tr', {}, h('td', {}, m.name), h('td', {}, m.copies ?? ''), h('td', {}, m.requirement ?? ''), h('td', {}, m.howToObtain), h('td', {}, h('button', { class: 'link', onclick: async () => (await api.del(`/api/materials/${m.id}`), load()) }, '删除'))),
      ),
    );
  const f = { name: h('input', { id: 'm-name', maxlength: 200 }), copies: h('input', { id: 'm-copies', type: 'number', min: 1 }), requirement: h('input', { id: 'm-req', maxlength: 200 }), howToObtain: h('input', { id: 'm-how', maxlength: 200 }) };
  const add = async (e) => {
    e.preventDefault();
    try {
      await api.post('/api/materials', { name: f.name.value, copies: f.copies.value || null, requirement: f.requirement.value || null, howToObtain: f.howToObtain.value });
      for (const i of Object.values(f)) i.value = '';
      await load();
    } catch (err) {
      toast(err.message, 'error');
    }
  };
  await load();
  return h(
    'div',
    {},
    h('div', { class: 'page-head' }, h('h2', {}, '材料清单')),
    h('p', { class: 'muted' }, '出具一次性告知书时从这里选择需补正的材料。'),
    h('section', { class: 'card' }, h('table', { class: 'list' }, h('thead', {}, h('tr', {}, ['材料名称', '份数', '要求', '补齐途径或方法', ''].map((t) => h('th', {}, t)))), list)),
    h(
      'section',
      { class: 'card' },
      h('h3', {}, '添加材料'),
      h('form', { class: 'grid', onsubmit: add }, h('div', { class: 'field wide' }, h('label', { for: 'm-name' }, '材料名称 *'), f.name), h('div', { class: 'field' }, h('label', { for: 'm-copies' }, '份数'), f.copies), h('div', { class: 'field' }, h('label', { for: 'm-req' }, '要求'), f.requirement), h('div', { class: 'field wide' }, h('label', { for: 'm-how' }, '补齐途径或方法 *'), f.howToObtain), h('div', { class: 'actions' }, h('button', { type: 'submit' }, '添加'))),
    ),
  );
}

const ACTIONS = { create: '新建', update: '修改', delete: '删除', print: '打印/下载', download: '下载', login: '登录', 'login-failed': '登录失败', ingest: '上传识别', reject: '退回', resume: '继续批量' };

export async function auditPage(me) {
  if (me.role !== 'admin') return h('div', { class: 'alert' }, '只有管理员可以查看操作日志');
  const r = await api.get('/api/audit');
  return h(
    'div',
    {},
    h('div', { class: 'page-head' }, h('h2', {}, '操作日志'), h('span', { class: 'muted' }, `共 ${r.total} 条，显示最近 ${r.rows.length} 条`)),
    h('section', { class: 'card' }, h('table', { class: 'list compact' }, h('thead', {}, h('tr', {}, ['时间', '人员', '操作', '对象', '说明'].map((t) => h('th', {}, t)))), h('tbody', {}, r.rows.map((a) => h('tr', {}, h('td', {}, fmtTime(a.at)), h('td', {}, a.user), h('td', {}, ACTIONS[a.action] ?? a.action), h('td', { class: 'mono' }, a.target), h('td', {}, a.detail)))))),
  );
}
