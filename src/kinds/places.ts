/**
 * Place names of 南阳市, where the forms come from (a kind's `lexicon.places`): addresses written on
 * them name these again and again, so a reader that misreads one character of such a name can put it
 * right (淅川县 read as 浙川县, 马蹬镇 as 马镫镇). Counties and districts, then towns and townships by
 * county. The towns were written from the published division lists; a name missing or misspelt here
 * only means that name is not corrected.
 */
const COUNTIES: readonly string[] = ['南阳市', '宛城区', '卧龙区', '南召县', '方城县', '西峡县', '镇平县', '内乡县', '淅川县', '社旗县', '唐河县', '新野县', '桐柏县', '邓州市', '丹江口'];

const TOWNS: Record<string, string> = {
  宛城区: '瓦店镇 红泥湾镇 黄台岗镇 金华镇 高庙镇 溧河乡 汉冢乡 茶庵乡',
  卧龙区: '蒲山镇 石桥镇 陆营镇 青华镇 潦河镇 安皋镇 英庄镇 谢庄镇 王村乡 潦河坡镇',
  南召县: '城关镇 留山镇 云阳镇 皇后乡 太山庙乡 石门乡 小店乡 白土岗镇 板山坪镇 乔端镇 崔庄乡 四棵树乡 马市坪乡 南河店镇 皇路店镇',
  方城县: '广阳镇 拐河镇 小史店镇 赵河镇 博望镇 独树镇 杨楼镇 券桥镇 二郎庙镇 古庄店镇 柳河镇 袁店回族乡 清河镇 四里店镇',
  西峡县: '丹水镇 西坪镇 双龙镇 回车镇 丁河镇 桑坪镇 米坪镇 五里桥镇 重阳镇 太平镇 阳城镇 二郎坪镇 军马河镇 田关镇 寨根乡',
  镇平县: '石佛寺镇 晁陂镇 贾宋镇 侯集镇 老庄镇 卢医镇 遮山镇 高丘镇 曲屯镇 枣园镇 杨营镇 安字营镇 彭营镇 张林镇 柳泉铺镇 二龙乡 王岗乡 马庄乡 郭庄回族乡',
  内乡县: '城关镇 夏馆镇 师岗镇 马山口镇 湍东镇 赤眉镇 瓦亭镇 王店镇 灌涨镇 桃溪镇 岞曲镇 余关镇 大桥乡 赵店乡 七里坪乡 板场乡',
  淅川县: '上集镇 老城镇 香花镇 厚坡镇 荆紫关镇 金河镇 九重镇 马蹬镇 盛湾镇 寺湾镇 仓房镇 西簧乡 毛堂乡 大石桥乡 滔河乡',
  社旗县: '赊店镇 桥头镇 饶良镇 兴隆镇 晋庄镇 李店镇 苗店镇 郝寨镇 朱集镇 下洼镇 太和镇 大冯营镇 唐庄乡 城郊乡',
  唐河县: '源潭镇 张店镇 郭滩镇 湖阳镇 黑龙镇 大河屯镇 龙潭镇 桐寨铺镇 苍台镇 上屯镇 毕店镇 少拜寺镇 祁仪镇 王集镇 城郊乡 古城乡 东王集乡 昝岗乡 马振抚乡',
  新野县: '王庄镇 沙堰镇 新甸铺镇 施庵镇 歪子镇 五星镇 溧河铺镇 王集镇 樊集乡 前高庙乡 上港乡 城郊乡',
  桐柏县: '城关镇 月河镇 吴城镇 固县镇 毛集镇 大河镇 埠江镇 平氏镇 淮源镇 程湾镇 黄岗镇 朱庄镇 新集乡 回龙乡',
  邓州市: '罗庄镇 汲滩镇 穰东镇 孟楼镇 林扒镇 构林镇 十林镇 张村镇 都司镇 赵集镇 刘集镇 桑庄镇 彭桥镇 白牛镇 腰店镇 九龙镇 文渠镇 高集镇 陶营镇 小杨营镇 夏集镇 裴营乡 龙堰乡',
};

/**
 * The kinds' `lexicon` for forms filled in 南阳市. Each town also stands with its county before it
 * (内乡县湍东镇): towns of different counties are alike (湍东镇, 穰东镇), and the county printed before a
 * misread one tells which it is.
 */
const towns = Object.entries(TOWNS).flatMap(([county, list]) => list.split(' ').flatMap((t) => [t, county + t]));
export const NANYANG = { places: COUNTIES, towns: [...new Set(towns)] } as const;
