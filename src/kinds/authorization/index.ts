import type { KindDefinition } from '../../core/kind.js';
import { NANYANG } from '../places.js';
import { ECO_TERMS } from '../terms.js';
import type { Issue } from '../../core/errors.js';
import { chineseDate } from '../../core/dates.js';
import { issueAt } from '../../core/rules.js';
import { templateBlocks } from '../../text/index.js';
import { fromApplication } from './prefill.js';

/** 授权委托书: the unit authorises its 经办人 (民法典第一百六十五条); wording in templates/authorization.hbs. */
export const authorization: KindDefinition = {
  name: 'authorization',
  title: '授权委托书',
  schemaFile: 'authorization.schema.json',
  page: 'official',
  wording: 'authorization',
  // Blank: every value a fill-in line (core/blank.ts), the standard 委托权限 printed.
  blankForm: true,
  demoFixture: 'authorization/typical.json',
  applicant: '/principal',
  lexicon: { ...NANYANG, terms: ECO_TERMS },
  fileName: '{principal.name}-{trustee.name}',
  layout: (v, kind) => templateBlocks('authorization', v, kind),
  rules(r, schema) {
    const errors: Issue[] = [];
    if (r.period.from > r.period.to) errors.push(issueAt(schema, '/period/to', `不能早于起始日期（${chineseDate(r.period.from)}）`));
    return { errors, warnings: [] };
  },
  prefill: { application: fromApplication },
};
