//! The Chinese texts of every diagnostic, in one catalogue.
//!
//! Diagnostics are built in English at ~80 places; their Chinese is not
//! written there but here, keyed by code and by the English *pattern*: the
//! `format!` string with `{}` for each value (`id `{}` is not allowed`).
//! Translating a diagnostic finds the entry of its code whose pattern
//! matches the English text and fills the Chinese template (`{0}`, `{1}`...,
//! so values can be reordered) with the values. Values stay as written (ids,
//! paths, numbers, user text), except English phrases that a message builds
//! from smaller parts (`the folder `content/en/``, an output folder's reason):
//! a value that is not inside backticks and matches a [`FRAGMENTS`] pattern
//! is translated too.
//!
//! Patterns compile once into anchored regexes with lazy captures; the
//! `regex` crate matches in time linear in the text, whatever it holds.
//! Texts that come whole from a library (an I/O error, Tera's reason, a
//! TOML or YAML parser's message) stay English inside the Chinese sentence.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::Code;

/// `(code, English pattern, Chinese template)` of every message. Within a
/// code the first matching entry wins, so specific patterns come first.
const MESSAGES: &[(Code, &str, &str)] = &[
    (Code::AbsoluteLink, "link `{}` starts with `/`", "链接 `{0}` 以 `/` 开头"),
    (Code::AliasTaken, "alias `{}` of role `{}` is the id of a role that exists", "岗位 `{1}` 的别名 `{0}` 是一个现有岗位的 id"),
    (Code::AliasTaken, "alias `{}` is also an alias of role `{}`", "别名 `{0}` 也是岗位 `{1}` 的别名"),
    (Code::AssetName, "this file's name is not valid UTF-8, so pages cannot link to it", "此文件名不是有效的 UTF-8，页面无法链接到它"),
    (Code::BrokenLink, "link target `{}` is outside content/", "链接目标 `{0}` 在 content/ 之外"),
    (Code::BrokenLink, "raw HTML refers to `{}`, which is outside content/", "原始 HTML 引用的 `{0}` 在 content/ 之外"),
    (Code::BrokenLink, "link target `{}` does not exist under content/", "链接目标 `{0}` 在 content/ 下不存在"),
    (Code::BrokenLink, "raw HTML refers to `{}`, which does not exist under content/", "原始 HTML 引用的 `{0}` 在 content/ 下不存在"),
    (Code::ConfigDefaultLanguage, "default_language `{}` is not declared under [languages]", "`default_language` 的值 `{0}` 没有在 [languages] 下声明"),
    (Code::ConfigInvalid, "book.toml: {}", "book.toml 有误：{0}"),
    (Code::ConfigLanguageKey, "language key `{}` is not a language tag", "语言键 `{0}` 不是语言标记"),
    (Code::ConfigMissing, "cannot read {}: {}", "找不到 {0}：{1}"),
    (Code::ConfigRenderTimeout, "render_timeout must be at least 1 second", "`render_timeout` 至少为 1 秒"),
    (Code::ConfigTheme, "theme `{}` is not a folder name under themes/", "主题 `{0}` 不是 themes/ 下的文件夹名"),
    (Code::ConfigUnreadable, "book.toml is there but cannot be read: {}", "book.toml 存在，但无法读取：{0}"),
    (Code::ContentMissing, "there is no content/ folder", "没有 content/ 文件夹"),
    (Code::DroppedEmphasis, "`{}` after `{}` does not close the emphasis: readers see `{}` and no bold text", "`{1}` 后面的 `{0}` 无法结束强调：读者看到的是 `{2}`，而不是粗体"),
    (Code::DroppedEmphasis, "`{}` before `{}` does not open the emphasis: readers see `{}` and no bold text", "`{1}` 前面的 `{0}` 无法开始强调：读者看到的是 `{2}`，而不是粗体"),
    (Code::DuplicateId, "id `{}` in language `{}` is also used by {}", "语言 `{1}` 中的 id `{0}` 已被 {2} 使用"),
    (Code::EffectiveInFuture, "role `{}` takes effect on {}: until then its pages already show the new text", "岗位 `{0}` 于 {1} 生效：在此之前，其页面已显示新内容"),
    (Code::EmptyBody, "the page has no text after the front matter", "front matter 之后没有正文"),
    (Code::EmptyPage, "the page is empty", "页面是空的"),
    (Code::ExternalResource, "{} `{}` is loaded from outside the handbook", "{0} `{1}` 从手册之外加载"),
    (Code::HeadingAttribute, "heading attribute `{}` was dropped", "已去掉标题属性 `{0}`"),
    (Code::InvalidFrontMatter, "`{}: {}` is not a date", "`{0}: {1}` 不是日期"),
    (Code::InvalidFrontMatter, "you typed `{}` (a full-width {}); YAML needs `{}`", "这里输入的是 `{0}`（全角{1}）；YAML 需要 `{2}`"),
    (Code::InvalidFrontMatter, "front matter field `{}` is given twice", "front matter 字段 `{0}` 写了两次"),
    (Code::InvalidFrontMatter, "front matter field `{}`: {}", "front matter 字段 `{0}` 有误：{1}"),
    (Code::InvalidFrontMatter, "front matter: {}", "front matter 有误：{0}"),
    (Code::InvalidId, "id `{}` is not allowed", "id `{0}` 不合规"),
    (Code::InvalidId, "alias `{}` is not an id", "别名 `{0}` 不是合规的 id"),
    (Code::InvalidUtf8, "the file is not valid UTF-8 (first bad byte at offset {})", "文件不是有效的 UTF-8（第一个无效字节在偏移量 {0} 处）"),
    (Code::LanguageConflict, "{} says `{}` but {} says `{}`", "{0} 写的是 `{1}`，而{2} 写的是 `{3}`"),
    (Code::MissingId, "the front matter has no `id`", "front matter 缺少 `id`"),
    (Code::MissingTitle, "the front matter has no `title`", "front matter 缺少 `title`"),
    (Code::MissingTitle, "`title` is empty", "`title` 是空的"),
    (Code::MissingTranslation, "role `{}` has no page in `{}` ({})", "岗位 `{0}` 没有 `{1}`（{2}）页面"),
    (Code::MissingTranslation, "{} role has no page in `{}` ({})", "{0} 个岗位没有 `{1}`（{2}）页面"),
    (Code::MissingTranslation, "{} roles have no page in `{}` ({})", "{0} 个岗位没有 `{1}`（{2}）页面"),
    (Code::NoFrontMatter, "the page has no front matter", "页面没有 front matter"),
    (Code::NotForPages, "`reports_to` names `{}`, which is a page, not a role", "`reports_to` 写的 `{0}` 是普通页面，不是岗位"),
    (Code::NotForPages, "`{}` is for roles; this is a `kind: page` page", "`{0}` 只用于岗位；本页是 `kind: page` 页面"),
    (Code::OrgChartDepth, "the org chart shows {} levels; the roles reporting to `{}` and below are left out of it", "组织图最多显示 {0} 层；向 `{1}` 汇报的岗位及其下级没有画进去"),
    (Code::OutputFolder, "refusing to write the site to {} (given with --out): {}", "不能把网站写到 {0}（--out 所指）：{1}"),
    (Code::OutputFolder, "refusing to write the site to {} ([build] output): {}", "不能把网站写到 {0}（[build] output 所指）：{1}"),
    (Code::PlaceholderText, "`{}` is the placeholder text of a new page", "`{0}` 是新页面的占位文字"),
    (Code::OutsideHandbook, "symbolic link leads outside the handbook and its theme; never read or published", "符号链接指向手册及其主题之外；不会读取，也不会发布"),
    (Code::OutsideHandbook, "symbolic link{} leads outside the handbook; its file is never read or published", "符号链接{0}指向手册之外；其文件不会读取，也不会发布"),
    (Code::RawScript, "raw `<script>` in the page: it runs in every reader's browser", "页面中有原始 `<script>`：它会在每位读者的浏览器中运行"),
    (Code::ReadFailed, "cannot read {}: {}", "无法读取 {0}：{1}"),
    (Code::ReadFailed, "{}", "无法读取：{0}"),
    (Code::ReportsToCycle, "`reports_to` goes round in a circle: {}", "`reports_to` 绕成了一个圈：{0}"),
    (Code::ReservedId, "id `{}` is reserved: rolebook writes a page of its own by that name", "id `{0}` 是保留的：rolebook 自己会生成同名页面"),
    (Code::ReservedId, "alias `{}` names a page rolebook generates itself", "别名 `{0}` 与 rolebook 自己生成的页面同名"),
    (Code::ReviewDue, "role `{}` was due for review on {} (owner: {})", "岗位 `{0}` 应于 {1} 复审，已过期（负责人：{2}）"),
    (Code::ReviewDue, "role `{}` was due for review on {}", "岗位 `{0}` 应于 {1} 复审，已过期"),
    (Code::SharedFieldDiffers, "`{}` is {} here but {} in {}", "`{0}` 在这里是 {1}，在 {3} 中却是 {2}"),
    (Code::StaticCollision, "`{}` would replace a file rolebook writes to the site", "`{0}` 会覆盖 rolebook 生成的同名网站文件"),
    (Code::SymlinkLoop, "symbolic link loops back to a parent folder; skipped", "符号链接绕回了上层文件夹，已跳过"),
    (Code::TemplateRender, "template failed while rendering {}: {}", "渲染 {0} 时模板出错：{1}"),
    (Code::TemplateRender, "template does not parse: {}", "模板无法解析：{0}"),
    (Code::TemplateRender, "rendering {} through {} took longer than {} s: the template seems to loop without end", "用 {1} 渲染 {0} 超过了 {2} 秒：模板似乎陷入了死循环"),
    (Code::TemplateRender, "rendering {} failed unexpectedly", "渲染 {0} 时意外失败"),
    (Code::TemplateRender, "cannot prepare the page: {}", "无法准备页面：{0}"),
    (Code::TemplateRender, "cannot write the page: {}", "无法写出页面：{0}"),
    (Code::TemplateRender, "not a print book", "这不是打印版手册"),
    (Code::TemplateRender, "the book has no part {}", "手册没有第 {0} 部分"),
    (Code::TemplateSyntax, "template does not parse: {}", "模板无法解析：{0}"),
    (Code::TemplateSyntax, "template failed while rendering {}: {}", "渲染 {0} 时模板出错：{1}"),
    (Code::ThemeInvalid, "i18n.toml: {}", "i18n.toml 有误：{0}"),
    (Code::ThemeInvalid, "{}", "主题有误：{0}"),
    (Code::ThemeMissing, "theme `{}` does not exist: there is no folder themes/{}/", "主题 `{0}` 不存在：没有 themes/{1}/ 文件夹"),
    (Code::ThemeUnreadable, "{}", "无法读取主题：{0}"),
    (Code::TooDeep, "{} list and quote markers on one line: nesting stops at {} levels", "一行中有 {0} 个列表和引用标记：最多嵌套 {1} 层"),
    (Code::TooManyOpenFiles, "too many open files: {}", "打开的文件太多：{0}"),
    (Code::UndeclaredLanguage, "language `{}` (from {}) is not declared in book.toml", "语言 `{0}`（来自 {1}）没有在 book.toml 中声明"),
    (Code::UnknownAnchor, "`#{}`: this page has no heading with id `{}`", "`#{0}`：本页没有 id 为 `{1}` 的标题"),
    (Code::UnknownAnchor, "`{}`: shown as the `{}` page (no `{}` translation), this page links to {}, which has no heading with id `{}` and no section paired with it", "`{0}`：本页作为 `{1}` 页面显示（没有 `{2}` 译文），它链接的 {3} 既没有 id 为 `{4}` 的标题，也没有与之配对的章节"),
    (Code::UnknownAnchor, "`{}`: the `{}` page has no heading with id `{}`", "`{0}`：`{1}` 页面没有 id 为 `{2}` 的标题"),
    (Code::UnknownAnchor, "`#{}`: {} has no heading with id `{}`", "`#{0}`：{1} 中没有 id 为 `{2}` 的标题"),
    (Code::UnknownField, "unknown front matter field `{}`", "未知的 front matter 字段 `{0}`"),
    (Code::UnknownLanguage, "cannot tell which language this page is in", "无法判断本页是哪种语言"),
    (Code::UnknownRole, "`{}` names role `{}`, which does not exist", "`{0}` 里的岗位 `{1}` 不存在"),
    (Code::UnknownRoleLink, "link to unknown role `{}`", "链接到不存在的岗位 `{0}`"),
    (Code::UnsafeLink, "link to `{}` was disabled", "已禁用指向 `{0}` 的链接"),
    (Code::UnterminatedFrontMatter, "the front matter is never closed", "front matter 没有结束"),
    (Code::WalkFailed, "cannot read this entry: {}", "无法读取此项：{0}"),
];

/// `(code, English pattern, Chinese template)` of every hint.
const HINTS: &[(Code, &str, &str)] = &[
    (Code::AbsoluteLink, "use `role:ID` for roles and relative paths for files: a leading `/` breaks under a sub-path and from file://", "链接岗位请用 `role:ID`，链接文件请用相对路径：以 `/` 开头的链接放在子路径下或从 file:// 打开时会失效"),
    (Code::AliasTaken, "an alias is a former id whose addresses now lead to `{}`: remove it, or rename role `{}`", "别名是岗位以前的 id，其旧地址现在都指向 `{0}`：请删掉这个别名，或给岗位 `{1}` 改名"),
    (Code::AliasTaken, "an old address can lead to one role only: remove the alias from one of them", "一个旧地址只能指向一个岗位：请从其中一个岗位删掉这个别名"),
    (Code::AssetName, "rename the file (e.g. with only letters, digits and -); links to it are reported as missing until then", "请给文件改名（例如只用字母、数字和 -）；改名之前，指向它的链接都会报告为不存在"),
    (Code::BrokenLink, "links must stay inside content/: only pages and files under content/ are published, so a path that climbs out with `../` stays broken", "链接必须留在 content/ 之内：只有 content/ 下的页面和文件会发布，用 `../` 跳出去的路径始终是断的"),
    (Code::BrokenLink, "fix the path (it is relative to this page's folder), or use `role:ID` to link a role", "请修正路径（相对于本页所在的文件夹），或用 `role:ID` 链接岗位"),
    (Code::BrokenLink, "no role has the id `{}`: link the page's file, `{}` (or `role:{}`)", "没有 id 为 `{0}` 的岗位：请链接该页面的文件 `{1}`（或 `role:{2}`）"),
    (Code::BrokenLink, "no role has the id `{}`: did you mean `{}` (`role:{}`)? Link a page by its `.md` file or by `role:ID`", "没有 id 为 `{0}` 的岗位：是不是想写 `{1}`（`role:{2}`）？链接页面请用它的 `.md` 文件或 `role:ID`"),
    (Code::BrokenLink, "no role has the id `{}`: link a page by its `.md` file, or by `role:ID`", "没有 id 为 `{0}` 的岗位：链接页面请用它的 `.md` 文件或 `role:ID`"),
    (Code::ConfigDefaultLanguage, "use one of: {}, or add a [languages.{}] table", "请改用以下之一：{0}；或添加一个 [languages.{1}] 表"),
    (Code::ConfigInvalid, "remove the key or fix its spelling; the keys rolebook knows are listed above", "请删掉这个键或改正拼写；rolebook 认识的键已列在上面"),
    (Code::ConfigInvalid, "use one of the values listed above; see README's book.toml reference", "请改用上面列出的值之一；参见 README 中的 book.toml 说明"),
    (Code::ConfigInvalid, "add the missing key; see README's book.toml reference", "请补上缺少的键；参见 README 中的 book.toml 说明"),
    (Code::ConfigInvalid, "fix the TOML syntax at this spot; see README's book.toml reference", "请修正此处的 TOML 语法；参见 README 中的 book.toml 说明"),
    (Code::ConfigLanguageKey, "use a short tag such as `en`, `zh` or `zh-TW`", "请用简短的语言标记，如 `en`、`zh` 或 `zh-TW`"),
    (Code::ConfigMissing, "run rolebook in a handbook folder (one with book.toml), or create one with `rolebook init DIR`", "请在手册文件夹（有 book.toml 的文件夹）中运行 rolebook，或用 `rolebook init DIR` 新建一个"),
    (Code::ConfigRenderTimeout, "leave it out for the default of 30 seconds", "不写这一项则默认为 30 秒"),
    (Code::ConfigTheme, "a theme is the name of a folder in themes/ (`theme = \"corporate\"` for themes/corporate/), never a path", "主题是 themes/ 下一个文件夹的名字（`theme = \"corporate\"` 对应 themes/corporate/），不能是路径"),
    (Code::ConfigUnreadable, "check the file's permissions, then save again", "请检查文件权限，然后重新保存"),
    (Code::ContentMissing, "create content/ and put one Markdown page per role and language in it", "请创建 content/，每个岗位的每种语言各放一个 Markdown 页面"),
    (Code::DroppedEmphasis, "put the marker inside the punctuation: `{}`", "把标记挪到标点内侧，写成 `{0}`"),
    (Code::DroppedEmphasis, "move the punctuation after the marker: `{}{}` instead of `{}{}`", "把标点移到标记后面：写成 `{0}{1}`，而不是 `{2}{3}`"),
    (Code::DroppedEmphasis, "move the punctuation before the marker: `{}{}` instead of `{}{}`", "把标点移到标记前面：写成 `{0}{1}`，而不是 `{2}{3}`"),
    (Code::DuplicateId, "give one of the two pages another id, or another language", "请给两个页面中的一个换个 id 或语言"),
    (Code::EffectiveInFuture, "nothing to do if that is intended; the date shows on the role's pages and in \"What's new\"", "如果本就如此，无需处理；该日期会显示在岗位页面和“最近更新”中"),
    (Code::EmptyBody, "write the role's description below the closing `---`", "请在结束的 `---` 下面写岗位说明"),
    (Code::EmptyPage, "start the file with front matter: a `---` line, `id: ...`, `title: ...`, and a closing `---` line", "文件开头请写 front matter：一行 `---`、`id: ...`、`title: ...`，最后一行 `---`"),
    (Code::ExternalResource, "put the file under content/ and link it with a relative path, so the handbook works offline", "请把文件放到 content/ 下并用相对路径链接，这样手册离线也能用"),
    (Code::HeadingAttribute, "only {#id} and .class (letters, digits, `-`, `_`) are kept; remove `{}`", "只保留 {#id} 和 .class（字母、数字、`-`、`_`）；请删掉 `{0}`"),
    (Code::InvalidFrontMatter, "write the date as year-month-day, e.g. `{}: 2026-11-28`", "日期请写成“年-月-日”，例如 `{0}: 2026-11-28`"),
    (Code::InvalidFrontMatter, "keep one of the two lines", "请只保留其中一行"),
    (Code::InvalidFrontMatter, "switch the keyboard to half-width (English) punctuation and type `{}`{}", "请把输入法切换到半角（英文）标点，输入 `{0}`{1}"),
    (Code::InvalidFrontMatter, "`{}` takes {}", "`{0}` 的值应为{1}"),
    (Code::InvalidFrontMatter, "fix the YAML at this spot: `key: value` per line; lists as `[a, b]`; quote text containing `: ` or `#`", "请修正此处的 YAML：每行一个 `key: value`；列表写成 `[a, b]`；含有 `: ` 或 `#` 的文字请加引号"),
    (Code::InvalidId, "ids use only lowercase letters, digits, `-` and `_`, and start with a letter or digit, e.g. `{}`", "id 只能用小写字母、数字、`-` 和 `_`，并以字母或数字开头，例如 `{0}`"),
    (Code::InvalidId, "an alias is a former id of the role: lowercase letters, digits, `-` and `_`", "别名是岗位以前的 id：只能用小写字母、数字、`-` 和 `_`"),
    (Code::InvalidUtf8, "save the file as UTF-8 in your editor (\"Save with encoding\" → UTF-8)", "请在编辑器中把文件存为 UTF-8（“以指定编码保存” → UTF-8）"),
    (Code::LanguageConflict, "make them agree, or remove `lang:` and let the file name or folder decide", "请让两者一致，或删掉 `lang:`，由文件名或文件夹决定"),
    (Code::MissingId, "add a line `id: {}` (the same id in every language of this role)", "请加一行 `id: {0}`（该岗位各语言的页面用同一个 id）"),
    (Code::MissingTitle, "add a line `title: ...` with the role's name in this page's language", "请加一行 `title: ...`，写上岗位在本页语言中的名称"),
    (Code::MissingTitle, "write the role's name in this page's language after `title: `", "请在 `title: ` 后面写上岗位在本页语言中的名称"),
    (Code::MissingTranslation, "add a page with `id: {}` under content/{}/; until then readers see the `{}` page with a notice", "请在 content/{1}/ 下添加 `id: {0}` 的页面；在此之前，读者看到的是带提示的 `{2}` 页面"),
    (Code::MissingTranslation, "`rolebook status` lists them; until they are translated, readers see another language's page with a notice (`missing_translation = \"warn\"` under [check] gives one warning per role)", "`rolebook status` 会列出这些岗位；翻译之前，读者看到的是带提示的其他语言页面（在 [check] 下设 `missing_translation = \"warn\"` 可逐个岗位警告）"),
    (Code::NotForPages, "a role reports to another role: use a role's id, or remove the line", "岗位只能向岗位汇报：请写一个岗位的 id，或删掉这一行"),
    (Code::NotForPages, "remove `{}`, or remove `kind: page` if this page describes a role", "请删掉 `{0}`；如果本页描述的是岗位，请删掉 `kind: page`"),
    (Code::NoFrontMatter, "start the file with a `---` line, then `id: ...` and `title: ...`, then a closing `---` line", "文件开头请写一行 `---`，接着写 `id: ...` 和 `title: ...`，最后一行 `---`"),
    (Code::OrgChartDepth, "a reporting line this long is usually a mistake in reports_to; each role page still links its manager and its direct reports", "这么长的汇报链通常是 reports_to 写错了；每个岗位页面仍会链接其上级和直接下属"),
    (Code::OutputFolder, "set [build] output in book.toml (or --out) to a folder of its own, e.g. `public`", "请在 book.toml 的 [build] output（或 --out）中指定一个单独的文件夹，例如 `public`"),
    (Code::OutputFolder, "give --out a folder of its own, e.g. `--out public`", "请给 --out 指定一个单独的文件夹，例如 `--out public`"),
    (Code::OutsideHandbook, "copy the file into the theme folder instead of linking to it", "请把文件复制到主题文件夹里，不要用链接"),
    (Code::OutsideHandbook, "copy the file into content/ instead of linking to it, or remove the link", "请把文件复制到 content/ 里，不要用链接；或者删掉这个链接"),
    (Code::PlaceholderText, "write what this role really does here, or delete the line", "请在这里写出岗位实际做的事，或删掉这一行"),
    (Code::RawScript, "remove it (a component framework's `<script setup>` only throws errors here), or set `allow_html = false` under [build] to show raw HTML as text", "请删掉它（组件框架的 `<script setup>` 在这里只会报错），或在 [build] 下设 `allow_html = false`，把原始 HTML 显示为文字"),
    (Code::ReadFailed, "check the file's permissions", "请检查文件权限"),
    (Code::ReportsToCycle, "one role in the circle must report to a role outside it, or to nobody", "圈中必须有一个岗位向圈外的岗位汇报，或不向任何人汇报"),
    (Code::ReservedId, "use another id, e.g. `{}-role`, in every language of this role and in the links to it; reserved ids: {}", "请换一个 id，例如 `{0}-role`；该岗位各语言的页面和指向它的链接都要改。保留的 id：{1}"),
    (Code::ReservedId, "remove this alias: no role can have had this id", "请删掉这个别名：没有岗位可能用过这个 id"),
    (Code::ReviewDue, "review the role's pages, then set `review_by` to the next review date", "请复审该岗位的页面，然后把 `review_by` 改为下次复审的日期"),
    (Code::SharedFieldDiffers, "`{}` holds for every language of a role: give the same value in both pages, or write it in one page only", "`{0}` 对岗位的每种语言都适用：请在两个页面中写同样的值，或只在一个页面中写"),
    (Code::StaticCollision, "rename or move the file: static/ is copied to the site's root as it is, next to the generated pages", "请给文件改名或挪个位置：static/ 会原样复制到网站根目录，与生成的页面放在一起"),
    (Code::SymlinkLoop, "remove the link or point it somewhere outside its own parents", "请删掉这个链接，或让它指向其上层文件夹以外的地方"),
    (Code::TemplateRender, "fix the template at this spot (Tera 2 syntax); delete the file to fall back to the built-in one", "请修正模板的这一处（Tera 2 语法）；删掉该文件则改用内置模板"),
    (Code::TemplateRender, "look for a loop in the template that never ends or runs very long; if the page is just very large, raise [build] render_timeout in book.toml", "请检查模板中是否有停不下来或运行很久的循环；如果只是页面很大，请调高 book.toml 中 [build] 的 render_timeout"),
    (Code::TemplateRender, "look for a loop in the template that never ends or runs very long and fix it; then restart `rolebook serve` to free the stuck thread", "请找出模板中停不下来或运行很久的循环并修好；然后重启 `rolebook serve`，释放卡住的线程"),
    (Code::TemplateSyntax, "fix the template at this spot (Tera 2 syntax); delete the file to fall back to the built-in one", "请修正模板的这一处（Tera 2 语法）；删掉该文件则改用内置模板"),
    (Code::ThemeInvalid, "i18n.toml holds one table per language key with `word = \"text\"` lines", "i18n.toml 中每个语言键一个表，表中每行一个 `word = \"text\"`"),
    (Code::ThemeMissing, "available themes: {}", "可用的主题：{0}"),
    (Code::TooDeep, "the markers from here on are shown as text; nest at most {} lists or quotes", "从这里起的标记会显示为文字；列表和引用最多嵌套 {0} 层"),
    (Code::TooManyOpenFiles, "rolebook ran out of file descriptors; close preview tabs or raise the limit (`ulimit -n`), then save again or restart serve", "rolebook 的文件描述符用完了；请关掉一些预览标签页或调高上限（`ulimit -n`），然后重新保存或重启 serve"),
    (Code::UndeclaredLanguage, "use one of: {}, or add a [languages.{}] table to book.toml", "请改用以下之一：{0}；或在 book.toml 中添加一个 [languages.{1}] 表"),
    (Code::UnknownAnchor, "did you mean `#{}`?", "是不是想写 `#{0}`？"),
    (Code::UnknownAnchor, "link to a heading id of this page (`## Title {#id}` sets one)", "请链接到本页某个标题的 id（`## 标题 {#id}` 可以设置）"),
    (Code::UnknownAnchor, "{} has no headings; link `role:{}` without an anchor", "{0} 没有标题；请链接 `role:{1}`，不带锚点"),
    (Code::UnknownAnchor, "{} has no headings; link it without an anchor", "{0} 没有标题；链接时请不带锚点"),
    (Code::UnknownAnchor, "headings of {}: {}", "{0} 的标题：{1}"),
    (Code::UnknownAnchor, "give the matching heading in {} the same id, `{#{}}`, so both languages share it", "请给 {0} 中对应的标题设同样的 id：`{#{1}}`，两种语言就能共用"),
    (Code::UnknownField, "did you mean `{}`? Known fields: {}", "是不是想写 `{0}`？可用的字段：{1}"),
    (Code::UnknownField, "known fields: {}; put free data for themes under `extra:`", "可用的字段：{0}；给主题用的其他数据请放在 `extra:` 下"),
    (Code::UnknownLanguage, "add `lang: {}` to the front matter, name the file `{}.{}.md`, or put it under content/{}/", "请在 front matter 中加上 `lang: {0}`，或把文件命名为 `{1}.{2}.md`，或放到 content/{3}/ 下"),
    (Code::UnknownRole, "did you mean `{}`?", "是不是想写 `{0}`？"),
    (Code::UnknownRole, "use the `id` of an existing role (see the front matter of its pages)", "请使用现有岗位的 `id`（见其页面的 front matter）"),
    (Code::UnknownRoleLink, "did you mean `role:{}`?", "是不是想写 `role:{0}`？"),
    (Code::UnknownRoleLink, "use the `id` of an existing role, e.g. `[Secretary](role:secretary)`", "请使用现有岗位的 `id`，例如 `[秘书](role:secretary)`"),
    (Code::UnsafeLink, "handbook pages may link to other pages, files and web addresses, not run scripts", "手册页面可以链接其他页面、文件和网址，但不能运行脚本"),
    (Code::UnterminatedFrontMatter, "add a line with only `---` after the last front matter field", "请在最后一个 front matter 字段之后加一行 `---`"),
    (Code::WalkFailed, "check that the file or link exists and is readable", "请确认该文件或链接存在且可读"),
];

/// English phrases that messages and hints are built from, translated when
/// they are a whole value outside backticks (any code).
const FRAGMENTS: &[(&str, &str)] = &[
    // Where a page's language was read from (`language-conflict`, `undeclared-language`).
    ("`lang:` in the front matter", "front matter 中的 `lang:`"),
    ("the file name (`.{}.md`)", "文件名（`.{0}.md`）"),
    ("the folder `content/{}/`", "文件夹 `content/{0}/`"),
    // What an external resource is.
    ("image", "图片"),
    ("raw HTML file", "原始 HTML 引用的文件"),
    // Why an output folder is refused.
    ("it is the handbook folder itself", "这就是手册文件夹本身"),
    ("it is inside {}/", "它在 {0}/ 里面"),
    ("it contains the handbook's {}/ folder", "它包含手册的 {0}/ 文件夹"),
    ("it contains the handbook folder", "它包含手册文件夹"),
    ("it is a file", "它是一个文件"),
    ("it already holds files that rolebook did not write (no {} file), and a build replaces the whole folder", "里面已有不是 rolebook 写的文件（没有 {0} 文件），而构建会替换整个文件夹"),
    // A full-width slip in front matter, and the line as it should be.
    ("colon", "冒号"),
    ("bracket", "括号"),
    ("comma", "逗号"),
    ("quote", "引号"),
    (", as in `{}`", "，例如 `{0}`"),
    // Where a symbolic link leads.
    (" (-> {})", "（→ {0}）"),
    // What a front matter field takes.
    ("a whole number, e.g. `order: 3`", "整数，例如 `order: 3`"),
    ("a list, e.g. `[a, b]`", "列表，例如 `[a, b]`"),
    ("a mapping of names to values, e.g. `extra: {icon: star}`", "名称到值的映射，例如 `extra: {icon: star}`"),
    ("one line of text; put it in quotes if it contains `: ` or ` #`", "一行文字；含有 `: ` 或 ` #` 时请加引号"),
    // File-system errors (`FsError`, walkdir).
    ("cannot read {}: {}", "无法读取 {0}：{1}"),
    ("cannot write {}: {}", "无法写入 {0}：{1}"),
    ("cannot resolve {}: {}", "无法解析路径 {0}：{1}"),
    ("IO error for operation on {}: {}", "读取 {0} 时出错：{1}"),
    // Parsers' most common words.
    ("unknown field `{}`, expected one of {}", "未知的键 `{0}`，可用的键：{1}"),
    ("unknown field `{}`, expected `{}`", "未知的键 `{0}`，可用的键：`{1}`"),
    ("missing field `{}`", "缺少键 `{0}`"),
    ("unknown variant `{}`, expected one of {}", "未知的取值 `{0}`，可用的取值：{1}"),
    ("unclosed quote", "引号没有闭合"),
    ("invalid i64", "不是整数"),
    ("Field `{}` is not defined. Available fields: {}", "字段 `{0}` 未定义。可用的字段：{1}"),
];

/// One catalogue entry, compiled.
struct Entry {
    /// Anchored, one lazy capture per `{}`.
    pattern: Regex,
    template: &'static str,
    /// Per value: whether the pattern writes it inside backticks (then it is
    /// code or user text, never translated).
    in_backticks: Vec<bool>,
}

struct Catalogue {
    messages: HashMap<Code, Vec<Entry>>,
    hints: HashMap<Code, Vec<Entry>>,
    fragments: Vec<Entry>,
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    let by_code = |table: &[(Code, &'static str, &'static str)]| {
        let mut map: HashMap<Code, Vec<Entry>> = HashMap::new();
        for &(code, english, chinese) in table {
            map.entry(code).or_default().push(compile(english, chinese));
        }
        map
    };
    Catalogue {
        messages: by_code(MESSAGES),
        hints: by_code(HINTS),
        fragments: FRAGMENTS.iter().map(|&(e, z)| compile(e, z)).collect(),
    }
});

/// `(?s)^literal(.*?)literal...$` for an English pattern.
fn compile(english: &str, chinese: &'static str) -> Entry {
    let pieces: Vec<&str> = english.split("{}").collect();
    let mut source = String::from("(?s)^");
    let mut in_backticks = Vec::new();
    let mut ticks = 0;
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            source.push_str("(.*?)");
        }
        source.push_str(&regex::escape(piece));
        ticks += piece.matches('`').count();
        if i + 1 < pieces.len() {
            // After an odd number of the pattern's own backticks.
            in_backticks.push(ticks % 2 == 1);
        }
    }
    source.push('$');
    Entry {
        // The patterns are ours, escaped: a failure is a bug the tests catch.
        pattern: Regex::new(&source).unwrap_or_else(|_| Regex::new("$^").expect("empty regex")),
        template: chinese,
        in_backticks,
    }
}

/// The Chinese of message `english` of a diagnostic with `code`; `None` when
/// the catalogue has no pattern for it.
pub fn message(code: Code, english: &str) -> Option<String> {
    translate(CATALOGUE.messages.get(&code)?, english, true)
}

/// The Chinese of hint `english` of a diagnostic with `code`.
pub fn hint(code: Code, english: &str) -> Option<String> {
    translate(CATALOGUE.hints.get(&code)?, english, true)
}

fn translate(entries: &[Entry], english: &str, with_fragments: bool) -> Option<String> {
    entries.iter().find_map(|entry| {
        let captures = entry.pattern.captures(english)?;
        let values: Vec<String> = (1..captures.len())
            .map(|i| {
                let value = captures.get(i).map_or("", |m| m.as_str());
                let plain = !entry.in_backticks.get(i - 1).copied().unwrap_or(true);
                match with_fragments && plain {
                    true => translate(&CATALOGUE.fragments, value, false)
                        .unwrap_or_else(|| value.to_string()),
                    false => value.to_string(),
                }
            })
            .collect();
        Some(fill(entry.template, &values))
    })
}

/// `template` with each `{N}` replaced by `values[N]`; other braces (`{#id}`)
/// stay as they are.
fn fill(template: &str, values: &[String]) -> String {
    let mut out =
        String::with_capacity(template.len() + values.iter().map(String::len).sum::<usize>());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let value = (digits > 0 && after[digits..].starts_with('}'))
            .then(|| after[..digits].parse::<usize>().ok())
            .flatten()
            .and_then(|n| values.get(n));
        match value {
            Some(value) => {
                out.push_str(value);
                rest = &after[digits + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `{N}` indices a template uses.
    fn used(template: &str) -> Vec<usize> {
        let mut found = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 && after[digits..].starts_with('}') {
                found.push(after[..digits].parse().unwrap());
            }
            rest = after;
        }
        found
    }

    fn all_entries() -> impl Iterator<Item = (Option<Code>, &'static str, &'static str)> {
        MESSAGES
            .iter()
            .chain(HINTS)
            .map(|&(c, e, z)| (Some(c), e, z))
            .chain(FRAGMENTS.iter().map(|&(e, z)| (None, e, z)))
    }

    #[test]
    fn every_pattern_compiles_and_every_value_is_used_once() {
        for (code, english, chinese) in all_entries() {
            let values = english.matches("{}").count();
            let source = compile(english, chinese);
            assert_eq!(source.in_backticks.len(), values, "{english}");
            assert_eq!(source.pattern.captures_len(), values + 1, "{english}");
            // The pattern matches itself with its `{}` left in.
            assert!(source.pattern.is_match(english), "{code:?} {english}");
            let mut indices = used(chinese);
            indices.sort_unstable();
            assert_eq!(
                indices,
                (0..values).collect::<Vec<_>>(),
                "{code:?}: {english:?} has {values} values, {chinese:?} uses {:?}",
                used(chinese)
            );
            let han_or_full_width = |c: char| {
                ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c)
            };
            assert!(
                chinese.chars().any(han_or_full_width),
                "{chinese:?} has no Chinese"
            );
        }
    }

    #[test]
    fn no_pattern_is_written_twice_or_hidden_behind_an_earlier_one() {
        for table in [MESSAGES, HINTS] {
            for (i, &(code, english, _)) in table.iter().enumerate() {
                // The pattern's own text with values filled in as `x` must
                // be translated by this entry, not by an earlier one.
                let sample = english.replace("{}", "x");
                let first = table
                    .iter()
                    .position(|&(c, e, z)| c == code && compile(e, z).pattern.is_match(&sample));
                assert_eq!(first, Some(i), "{code:?}: {english:?} is shadowed");
            }
        }
    }

    #[test]
    fn every_code_has_a_chinese_message() {
        for code in Code::ALL {
            assert!(
                MESSAGES.iter().any(|(c, _, _)| c == code),
                "no Chinese message for `{code}`"
            );
        }
    }

    #[test]
    fn values_are_moved_and_kept_as_written() {
        let zh = message(
            Code::DroppedEmphasis,
            "`**` after `：` does not close the emphasis: readers see `**` and no bold text",
        );
        assert_eq!(
            zh.as_deref(),
            Some("`：` 后面的 `**` 无法结束强调：读者看到的是 `**`，而不是粗体")
        );
        let id = "秘书 `x` {0} {#y}";
        let zh = message(Code::InvalidId, &format!("id `{id}` is not allowed"));
        assert_eq!(zh, Some(format!("id `{id}` 不合规")));
        assert_eq!(
            hint(Code::UnknownAnchor, "give the matching heading in content/zh/a.md the same id, `{#duties}`, so both languages share it").as_deref(),
            Some("请给 content/zh/a.md 中对应的标题设同样的 id：`{#duties}`，两种语言就能共用")
        );
        assert_eq!(message(Code::InvalidId, "something else"), None);
    }

    #[test]
    fn phrases_outside_backticks_are_translated_too() {
        let zh = message(
            Code::LanguageConflict,
            "`lang:` in the front matter says `zh` but the folder `content/en/` says `en`",
        );
        assert_eq!(
            zh.as_deref(),
            Some("front matter 中的 `lang:` 写的是 `zh`，而文件夹 `content/en/` 写的是 `en`")
        );
        let zh = message(
            Code::OutputFolder,
            "refusing to write the site to /tmp/h (given with --out): it is inside content/",
        );
        assert_eq!(
            zh.as_deref(),
            Some("不能把网站写到 /tmp/h（--out 所指）：它在 content/ 里面")
        );
        let zh = hint(
            Code::InvalidFrontMatter,
            "switch the keyboard to half-width (English) punctuation and type `:`, as in `title: 前台`",
        );
        assert_eq!(
            zh.as_deref(),
            Some("请把输入法切换到半角（英文）标点，输入 `:`，例如 `title: 前台`")
        );
        // Inside backticks a value that reads like a phrase stays as written.
        let zh = message(Code::UnknownRoleLink, "link to unknown role `image`");
        assert_eq!(zh.as_deref(), Some("链接到不存在的岗位 `image`"));
    }

    #[test]
    fn matching_is_linear_in_the_text() {
        use std::time::Instant;
        let time = |n: usize| {
            let text = format!("`{}: {}` is not a date", ": `".repeat(n), "x".repeat(n));
            let start = Instant::now();
            assert!(message(Code::InvalidFrontMatter, &text).is_some());
            start.elapsed()
        };
        time(10);
        let small = time(20_000);
        let large = time(200_000);
        assert!(
            large < small * 40 + std::time::Duration::from_millis(50),
            "10x the text took {small:?} -> {large:?}"
        );
    }
}
