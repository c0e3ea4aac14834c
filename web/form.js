// A form generated from a kind's JSON Schema: the schema's Chinese titles as labels, inputs by type
// and format, the service boxes from the enum, lists of objects as rows. Validation is the server's
// (POST /api/validate/:kind), so the messages are the CLI's, word for word.
import { h, clear, debounce } from './dom.js';
import { api } from './api.js';

const INPUT_TYPE = { date: 'date', 'date-minute': 'datetime-local', phone: 'tel' };
const WIDE = 150; // fields allowing longer text take a whole row

/** The value of a JSON pointer inside a record. */
function getAt(obj, pointer) {
  return pointer.split('/').slice(1).reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

export function schemaForm(kind, schema, initial = {}, opts = {}) {
  const fields = new Map(); // pointer → { wrap, input?, error, read() }
  const touched = new Set();
  let showAll = false;
  let lastIssues = [];
  const summary = h('div', { class: 'form-summary', 'aria-live': 'polite' });
  const onChange = debounce(() => validate(), 250);

  function field(pointer, s, value, required) {
    const id = `f${pointer.replace(/[^\w]/g, '_')}`;
    const error = h('div', { class: 'field-error', id: `${id}-err` });
    const label = h('label', { for: id }, s.title ?? pointer, required ? h('span', { class: 'req', title: '必填' }, ' *') : '');
    let input;
    let read;
    if (s.type === 'array' && s.items?.enum) {
      // checkbox group: one box per option, in the schema's order
      const boxes = s.items.enum.map((opt) => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: opt, checked: Array.isArray(value) && value.includes(opt), 'data-pointer': pointer, onchange: () => touch(pointer) }), ` ${opt}`));
      input = h('div', { class: 'checks', id, role: 'group', 'aria-labelledby': `${id}-l` }, boxes);
      read = () => {
        const v = boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
        return v.length ? v : undefined;
      };
      const wrap = h('div', { class: 'field wide' }, h('span', { class: 'label', id: `${id}-l` }, s.title), input, error);
      fields.set(pointer, { wrap, error, read });
      return wrap;
    }
    if (s.type === 'array') {
      input = h('textarea', { id, rows: 4, 'data-pointer': pointer, placeholder: s.default ? `留空则为：\n${s.default.join('\n')}` : '每行一项', oninput: () => touch(pointer) });
      input.value = Array.isArray(value) ? value.join('\n') : '';
      read = () => {
        const v = input.value.split('\n').map((x) => x.trim()).filter(Boolean);
        return v.length ? v : undefined;
      };
    } else {
      const type = s.type === 'integer' ? 'number' : INPUT_TYPE[s.format] ?? 'text';
      input = h('input', { id, type, 'data-pointer': pointer, maxlength: s.maxLength, autocomplete: 'off', 'aria-describedby': `${id}-err`, oninput: () => touch(pointer), onblur: () => touch(pointer) });
      if (s.format === 'credit-code') input.placeholder = '18 位，如 91411300MA44ABCD5J';
      if (s.format === 'id-card') input.placeholder = '18 位身份证号码';
      input.value = value ?? '';
      read = () => {
        const v = input.value.trim();
        if (!v) return undefined;
        return s.type === 'integer' && /^-?\d+$/.test(v) ? Number(v) : v;
      };
    }
    const wrap = h('div', { class: `field${(s.maxLength ?? 0) >= WIDE || s.type === 'array' ? ' wide' : ''}` }, label, input, error);
    fields.set(pointer, { wrap, input, error, read });
    return wrap;
  }

  function objectRows(pointer, s, value, host) {
    const rows = [];
    const list = h('div', { class: 'rows' });
    const add = (v = {}) => {
      const i = rows.length;
      const p = `${pointer}/${i}`;
      const box = h('fieldset', { class: 'row' }, h('legend', {}, `${s.items.title ?? ''} 第 ${i + 1} 项`), group(p, s.items, v));
      const del = h('button', { type: 'button', class: 'small secondary', onclick: () => remove(i) }, '删除此项');
      box.append(del);
      rows.push(box);
      list.append(box);
    };
    const remove = (i) => {
      const values = read().filter((_, j) => j !== i);
      for (const k of [...fields.keys()]) if (k.startsWith(`${pointer}/`)) fields.delete(k);
      rows.length = 0;
      clear(list);
      values.forEach((v) => add(v));
      onChange();
    };
    const read = () => rows.map((_, i) => collect(`${pointer}/${i}`, s.items) ?? {});
    (Array.isArray(value) ? value : []).forEach((v) => add(v));
    const error = h('div', { class: 'field-error' });
    fields.set(pointer, { wrap: host, error, read: () => (rows.length ? read() : undefined), rows: { add, list } });
    return [list, h('button', { type: 'button', class: 'secondary', onclick: () => (add(), onChange()) }, `添加${s.items.title ?? '一项'}`), error];
  }

  function group(pointer, s, value = {}) {
    const req = new Set(s.required ?? []);
    const out = [];
    for (const [key, sub] of Object.entries(s.properties ?? {})) {
      if (opts.hide?.includes(`${pointer}/${key}`)) continue;
      const p = `${pointer}/${key}`;
      const v = value?.[key];
      if (sub.type === 'object') {
        const fs = h('fieldset', { class: 'group', 'data-pointer': p }, h('legend', {}, sub.title ?? key));
        const err = h('div', { class: 'field-error' });
        fields.set(p, { wrap: fs, error: err, read: () => collect(p, sub) });
        fs.append(h('div', { class: 'grid' }, group(p, sub, v)), err);
        out.push(fs);
      } else if (sub.type === 'array' && sub.items?.type === 'object') {
        const fs = h('fieldset', { class: 'group', 'data-pointer': p }, h('legend', {}, sub.title ?? key));
        fs.append(...objectRows(p, sub, v, fs));
        out.push(fs);
      } else out.push(field(p, sub, v, req.has(key)));
    }
    return out;
  }

  /** The record as typed: empty fields left out, so the server names what is missing. */
  function collect(pointer, s) {
    if (s.type === 'object') {
      const o = {};
      for (const key of Object.keys(s.properties ?? {})) {
        const p = `${pointer}/${key}`;
        const f = fields.get(p);
        const v = f && s.properties[key].type === 'object' ? collect(p, s.properties[key]) : f?.read();
        if (v !== undefined) o[key] = v;
      }
      return Object.keys(o).length ? o : undefined;
    }
    return fields.get(pointer)?.read();
  }

  function touch(pointer) {
    touched.add(pointer);
    onChange();
    opts.onInput?.();
  }

  /** Shows each problem under its field: on touched fields as one types, on all after a save. */
  function show(issues) {
    lastIssues = issues;
    for (const f of fields.values()) {
      clear(f.error);
      f.wrap.classList.remove('invalid');
    }
    const unplaced = [];
    for (const i of issues) {
      if (opts.hide?.includes(i.path)) continue;
      let p = i.path;
      while (p && !fields.has(p)) p = p.slice(0, p.lastIndexOf('/'));
      const f = fields.get(p);
      const visible = showAll || [...touched].some((t) => t === i.path || t.startsWith(`${i.path}/`) || i.path.startsWith(`${t}/`) || t === p);
      if (!visible) continue;
      if (f) {
        f.error.append(h('div', {}, p === i.path ? i.message : `${i.label}：${i.message}`));
        f.wrap.classList.add('invalid');
      } else unplaced.push(i);
    }
    clear(summary, unplaced.length ? h('ul', {}, unplaced.map((i) => h('li', {}, `${i.label}：${i.message}`))) : null);
  }

  async function validate() {
    const r = await api.post(`/api/validate/${kind}`, value());
    show(r.errors);
    opts.onValidated?.(r);
    return r;
  }

  const value = () => collect('', schema) ?? {};
  const el = h('form', { class: 'schema-form', novalidate: true, onsubmit: (e) => e.preventDefault() }, summary, h('div', { class: 'grid' }, group('', schema, initial)));
  return {
    el,
    value,
    validate,
    /** After a save attempt: every problem is shown. */
    showAll() {
      showAll = true;
      show(lastIssues);
    },
    showIssues(issues) {
      showAll = true;
      show(issues);
    },
    /** Marks fields (e.g. needsReview from a scan) with a class and a note. */
    mark(pointer, cls, note) {
      const f = fields.get(pointer);
      if (!f) return false;
      f.wrap.classList.add(cls);
      if (note) f.wrap.append(h('div', { class: 'field-note' }, note));
      return true;
    },
    field: (pointer) => fields.get(pointer),
    get: (pointer) => getAt(value(), pointer),
  };
}

const schemas = new Map();
export async function kindSchema(kind) {
  if (!schemas.has(kind)) schemas.set(kind, await api.get(`/api/kinds/${kind}/schema`));
  return schemas.get(kind);
}
