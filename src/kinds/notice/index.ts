import type { KindDefinition } from '../../core/kind.js';
import type { Issue } from '../../core/errors.js';
import { chineseDate } from '../../core/dates.js';
import { issueAt } from '../../core/rules.js';
import { templateBlocks } from '../../text/index.js';
import { DOC_NUMBER, normalizeDocNumber } from './docNumber.js';

/** 补正材料一次性告知书 (行政许可法第三十二条): wording in templates/notice.hbs. */
export const notice: KindDefinition = {
  name: 'notice',
  title: '补正材料一次性告知书',
  schemaFile: 'notice.schema.json',
  page: 'official',
  wording: 'notice',
  blankForm: false,
  demoFixture: 'notice/six-materials.json',
  applicant: '/applicant',
  fileName: '{docNumber}-{applicant.name}',
  layout(v, kind) {
    const record = v.raw('') as Record<string, unknown>;
    const docNumber = typeof record.docNumber === 'string' ? normalizeDocNumber(record.docNumber) : record.docNumber;
    return templateBlocks('notice', kind.values({ ...record, docNumber }, v.blank), kind);
  },
  rules(r, schema) {
    const errors: Issue[] = [];
    if (!DOC_NUMBER.test(normalizeDocNumber(r.docNumber))) errors.push(issueAt(schema, '/docNumber', '应写作“机关代字〔年份〕序号号”，如 宛环审告〔2026〕12号'));
    if (r.materials.length === 0) errors.push(issueAt(schema, '/materials', '至少应列出一项需补正的材料'));
    r.materials.forEach((m: { copies?: number }, i: number) => {
      if (m.copies !== undefined && m.copies < 1) errors.push(issueAt(schema, `/materials/${i}/copies`, '至少为 1 份'));
    });
    if (r.deadline <= r.receivedDate) errors.push(issueAt(schema, '/deadline', `应晚于收件日期（${chineseDate(r.receivedDate)}）`));
    if (r.issueDate < r.receivedDate) errors.push(issueAt(schema, '/issueDate', `不能早于收件日期（${chineseDate(r.receivedDate)}）`));
    return { errors, warnings: [] };
  },
};
