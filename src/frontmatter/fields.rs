//! Reading front matter's fields so that one run reports every problem:
//! when serde stops at an unknown or mistyped field, the top-level keys are
//! read with their positions, every unknown one is reported, and the rest is
//! parsed again without them.

use serde_saphyr::Spanned;

use super::*;

/// What the front matter says, as far as it parses, and its problems.
#[derive(Default)]
pub(super) struct Parsed {
    /// `None` when the YAML itself is broken.
    pub(super) raw: Option<RawFrontMatter>,
    pub(super) problems: Vec<Diagnostic>,
    /// Known fields left out because their value is wrong (reported).
    pub(super) dropped: Vec<&'static str>,
}

/// Parses the front matter. When serde stops at a problem, every unknown
/// field is reported (each on its line) and the fields that fail are left
/// out one by one, so that one run reports every problem of the page.
pub(super) fn parse_yaml(yaml: &str, file: &str, yaml_line: usize) -> Parsed {
    let parsed = if yaml.trim().is_empty() {
        Some(RawFrontMatter::default())
    } else {
        fast::parse(yaml)
    };
    let first = match parsed.map_or_else(|| serde_saphyr::from_str(yaml), Ok) {
        Ok(raw) => {
            return Parsed {
                raw: Some(raw),
                ..Parsed::default()
            }
        }
        Err(e) => e,
    };
    match top_keys(yaml) {
        Some(keys) => parse_around(yaml, &keys, file, yaml_line),
        None => Parsed {
            problems: vec![yaml_error(&first, yaml, file, yaml_line)],
            ..Parsed::default()
        },
    }
}

/// The most fields serde may stop at in one front matter before we give
/// up: each known field once, and a duplicate of each.
pub(super) const MAX_RETRIES: usize = 2 * FIELDS.len();

/// Parses `yaml` (a mapping with these top-level `keys`) without its
/// unknown fields, each reported, then without each entry serde stops at,
/// until the rest parses.
pub(super) fn parse_around(
    yaml: &str,
    keys: &[Spanned<String>],
    file: &str,
    yaml_line: usize,
) -> Parsed {
    let mut entries = Entries::new(yaml, keys);
    let mut parsed = Parsed::default();
    for (i, key) in keys.iter().enumerate() {
        if FIELDS.contains(&key.value.as_str()) {
            continue;
        }
        let (line, column) = loc(&key.referenced, yaml_line);
        parsed
            .problems
            .push(unknown_field(&key.value, file, line, column));
        if !entries.leave_out(i) {
            return parsed; // on one line with another field: cannot part them
        }
    }
    for _ in 0..MAX_RETRIES {
        let text = entries.text();
        let e = match serde_saphyr::from_str(&text) {
            Ok(raw) => {
                parsed.raw = Some(raw);
                return parsed;
            }
            Err(e) => e,
        };
        parsed.problems.push(yaml_error(&e, &text, file, yaml_line));
        let Some(i) = e
            .location()
            .and_then(|l| entries.at_line(l.line() as usize))
        else {
            return parsed;
        };
        if let Some(&field) = FIELDS.iter().find(|f| **f == keys[i].value) {
            parsed.dropped.push(field);
        }
        if !entries.leave_out(i) {
            return parsed;
        }
    }
    parsed
}

/// The lines of a front matter mapping and the top-level entry each
/// belongs to; entries can be left out (their lines emptied, so that every
/// line keeps its number).
pub(super) struct Entries<'a> {
    lines: Vec<&'a str>,
    /// 1-based first line of each entry, in order.
    starts: Vec<usize>,
    left_out: Vec<bool>,
}

impl<'a> Entries<'a> {
    fn new(yaml: &'a str, keys: &[Spanned<String>]) -> Self {
        Entries {
            lines: yaml.split_inclusive('\n').collect(),
            starts: keys.iter().map(|k| k.referenced.line() as usize).collect(),
            left_out: vec![false; keys.len()],
        }
    }

    /// The entry that `line` (1-based) is part of.
    fn at_line(&self, line: usize) -> Option<usize> {
        self.starts.iter().rposition(|&start| start <= line)
    }

    /// Empties the lines of entry `i`; false when that cannot be done (it
    /// shares a line with another entry, or is left out already).
    fn leave_out(&mut self, i: usize) -> bool {
        let start = self.starts[i];
        let end = self
            .starts
            .get(i + 1)
            .copied()
            .unwrap_or(self.lines.len() + 1);
        let shared = end <= start || (i > 0 && self.starts[i - 1] == start);
        if shared || self.left_out[i] || start == 0 {
            return false;
        }
        for line in self.lines.iter_mut().take(end - 1).skip(start - 1) {
            *line = "\n";
        }
        self.left_out[i] = true;
        true
    }

    fn text(&self) -> String {
        self.lines.concat()
    }
}

/// The top-level keys of `yaml`, in order, with where each is written;
/// `None` unless `yaml` is a mapping that parses.
pub(super) fn top_keys(yaml: &str) -> Option<Vec<Spanned<String>>> {
    struct Keys(Vec<Spanned<String>>);
    impl<'de> Deserialize<'de> for Keys {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_map(Keys(Vec::new()))
        }
    }
    impl<'de> serde::de::Visitor<'de> for Keys {
        type Value = Keys;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a mapping")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(mut self, mut map: A) -> Result<Keys, A::Error> {
            while let Some(key) = map.next_key::<Spanned<String>>()? {
                map.next_value::<serde::de::IgnoredAny>()?;
                self.0.push(key);
            }
            Ok(self)
        }
    }
    serde_saphyr::from_str::<Keys>(yaml).ok().map(|keys| keys.0)
}

pub(super) fn unknown_field(field: &str, file: &str, line: usize, column: usize) -> Diagnostic {
    let hint = match did_you_mean(field, FIELDS) {
        Some(best) => format!("did you mean `{best}`? Known fields: {}", FIELDS.join(", ")),
        None => format!(
            "known fields: {}; put free data for themes under `extra:`",
            FIELDS.join(", ")
        ),
    };
    Diagnostic::error(
        Code::UnknownField,
        file,
        format!("unknown front matter field `{field}`"),
    )
    .at(line, column)
    .hint(hint)
}

pub(super) fn yaml_error(
    e: &serde_saphyr::Error,
    yaml: &str,
    file: &str,
    yaml_line: usize,
) -> Diagnostic {
    let (line, column) = e.location().map_or((yaml_line, 1), |l| loc(&l, yaml_line));
    let message = first_line(&e.without_snippet().to_string());
    if let Some(field) = between_backticks(&message).filter(|_| message.contains("unknown field")) {
        return unknown_field(&field, file, line, column);
    }
    // Name the field the error is on (`order: first` -> "invalid i64" alone does not say).
    let field = e
        .location()
        .and_then(|l| field_on_line(yaml, l.line() as usize));
    let (message, hint) = match field {
        Some(field) if message.contains("duplicate mapping key") => (
            format!("front matter field `{field}` is given twice"),
            "keep one of the two lines".to_string(),
        ),
        Some(field) => (
            format!("front matter field `{field}`: {message}"),
            format!("`{field}` takes {}", field_form(field)),
        ),
        None => (
            format!("front matter: {message}"),
            "fix the YAML at this spot: `key: value` per line; lists as `[a, b]`; quote text containing `: ` or `#`".to_string(),
        ),
    };
    Diagnostic::error(Code::InvalidFrontMatter, file, message)
        .at(line, column)
        .hint(hint)
}

/// The known top-level field written on `line` (1-based, in `yaml`), if any.
pub(super) fn field_on_line(yaml: &str, line: usize) -> Option<&'static str> {
    let text = yaml.lines().nth(line.checked_sub(1)?)?;
    let (key, _) = text.split_once(':')?;
    FIELDS.iter().copied().find(|f| *f == key.trim_end())
}

/// What a field's value looks like, for hints.
pub(super) fn field_form(field: &str) -> &'static str {
    match field {
        "order" => "a whole number, e.g. `order: 3`",
        "related" | "tags" => "a list, e.g. `[a, b]`",
        "extra" => "a mapping of names to values, e.g. `extra: {icon: star}`",
        _ => "one line of text; put it in quotes if it contains `: ` or ` #`",
    }
}

pub(super) fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message);
    // serde-saphyr appends " at line L column C"; we print positions ourselves.
    match line.find(" at line ") {
        Some(i) => line[..i].to_string(),
        None => line.to_string(),
    }
}

pub(super) fn between_backticks(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(message[start..end].to_string())
}
