// The desk's shell: login, the navigation, and a page per hash route (#/cases, #/case/3 …).
import { h, clear } from './dom.js';
import { api } from './api.js';
import { casesPage, casePage } from './cases.js';
import { batchPage } from './batch.js';
import { ingestPage, reviewPage } from './ingest.js';
import { materialsPage, auditPage } from './admin.js';

const root = document.getElementById('root');
let me;

const NAV = [
  ['#/cases', '案件列表'],
  ['#/new', '新建申请'],
  ['#/batch', '批量生成'],
  ['#/ingest', '上传识别'],
  ['#/materials', '材料清单'],
  ['#/audit', '操作日志', 'admin'],
];

const routes = [
  [/^#\/cases$/, () => casesPage()],
  [/^#\/new$/, () => casePage(null)],
  [/^#\/case\/(\d+)$/, (m) => casePage(Number(m[1]))],
  [/^#\/batch$/, () => batchPage()],
  [/^#\/ingest$/, () => ingestPage()],
  [/^#\/ingest\/([0-9a-f-]{36})$/, (m) => reviewPage(m[1])],
  [/^#\/materials$/, () => materialsPage()],
  [/^#\/audit$/, () => auditPage(me)],
];

function loginPage() {
  const name = h('input', { id: 'login-name', autocomplete: 'username', required: true });
  const password = h('input', { id: 'login-password', type: 'password', autocomplete: 'current-password', required: true });
  const msg = h('div', { class: 'field-error', role: 'alert' });
  const form = h(
    'form',
    {
      class: 'login',
      onsubmit: async (e) => {
        e.preventDefault();
        try {
          me = (await api.post('/api/login', { name: name.value, password: password.value })).user;
          location.hash = '#/cases';
          route();
        } catch (err) {
          clear(msg, err.message);
        }
      },
    },
    h('h1', {}, '帮办代办工作台'),
    h('p', { class: 'muted' }, '南阳市生态环境局 · 政务服务“全程辅导、帮办代办”'),
    h('label', { for: 'login-name' }, '用户名'),
    name,
    h('label', { for: 'login-password' }, '密码'),
    password,
    msg,
    h('button', { type: 'submit' }, '登录'),
  );
  clear(root, h('div', { class: 'login-wrap' }, form));
  name.focus();
}

function shell(page) {
  const here = location.hash.replace(/\/[^/]*$/, '') || location.hash;
  const nav = h(
    'nav',
    { class: 'side' },
    NAV.filter(([, , role]) => !role || me.role === role).map(([href, text]) => h('a', { href, class: location.hash === href || here === href || (href === '#/cases' && here === '#/case') ? 'active' : '' }, text)),
  );
  const top = h(
    'header',
    { class: 'top' },
    h('div', { class: 'brand' }, h('span', { class: 'seal' }, '帮'), '帮办代办工作台'),
    h('div', { class: 'org' }, '南阳市生态环境局政务服务窗口'),
    h('div', { class: 'who' }, `${me.name}（${me.role === 'admin' ? '管理员' : '工作人员'}）`, h('button', { class: 'link', onclick: async () => (await api.post('/api/logout'), (me = undefined), (location.hash = '#/login')) }, '退出')),
  );
  const main = h('main', { class: 'main' }, page);
  clear(root, top, h('div', { class: 'body' }, nav, main));
}

async function route() {
  if (!location.hash || location.hash === '#/') location.hash = '#/cases';
  if (location.hash === '#/login') return loginPage();
  if (!me) {
    try {
      me = (await api.get('/api/me')).user;
    } catch {
      return loginPage();
    }
  }
  for (const [re, page] of routes) {
    const m = re.exec(location.hash);
    if (m) {
      const el = h('div', { class: 'page' }, h('p', { class: 'muted' }, '加载中…'));
      shell(el);
      try {
        clear(el, await page(m));
      } catch (e) {
        if (e.status !== 401) clear(el, h('div', { class: 'alert' }, e.message));
      }
      return;
    }
  }
  shell(h('div', { class: 'alert' }, '找不到该页面'));
}

window.addEventListener('hashchange', route);
route();
