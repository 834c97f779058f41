//! Card numbers in what customers write are masked but for their last four digits, wherever they
//! stand: alone, or next to an expiry date, a CVV, an amount or an order number.
//!
//! # What is a card here
//! A payment card number is 13 to 19 digits whose last digit is the Luhn check digit (ISO/IEC 7812;
//! the networks issue 13 to 19, see [`NETWORKS`]). People write it unbroken (`4111111111111111`), in
//! groups of four (`4111 1111 1111 1111`), or as printed on Amex (4-6-5) and Diners (4-6-4) cards.
//!
//! # How the text is read
//! A *run* is a stretch of digit *groups* joined by exactly one separator: a space, a dash or a dot.
//! Other joins end the run: `/` is how expiry dates are written (`12/27`), `,` separates thousands
//! and list items (`1,299.00`, `1234, 5678`), and two spaces, tabs and line breaks separate the lines
//! and fields of what was pasted; joining across them would glue unrelated numbers together. Non-ASCII
//! spaces are not joins either: the scan works on bytes, and cards typed or pasted on phones use ASCII.
//!
//! A card is looked for in two shapes, each a *candidate* that must pass the Luhn check:
//! 1. **Whole groups**: one or more consecutive whole groups of a run with 13 to 19 digits in all
//!    (so `4111 1111 1111 1111 12/27` finds the four groups before `12`).
//! 2. **The start of a long unbroken group**: a group of 16 or more digits may be a card with its
//!    expiry and CVV typed straight after it (`41111111111111111227`): the first 13 to 19 digits, when
//!    3 to 10 digits are left and, if more than 4 are left, they begin with a month `01`-`12`.
//!
//! # Keeping false positives low
//! One random digit string in ten passes the Luhn check, and a long run holds many candidates, so a
//! Luhn pass alone is no evidence inside a longer run. A candidate is accepted only with one more
//! piece of evidence:
//! - **A network's number**: it begins with a card network's issuer prefix and has a length that
//!   network issues ([`NETWORKS`]). 32% of random six-digit prefixes match one, fewer with the length,
//!   so this keeps at most one random candidate in thirty. The start-of-group windows (shape 2) need
//!   this evidence.
//! - **A card's layout**: its groups are laid out as cards are written (one unbroken group; fours with
//!   a last group of one to four; 4-6-5; 4-6-4), and the layout does not carry on past it: a
//!   neighbouring group of four next to a group of four of the candidate means the candidate is a
//!   slice of a longer number written in fours (a tracking number such as `9400 1000 0000 0000 0000 00`).
//!   This keeps the pre-existing rule (any unbroken, Luhn-valid 13-19 digit number is masked: it cannot
//!   be told from a card) and finds cards of any issuer next to an expiry, CVV or amount.
//!
//! No candidate begins with `0`: the first digit of a card number is its major industry identifier,
//! and 0 is kept for ISO/TC 68 and future assignments, issued to no card network (ISO/IEC 7812-1, as
//! tabled in the Wikipedia article cited at [`NETWORKS`]; the standard itself is not public). This also
//! keeps placeholders such as `0000 0000 0000 0000`, which pass the Luhn check, readable.
//!
//! A run right after `+`, or opening with the `00` international call prefix, starts with a phone
//! number (ITU-T E.164: at most 15 digits after the prefix), and no card is written after `+` or
//! begins with `0`. A candidate lying
//! wholly within the run's first 15 digits (17 with `00`) is that phone number, not a card; one that
//! reaches past them is still a candidate (`+1 4111 1111 1111 1111` is no phone number).
//!
//! Candidates may overlap. The longest is reported (then the leftmost), and no two reported cards
//! share a digit; but every digit that any accepted candidate would hide is hidden, so an overlapping
//! chance match can hide a few digits more and never uncover a card's.
//!
//! What is not found, on purpose: a card whose issuer prefix is in no network listed and that is written
//! in an odd grouping inside a longer run (`1234 56789012 3452 77`), a card written in more than
//! [`MAX_GROUPS`] groups, and a card glued behind other digits in one unbroken group.
//!
//! # Measured (the `false_positives_…` test, 20,000 generated numbers each)
//! Share of messages in which something was masked: international and local phone numbers 0%;
//! order numbers (Amazon-like 3-7-7, date-based, shop numbers) 0.3%; tracking numbers of 20 to 22
//! digits, in fours or unbroken, 2.3%; tracking numbers of 12 to 19 digits 10.8%, which is the Luhn
//! rate itself: a 13-19 digit number written as a card is masked when it passes, as it always was.

/// Issuer prefix ranges and the card lengths each network issues.
///
/// Each entry is `(network, first prefix, last prefix, lengths)`, prefixes compared on as many leading digits
/// as they have. Source: the "Issuer identification number (IIN)" table of Wikipedia's *Payment card
/// number* article (<https://en.wikipedia.org/wiki/Payment_card_number>), which compiles the networks'
/// published ranges; the ISO/IEC 7812 register itself is not public. Not confirmed against each
/// network's own documentation. Left out on purpose: ranges so wide that they would make a prefix no
/// evidence (Maestro's "50, 56-69", UATP's "1", GPN's "1, 2, 6, 7, 8, 9").
pub const NETWORKS: &[(&str, u32, u32, &[usize])] = &[
    ("Visa", 4, 4, &[13, 16, 19]),
    ("Mastercard", 51, 55, &[16]),
    ("Mastercard", 2221, 2720, &[16]),
    ("American Express", 34, 34, &[15]),
    ("American Express", 37, 37, &[15]),
    ("Discover", 6011, 6011, &[16, 17, 18, 19]),
    ("Discover", 644, 649, &[16, 17, 18, 19]),
    ("Discover", 65, 65, &[16, 17, 18, 19]),
    ("JCB", 3528, 3589, &[16, 17, 18, 19]),
    ("Diners Club", 300, 305, &[14, 15, 16, 17, 18, 19]),
    ("Diners Club", 3095, 3095, &[14, 15, 16, 17, 18, 19]),
    ("Diners Club", 36, 36, &[14, 15, 16, 17, 18, 19]),
    ("Diners Club", 38, 39, &[14, 15, 16, 17, 18, 19]),
    ("UnionPay", 62, 62, &[16, 17, 18, 19]),
    ("Maestro", 5018, 5018, &[13, 14, 15, 16, 17, 18, 19]),
    ("Maestro", 5020, 5020, &[13, 14, 15, 16, 17, 18, 19]),
    ("Maestro", 5038, 5038, &[13, 14, 15, 16, 17, 18, 19]),
    ("Maestro", 5893, 5893, &[13, 14, 15, 16, 17, 18, 19]),
    ("Maestro", 6304, 6304, &[13, 14, 15, 16, 17, 18, 19]),
    ("Maestro", 6759, 6759, &[13, 14, 15, 16, 17, 18, 19]),
    ("Maestro", 6761, 6763, &[13, 14, 15, 16, 17, 18, 19]),
    ("Mir", 2200, 2204, &[16, 17, 18, 19]),
    ("RuPay", 60, 60, &[16]),
    ("RuPay", 81, 82, &[16]),
    ("RuPay", 508, 508, &[16]),
];

/// Card lengths, in digits (ISO/IEC 7812 allows 8 to 19; the networks in [`NETWORKS`] issue 13 to 19).
const LENGTHS: std::ops::RangeInclusive<usize> = 13..=19;

/// Whether `text` has the 13 digits the shortest card number needs; when not, `card_numbers` returns
/// it unchanged, so a caller can skip the copy (most messages).
pub fn may_hold_card_number(text: &str) -> bool {
    text.bytes().filter(u8::is_ascii_digit).take(13).count() == 13
}

/// The masked text and the last four digits of each card number found, in the order they appear.
///
/// Works on bytes: digits and separators are ASCII, and no byte of a multi-byte UTF-8 character is,
/// so the scan can never split a character. The masked text has the same length; only ASCII digits
/// become `*`. Text with fewer than 13 digits is returned as it is.
pub fn card_numbers(text: &str) -> (String, Vec<String>) {
    let bytes = text.as_bytes();
    if !may_hold_card_number(text) {
        return (text.to_string(), Vec::new());
    }
    let mut out = bytes.to_vec();
    let mut found = Vec::new();
    // Buffers reused from run to run: a text may hold thousands of runs.
    let (mut run, mut accepted, mut taken, mut chosen) = (Run::default(), Vec::new(), Vec::new(), Vec::new());
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let (end, digits) = Run::extent(bytes, i);
        if digits < *LENGTHS.start() {
            i = end;
            continue;
        }
        run.read(bytes, i, end);
        i = end;
        run.candidates(&mut accepted);
        for c in &accepted {
            for index in c.start..c.start + c.len - 4 {
                if let Some(b) = out.get_mut(run.byte_of(index)) {
                    *b = b'*';
                }
            }
        }
        report(&mut accepted, &mut taken, run.digits.len(), &mut chosen);
        found.extend(chosen.iter().map(|&c| run.last_four(c)));
    }
    // Only ASCII digits were replaced by ASCII stars, so the bytes are still the same valid UTF-8.
    (String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()), found)
}

/// Digit groups joined by single spaces, dashes or dots.
#[derive(Default)]
struct Run {
    /// Each digit's value, in order.
    digits: Vec<u8>,
    /// Each group as (index of its first digit, number of digits).
    groups: Vec<(usize, usize)>,
    /// Each group's number of digits.
    widths: Vec<usize>,
    /// How many leading digits are an international phone number: 15 (E.164's most) after `+`,
    /// 17 after the `00` call prefix, else 0.
    phone: usize,
    /// The byte offset of the first digit.
    from: usize,
}

/// Digits `start..start + len` of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Candidate {
    start: usize,
    len: usize,
}

impl Run {
    /// Where the run whose first digit is at `from` ends, and how many digits it has.
    fn extent(bytes: &[u8], from: usize) -> (usize, usize) {
        let (mut at, mut digits) = (from, 0);
        loop {
            while bytes.get(at).is_some_and(u8::is_ascii_digit) {
                at += 1;
                digits += 1;
            }
            if !(bytes.get(at).is_some_and(|b| matches!(b, b' ' | b'-' | b'.'))
                && bytes.get(at + 1).is_some_and(u8::is_ascii_digit))
            {
                return (at, digits);
            }
            at += 1;
        }
    }

    /// Reads the run from its first digit at `from` to `end` (from [`Run::extent`]) into the
    /// buffers, replacing what they held.
    fn read(&mut self, bytes: &[u8], from: usize, end: usize) {
        self.digits.clear();
        self.groups.clear();
        self.widths.clear();
        self.from = from;
        self.phone = if from.checked_sub(1).and_then(|b| bytes.get(b)) == Some(&b'+') {
            15
        } else if bytes.get(from..from + 2) == Some(b"00") {
            17
        } else {
            0
        };
        let run = self;
        // One pass: digits and group bounds. Within a run every non-digit is a single separator
        // between two groups.
        let mut first = 0;
        for &b in bytes.get(from..end).unwrap_or_default() {
            if b.is_ascii_digit() {
                run.digits.push(b - b'0');
            } else {
                run.groups.push((first, run.digits.len() - first));
                run.widths.push(run.digits.len() - first);
                first = run.digits.len();
            }
        }
        run.groups.push((first, run.digits.len() - first));
        run.widths.push(run.digits.len() - first);
    }

    /// The byte offset of digit `index`: every group before its own adds one separator byte.
    fn byte_of(&self, index: usize) -> usize {
        let group = self.groups.partition_point(|&(start, _)| start <= index).saturating_sub(1);
        self.from + index + group
    }

    /// Every accepted candidate (see the module doc for the rules), into `accepted`. Groups too far
    /// from 13 digits are skipped at once, and the Luhn check comes last, so each group costs at most
    /// [`MAX_GROUPS`] cheap steps however long the run.
    fn candidates(&self, accepted: &mut Vec<Candidate>) {
        accepted.clear();
        let widths = &self.widths;
        for (a, &(start, width)) in self.groups.iter().enumerate() {
            // No card number begins with 0 (see the module doc).
            if self.digits.get(start) == Some(&0) {
                continue;
            }
            // Too few digits within reach for any candidate: most groups of a long run of tiny ones.
            let last = self.groups.get(a + MAX_GROUPS - 1).or_else(|| self.groups.last());
            let reach = last.map_or(0, |&(first, w)| first + w - start);
            if reach < *LENGTHS.start() {
                continue;
            }
            let mut networks = None;
            // Shape 1: whole groups a..=b, at most MAX_GROUPS of them, from the first b that reaches
            // 13 digits (found by halving: group starts are in order).
            let ahead = self.groups.get(a..).unwrap_or_default();
            let ahead = ahead.get(..MAX_GROUPS).unwrap_or(ahead);
            let skip = ahead.partition_point(|&(first, w)| first + w - start < *LENGTHS.start());
            for (b, &(first, w)) in ahead.iter().enumerate().skip(skip).map(|(k, g)| (a + k, g)) {
                let len = first + w - start;
                if len > *LENGTHS.end() {
                    break;
                }
                let c = Candidate { start, len };
                // The network lengths once per group start, when first needed.
                if LENGTHS.contains(&len)
                    && !self.is_phone(c)
                    && self.luhn(c)
                    && (layout(widths, a, b)
                        || *networks.get_or_insert_with(|| self.network_lengths(start)) & (1 << len) != 0)
                {
                    accepted.push(c);
                }
            }
            // Shape 2: a card at the start of a long unbroken group, its expiry and CVV glued after it.
            if width < *LENGTHS.start() + 3 {
                continue;
            }
            let networks = networks.unwrap_or_else(|| self.network_lengths(start));
            for len in LENGTHS.filter(|&len| len < width && networks & (1 << len) != 0) {
                let rest = self.digits.get(start + len..start + width).unwrap_or_default();
                let month = matches!(rest, [0, 1..=9, ..] | [1, 0..=2, ..]);
                let c = Candidate { start, len };
                if (3..=10).contains(&rest.len()) && (rest.len() <= 4 || month) && !self.is_phone(c) && self.luhn(c) {
                    accepted.push(c);
                }
            }
        }
    }

    /// Does it lie within the run's leading phone number?
    fn is_phone(&self, c: Candidate) -> bool {
        c.start + c.len <= self.phone
    }

    fn slice(&self, c: Candidate) -> &[u8] {
        self.digits.get(c.start..c.start + c.len).unwrap_or_default()
    }

    fn luhn(&self, c: Candidate) -> bool {
        luhn(self.slice(c))
    }

    /// The lengths (as bits `1 << length`) that the networks whose prefix the digits from `start`
    /// begin with issue; 0 when none.
    fn network_lengths(&self, start: usize) -> u32 {
        let lead = self.digits.get(start..).unwrap_or_default();
        // The number formed by the first 1 to 6 digits.
        let mut prefixes = [None; 7];
        let mut n = 0u32;
        for (k, &d) in lead.iter().take(6).enumerate() {
            n = n * 10 + u32::from(d);
            if let Some(p) = prefixes.get_mut(k + 1) {
                *p = Some(n);
            }
        }
        NETWORKS.iter().zip(PREFIX_WIDTHS).fold(0, |mask, (&(_, low, high, lengths), width)| {
            match prefixes.get(width).copied().flatten() {
                Some(p) if (low..=high).contains(&p) => lengths.iter().fold(mask, |m, &l| m | 1 << l),
                _ => mask,
            }
        })
    }

    fn last_four(&self, c: Candidate) -> String {
        let digits = self.slice(c);
        digits.iter().skip(digits.len().saturating_sub(4)).map(|&d| char::from(b'0' + d)).collect()
    }
}

/// How many decimal digits `n` has (prefixes in [`NETWORKS`] have 1 to 6).
const fn decimal_width(mut n: u32) -> usize {
    let mut width = 1;
    while n >= 10 {
        n /= 10;
        width += 1;
    }
    width
}

/// How many leading digits each [`NETWORKS`] prefix compares.
const PREFIX_WIDTHS: [usize; NETWORKS.len()] = {
    let mut widths = [0; NETWORKS.len()];
    let mut i = 0;
    while i < NETWORKS.len() {
        widths[i] = decimal_width(NETWORKS[i].1);
        i += 1;
    }
    widths
};

/// The most groups one card is written in. The layouts in use have 1 to 5 (4-4-4-4-3); 8 also
/// covers a 16-digit card in pairs (`41 11 11 …`) and keeps the scan of a long run of tiny groups to a few steps a group.
const MAX_GROUPS: usize = 8;

/// Are groups `a..=b` written as cards are, without the layout carrying on into a neighbour?
fn layout(widths: &[usize], a: usize, b: usize) -> bool {
    let Some(own) = widths.get(a..=b) else { return false };
    let card = match own {
        [_] => true,
        [4, 6, 5] | [4, 6, 4] => true,
        [fours @ .., last] => fours.iter().all(|&w| w == 4) && (1..=4).contains(last),
        [] => false,
    };
    let before = a.checked_sub(1).and_then(|i| widths.get(i));
    let after = widths.get(b + 1);
    let carries_on = (own.first() == Some(&4) && before == Some(&4)) || (own.last() == Some(&4) && after == Some(&4));
    card && !carries_on
}

/// The candidates to report, into `chosen`: the longest first, then the leftmost, none sharing a
/// digit; in text order. Overlap is checked digit by digit in `taken` (a candidate has at most 19),
/// so a long run stays linear. Sorts `accepted` by preference.
fn report(accepted: &mut [Candidate], taken: &mut Vec<bool>, digits: usize, chosen: &mut Vec<Candidate>) {
    crate::sort::sort_by_key(accepted, |c| (std::cmp::Reverse(c.len), c.start));
    taken.clear();
    taken.resize(digits, false);
    chosen.clear();
    for &c in accepted.iter() {
        let Some(span) = taken.get_mut(c.start..c.start + c.len) else { continue };
        if span.iter().all(|t| !t) {
            span.fill(true);
            chosen.push(c);
        }
    }
    crate::sort::sort_by_key(chosen, |c| c.start);
}

/// The Luhn check (ISO/IEC 7812-1 annex B): doubling every second digit from the right, the sum is a
/// multiple of ten.
fn luhn(digits: &[u8]) -> bool {
    // A plain loop: the wasm build optimizes for size, and iterator chains stay calls there.
    let (mut sum, mut doubled) = (0u32, false);
    for &d in digits.iter().rev() {
        let d = u32::from(d);
        sum += match (doubled, d > 4) {
            (false, _) => d,
            (true, false) => d * 2,
            (true, true) => d * 2 - 9,
        };
        doubled = !doubled;
    }
    !digits.is_empty() && sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests;
