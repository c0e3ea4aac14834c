import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PizZip from 'pizzip';
import { noStack } from './helpers/cli.js';

/** Runs the built command (npm test builds first), as a user would. */
function bangban(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/bangban.js', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const dir = mkdtempSync(join(tmpdir(), 'bangban-docx-cli-'));

describe('bangban render … .docx', () => {
  it('writes a blank application form with no data file', () => {
    const out = join(dir, 'blank.docx');
    const r = bangban('render', 'application', '-o', out);
    expect(r.code).toBe(0);
    expect(new PizZip(readFileSync(out)).file('word/document.xml')!.asText()).toContain('申请单位名称');
  });

  it('picks DOCX by --format whatever the extension', () => {
    const out = join(dir, 'roster.out');
    expect(bangban('render', 'roster', 'fixtures/roster/source.json', '-o', out, '--format', 'docx').code).toBe(0);
    expect(new PizZip(readFileSync(out)).file('word/document.xml')!.asText()).toContain('行政审批服务科');
  });

  it('a template error is one line naming the tag and the template, exit 2, no file', () => {
    const zip = new PizZip(readFileSync('templates/docx/roster.docx'));
    zip.file('word/document.xml', zip.file('word/document.xml')!.asText().replace('{department}', '{dept}'));
    const template = join(dir, '名单.docx');
    writeFileSync(template, zip.generate({ type: 'nodebuffer' }));
    const out = join(dir, 'never.docx');
    const r = bangban('render', 'roster', 'fixtures/roster/source.json', '-o', out, '--template', template);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('名单.docx');
    expect(r.stderr).toContain('{dept}');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    noStack(r.stderr);
    expect(existsSync(out)).toBe(false);
  });

  it('docx-templates writes a template per kind', () => {
    const r = bangban('docx-templates', 'application', '-o', join(dir, 'tpl'));
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'tpl', 'application.docx'))).toBe(true);
  });
});
