import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

/**
 * Chinese segmentation for the classifier: jieba (`@node-rs/jieba`, its default dictionary)
 * plus the words of community governance that the general dictionary splits apart
 * (楼道堆物 → 楼道|堆物 would still work, 高空抛物 → 高空|抛物 would not).
 */
export const DOMAIN_WORDS: readonly string[] = [
  '楼道堆物', '飞线充电', '电动车', '电瓶车', '电动自行车', '群租', '群租房', '高空抛物', '高空坠物', '占道经营', '店外经营',
  '小广告', '牛皮癣', '井盖', '消防通道', '消防车道', '违章搭建', '违建', '私搭乱建', '漏水', '渗水', '电梯', '困梯',
  '垃圾满溢', '暴露垃圾', '乱停放', '乱停车', '共享单车', '路灯', '积水', '施工扰民', '夜间施工', '油烟', '狗叫',
  '遛狗', '独居老人', '广场舞', '装修噪音', '垃圾分类', '湿垃圾', '干垃圾', '僵尸车', '渣土车', '游商', '摊贩',
  '隔断间', '阳光房', '雨水井', '污水井', '下水道', '化粪池', '红绿灯', '信号灯', '人行道', '非机动车', '机动车',
  '外卖车', '快递车', '物业费', '物业', '居委', '居委会', '城管', '12345', '烟感', '灭火器', '消火栓', '消防栓',
];

/** Words too common in reports to say anything about the category. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    '的 了 着 过 是 在 有 和 与 及 或 就 都 也 还 又 很 太 再 才 把 被 让 给 对 向 从 到 为 以 于 而 但 却 并 呢 吗 吧 啊 呀 哦 噢 嘛 哈 么 ' +
    '我 我们 你 你们 他 他们 她 她们 它 它们 咱 咱们 自己 这 那 这个 那个 这里 那里 这边 那边 这些 那些 哪 哪里 什么 怎么 怎么办 ' +
    '一个 一些 一下 一直 已经 现在 今天 昨天 最近 每天 天天 经常 总是 老是 还是 就是 不是 没有 没 不 能 会 要 想 请 麻烦 希望 谢谢 ' +
    '问题 情况 反映 投诉 举报 处理 解决 一下子 有人 大家 居民 小区 我家 家里 附近 这种 这样 那样 非常 特别 真的 实在 严重 ' +
    '帮忙 尽快 赶紧 能不能 可以 可不可以 管管 管一管 来 去 说 看 看看 好 号 栋 室 楼'
  ).split(' '),
);

let instance: Jieba | undefined;

function jieba(): Jieba {
  if (!instance) {
    instance = Jieba.withDict(dict);
    // A user dictionary in jieba's format: "word frequency tag" per line; a high frequency keeps each word whole.
    instance.loadDict(Buffer.from(DOMAIN_WORDS.map((w) => `${w} 50000 n`).join('\n')));
  }
  return instance;
}

/** Letters, digits and CJK ideographs; everything else (punctuation, emoji, spaces) separates. */
const WORD_CHAR = /[\p{Script=Han}\p{L}\p{N}]/u;

/** jieba tokens without stop words, punctuation and whitespace; Latin letters lower-cased. */
export function segment(text: string): string[] {
  return jieba()
    .cut(text.normalize('NFKC'), true)
    .map((token) => token.trim().toLowerCase())
    .filter((token) => token.length > 0 && WORD_CHAR.test(token) && !STOP_WORDS.has(token));
}

/** Overlapping character pairs inside each run of letters and digits ("楼道里堆" → 楼道, 道里, 里堆). */
export function characterBigrams(text: string): string[] {
  const out: string[] = [];
  for (const run of text.normalize('NFKC').toLowerCase().split(/[^\p{Script=Han}\p{L}\p{N}]+/u)) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  }
  return out;
}

/**
 * The features of a text: its jieba tokens (prefixed `w:`) and its character bigrams (`b:`).
 * Bigrams keep a report recognisable when jieba splits an unknown word or the resident mistypes
 * one character (楼到堆物 still shares 堆物 with 楼道堆物).
 */
export function features(text: string): string[] {
  return [...segment(text).map((t) => `w:${t}`), ...characterBigrams(text).map((b) => `b:${b}`)];
}
