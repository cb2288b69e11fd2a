//! Posting lists: for every term, where it occurs, built page by page and
//! kept encoded (a few bytes a page) so that a large handbook's index is
//! never held as lists of numbers.
//!
//! A page is one role in one language, numbered `role * languages + lang`;
//! a section is a top-level section of a page, numbered from 0. Each term
//! has three lists, written as text in the alphabet of [`DIGITS`]:
//!
//! - title: the pages whose role's title (in any language) holds the term,
//!   as differences from the previous page (the first from 0);
//! - heading and body: for each page that holds the term in a section's
//!   heading (or text), the difference from the previous page, then the
//!   page's sections as a bit set, five bits to a digit, lowest first.
//!
//! A number is written five bits to a digit, lowest first; a digit of 32 or
//! more says another follows. search.js (`decode`) reads them back.

use std::collections::HashMap;

// A fast hash for short keys, the same in every run (the default one resists
// attacks that a static site builder does not face, and is slower).
use foldhash::fast::FixedState;

use super::text::Term;

/// The 64 digits of the lists: safe in a JSON string and a file name.
pub const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// The fields a term can occur in, best first for ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title = 0,
    Heading = 1,
    Body = 2,
}

/// One term's lists.
#[derive(Default)]
pub struct Lists {
    /// Encoded title, heading and body lists.
    pub encoded: [Digits; 3],
    /// The page last written to each list (the next is written relative).
    last: [u32; 3],
}

/// A term of the current page: whether the page's title holds it, and the
/// sections that hold it in a heading and in a text. Kept apart from
/// [`Lists`] (and reused from page to page) so that the many occurrences
/// of a term on a page touch only this small, recently used memory.
#[derive(Default)]
struct Touched {
    id: u32,
    title: bool,
    /// Heading, body.
    sections: [Sections; 2],
}

/// A set of section numbers: the first 64 in a word of their own (most
/// pages have fewer), the rest in words after it.
#[derive(Default, Clone)]
struct Sections {
    low: u64,
    high: Vec<u64>,
}

impl Sections {
    fn insert(&mut self, section: usize) {
        if section < 64 {
            self.low |= 1 << section;
            return;
        }
        let word = section / 64 - 1;
        if self.high.len() <= word {
            self.high.resize(word + 1, 0);
        }
        self.high[word] |= 1 << (section % 64);
    }

    fn union(&mut self, other: &Sections) {
        self.low |= other.low;
        if self.high.len() < other.high.len() {
            self.high.resize(other.high.len(), 0);
        }
        for (mine, theirs) in self.high.iter_mut().zip(&other.high) {
            *mine |= theirs;
        }
    }

    fn clear(&mut self) {
        self.low = 0;
        self.high.clear();
    }

    /// Word `n` of the set (sections `64 n ..`), 0 past the end.
    fn word(&self, n: usize) -> u64 {
        match n {
            0 => self.low,
            n => self.high.get(n - 1).copied().unwrap_or(0),
        }
    }

    fn words(&self) -> usize {
        1 + self.high.len()
    }
}

/// A list's digits, in segments that are never moved: a list grows by a
/// new segment (twice the last, up to [`SEGMENT`]) rather than by copying
/// itself into a larger vector, which for tens of megabytes of lists left
/// as much again of freed, scattered memory.
#[derive(Default)]
pub struct Digits {
    segments: Vec<Vec<u8>>,
    len: usize,
}

/// The largest segment: a list's unused tail is at most this.
const SEGMENT: usize = 4096;

impl Digits {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn extend(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len();
        while !bytes.is_empty() {
            let free = self.segments.last().map_or(0, |s| s.capacity() - s.len());
            if free == 0 {
                let size = self
                    .segments
                    .last()
                    .map_or(16, |s| (s.capacity() * 2).min(SEGMENT));
                self.segments.push(Vec::with_capacity(size));
                continue;
            }
            let n = free.min(bytes.len());
            if let Some(last) = self.segments.last_mut() {
                last.extend_from_slice(&bytes[..n]);
            }
            bytes = &bytes[n..];
        }
    }

    /// Appends the digits to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        for segment in &self.segments {
            out.extend_from_slice(segment);
        }
    }
}

/// Appends `n` to `out`, five bits to a digit.
pub fn write_number(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let low = (n & 31) as usize;
        n >>= 5;
        if n == 0 {
            out.push(DIGITS[low]);
            return;
        }
        out.push(DIGITS[low | 32]);
    }
}

/// Appends a set of sections as five-bit digits, lowest sections first,
/// up to the highest section in the set (a digit per five sections: this
/// runs for every term of every page).
fn write_sections(out: &mut Vec<u8>, bits: &Sections) {
    let Some(last) = (0..bits.words()).rposition(|w| bits.word(w) != 0) else {
        out.push(DIGITS[0]);
        return;
    };
    let top = last * 64 + 63 - bits.word(last).leading_zeros() as usize;
    let mut at = 0;
    loop {
        let (word, offset) = (at / 64, at % 64);
        let mut digit = (bits.word(word) >> offset) as usize & 31;
        if offset > 59 && word < last {
            digit |= (bits.word(word + 1) << (64 - offset)) as usize & 31;
        }
        at += 5;
        if at > top {
            out.push(DIGITS[digit]);
            return;
        }
        out.push(DIGITS[digit | 32]);
    }
}

/// Not a term yet, or not a pair.
const NONE: u32 = u32::MAX;

/// Every term of the handbook with its lists, filled one page at a time.
///
/// A CJK character is found through the pairs that hold it: at the end of
/// a page, each pair's places are added to its two characters' (a
/// character alone between non-CJK text is added itself). So a Chinese
/// page costs one lookup per character rather than two, and the lists are
/// the same as if every character had been added where it stands.
pub struct Postings {
    words: HashMap<Box<str>, u32, FixedState>,
    /// CJK characters of the Basic Multilingual Plane by code point
    /// ([`NONE`]: not seen yet), other CJK terms by their code points:
    /// most terms of a Chinese text, found without hashing a string.
    chars: Vec<u32>,
    pairs: HashMap<u64, u32, FixedState>,
    pub terms: Vec<(Box<str>, Lists)>,
    /// Per term: its two characters' terms if it is a pair, else [`NONE`].
    halves: Vec<[u32; 2]>,
    /// Per term: 1 + the last page it was seen on (0: none yet), and its
    /// place in `touched` on that page.
    marks: Vec<(u32, u32)>,
    /// The current page's terms: the first `used` entries.
    touched: Vec<Touched>,
    used: usize,
    page: u32,
    /// An entry being encoded.
    scratch: Vec<u8>,
}

impl Default for Postings {
    fn default() -> Postings {
        Postings {
            words: HashMap::default(),
            chars: vec![NONE; 0x10000],
            pairs: HashMap::default(),
            terms: Vec::new(),
            halves: Vec::new(),
            marks: Vec::new(),
            touched: Vec::new(),
            used: 0,
            page: 0,
            scratch: Vec::new(),
        }
    }
}

/// A CJK term's key in [`Postings::pairs`].
fn pair_key(a: char, b: Option<char>) -> u64 {
    u64::from(a) << 32 | b.map_or(0, u64::from)
}

impl Postings {
    fn id(&mut self, term: Term) -> usize {
        let found = match term {
            // Single characters of the Basic Multilingual Plane by a table.
            Term::Cjk(a, None) if (a as usize) < self.chars.len() => self.chars[a as usize],
            Term::Cjk(a, b) => self.pairs.get(&pair_key(a, b)).copied().unwrap_or(NONE),
            Term::Word(w) => self.words.get(w).copied().unwrap_or(NONE),
        };
        match found {
            NONE => self.new_term(term),
            id => id as usize,
        }
    }

    #[cold]
    fn new_term(&mut self, term: Term) -> usize {
        let halves = match term {
            Term::Cjk(a, Some(b)) => [a, b].map(|c| self.id(Term::Cjk(c, None)) as u32),
            _ => [NONE; 2],
        };
        let id = self.terms.len() as u32;
        match term {
            Term::Cjk(a, None) if (a as usize) < self.chars.len() => self.chars[a as usize] = id,
            Term::Cjk(a, b) => {
                self.pairs.insert(pair_key(a, b), id);
            }
            Term::Word(w) => {
                self.words.insert(w.into(), id);
            }
        }
        self.terms.push((term.text().into(), Lists::default()));
        self.halves.push(halves);
        self.marks.push((0, 0));
        id as usize
    }

    /// Appends the lists of `later`, whose pages all come after this one's
    /// (the roles after), term by term: the first page of each of its lists
    /// is written again, relative to this one's last.
    pub fn append(&mut self, later: Postings) {
        let mut first_digits = Vec::new();
        for (text, lists) in later.terms {
            let term = match text.as_bytes().first() {
                Some(b) if b.is_ascii() => Term::Word(&text),
                _ => {
                    let mut chars = text.chars();
                    Term::Cjk(chars.next().unwrap_or(' '), chars.next())
                }
            };
            let id = self.id(term);
            let mine = &mut self.terms[id].1;
            for (f, list) in lists.encoded.iter().enumerate() {
                if list.is_empty() {
                    continue;
                }
                // The first number (digits up to one below 32) is written
                // again; the rest is copied a segment at a time.
                let (mut first, mut shift, mut skip) = (0u64, 0, 0);
                for &d in list.segments.iter().flatten() {
                    let d = DIGITS.iter().position(|&x| x == d).unwrap_or(0) as u64;
                    first |= (d & 31) << shift;
                    shift += 5;
                    skip += 1;
                    if d < 32 {
                        break;
                    }
                }
                first_digits.clear();
                write_number(&mut first_digits, first - u64::from(mine.last[f]));
                let target = &mut mine.encoded[f];
                target.extend(&first_digits);
                for segment in &list.segments {
                    let cut = skip.min(segment.len());
                    skip -= cut;
                    target.extend(&segment[cut..]);
                }
                mine.last[f] = lists.last[f];
            }
        }
    }

    /// Starts page number `page` (pages come in increasing order).
    pub fn start_page(&mut self, page: u32) {
        self.page = page;
    }

    /// Records that `term` occurs in `field` of section `section` of the
    /// current page (for the title, of the page as a whole).
    pub fn add(&mut self, term: Term, field: Field, section: usize) {
        let id = self.id(term);
        let slot = self.touch(id);
        let touched = &mut self.touched[slot];
        match field {
            Field::Title => touched.title = true,
            Field::Heading => touched.sections[0].insert(section),
            Field::Body => touched.sections[1].insert(section),
        }
    }

    /// Term `id`'s place in `touched` on the current page.
    fn touch(&mut self, id: usize) -> usize {
        let page = self.page + 1;
        let mark = &mut self.marks[id];
        if mark.0 == page {
            return mark.1 as usize;
        }
        let slot = self.used;
        *mark = (page, slot as u32);
        self.used += 1;
        if slot == self.touched.len() {
            self.touched.push(Touched::default());
        }
        let touched = &mut self.touched[slot];
        touched.id = id as u32;
        touched.title = false;
        touched.sections.iter_mut().for_each(Sections::clear);
        slot
    }

    /// Writes the current page's places of every term it holds.
    pub fn end_page(&mut self) {
        // A pair's places are its characters' too (characters are never
        // pairs, so the entries this adds need nothing more).
        for from in 0..self.used {
            let halves = self.halves[self.touched[from].id as usize];
            if halves[0] == NONE {
                continue;
            }
            for half in halves {
                let to = self.touch(half as usize);
                let (pair, character) = match from < to {
                    true => {
                        let (low, high) = self.touched.split_at_mut(to);
                        (&low[from], &mut high[0])
                    }
                    false => {
                        let (low, high) = self.touched.split_at_mut(from);
                        (&high[0], &mut low[to])
                    }
                };
                character.title |= pair.title;
                for (mine, theirs) in character.sections.iter_mut().zip(&pair.sections) {
                    mine.union(theirs);
                }
            }
        }
        let page = self.page;
        for touched in &self.touched[..self.used] {
            let lists = &mut self.terms[touched.id as usize].1;
            let scratch = &mut self.scratch;
            if touched.title {
                scratch.clear();
                write_number(scratch, u64::from(page - lists.last[0]));
                lists.encoded[0].extend(scratch);
                lists.last[0] = page;
            }
            for (f, sections) in touched.sections.iter().enumerate() {
                if sections.low == 0 && sections.high.iter().all(|&w| w == 0) {
                    continue;
                }
                scratch.clear();
                write_number(scratch, u64::from(page - lists.last[f + 1]));
                write_sections(scratch, sections);
                lists.encoded[f + 1].extend(scratch);
                lists.last[f + 1] = page;
            }
        }
        self.used = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a list back the way search.js does: numbers, or with
    /// `sections`, pairs of a page difference and a list of sections.
    fn read(text: &[u8], sections: bool) -> Vec<(u64, Vec<usize>)> {
        let mut out = Vec::new();
        let mut digits = text
            .iter()
            .map(|&c| DIGITS.iter().position(|&x| x == c).unwrap());
        while let Some(mut d) = digits.next() {
            let (mut n, mut shift) = (0u64, 0);
            loop {
                n |= ((d & 31) as u64) << shift;
                shift += 5;
                if d < 32 {
                    break;
                }
                d = digits.next().unwrap();
            }
            let mut set = Vec::new();
            let mut at = 0;
            let mut more = sections;
            while more {
                let d = digits.next().unwrap();
                set.extend((0..5).filter(|b| d >> b & 1 == 1).map(|b| at + b));
                at += 5;
                more = d >= 32;
            }
            out.push((n, set));
        }
        out
    }

    fn bytes(digits: &Digits) -> Vec<u8> {
        let mut out = Vec::new();
        digits.write_to(&mut out);
        assert_eq!(out.len(), digits.len());
        out
    }

    fn fill(p: &mut Postings, pages: std::ops::Range<u32>) {
        for page in pages {
            p.start_page(page);
            p.add(Term::Word("duty"), Field::Title, 0);
            p.add(Term::Cjk('考', None), Field::Body, page as usize % 3);
            if page % 2 == 0 {
                p.add(Term::Cjk('考', Some('勤')), Field::Heading, 70);
            }
            p.end_page();
        }
    }

    #[test]
    fn runs_of_pages_join_into_the_lists_of_all() {
        let lists = |p: &Postings| -> Vec<(String, Vec<Vec<u8>>)> {
            let mut all: Vec<_> = p
                .terms
                .iter()
                .map(|(t, l)| (t.to_string(), l.encoded.iter().map(bytes).collect()))
                .collect();
            all.sort();
            all
        };
        // Short runs, and long ones whose lists fill several segments.
        for (pages, cut) in [(9, 4), (9, 1), (600, 7), (600, 300), (600, 599)] {
            let mut whole = Postings::default();
            fill(&mut whole, 0..pages);
            let mut joined = Postings::default();
            fill(&mut joined, 0..cut);
            let mut later = Postings::default();
            fill(&mut later, cut..pages);
            assert!(pages < 600 || later.terms[0].1.encoded[0].segments.len() > 1 || cut > 500);
            joined.append(later);
            assert_eq!(lists(&joined), lists(&whole), "{pages} pages cut at {cut}");
        }
    }

    #[test]
    fn a_pair_s_places_are_its_characters_places() {
        let mut p = Postings::default();
        for page in [0, 5] {
            p.start_page(page);
            p.add(Term::Cjk('考', Some('勤')), Field::Title, 0);
            p.add(Term::Cjk('考', Some('勤')), Field::Body, 2);
            p.add(Term::Cjk('勤', Some('考')), Field::Heading, 70);
            p.add(Term::Cjk('考', None), Field::Body, 4);
            p.end_page();
        }
        let lists = |text: &str| -> Vec<Vec<(u64, Vec<usize>)>> {
            let (_, lists) = p.terms.iter().find(|(t, _)| &**t == text).unwrap();
            (0..3)
                .map(|f| read(&bytes(&lists.encoded[f]), f > 0))
                .collect()
        };
        let title = vec![(0, vec![]), (5, vec![])];
        let heading = vec![(0, vec![70]), (5, vec![70])];
        assert_eq!(
            lists("考"),
            [
                title.clone(),
                heading.clone(),
                vec![(0, vec![2, 4]), (5, vec![2, 4])]
            ]
        );
        assert_eq!(
            lists("勤"),
            [title, heading, vec![(0, vec![2]), (5, vec![2])]]
        );
        assert_eq!(
            lists("勤考"),
            [vec![], vec![(0, vec![70]), (5, vec![70])], vec![]]
        );
    }

    #[test]
    fn lists_are_page_differences_and_section_sets() {
        let mut p = Postings::default();
        p.start_page(3);
        p.add(Term::Word("duty"), Field::Body, 0);
        p.add(Term::Word("duty"), Field::Body, 6);
        p.add(Term::Word("duty"), Field::Title, 0);
        p.add(Term::Word("duty"), Field::Title, 0);
        p.end_page();
        p.start_page(40);
        p.add(Term::Word("duty"), Field::Body, 70);
        p.add(Term::Word("duty"), Field::Heading, 1);
        p.end_page();
        let lists: Vec<Vec<u8>> = p.terms[0].1.encoded.iter().map(bytes).collect();
        assert_eq!(read(&lists[0], false), [(3, vec![])]);
        assert_eq!(read(&lists[1], true), [(40, vec![1])]);
        assert_eq!(read(&lists[2], true), [(3, vec![0, 6]), (37, vec![70])]);
        // Across the words of the bit set.
        let mut p = Postings::default();
        p.start_page(0);
        for s in [0, 59, 62, 63, 64, 66, 130] {
            p.add(Term::Word("x"), Field::Body, s);
        }
        p.end_page();
        let body = read(&bytes(&p.terms[0].1.encoded[2]), true);
        assert_eq!(body, [(0, vec![0, 59, 62, 63, 64, 66, 130])]);
    }
}
