/**
 * A letter started from an application (附件2): the applicant unit is the principal, its 经办人 the
 * trustee, the service item the matter, the application date the letter's date. What the
 * application does not hold (身份证号码, 委托期限) is left out, so validation names it.
 */
export function fromApplication(app: any): Record<string, unknown> {
  const a = app?.applicant ?? {};
  const h = app?.handler ?? {};
  const letter = {
    principal: { name: a.name, creditCode: a.creditCode, legalRepresentative: a.legalRepresentative, address: a.address },
    trustee: { name: h.name, phone: h.phone },
    matter: app?.serviceItem,
    date: app?.applicationDate,
  };
  return JSON.parse(JSON.stringify(letter)); // drops the undefined ones
}
