/**
 * Text repairs that need knowledge of the forms' world rather than of pixels: printed hints that
 * handwriting ran into, and place names the recogniser confuses with a look-alike (淅川 → 浙川).
 */

/** 南阳市's counties and districts: the forms come from its offices, so their names recur. */
const PLACES = ['南阳市', '宛城区', '卧龙区', '南召县', '方城县', '西峡县', '镇平县', '内乡县', '淅川县', '社旗县', '唐河县', '新野县', '桐柏县', '邓州市', '丹江口'];

/**
 * Common Chinese surnames (the first characters of compound ones, 欧阳 司马 诸葛 …, are surnames
 * too). A personal name starts with one, so a first character that is none, with a surname among
 * the recogniser's close alternatives there (崔 read as 雀), is that surname.
 */
const SURNAMES = new Set(
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由上东皇令长端轩澹西独郗禤訾仉逄笪谯芈钮',
);

export const isSurname = (ch: string): boolean => SURNAMES.has(ch);

/** Edit distance (Levenshtein) between two strings, by UTF-16 unit. */
export function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** A known place name read with one character wrong (same length, ≥ 3 characters) is put right. */
export function fixPlaces(s: string): string {
  const chars = [...s];
  for (const p of PLACES) {
    const n = p.length;
    for (let i = 0; i + n <= chars.length; i++) {
      const w = chars.slice(i, i + n).join('');
      if (w === p) continue;
      // the last character (县/区/市) must match: it anchors the name
      if (w[n - 1] !== p[n - 1]) continue;
      let diff = 0;
      for (let k = 0; k < n; k++) if (w[k] !== p[k]) diff++;
      if (diff === 1) chars.splice(i, n, ...p);
    }
  }
  return chars.join('');
}

/**
 * Remove a printed hint, e.g. (此处加盖单位公章), that OCR read into a value: approximately (a few
 * characters misread or hidden under handwriting), or its first or last characters where the rest
 * is covered.
 */
export function stripHint(raw: string, hint: string): string {
  // Match the hint's words; its brackets, if read, go with them.
  const h = [...hint.normalize('NFKC').replace(/[\s()（）]+/g, '')];
  const bracket = /^[()（）\[\]【】|]$/;
  let s = [...raw];
  const m = h.length;
  if (m < 2 || !s.length) return raw;
  const norm = (c: string) => c.normalize('NFKC');
  let best: { i: number; len: number; d: number } | undefined;
  for (let len = Math.max(2, m - 2); len <= m + 2; len++)
    for (let i = 0; i + len <= s.length; i++) {
      const d = distance(s.slice(i, i + len).map(norm).join(''), h.join(''));
      if (!best || d < best.d || (d === best.d && len > best.len)) best = { i, len, d };
    }
  let cut: [number, number] | undefined;
  if (best && best.d <= Math.max(1, Math.floor(m * 0.3))) cut = [best.i, best.i + best.len];
  else {
    // a fragment: the hint's end (…公章)) at the end of the value, or its start ((此处…) at the start
    const closed = /[)）]$/.test(raw.trim());
    for (let k = Math.min(m - 1, s.length - 1); k >= (closed ? 1 : 2) && !cut; k--) {
      const end = s.filter((c) => !bracket.test(c));
      if (end.slice(-k).map(norm).join('') === h.slice(-k).join('')) {
        let i = s.length;
        for (let n = 0; n < k; i--) if (!bracket.test(s[i - 1])) n++;
        cut = [i, s.length];
      } else if (end.slice(0, k).map(norm).join('') === h.slice(0, k).join('')) {
        let i = 0;
        for (let n = 0; n < k; i++) if (!bracket.test(s[i])) n++;
        cut = [0, i];
      }
    }
  }
  if (!cut) return raw;
  let [a, b] = cut;
  while (a > 0 && bracket.test(s[a - 1])) a--;
  while (b < s.length && bracket.test(s[b])) b++;
  s.splice(a, b - a);
  return s.join('').trim();
}
