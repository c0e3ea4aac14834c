import type { KindDefinition } from '../../core/kind.js';
import { NANYANG } from '../places.js';
import { ECO_TERMS } from '../terms.js';
import type { Cell } from '../../core/model.js';
import { issueAt, sameName } from '../../core/rules.js';

export const LEGAL_CLAUSES = [
  '1. 申请人填报本表格视为同意授权委托审批工作人员(帮办代办人员)开展相关服务, 相关服务产生的法律后果及法律责任由申请人承担。',
  '2. 经办人非单位法人的, 应当提交授权委托书。',
];

/** 附件2: the application form, as the source table lays it out (7 columns). */
export const application: KindDefinition = {
  name: 'application',
  title: '政务服务事项“全程辅导、帮办代办”申请表',
  schemaFile: 'application.schema.json',
  page: 'form',
  blankForm: true,
  demoFixture: 'application/typical.json',
  applicant: '/applicant',
  lexicon: { ...NANYANG, terms: ECO_TERMS },
  fileName: '{applicant.name}',
  rules(r, schema) {
    const warnings = sameName(r.handler.name, r.applicant.legalRepresentative)
      ? []
      : [issueAt(schema, '/handler/name', `经办人不是法人或主要负责人（${r.applicant.legalRepresentative}），应当提交授权委托书（可用 bangban render authorization --from-application 生成）`)];
    return { errors: [], warnings };
  },
  layout(v, kind) {
    const label = (pointer: string, suffix = '', colSpan?: number, prefix = ''): Cell => ({ role: 'label', spans: [{ text: prefix + kind.fieldTitle(pointer) + suffix }], colSpan });
    const value = (path: string, extra: Partial<Cell> = {}): Cell => ({ role: 'value', spans: [v.span(path)], ...extra });
    const wide = (pointer: string, suffix = ''): [Cell, Cell] => [label(pointer, suffix, 2), value(pointer.slice(1), { colSpan: 5 })];
    return [
      { type: 'attachment', text: '附件 2' },
      { type: 'title', spans: [{ text: '南阳市生态环境局政务服务事项\n“全程辅导、帮办代办”申请表' }] },
      {
        type: 'table',
        widths: [0.95, 1.3, 2.6, 1.0, 1.9, 1.2, 1.7],
        rowHeight: 44,
        heights: [62, 62, 44, 44, 58, 34, 26, 44, 34, 84],
        body: [
          [
            { role: 'label', spans: [{ text: kind.fieldTitle('/applicant') }], rowSpan: 2 },
            label('/applicant/name', '\n(盖章)'),
            value('applicant/name', { hint: '(此处加盖单位公章)' }),
            label('/applicant/address'),
            value('applicant/address'),
            label('/applicant/legalRepresentative'),
            value('applicant/legalRepresentative'),
          ],
          [
            label('/applicant/creditCode', '', undefined, '申请单位'),
            value('applicant/creditCode'),
            label('/handler/name'),
            value('handler/name', { hint: '(本人手签)' }),
            label('/handler/phone'),
            value('handler/phone'),
          ],
          wide('/serviceItem'),
          wide('/guidanceItem', '\n(选填)'),
          [
            label('/services', '', 2),
            {
              role: 'value',
              colSpan: 5,
              checkboxes: { field: '/services', options: kind.options('/services').map((o) => ({ label: o, checked: v.checked('services', o) })) },
            },
          ],
          wide('/applicationDate'),
          [{ role: 'label', spans: [{ text: '以下内容由行政审批工作人员(帮办代办人员)填写' }], colSpan: 7 }],
          [label('/proxy/name', '', 2), value('proxy/name', { colSpan: 5, hint: '(代办人手签)' })],
          wide('/proxy/receivedAt'),
          [{ role: 'label', spans: [{ text: '法律责任' }], colSpan: 2 }, { role: 'value', colSpan: 5, spans: [{ text: LEGAL_CLAUSES.join('\n') }] }],
        ],
      },
    ];
  },
};
