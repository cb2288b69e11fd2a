// Writes a generated bilingual handbook large enough for a sharded search
// index (a few hundred roles), the same every time:
//
//   node tests/browser/search_corpus.mjs <dir> <roles>
//
// Used by tests/it/search.rs; the 10,000-role measurements use
// ../shared/bench/gen_corpus.py (benches/search_bench.mjs).
import fs from 'node:fs';
import path from 'node:path';

const [dir, count = '400'] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node search_corpus.mjs <dir> <roles>');
  process.exit(2);
}

const DEPTS = [
  ['Administration', '行政部', 'administration'], ['Finance', '财务部', 'finance'], ['Human Resources', '人力资源部', 'hr'],
  ['Legal Affairs', '法务部', 'legal'], ['Logistics', '物流部', 'logistics'], ['Procurement', '采购部', 'procurement'],
  ['Security', '安全保卫部', 'security'], ['Facilities', '后勤部', 'facilities'],
];
const JOBS = [
  ['Archives Administrator', '档案管理员', 'archives'], ['Reception Advisor', '接待顾问', 'reception'],
  ['Travel Analyst', '差旅分析员', 'travel'], ['Canteen Supervisor', '食堂主管', 'canteen'],
  ['Meeting Coordinator', '会议协调员', 'meeting'], ['Attendance Clerk', '考勤文员', 'attendance'],
  ['Seal Keeper', '印章管理员', 'seal'], ['Budget Assistant', '预算助理', 'budget'],
  ['Contract Officer', '合同专员', 'contract'], ['Administrative Assistant', '行政助理', 'assistant'],
];
const CITIES = [['', '', ''], ['Chengdu Branch', '成都分公司', 'chengdu'], ['Hangzhou Branch', '杭州分公司', 'hangzhou'],
  ['Wuhan Branch', '武汉分公司', 'wuhan'], ['Xi\'an Branch', '西安分公司', 'xian'], ['Suzhou Branch', '苏州分公司', 'suzhou']];
const VERBS = [['Files', '归档'], ['Drafts', '起草'], ['Registers', '登记'], ['Reviews', '审核'], ['Circulates', '传阅'], ['Compiles', '汇编']];
const THINGS = [['confidential documents', '涉密文件'], ['expense claims', '报销单据'], ['visitor reception', '来访接待'],
  ['the weekly work report', '工作周报'], ['attendance records', '考勤记录'], ['supplier quotations', '供应商报价'],
  ['meeting minutes', '会议纪要'], ['the company seal log', '印章使用登记']];
const WHEN = [['every week', '每周进行'], ['at the start of each quarter', '每季度初进行'], ['within two working days', '两个工作日内完成']];

let seed = 7;
// The high bits: the low bits of this generator repeat with a short period.
const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return Math.floor(seed / 65536) % n; };
const pick = (list) => list[rand(list.length)];

const roles = [];
for (const city of CITIES) for (const dept of DEPTS) for (const job of JOBS) {
  roles.push({
    id: [dept[2], job[2], city[2]].filter(Boolean).join('-'),
    en: `${dept[0]} ${job[0]}${city[0] ? ` (${city[0]})` : ''}`,
    zh: `${dept[1]}${job[1]}${city[1] ? `（${city[1]}）` : ''}`,
    dept,
  });
}
const chosen = roles.slice(0, Number(count));

function page(role, lang) {
  const en = lang === 'en';
  const line = () => { const v = pick(VERBS), t = pick(THINGS), w = pick(WHEN); return en ? `${v[0]} ${t[0]} ${w[0]}.` : `${v[1]}${t[1]}，${w[1]}。`; };
  const para = (n) => Array.from({ length: n }, line).join(en ? ' ' : '');
  const summary = line();
  const h = en
    ? ['Purpose', 'Duties {#duties}', 'Routine tasks', 'In practice', 'Notes']
    : ['岗位目的', '职责 {#duties}', '日常事项', '工作要点', '备注'];
  const table = en ? '| Task | How often |\n|---|---|\n' : '| 事项 | 频次 |\n|---|---|\n';
  const rows = Array.from({ length: 3 }, () => { const v = pick(VERBS), t = pick(THINGS), w = pick(WHEN); return en ? `| ${v[0]} ${t[0]} | ${w[0]} |` : `| ${v[1]}${t[1]} | ${w[1]} |`; }).join('\n');
  return `---
id: ${role.id}
lang: ${lang}
title: "${en ? role.en : role.zh}"
department: "${en ? role.dept[0] : role.dept[1]}"
summary: "${summary.replace(/"/g, '')}"
---

${para(2)}

## ${h[0]}

${para(3)}

## ${h[1]}

${Array.from({ length: 5 }, () => `- ${line()}`).join('\n')}

## ${h[2]}

${table}${rows}

## ${h[3]}

${para(6)}

${para(4)}

## ${h[4]}

${para(2)}
`;
}

fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'book.toml'), `[book]
default_language = "en"

[languages.en]
name = "English"
title = "Search test handbook"

[languages.zh]
name = "中文"
title = "搜索测试手册"
html_lang = "zh-CN"
`);
for (const lang of ['en', 'zh']) {
  const folder = path.join(dir, 'content', lang);
  fs.mkdirSync(folder, { recursive: true });
  for (const role of chosen) fs.writeFileSync(path.join(folder, `${role.id}.md`), page(role, lang));
}
console.log(`${chosen.length} roles in ${dir}`);
