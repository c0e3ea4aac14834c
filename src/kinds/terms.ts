/**
 * Words of an ecological-environment bureau's services (a kind's `lexicon.terms`): the names of the
 * matters applied for are made of them (建设项目环境影响报告表审批, 排污许可证核发), so where the
 * recogniser doubted one character of such a word and its own runner-up makes the word (项自 with 目
 * a close second), the word is read. Written from the kinds of matter such bureaus handle; a word
 * missing here only means it is not put right.
 */
export const ECO_TERMS: readonly string[] = [
  '建设项目', '环境影响', '影响评价', '评价文件', '报告书', '报告表', '登记表', '审批', '备案', '批复',
  '排污许可', '许可证', '核发', '变更', '延续', '注销', '重新申领',
  '危险废物', '固体废物', '医疗废物', '经营许可', '转移', '跨省',
  '辐射安全', '放射性同位素', '射线装置', '电磁辐射',
  '竣工环境保护', '环境保护', '验收', '污染防治', '生态环境', '水源地', '保护区',
  '事前辅导', '全过程辅导', '现场勘察', '专家评审', '公示公告',
];
