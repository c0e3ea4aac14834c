import type { KindDefinition } from '../../core/kind.js';
import type { Cell } from '../../core/model.js';

const label = (text: string, colSpan?: number): Cell => ({ role: 'label', spans: [{ text }], colSpan });

/** 附件1: the roster of staff who give guidance and handle applications by proxy. */
export const roster: KindDefinition = {
  name: 'roster',
  title: '全程辅导、帮办代办人员名单',
  schemaFile: 'roster.schema.json',
  page: 'form',
  blankForm: false,
  demoFixture: 'roster/source.json',
  fileName: '{organization}',
  layout(v, kind) {
    return [
      { type: 'attachment', text: '附件 1' },
      { type: 'title', spans: [v.span('organization'), { text: '政务服务事项\n“全程辅导、帮办代办”人员名单' }] },
      {
        type: 'table',
        widths: [1, 3, 6.5],
        fontSize: 14,
        rowHeight: 30,
        head: [[label('序号'), label(kind.fieldTitle('/entries/0/department')), label(kind.fieldTitle('/entries/0/members'))]],
        body: [],
        each: {
          field: '/entries',
          rows: v.items('entries').map((e) => [
            { role: 'value', spans: [{ text: String(e.number) }], align: 'center' },
            { role: 'value', spans: [e.span('department')], align: 'center' },
            { role: 'value', spans: e.items('members').flatMap((m, i) => (i ? [{ text: '  ' }, m.span('')] : [m.span('')])) },
          ]),
        },
        foot: [
          [label(kind.fieldTitle('/appointmentPhone'), 2), { role: 'value', spans: [v.span('appointmentPhone')] }],
          [label(kind.fieldTitle('/mailingAddress'), 2), { role: 'value', spans: [v.span('mailingAddress')] }],
        ],
      },
    ];
  },
};
