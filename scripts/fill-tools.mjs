/**
 * Fill bangban's fillable form with other programs, as an office's script would: pdftk-java
 * (fill_form with XFDF) and pypdf (/usr/bin/python3). Used by scripts/make-filled-forms.mjs and the
 * tests (test/fillable-tools.test.ts). Values are what a person types: each field's printed text.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether a command runs (`pdftk --version`, `python3 -c 'import pypdf'`). */
export function toolWorks(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.status === 0;
}
export const hasPdftk = () => toolWorks('pdftk', ['--version']);
export const hasPypdf = () => toolWorks('/usr/bin/python3', ['-c', 'import pypdf']);

/** Field values for a record: text fields by dotted path (printed form), ticked checkboxes `<list>.<option>`. */
export function fieldValues(kind, record) {
  const text = {};
  const checked = [];
  const dotted = (p) => p.slice(1).replaceAll('/', '.');
  const at = (p) => p.slice(1).split('/').reduce((o, k) => (o == null ? undefined : o[k]), record);
  for (const leaf of kind.schema.leaves()) {
    const v = at(leaf.pointer);
    if (typeof v === 'string') text[dotted(leaf.pointer)] = kind.schema.display(leaf.pointer, v);
    else if (Array.isArray(v)) for (const o of v) checked.push(`${dotted(leaf.pointer)}.${o}`);
  }
  return { text, checked };
}

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** XFDF (UTF-8) with the values; checkboxes take their on state, Yes. */
export function xfdf({ text, checked }) {
  const fields = [...Object.entries(text), ...checked.map((n) => [n, 'Yes'])].map(([n, v]) => `<field name="${esc(n)}"><value>${esc(v)}</value></field>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<xfdf xmlns="http://ns.adobe.com/xfdf/" xml:space="preserve">\n<fields>\n${fields.join('\n')}\n</fields>\n</xfdf>\n`;
}

/** A PDF text string: UTF-16BE with its byte order mark, in hex. */
const pdfText = (s) => `<FEFF${Array.from({ length: s.length }, (_, i) => s.charCodeAt(i).toString(16).padStart(4, '0')).join('')}>`;
/** FDF with the values (UTF-16 strings); checkboxes take their on state, /Yes. */
export function fdf({ text, checked }) {
  const fields = [...Object.entries(text).map(([n, v]) => `<< /T ${pdfText(n)} /V ${pdfText(v)} >>`), ...checked.map((n) => `<< /T ${pdfText(n)} /V /Yes >>`)];
  return `%FDF-1.2\n1 0 obj\n<< /FDF << /Fields [\n${fields.join('\n')}\n] >> >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`;
}

/** `pdftk form fill_form data.xfdf|data.fdf output out [need_appearances] [replacement_font font.ttf]`. */
export function fillWithPdftk(form, out, values, { needAppearances = false, format = 'xfdf', replacementFont } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pdftk-'));
  const data = join(dir, `data.${format}`);
  writeFileSync(data, format === 'fdf' ? fdf(values) : xfdf(values));
  const options = [...(needAppearances ? ['need_appearances'] : []), ...(replacementFont ? ['replacement_font', replacementFont] : [])];
  try {
    execFileSync('pdftk', [form, 'fill_form', data, 'output', out, ...options], { stdio: ['ignore', 'ignore', 'pipe'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * pypdf: PdfWriter.update_page_form_field_values with the fields' full names, which sets /V and
 * NeedAppearances and draws nothing. pypdf before 3.x's later releases matches only a field's last
 * name part (`name`, shared by applicant.name and handler.name), so a value it did not set is set
 * the same way by hand: /V on the field, /AS and /V for a checkbox.
 */
const PYPDF = String.raw`
import json, sys
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject
a = json.load(sys.stdin)
w = PdfWriter()
w.clone_reader_document_root(PdfReader(a['form']))
values = dict(a['text'])
values.update({n: '/Yes' for n in a['checked']})
for page in w.pages:
    w.update_page_form_field_values(page, values)
def full_name(o):
    parts = []
    while o is not None:
        if '/T' in o: parts.append(o['/T'])
        o = o.get('/Parent')
        o = o.get_object() if o is not None else None
    return '.'.join(reversed(parts))
for page in w.pages:
    for ref in page.get('/Annots', []):
        widget = ref.get_object()
        field = widget if '/T' in widget else widget['/Parent'].get_object()
        name = full_name(field)
        if name in a['text'] and field.get('/V') != a['text'][name]:
            field[NameObject('/V')] = TextStringObject(a['text'][name])
        elif name in a['checked']:
            field[NameObject('/V')] = NameObject('/Yes')
            widget[NameObject('/AS')] = NameObject('/Yes')
w.write(a['out'])
`;

export function fillWithPypdf(form, out, values) {
  execFileSync('/usr/bin/python3', ['-c', PYPDF], { input: JSON.stringify({ form, out, ...values }), stdio: ['pipe', 'ignore', 'pipe'] });
}
