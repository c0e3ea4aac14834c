import fc from 'fast-check';
import { creditCodeCheckChar, idNumberCheckChar } from '../../src/index.js';
import { getKind as kindNamed } from '../../src/kinds/index.js';

/** The 代办内容 options, from the application schema. */
const SERVICE_OPTIONS = kindNamed('application').options('/services');

/** Generated application records for the parse round-trip properties. */
// Characters for generated values: common Chinese, digits, Latin words (spaces only next to Latin text).
const HAN = '南阳市宛城区卧龙唐河县淅川镇乡村路街道号楼室生态环境保护科技有限公司合作社污水处理工程建设项目影响评价报告表书审批排污许可证申请登记危险废物经营核发辐射类文件编制专家评审现场勘察公示全过程辅导服务中心产业园创新发展绿色低碳循环研究院责任集团股份';
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐欧阳司马';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰香东晓念钊智斌选远';

const hanWord = fc.string({ unit: fc.constantFrom(...HAN), minLength: 1, maxLength: 12 });
const latinWord = fc.oneof(fc.stringMatching(/^[A-Z][a-z]{1,7}$/), fc.stringMatching(/^[0-9]{1,4}$/), fc.constant('B-2'));
const freeText = (max: number) =>
  fc
    .array(fc.oneof({ weight: 3, arbitrary: hanWord }, { weight: 1, arbitrary: latinWord }), { minLength: 1, maxLength: 14 })
    .map((words) => {
      let s = '';
      for (const w of words) {
        // a space between two Latin words; Chinese meets Latin directly (a space there at a line
        // end leaves no trace on the page)
        const latin = /^[A-Za-z0-9]/.test(w) && /[A-Za-z0-9]$/.test(s);
        s += latin ? ' ' + w : w;
      }
      return [...s].slice(0, max).join('').trim();
    })
    .filter((s) => s.length > 0);
const person = fc
  .tuple(fc.constantFrom(...SURNAMES), fc.string({ unit: fc.constantFrom(...GIVEN), minLength: 1, maxLength: 2 }))
  .map(([a, b]) => a + b);
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const creditCode = fc
  .tuple(fc.string({ unit: fc.constantFrom(...CHARSET), minLength: 2, maxLength: 2 }), fc.stringMatching(/^\d{6}$/), fc.string({ unit: fc.constantFrom(...CHARSET), minLength: 9, maxLength: 9 }))
  .map(([a, b, c]) => a + b + c + creditCodeCheckChar(a + b + c));
const phone = fc.oneof(fc.stringMatching(/^1[3-9]\d{9}$/), fc.stringMatching(/^0377-6\d{7}$/), fc.constant('400-123-4567'));
const date = fc.tuple(fc.integer({ min: 2000, max: 2030 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })).map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

export const applicationRecord = fc
  .record({
    applicant: fc.record({ name: freeText(100), address: freeText(150), legalRepresentative: person, creditCode }),
    handler: fc.record({ name: person, phone }),
    serviceItem: freeText(200),
    guidanceItem: fc.option(freeText(200), { nil: undefined }),
    services: fc.subarray([...SERVICE_OPTIONS]),
    applicationDate: date,
    proxy: fc.option(fc.record({ name: person, receivedAt: fc.tuple(date, time).map(([d, t]) => `${d}T${t}`) }), { nil: undefined }),
  })
  .map((r) => JSON.parse(JSON.stringify(r)) as Record<string, unknown>);


const ID_AREAS = ['411302', '411303', '110105', '410102'];
const idNumber = fc
  .tuple(fc.constantFrom(...ID_AREAS), fc.integer({ min: 1950, max: 2004 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.stringMatching(/^\d{3}$/))
  .map(([a, y, m, d, s]) => {
    const first17 = `${a}${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${s}`;
    return first17 + idNumberCheckChar(first17);
  });

/** Generated authorization letters: optional lines present or not, any number of powers. */
export const authorizationRecord = fc
  .record({
    principal: fc.record(
      { name: freeText(100), creditCode, legalRepresentative: person, address: freeText(150), phone },
      { requiredKeys: ['name', 'creditCode', 'legalRepresentative'] },
    ),
    trustee: fc.record({ name: person, idNumber, phone, position: freeText(30) }, { requiredKeys: ['name', 'idNumber', 'phone'] }),
    matter: freeText(200),
    powers: fc.option(fc.array(freeText(60), { minLength: 1, maxLength: 6 }), { nil: undefined }),
    period: fc.tuple(date, date).map(([a, b]) => (a <= b ? { from: a, to: b } : { from: b, to: a })),
    date,
  })
  .map((r) => JSON.parse(JSON.stringify(r)) as Record<string, unknown>);
