//! Fast path for the front matter nearly every page has: one `key: value`
//! per line with single-line values. It builds the same [`RawFrontMatter`] as
//! serde-saphyr, locations included, and returns `None` for anything else, so
//! that serde-saphyr parses (and reports the errors of) everything unusual.

use serde::de::value::{Error, MapDeserializer, SeqDeserializer};
use serde::de::{Deserialize, Deserializer, IntoDeserializer, Visitor};
use serde_saphyr::{Location, Spanned};

use super::RawFrontMatter;

/// Parses `yaml` if it has the simple form, else `None`.
///
/// Accepted: lines `key: value` (key at the start of the line, one or more
/// spaces after the colon) or empty lines. Keys: `id`, `lang`, `reports_to`,
/// `title`, `summary`, `department`, `translated_from`, `owner`,
/// `change_note` with a [`scalar`]; `updated`, `effective`, `review_by`,
/// `version` also with digits, `.` and `-` ([`loose`]); `related`, `tags`,
/// `aliases`, `compare` with a flow sequence `[a, "b c"]` of such scalars;
/// `order` with a plain `0` or a decimal without leading zero. Each key at
/// most once.
pub(super) fn parse(yaml: &str) -> Option<RawFrontMatter> {
    let mut raw = RawFrontMatter::default();
    let mut line = Line {
        text: "",
        number: 1,
        chars_before: 0,
        bytes_before: 0,
    };
    for text in yaml.split_inclusive('\n') {
        line.text = text.strip_suffix('\n').unwrap_or(text);
        if !line.text.is_empty() {
            line.parse_field(&mut raw)?;
        }
        line.number += 1;
        line.chars_before += text.chars().count();
        line.bytes_before += text.len();
    }
    Some(raw)
}

/// One line of the YAML and where it starts.
struct Line<'a> {
    text: &'a str,
    /// 1-based.
    number: usize,
    chars_before: usize,
    bytes_before: usize,
}

impl<'a> Line<'a> {
    fn parse_field(&self, raw: &mut RawFrontMatter) -> Option<()> {
        let (key, rest) = self.text.split_once(':')?;
        let value = rest.strip_prefix(' ')?.trim_start_matches(' ');
        fn set<T>(field: &mut Option<T>, value: Option<T>) -> Option<()> {
            match field {
                Some(_) => None, // duplicate key
                None => {
                    *field = Some(value?);
                    Some(())
                }
            }
        }
        match key {
            "id" => set(&mut raw.id, self.spanned(scalar(value)?)),
            "lang" => set(&mut raw.lang, self.spanned(scalar(value)?)),
            "kind" => set(&mut raw.kind, self.spanned(scalar(value)?)),
            "reports_to" => set(&mut raw.reports_to, self.spanned(scalar(value)?)),
            "title" => set(&mut raw.title, scalar(value).map(owned)),
            "summary" => set(&mut raw.summary, scalar(value).map(owned)),
            "department" => set(&mut raw.department, scalar(value).map(owned)),
            "translated_from" => set(&mut raw.translated_from, scalar(value).map(owned)),
            "updated" => set(&mut raw.updated, self.spanned(loose(value)?)),
            "effective" => set(&mut raw.effective, self.spanned(loose(value)?)),
            "review_by" => set(&mut raw.review_by, self.spanned(loose(value)?)),
            "version" => set(&mut raw.version, self.spanned(loose(value)?)),
            "owner" => set(&mut raw.owner, self.spanned(scalar(value)?)),
            "change_note" => set(&mut raw.change_note, scalar(value).map(owned)),
            "aliases" => set(
                &mut raw.aliases,
                sequence(value)?.map(|item| self.spanned(item?)).collect(),
            ),
            "compare" => set(
                &mut raw.compare,
                sequence(value)?.map(|item| self.spanned(item?)).collect(),
            ),
            "related" => set(
                &mut raw.related,
                sequence(value)?.map(|item| self.spanned(item?)).collect(),
            ),
            "tags" => set(
                &mut raw.tags,
                sequence(value)?.map(|i| i.map(owned)).collect(),
            ),
            "order" => set(&mut raw.order, order(value)),
            _ => None,
        }
    }

    /// `value` with the location of `written`, a slice of this line.
    fn spanned(&self, (written, value): (&str, &str)) -> Option<Spanned<String>> {
        let start = written.as_ptr() as usize - self.text.as_ptr() as usize;
        let column = self.text.get(..start)?.chars().count() + 1;
        let here = location(
            self.number,
            column,
            (self.chars_before + column - 1, written.chars().count()),
            (self.bytes_before + start, written.len()),
        )?;
        Some(Spanned::new(value.to_string(), here, here))
    }
}

fn owned((_, value): (&str, &str)) -> String {
    value.to_string()
}

/// A scalar that is all of `s` but trailing spaces, as `(written, value)`:
/// - `"text"`, not empty, of [`printable`] characters but `"` and `\`;
/// - plain text of [`plain_char`]s that starts with a letter, or with a digit
///   when it is certainly not a number, and is not one of [`SPECIAL_WORDS`].
fn scalar(s: &str) -> Option<(&str, &str)> {
    if let Some(quoted) = s.strip_prefix('"') {
        let (value, rest) = quoted.split_once('"')?;
        let ok = !value.is_empty()
            && value.chars().all(|c| c != '\\' && printable(c))
            && rest.bytes().all(|b| b == b' ');
        return ok.then(|| (&s[..value.len() + 2], value));
    }
    let value = s.trim_end_matches(' ');
    let first = value.chars().next()?;
    let ok = (first.is_alphabetic() || (first.is_ascii_digit() && !maybe_number(value)))
        && value.chars().all(plain_char)
        && !SPECIAL_WORDS.iter().any(|w| w.eq_ignore_ascii_case(value));
    ok.then_some((value, value))
}

/// A [`scalar`], or plain digits with `.` and `-` between them (`2.1`,
/// `2026-11-28`): YAML may read those as numbers or dates, but serde-saphyr
/// hands a text field the characters as written, which is what this gives.
fn loose(s: &str) -> Option<(&str, &str)> {
    let value = s.trim_end_matches(' ');
    let bytes = value.as_bytes();
    let digits = bytes.first().is_some_and(u8::is_ascii_digit)
        && bytes.last().is_some_and(u8::is_ascii_digit)
        && bytes
            .iter()
            .all(|b| b.is_ascii_digit() || *b == b'.' || *b == b'-');
    if digits {
        return Some((value, value));
    }
    scalar(s)
}

/// Plain words YAML (1.1 or 1.2) may read as null, a boolean or a float.
const SPECIAL_WORDS: &[&str] = &[
    "null", "true", "false", "yes", "no", "on", "off", "y", "n", "inf", "nan", "infinity",
];

/// Whether a plain scalar starting with a digit could be a number (also in
/// YAML 1.1: `0x1F`, `0o17`, `0b101`, `1_000`, `1e3`, `2001-12-14`, `1.5`...):
/// it is not, if it has a letter other than `e` and no radix prefix.
fn maybe_number(value: &str) -> bool {
    matches!(
        value.as_bytes(),
        [b'0', b'x' | b'X' | b'o' | b'O' | b'b' | b'B', ..]
    ) || !value
        .chars()
        .any(|c| c.is_ascii_alphabetic() && !c.eq_ignore_ascii_case(&'e'))
}

/// Characters kept as they are in a one-line plain scalar: ASCII letters,
/// digits, spaces, `-_.,'&()/` and [`printable`] non-ASCII characters.
fn plain_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            ' ' | '-' | '_' | '.' | ',' | '\'' | '&' | '(' | ')' | '/'
        )
        || (!c.is_ascii() && printable(c))
}

/// Characters taken literally inside double quotes on one line: printable
/// ASCII and non-ASCII YAML `c-printable` characters other than whitespace, BOM
/// and line separators.
fn printable(c: char) -> bool {
    matches!(c, ' '..='~')
        || (matches!(c as u32, 0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x1_0000..)
            && !c.is_whitespace()
            && c != '\u{FEFF}')
}

/// The items of `[a, "b", c]` followed by nothing but spaces. Items are cut
/// at every `,` and the sequence holds no other flow indicator (`[]{}`), so a
/// [`scalar`] item reads the same in flow as in block context.
fn sequence(value: &str) -> Option<impl Iterator<Item = Option<(&str, &str)>>> {
    let (inner, rest) = value.strip_prefix('[')?.split_once(']')?;
    let ok = rest.bytes().all(|b| b == b' ') && !inner.contains(['[', '{', '}']);
    ok.then(|| {
        inner
            .split(',')
            .map(|item| scalar(item.trim_start_matches(' ')))
    })
}

/// `0` or a decimal number of at most 18 digits without a leading zero.
fn order(value: &str) -> Option<i64> {
    let digits = value.trim_end_matches(' ');
    let ok = (1..=18).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    if !ok {
        return None;
    }
    digits.parse().ok()
}

/// A [`Location`] as serde-saphyr makes it: 1-based line and column (counted
/// in characters) and the span in characters and in bytes. `Location` has no
/// public constructor, so it is deserialized from these fields (should that
/// ever fail, the page falls back to serde-saphyr).
fn location(
    line: usize,
    column: usize,
    chars: (usize, usize),
    bytes: (usize, usize),
) -> Option<Location> {
    let n = |x: usize| Field::Number(x as u64);
    let span = Field::Span([
        chars.0 as u64,
        chars.1 as u64,
        bytes.0 as u64,
        bytes.1 as u64,
    ]);
    let fields = [("line", n(line)), ("column", n(column)), ("span", span)];
    Location::deserialize(MapDeserializer::<_, Error>::new(fields.into_iter())).ok()
}

/// A field of a serialized [`Location`].
#[derive(Clone, Copy)]
enum Field {
    Number(u64),
    /// Character offset and length, byte offset and length.
    Span([u64; 4]),
    /// The byte offset and length in a span.
    Pair(u64, u64),
}

impl<'de> Deserializer<'de> for Field {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Field::Number(n) => visitor.visit_u64(n),
            Field::Pair(a, b) => visitor.visit_seq(SeqDeserializer::new([a, b].into_iter())),
            Field::Span([offset, len, byte_offset, byte_len]) => {
                let fields = [
                    ("offset", Field::Number(offset)),
                    ("len", Field::Number(len)),
                    ("byte_info", Field::Pair(byte_offset, byte_len)),
                ];
                visitor.visit_map(MapDeserializer::new(fields.into_iter()))
            }
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

impl IntoDeserializer<'_, Error> for Field {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::{collection::vec, option, sample::select};
    use std::path::Path;

    const KEYS: &[&str] = &[
        "id",
        "kind",
        "lang",
        "reports_to",
        "title",
        "summary",
        "department",
        "translated_from",
        "related",
        "tags",
        "order",
        "updated",
        "effective",
        "review_by",
        "version",
        "owner",
        "change_note",
        "aliases",
        "compare",
    ];

    fn slow(yaml: &str) -> RawFrontMatter {
        serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"))
    }

    fn not_special(s: &str) -> bool {
        !SPECIAL_WORDS
            .iter()
            .any(|w| w.eq_ignore_ascii_case(s.trim_end()))
    }

    /// A value the fast path must take for `key`.
    fn simple_value(key: &str) -> BoxedStrategy<String> {
        let id = "[a-z][a-z0-9_-]{0,20}".prop_filter("plain", |s| not_special(s));
        let plain = r"[A-Za-z][A-Za-z0-9_.,'&()/-]{0,8}( {1,2}[A-Za-z0-9_.,'&()/-]{1,8}){0,3}";
        let plain = plain.prop_filter("plain", |s| not_special(s));
        let cjk = r"[\u{4e00}-\u{9fa5}][\u{4e00}-\u{9fa5}，。、：（）“”《》A-Za-z0-9 ]{0,12}[\u{4e00}-\u{9fa5}。）]";
        let quoted = r#""[ !#-\[\]-~\u{4e00}-\u{4e30}：，（）“”]{1,24}""#;
        let fingerprint = "[1-9][0-9]{0,5}[a-df][0-9a-f]{0,6}";
        let item = prop_oneof![
            id.clone(),
            r#""[A-Za-z0-9 .:#'\u{4e00}-\u{4e30}-]{1,12}""#.boxed()
        ];
        let separator = select(vec![",", ", ", " , ", ",  "]);
        let list = (vec(item, 1..5), separator, " {0,2}", " {0,2}")
            .prop_map(|(items, sep, a, b)| format!("[{a}{}{b}]", items.join(sep)));
        let value = match key {
            "id" | "lang" | "reports_to" | "kind" => {
                prop_oneof![id.clone(), id.prop_map(|i| format!("\"{i}\""))].boxed()
            }
            "related" | "tags" | "aliases" | "compare" => list.boxed(),
            "updated" | "effective" | "review_by" => "20[0-9]{2}-[01][0-9]-[0-3][0-9]".boxed(),
            "version" => prop_oneof![
                "[0-9]{1,3}(\\.[0-9]{1,3}){0,2}",
                "[1-9][0-9]{0,3}-[0-9]{1,2}",
                plain.clone()
            ]
            .boxed(),
            "order" => "0|[1-9][0-9]{0,17}".boxed(),
            _ => prop_oneof![plain, cjk, quoted, fingerprint].boxed(),
        };
        (value, " {0,2}").prop_map(|(v, end)| v + &end).boxed()
    }

    /// Front matter the fast path must take: known keys at most once each, in
    /// any order, with simple values and maybe empty lines.
    fn simple_front_matter() -> impl Strategy<Value = String> {
        let mut lines: Vec<_> = KEYS
            .iter()
            .map(|&key| {
                let line =
                    (" {1,3}", simple_value(key)).prop_map(move |(s, v)| format!("{key}:{s}{v}"));
                option::of(line).boxed()
            })
            .collect();
        lines.push(option::of(Just(String::new())).boxed());
        lines.push(option::of(Just(String::new())).boxed());
        lines
            .prop_map(|lines| lines.into_iter().flatten().collect::<Vec<_>>())
            .prop_shuffle()
            .prop_map(|lines| lines.join("\n") + "\n")
    }

    /// Values close to the simple ones that YAML reads differently, or that
    /// the fast path should leave to serde-saphyr.
    fn near_miss_value() -> BoxedStrategy<String> {
        prop_oneof![
            select(vec!["null", "Null", "NULL", "~", "True", "no", "Off", "y", "nan", ".inf"])
                .prop_map(String::from),
            "(?i)(true|false|yes|no|on|off|null|y|n|inf|nan|infinity|\\.inf|\\.nan)",
            "[-+.]?[0-9][0-9a-fA-FxXoObBeE_.:+-]{0,10}",
            "[A-Za-z\u{4e00}-\u{4e05}][A-Za-z :#\\\\\"'\\[\\]{},|>&*!%@`\t\u{a0}\u{3000}\u{85}\u{2028}\u{feff}\u{7f}\u{1}-]{0,10}",
            "\"[a-z :#\\\\\"'\t\u{3000}\u{85}\u{a0}]{0,8}\"?[ #a-z\"]{0,3}",
            "\"[a-z ]{0,4}\\\\[a-z\"\\\\0 ]?[a-z ]{0,4}\"",
            "'[a-z ]{0,6}'",
            "\\[[a-z ,\"\\[\\]{}:#'\u{4e00}]{0,12}\\]?[ a-z#]{0,2}",
            "\\{[a-z: ,]{0,8}\\}",
            "(\\||>|&a |\\*a|!!str |- |\\? |%|@)[a-z]{0,4}",
            " {0,2}",
        ]
        .boxed()
    }

    /// One line of front matter: mostly simple, sometimes a near miss.
    fn any_line() -> impl Strategy<Value = String> {
        let key = select(KEYS);
        let simple = key.clone().prop_flat_map(|key| {
            (" {1,2}", simple_value(key)).prop_map(move |(s, v)| format!("{key}:{s}{v}"))
        });
        let near_key = "(?i)(id|title|order|extra|unknown|lang)|( id|id |\"id\"|#id|- id|i d)";
        let near_separator = select(vec![":", " :", ":\t", ": \t", "::"]);
        let junk = "( #.*| [a-z]|\\]|\"|:|,| ,a|: b| - c)";
        let with_junk = key.clone().prop_flat_map(move |key| {
            (simple_value(key), junk).prop_map(move |(v, j)| format!("{key}: {}{j}", v.trim_end()))
        });
        prop_oneof![
            3 => simple,
            3 => (key.clone(), " {1,2}", near_miss_value()).prop_map(|(k, s, v)| format!("{k}:{s}{v}")),
            2 => with_junk,
            1 => (near_key, simple_value("title")).prop_map(|(k, v)| format!("{k}: {v}")),
            1 => (key, near_separator, simple_value("id")).prop_map(|(k, s, v)| format!("{k}{s}{v}")),
            1 => "# comment|  more text|\t|---|\\.\\.\\.|- item| |extra:|  icon: star|order: 3|[a-z]{1,5}: 1".boxed(),
        ]
    }

    fn any_front_matter() -> impl Strategy<Value = String> {
        (
            vec(any_line(), 0..5),
            select(vec!["\n", "\n", "\n", "\r\n"]),
            any::<bool>(),
        )
            .prop_map(|(lines, eol, last)| lines.join(eol) + if last { eol } else { "" })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Whatever the fast path takes, serde-saphyr reads the same way.
        #[test]
        fn fast_path_agrees_with_serde_saphyr(yaml in any_front_matter()) {
            if let Some(fast) = parse(&yaml) {
                let slow = serde_saphyr::from_str::<RawFrontMatter>(&yaml);
                prop_assert!(slow.is_ok(), "serde-saphyr refuses {yaml:?}: {slow:?}");
                prop_assert_eq!(fast, slow.unwrap(), "{:?}", yaml);
            }
        }

        /// The simple form is really taken, with serde-saphyr's result.
        #[test]
        fn fast_path_takes_simple_front_matter(yaml in simple_front_matter()) {
            let fast = parse(&yaml);
            prop_assert!(fast.is_some(), "not taken: {yaml:?}");
            prop_assert_eq!(fast.unwrap(), slow(&yaml), "{:?}", yaml);
        }
    }

    /// Every page of the repository's handbook and a sample of
    /// `gen_corpus.py --roles 1000 --seed 1` (in `testdata/generated.yaml`)
    /// takes the fast path.
    #[test]
    fn real_pages_take_the_fast_path() {
        let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let mut pages = Vec::new();
        for entry in walkdir::WalkDir::new(&content).sort_by_file_name() {
            let path = entry.unwrap().into_path();
            if path.extension().is_some_and(|e| e == "md") {
                let text = std::fs::read_to_string(&path).unwrap();
                let yaml = super::super::split_front_matter(&text, "")
                    .unwrap()
                    .yaml
                    .to_string();
                pages.push((path.display().to_string(), yaml));
            }
        }
        assert!(
            pages.len() >= 20,
            "{} pages under {}",
            pages.len(),
            content.display()
        );
        let generated = include_str!("testdata/generated.yaml");
        let generated: Vec<_> = generated.split_inclusive("---\n").collect();
        assert!(generated.len() >= 40);
        for (i, yaml) in generated.into_iter().enumerate() {
            pages.push((
                format!("generated #{i}"),
                yaml.trim_end_matches("---\n").to_string(),
            ));
        }
        for (name, yaml) in pages {
            let fast = parse(&yaml).unwrap_or_else(|| panic!("{name} does not take the fast path"));
            assert_eq!(fast, slow(&yaml), "{name}");
        }
    }

    #[test]
    fn unusual_front_matter_is_left_to_serde_saphyr() {
        for yaml in [
            "id: x\nid: y\n",
            "id: x # comment\n",
            "# comment\nid: x\n",
            "id: x\r\n",
            "title: yes\n",
            "title: null\n",
            "id: Null\n",
            "title: 12\n",
            "title: 0x1f\n",
            "title: a: b\n",
            "title: \"a \\\" b\"\n",
            "title: \"a\" b\n",
            "title: 'a'\n",
            "title:\n",
            "title: a\n  b\n",
            "related:\n  - a\n",
            "related: []\n",
            "related: [a, b,]\n",
            "tags: [a, [b]]\n",
            "order: 007\n",
            "order: -1\n",
            "extra: {a: 1}\n",
            "unknown: x\n",
            " id: x\n",
            "id:\tx\n",
        ] {
            assert!(parse(yaml).is_none(), "{yaml:?}");
        }
    }
}
