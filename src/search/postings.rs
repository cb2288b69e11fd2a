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

/// A term of the current page and the sections that hold it (heading,
/// body) as bit sets, not yet written to its lists. Kept apart from
/// [`Lists`] (and reused from page to page) so that the many occurrences
/// of a term on a page touch only this small, recently used memory.
#[derive(Default)]
struct Touched {
    id: u32,
    bits: [Vec<u64>; 2],
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

    /// The digits, one after another.
    fn bytes(&self) -> impl Iterator<Item = u8> + '_ {
        self.segments.iter().flatten().copied()
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

/// Appends a bit set of sections as five-bit digits, lowest sections
/// first, up to the highest section in the set (a digit per five sections:
/// this runs for every term of every page).
fn write_sections(out: &mut Vec<u8>, bits: &[u64]) {
    let Some(last) = bits.iter().rposition(|&w| w != 0) else {
        out.push(DIGITS[0]);
        return;
    };
    let top = last * 64 + 63 - bits[last].leading_zeros() as usize;
    let mut at = 0;
    loop {
        let (word, offset) = (at / 64, at % 64);
        let mut digit = (bits[word] >> offset) as usize & 31;
        if offset > 59 && word < last {
            digit |= (bits[word + 1] << (64 - offset)) as usize & 31;
        }
        at += 5;
        if at > top {
            out.push(DIGITS[digit]);
            return;
        }
        out.push(DIGITS[digit | 32]);
    }
}

/// Every term of the handbook with its lists, filled one page at a time.
pub struct Postings {
    words: HashMap<Box<str>, u32, FixedState>,
    /// CJK characters of the Basic Multilingual Plane by code point
    /// (`u32::MAX`: not seen yet), other CJK terms by their code points:
    /// most terms of a Chinese text, found without hashing a string.
    chars: Vec<u32>,
    pairs: HashMap<u64, u32, FixedState>,
    pub terms: Vec<(Box<str>, Lists)>,
    /// Per term: 1 + the last page it was seen on (0: none yet).
    seen: Vec<u32>,
    /// Per term seen on the current page: its place in `touched`.
    slot: Vec<u32>,
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
            chars: vec![u32::MAX; 0x10000],
            pairs: HashMap::default(),
            terms: Vec::new(),
            seen: Vec::new(),
            slot: Vec::new(),
            touched: Vec::new(),
            used: 0,
            page: 0,
            scratch: Vec::new(),
        }
    }
}

impl Postings {
    fn id(&mut self, term: Term) -> usize {
        let next = self.terms.len() as u32;
        let id = match term {
            // Single characters of the Basic Multilingual Plane by a table.
            Term::Cjk(a, None) if (a as usize) < self.chars.len() => {
                let slot = &mut self.chars[a as usize];
                if *slot == u32::MAX {
                    *slot = next;
                }
                *slot
            }
            Term::Cjk(a, b) => {
                let key = u64::from(a) << 32 | b.map_or(0, u64::from);
                *self.pairs.entry(key).or_insert(next)
            }
            Term::Word(w) => match self.words.get(w) {
                Some(&id) => id,
                None => {
                    self.words.insert(w.into(), next);
                    next
                }
            },
        };
        if id == next {
            self.terms.push((term.text().into(), Lists::default()));
            self.seen.push(0);
            self.slot.push(0);
        }
        id as usize
    }

    /// Appends the lists of `later`, whose pages all come after this one's
    /// (the roles after), term by term: the first page of each of its lists
    /// is written again, relative to this one's last.
    pub fn append(&mut self, later: Postings) {
        let mut digits = Vec::new();
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
                let mut rest = list.bytes();
                // The first number: digits up to one below 32.
                let (mut first, mut shift) = (0u64, 0);
                for d in rest.by_ref() {
                    let d = DIGITS.iter().position(|&x| x == d).unwrap_or(0) as u64;
                    first |= (d & 31) << shift;
                    shift += 5;
                    if d < 32 {
                        break;
                    }
                }
                if list.is_empty() {
                    continue;
                }
                digits.clear();
                write_number(&mut digits, first - u64::from(mine.last[f]));
                digits.extend(rest);
                mine.encoded[f].extend(&digits);
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
        let page = self.page;
        let slot = if self.seen[id] == page + 1 {
            self.slot[id] as usize
        } else {
            self.seen[id] = page + 1;
            let slot = self.used;
            self.used += 1;
            if slot == self.touched.len() {
                self.touched.push(Touched::default());
            }
            let touched = &mut self.touched[slot];
            touched.id = id as u32;
            touched.bits.iter_mut().for_each(Vec::clear);
            self.slot[id] = slot as u32;
            slot
        };
        match field {
            Field::Title => {
                let lists = &mut self.terms[id].1;
                let list = &mut lists.encoded[0];
                if list.is_empty() || lists.last[0] != page {
                    let scratch = &mut self.scratch;
                    scratch.clear();
                    write_number(scratch, u64::from(page - lists.last[0]));
                    list.extend(scratch);
                    lists.last[0] = page;
                }
            }
            Field::Heading | Field::Body => {
                let bits = &mut self.touched[slot].bits[field as usize - 1];
                if bits.len() <= section / 64 {
                    bits.resize(section / 64 + 1, 0);
                }
                bits[section / 64] |= 1 << (section % 64);
            }
        }
    }

    /// Writes the current page's sections of every term it holds.
    pub fn end_page(&mut self) {
        let page = self.page;
        for touched in &self.touched[..self.used] {
            let lists = &mut self.terms[touched.id as usize].1;
            for f in 0..2 {
                let bits = &touched.bits[f];
                if bits.iter().all(|&w| w == 0) {
                    continue;
                }
                let scratch = &mut self.scratch;
                scratch.clear();
                write_number(scratch, u64::from(page - lists.last[f + 1]));
                write_sections(scratch, bits);
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
        let mut whole = Postings::default();
        fill(&mut whole, 0..9);
        let mut joined = Postings::default();
        fill(&mut joined, 0..4);
        let mut later = Postings::default();
        fill(&mut later, 4..9);
        joined.append(later);
        let lists = |p: &Postings| -> Vec<(String, Vec<Vec<u8>>)> {
            let mut all: Vec<_> = p
                .terms
                .iter()
                .map(|(t, l)| (t.to_string(), l.encoded.iter().map(bytes).collect()))
                .collect();
            all.sort();
            all
        };
        assert_eq!(lists(&joined), lists(&whole));
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
