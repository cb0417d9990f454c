//! Validators: the check-digit and structure rules that turn a pattern match into a likely real
//! identifier. A detector names one in its `validator` field; each takes the matched value as
//! written (separators included) and says whether it passes.

/// A named validator, as written in a detector file.
pub(crate) type Validator = fn(&str) -> bool;

/// The validator called `name` in detector files, if there is one.
pub(crate) fn by_name(name: &str) -> Option<Validator> {
    Some(match name {
        "luhn" => luhn_value,
        "card" => card,
        "iban_mod97" => iban_mod97,
        "aba_routing" => aba_routing,
        "uk_nhs_mod11" => uk_nhs_mod11,
        "ssn_rules" => ssn_rules,
        "verhoeff" => verhoeff_value,
        "nl_bsn_11" => nl_bsn_11,
        "cpf" => cpf,
        "npi_luhn" => npi_luhn,
        "uk_nino" => uk_nino,
        "ipv6" => ipv6,
        "phone" => phone,
        "phone_national" => phone_national,
        "us_itin" => us_itin,
        "cnpj" => cnpj,
        "in_pan" => in_pan,
        "es_dni" => es_dni,
        "it_codice_fiscale" => it_codice_fiscale,
        "fr_nir" => fr_nir,
        "de_steuer_id" => de_steuer_id,
        "date" => date,
        "dea" => dea,
        "medicare_mbi" => medicare_mbi,
        _ => return None,
    })
}

/// The ASCII digits of `value`, as numbers 0–9 (separators dropped).
fn digits(value: &str) -> Vec<u8> {
    value
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect()
}

/// Whether every digit is the same (`0000000000`, `1111 1111`): such runs pass several checksums
/// by accident and are never real identifiers.
fn all_same(d: &[u8]) -> bool {
    d.windows(2).all(|w| w[0] == w[1])
}

/// The Luhn (mod 10) check over `d`, the last digit being the check digit: ISO/IEC 7812-1 annex B.
pub(crate) fn luhn(d: &[u8]) -> bool {
    if d.len() < 2 {
        return false;
    }
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            let x = u32::from(x);
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 { y - 9 } else { y }
            } else {
                x
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Payment card numbers and Canadian SINs: the Luhn check (ISO/IEC 7812-1) over the digits,
/// rejecting all-same-digit runs.
fn luhn_value(value: &str) -> bool {
    let d = digits(value);
    !all_same(&d) && luhn(&d)
}

/// A payment card number: 13–19 digits (ISO/IEC 7812-1), an issuer range that the pattern's
/// prefix only approximates, with the lengths that network issues, and the Luhn check. The ranges
/// are the issuer identification numbers the networks publish (as gathered in Wikipedia's
/// "Payment card number" table):
///
/// | network | IIN | lengths |
/// | --- | --- | --- |
/// | Visa (Electron, and the Elo and Dankort co-brands in its range) | 4 | 13, 16, 19 |
/// | Mastercard | 51–55, 2221–2720 | 16 |
/// | Maestro | 5018, 5020, 5038, 5893, 6304, 6759, 6761–6763 | 13–19 |
/// | Mir | 2200–2204 | 16–19 |
/// | American Express | 34, 37 | 15 |
/// | Diners Club | 30, 36, 38, 39 | 14–19 |
/// | JCB | 3528–3589 | 16–19 |
/// | Discover | 6011, 644–649, 65 | 16–19 |
/// | UnionPay | 62 | 16–19 |
/// | RuPay | 60, 65, 81, 82, 508 | 16 |
/// | Dankort | 5019 | 16 |
/// | Elo | 504175, 506699–506778, 509000–509999, 636297, 636368 | 16 |
/// | Verve | 506099–506198, 650002–650027 | 16, 19 |
/// | Troy | 9792 | 16 |
///
/// A length the network does not issue is another number (a 15-digit French NIR starting
/// `2 70 07` passes Luhn one time in ten and lies in the Mastercard 2-series).
fn card(value: &str) -> bool {
    let d = digits(value);
    if !(13..=19).contains(&d.len()) || all_same(&d) || !luhn(&d) {
        return false;
    }
    let prefix = |n: usize| d[..n].iter().fold(0u32, |a, &x| a * 10 + u32::from(x));
    let within = |n: usize, low: u32, high: u32| (low..=high).contains(&prefix(n));
    let len = d.len();
    let maestro = matches!(
        prefix(4),
        5018 | 5020 | 5038 | 5893 | 6304 | 6759 | 6761..=6763
    );
    match d[0] {
        4 => matches!(len, 13 | 16 | 19),
        5 if maestro => true,
        5 => match len {
            16 => {
                within(2, 51, 55)
                    || prefix(4) == 5019
                    || prefix(3) == 508
                    || prefix(6) == 504_175
                    || within(6, 506_699, 506_778)
                    || prefix(3) == 509
                    || within(6, 506_099, 506_198)
            }
            19 => within(6, 506_099, 506_198),
            _ => false,
        },
        2 => (within(4, 2221, 2720) && len == 16) || (within(4, 2200, 2204) && len >= 16),
        3 => match prefix(2) {
            34 | 37 => len == 15,
            35 => within(4, 3528, 3589) && len >= 16,
            30 | 36 | 38 | 39 => len >= 14,
            _ => false,
        },
        6 if maestro => true,
        6 => {
            ((prefix(4) == 6011 || within(3, 644, 649) || matches!(prefix(2), 62 | 65))
                && len >= 16)
                || (len == 16 && (prefix(2) == 60 || matches!(prefix(6), 636_297 | 636_368)))
                || (within(6, 650_002, 650_027) && len == 19)
        }
        8 => matches!(prefix(2), 81 | 82) && len == 16,
        9 => prefix(4) == 9792 && len == 16,
        _ => false,
    }
}

/// The country code → IBAN length table of the SWIFT IBAN Registry (release 2024), for the
/// countries most often met; an unlisted country fails.
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AT", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BR", 29),
    ("CH", 21),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DK", 18),
    ("EE", 20),
    ("ES", 24),
    ("FI", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("MC", 27),
    ("MT", 31),
    ("NL", 18),
    ("NO", 15),
    ("PK", 24),
    ("PL", 28),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("SA", 24),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("TR", 26),
    ("UA", 29),
];

/// An IBAN: the registry length for its country and the ISO 13616-1 / ISO 7064 MOD 97-10 check
/// (move the first four characters to the end, letters to 10–35, remainder 1).
pub(crate) fn iban_mod97(value: &str) -> bool {
    let s: Vec<u8> = value
        .bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| b.to_ascii_uppercase())
        .collect();
    let Some(country) = s.get(..2).and_then(|c| std::str::from_utf8(c).ok()) else {
        return false;
    };
    let Some(&(_, len)) = IBAN_LENGTHS.iter().find(|(c, _)| *c == country) else {
        return false;
    };
    if s.len() != len {
        return false;
    }
    let mut rem: u32 = 0;
    for &b in s[4..].iter().chain(&s[..4]) {
        let v = match b {
            b'0'..=b'9' => u32::from(b - b'0'),
            b'A'..=b'Z' => u32::from(b - b'A') + 10,
            _ => return false,
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

/// A US ABA routing transit number: 9 digits, weights 3-7-1 repeated sum to a multiple of 10
/// (ABA Key to Routing Numbers; Federal Reserve routing symbol rules). The first two digits are a
/// Federal Reserve district (00–12), thrift (21–32), or electronic (61–72, 80).
pub(crate) fn aba_routing(value: &str) -> bool {
    let d = digits(value);
    if d.len() != 9 || all_same(&d) {
        return false;
    }
    let prefix = d[0] * 10 + d[1];
    if !matches!(prefix, 0..=12 | 21..=32 | 61..=72 | 80) {
        return false;
    }
    let weights = [3u32, 7, 1];
    let sum: u32 = d
        .iter()
        .enumerate()
        .map(|(i, &x)| u32::from(x) * weights[i % 3])
        .sum();
    sum.is_multiple_of(10)
}

/// A UK NHS number: 10 digits, weights 10..2 on the first nine, check digit `11 - sum mod 11`
/// (11 → 0, 10 → invalid). NHS Data Dictionary, "NHS Number".
pub(crate) fn uk_nhs_mod11(value: &str) -> bool {
    let d = digits(value);
    if d.len() != 10 || all_same(&d) {
        return false;
    }
    let sum: u32 = d[..9]
        .iter()
        .enumerate()
        .map(|(i, &x)| u32::from(x) * (10 - i as u32))
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    check == u32::from(d[9])
}

/// A US Social Security number by the SSA's assignment rules (SSA, "Social Security Number
/// Randomization", 2011): area not 000, 666 or 900–999; group not 00; serial not 0000. Numbers the
/// SSA voided after they were published as samples (078-05-1120, 219-09-9999) fail too.
pub(crate) fn ssn_rules(value: &str) -> bool {
    let d = digits(value);
    if d.len() != 9 || all_same(&d) {
        return false;
    }
    let area = u32::from(d[0]) * 100 + u32::from(d[1]) * 10 + u32::from(d[2]);
    let group = d[3] * 10 + d[4];
    let serial = d[5..].iter().fold(0u32, |a, &x| a * 10 + u32::from(x));
    let voided = [[0, 7, 8, 0, 5, 1, 1, 2, 0], [2, 1, 9, 0, 9, 9, 9, 9, 9]];
    area != 0
        && area != 666
        && area < 900
        && group != 0
        && serial != 0
        && !voided.iter().any(|v| v[..] == d[..])
}

/// The Verhoeff dihedral-group check (J. Verhoeff, 1969), used by India's Aadhaar (UIDAI): the
/// last digit is the check digit.
pub(crate) fn verhoeff(d: &[u8]) -> bool {
    const MUL: [[u8; 10]; 10] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
        [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
        [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
        [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
        [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
        [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
        [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
        [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    ];
    const PERM: [[u8; 10]; 8] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
        [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
        [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
        [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
        [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
        [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
        [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
    ];
    let c = d.iter().rev().enumerate().fold(0u8, |c, (i, &x)| {
        MUL[usize::from(c)][usize::from(PERM[i % 8][usize::from(x)])]
    });
    !d.is_empty() && c == 0
}

/// An Aadhaar number: 12 digits, not starting 0 or 1 (UIDAI), Verhoeff check.
fn verhoeff_value(value: &str) -> bool {
    let d = digits(value);
    d.len() == 12 && d[0] >= 2 && !all_same(&d) && verhoeff(&d)
}

/// A Dutch BSN: 9 digits, the "elfproef" — weights 9..2 on the first eight and −1 on the last sum
/// to a multiple of 11 (Wet algemene bepalingen burgerservicenummer).
pub(crate) fn nl_bsn_11(value: &str) -> bool {
    let d = digits(value);
    if d.len() != 9 || all_same(&d) {
        return false;
    }
    let sum: i32 = d[..8]
        .iter()
        .enumerate()
        .map(|(i, &x)| i32::from(x) * (9 - i as i32))
        .sum::<i32>()
        - i32::from(d[8]);
    sum % 11 == 0
}

/// A Brazilian CPF: 11 digits and its two mod-11 check digits (Receita Federal, Instrução
/// Normativa RFB nº 2.172/2024).
pub(crate) fn cpf(value: &str) -> bool {
    let d = digits(value);
    if d.len() != 11 || all_same(&d) {
        return false;
    }
    let check = |n: usize| {
        let sum: u32 = d[..n]
            .iter()
            .enumerate()
            .map(|(i, &x)| u32::from(x) * (n as u32 + 1 - i as u32))
            .sum();
        let r = sum * 10 % 11;
        if r == 10 { 0 } else { r as u8 }
    };
    check(9) == d[9] && check(10) == d[10]
}

/// A US National Provider Identifier: 10 digits starting 1 or 2, Luhn over the number with the
/// card-issuer prefix 80840 in front (CMS, "NPI check digit", ISO 7812).
pub(crate) fn npi_luhn(value: &str) -> bool {
    let d = digits(value);
    if d.len() != 10 || !matches!(d[0], 1 | 2) || all_same(&d[1..]) {
        return false;
    }
    let mut full = vec![8, 0, 8, 4, 0];
    full.extend_from_slice(&d);
    luhn(&full)
}

/// A UK National Insurance number by HMRC's rules (NIM39110): the first letter is not D, F, I, Q,
/// U or V; the second not D, F, I, O, Q, U or V; the prefixes BG, GB, KN, NK, NT, TN and ZZ are
/// never issued.
pub(crate) fn uk_nino(value: &str) -> bool {
    let s: Vec<u8> = value
        .bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| b.to_ascii_uppercase())
        .collect();
    if s.len() != 9 {
        return false;
    }
    let (a, b) = (s[0], s[1]);
    let prefix = [a, b];
    !b"DFIQUV".contains(&a)
        && !b"DFIOQUV".contains(&b)
        && ![b"BG", b"GB", b"KN", b"NK", b"NT", b"TN", b"ZZ"]
            .iter()
            .any(|p| **p == prefix)
}

/// An IPv6 address as RFC 4291 section 2.2 writes it (the standard library's parser), excluding
/// the unspecified `::` that bare separators form.
pub(crate) fn ipv6(value: &str) -> bool {
    value
        .parse::<std::net::Ipv6Addr>()
        .is_ok_and(|a| !a.is_unspecified())
}

/// A phone number in E.164 form (ITU-T E.164) that Google's libphonenumber metadata (the
/// `phonenumber` crate) says is a valid number for its country.
pub(crate) fn phone(value: &str) -> bool {
    remembered(value, |v| {
        phonenumber::parse(None, v).is_ok_and(|n| valid_number(&n))
    })
}

/// Phone numbers whose validity a thread remembers; past this the memory starts again.
const PHONE_MEMO: usize = 1 << 16;

/// `check(value)`, remembered per thread: checking a phone number against libphonenumber's
/// metadata costs microseconds (a parse and several regex searches), and logs repeat their numbers.
fn remembered(value: &str, check: impl Fn(&str) -> bool) -> bool {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static MEMO: RefCell<HashMap<Box<str>, bool>> = RefCell::new(HashMap::new());
    }
    if let Some(known) = MEMO.with(|m| m.borrow().get(value).copied()) {
        return known;
    }
    let valid = check(value);
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= PHONE_MEMO {
            m.clear();
        }
        m.insert(value.into(), valid);
    });
    valid
}

/// `phonenumber::is_valid(number)`, over the crate's metadata with its patterns compiled once per
/// region and shared.
///
/// The crate looks every pattern up in one LRU cache behind one mutex, keyed by the pattern's
/// text, and runs a score of unanchored searches per number. This follows the crate's
/// `is_valid_with`, `source_for`, `number_type` and `Descriptor::is_match` step by step over the
/// same metadata, so it answers as the crate does; see [`Region`] for how the searches are cut.
fn valid_number(number: &phonenumber::PhoneNumber) -> bool {
    use phonenumber::country::Id;
    use phonenumber::metadata::DATABASE;
    let code = number.country().code();
    let national = number.national().to_string();
    let Some(regions) = DATABASE.region(&code) else {
        return false;
    };
    let by_region = |region: &str| {
        region
            .parse::<Id>()
            .ok()
            .and_then(|id| DATABASE.by_id(id.as_ref()))
    };
    if let [only] = regions[..] {
        let meta = if only == "001" {
            DATABASE.by_code(&code).and_then(|m| m.into_iter().next())
        } else {
            by_region(only)
        };
        return meta.is_some_and(|m| region(m).known_type(&national));
    }
    // The first region whose leading digits start the number, or, for a region without them,
    // that gives it a type.
    for name in regions {
        let Some(meta) = DATABASE.by_id(name) else {
            continue;
        };
        let r = region(meta);
        let leading = meta.leading_digits().is_some();
        let source = if leading {
            r.leading_at_start(&national)
        } else {
            r.known_type(&national)
        };
        if source {
            return by_region(name).is_some_and(|m| {
                // The same region gives the number a type: asked already.
                (std::ptr::eq(m, meta) && !leading) || region(m).known_type(&national)
            });
        }
    }
    false
}

/// One region's patterns from libphonenumber's metadata, compiled as the crate compiles them
/// (`ignore_whitespace`).
///
/// The crate asks `find(value)` and keeps a match that starts at 0; a match starts at 0 if and
/// only if the leftmost one does, so an anchored search answers the same and stops sooner. The
/// type patterns (fixed line, mobile, toll free, ...) are one automaton: one anchored overlapping
/// search says which match, where the crate searched them one by one.
struct Region {
    /// The general pattern and its possible lengths.
    general: Option<(meta::Regex, Vec<u16>)>,
    /// The type patterns, and per pattern its possible lengths.
    types: Option<(meta::Regex, Vec<Vec<u16>>)>,
    /// The leading digits that pick this region among those sharing a country code.
    leading: Option<meta::Regex>,
}

use regex_automata::{Anchored, Input, PatternSet, meta};

/// The compiled [`Region`] of `meta`, made on first use and shared by all threads.
fn region(meta: &'static phonenumber::Metadata) -> &'static Region {
    use std::collections::HashMap;
    use std::sync::OnceLock;
    static REGIONS: OnceLock<HashMap<usize, OnceLock<Region>>> = OnceLock::new();
    let key = |m: &'static phonenumber::Metadata| std::ptr::from_ref(m) as usize;
    let slots = REGIONS.get_or_init(|| {
        phonenumber::metadata::DATABASE
            .iter()
            .map(|m| (key(m), OnceLock::new()))
            .collect()
    });
    // Every metadata entry has a slot; a missing one (cannot happen) is compiled apart, once.
    static STRAY: OnceLock<Region> = OnceLock::new();
    slots
        .get(&key(meta))
        .unwrap_or(&STRAY)
        .get_or_init(|| Region::new(meta))
}

impl Region {
    fn new(meta: &'static phonenumber::Metadata) -> Region {
        // A national number is ASCII digits, so `\d` may be read as [0-9]: as Unicode digits it
        // made every region's automata many times larger, for the same answers.
        let build = |patterns: &[&str], kind: regex_automata::MatchKind| {
            meta::Regex::builder()
                .syntax(
                    regex_automata::util::syntax::Config::new()
                        .ignore_whitespace(true)
                        .unicode(false),
                )
                .configure(meta::Regex::config().match_kind(kind))
                .build_many(patterns)
                .ok()
        };
        let first = regex_automata::MatchKind::LeftmostFirst;
        let d = meta.descriptors();
        let general = build(&[d.general().national_number().as_str()], first)
            .map(|re| (re, d.general().possible_length().to_vec()));
        let types: Vec<&phonenumber::metadata::Descriptor> = [
            d.premium_rate(),
            d.toll_free(),
            d.shared_cost(),
            d.voip(),
            d.personal_number(),
            d.pager(),
            d.uan(),
            d.voicemail(),
            d.fixed_line(),
            d.mobile(),
        ]
        .into_iter()
        .flatten()
        .collect();
        let sources: Vec<&str> = types.iter().map(|t| t.national_number().as_str()).collect();
        let types = build(&sources, regex_automata::MatchKind::All).map(|re| {
            let lengths = types.iter().map(|t| t.possible_length().to_vec()).collect();
            (re, lengths)
        });
        let leading = meta
            .leading_digits()
            .and_then(|l| build(&[l.as_str()], first));
        Region {
            general,
            types,
            leading,
        }
    }

    /// `number_type(meta, national) != Type::Unknown`: the general pattern matches and so does one
    /// type's (`Descriptor::is_match`: a possible length, and a match at the start). A pattern that
    /// did not compile matches nothing (the crate would have panicked on it).
    fn known_type(&self, national: &str) -> bool {
        let length_ok =
            |lengths: &[u16]| lengths.is_empty() || lengths.contains(&(national.len() as u16));
        let input = Input::new(national).anchored(Anchored::Yes);
        let Some((general, lengths)) = &self.general else {
            return false;
        };
        if !length_ok(lengths) || !general.is_match(input.clone()) {
            return false;
        }
        let Some((types, lengths)) = &self.types else {
            return false;
        };
        if !lengths.iter().any(|l| length_ok(l)) {
            return false;
        }
        let mut found = PatternSet::new(types.pattern_len());
        types.which_overlapping_matches(&input, &mut found);
        found.iter().any(|p| length_ok(&lengths[p.as_usize()]))
    }

    /// Whether the region's leading digits match at the start of `national` (never when it has
    /// none, or they did not compile).
    fn leading_at_start(&self, national: &str) -> bool {
        self.leading
            .as_ref()
            .is_some_and(|re| re.is_match(Input::new(national).anchored(Anchored::Yes)))
    }
}

/// Countries whose national phone formats are tried, in order, when a number has no `+country`
/// prefix: the regions deadbolt's users mostly sit in. A number valid in none is dropped.
const NATIONAL_REGIONS: &[phonenumber::country::Id] = {
    use phonenumber::country::Id;
    &[
        Id::US,
        Id::GB,
        Id::DE,
        Id::FR,
        Id::IN,
        Id::BR,
        Id::ES,
        Id::IT,
        Id::NL,
        Id::AU,
    ]
};

/// A phone number in national form (`(415) 555-2671`, `020 7946 0958`): valid by Google's
/// libphonenumber metadata (the `phonenumber` crate) for at least one of [`NATIONAL_REGIONS`].
/// Loose on its own, so its detector requires context. A `+country` number is never one (the
/// international detector judges it).
pub(crate) fn phone_national(value: &str) -> bool {
    if value.starts_with('+') {
        return false;
    }
    let d = digits(value);
    if d.len() < 7 || all_same(&d) {
        return false;
    }
    NATIONAL_REGIONS
        .iter()
        .any(|&r| phonenumber::parse(Some(r), value).is_ok_and(|n| valid_number(&n)))
}

/// Upper-case letters and digits of `value` (separators dropped).
fn alnum_upper(value: &str) -> Vec<u8> {
    value
        .bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| b.to_ascii_uppercase())
        .collect()
}

/// A US Individual Taxpayer Identification Number: nine digits, first 9, and digits four and five
/// in 50–65, 70–88, 90–92 or 94–99 (IRS, "Individual Taxpayer Identification Number",
/// Publication 1915, ranges as extended in 2011).
pub(crate) fn us_itin(value: &str) -> bool {
    let d = digits(value);
    if d.len() != 9 || d[0] != 9 {
        return false;
    }
    let group = d[3] * 10 + d[4];
    matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99)
}

/// A Brazilian CNPJ: 14 digits, two mod-11 check digits with weights 5..2,9..2 and 6..2,9..2
/// (Receita Federal, Instrução Normativa RFB nº 2.119/2022, annex on the CNPJ check digits).
pub(crate) fn cnpj(value: &str) -> bool {
    let d = digits(value);
    if d.len() != 14 || all_same(&d) {
        return false;
    }
    let check = |n: usize| {
        let weights: &[u32] = if n == 12 {
            &[5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
        } else {
            &[6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
        };
        let sum: u32 = d[..n]
            .iter()
            .zip(weights)
            .map(|(&x, &w)| u32::from(x) * w)
            .sum();
        let r = sum % 11;
        if r < 2 { 0 } else { (11 - r) as u8 }
    };
    check(12) == d[12] && check(13) == d[13]
}

/// An Indian Permanent Account Number: five letters, four digits, a letter; the fourth letter is
/// the holder type (P person, C company, H HUF, F firm, A AOP, T trust, B BOI, L local authority,
/// J artificial juridical person, G government), per the Income Tax Department's PAN structure.
/// A serial of `0000` is never issued.
pub(crate) fn in_pan(value: &str) -> bool {
    let s = alnum_upper(value);
    s.len() == 10
        && s[..5].iter().all(u8::is_ascii_uppercase)
        && s[5..9].iter().all(u8::is_ascii_digit)
        && s[9].is_ascii_uppercase()
        && b"PCHFATBLJG".contains(&s[3])
        && &s[5..9] != b"0000"
}

/// A Spanish DNI (eight digits) or NIE (X, Y or Z and seven digits, the letter counting as 0, 1
/// or 2) with its check letter: `TRWAGMYFPDXBNJZSQVHLCKE` indexed by the number mod 23 (Real
/// Decreto 1553/2005, art. 11; Ministerio del Interior).
pub(crate) fn es_dni(value: &str) -> bool {
    const LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";
    let s = alnum_upper(value);
    if s.len() != 9 {
        return false;
    }
    let lead = match s[0] {
        b'X' => 0,
        b'Y' => 1,
        b'Z' => 2,
        c if c.is_ascii_digit() => u32::from(c - b'0'),
        _ => return false,
    };
    if !s[1..8].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let n = s[1..8]
        .iter()
        .fold(lead, |a, &c| a * 10 + u32::from(c - b'0'));
    if n == 0 {
        return false;
    }
    LETTERS[(n % 23) as usize] == s[8]
}

/// An Italian codice fiscale: 16 characters whose last is the check character — odd positions
/// mapped by the decree's table, even positions by their value, the sum mod 26 as a letter
/// (Decreto ministeriale 23 dicembre 1976, art. 7).
pub(crate) fn it_codice_fiscale(value: &str) -> bool {
    // Values of characters in odd (1st, 3rd, ...) positions; digits map like A–J.
    const ODD: [u32; 26] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
        23,
    ];
    let s = alnum_upper(value);
    if s.len() != 16 || !s[15].is_ascii_uppercase() {
        return false;
    }
    let mut sum = 0u32;
    for (i, &c) in s[..15].iter().enumerate() {
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A'),
            _ => return false,
        };
        sum += if i % 2 == 0 { ODD[v as usize] } else { v };
    }
    u32::from(s[15] - b'A') == sum % 26
}

/// A French NIR (numéro de sécurité sociale): sex 1/2, year, month, département (Corsica 2A/2B
/// counted as 19/18 for the key), commune, order, and the two-digit key `97 − (n mod 97)`
/// (INSEE, décret n° 82-103 du 22 janvier 1982).
pub(crate) fn fr_nir(value: &str) -> bool {
    let s = alnum_upper(value);
    if s.len() != 15 || !matches!(s[0], b'1' | b'2') {
        return false;
    }
    let mut body: Vec<u8> = s[..13].to_vec();
    let corsica = match (body[5], body[6]) {
        (b'2', b'A') => 1_000_000,
        (b'2', b'B') => 2_000_000,
        _ => 0,
    };
    if corsica > 0 {
        body[6] = b'0';
    }
    if !body.iter().chain(&s[13..]).all(u8::is_ascii_digit) {
        return false;
    }
    let n = body
        .iter()
        .fold(0u64, |a, &c| a * 10 + u64::from(c - b'0'))
        .saturating_sub(corsica);
    let key = u64::from(s[13] - b'0') * 10 + u64::from(s[14] - b'0');
    (1..=97).contains(&key) && 97 - n % 97 == key
}

/// A German tax identification number (Steuer-IdNr): 11 digits, the first not 0; in the first ten
/// exactly one digit occurs two or three times and the others at most once; the last is the
/// ISO/IEC 7064 MOD 11,10 check digit (Steueridentifikationsnummerverordnung, § 139b AO).
pub(crate) fn de_steuer_id(value: &str) -> bool {
    let d = digits(value);
    if d.len() != 11 || d[0] == 0 {
        return false;
    }
    let mut counts = [0u8; 10];
    for &x in &d[..10] {
        counts[usize::from(x)] += 1;
    }
    let repeated: Vec<u8> = counts.iter().copied().filter(|&c| c > 1).collect();
    if repeated.len() != 1 || !matches!(repeated[0], 2 | 3) {
        return false;
    }
    let mut product = 10u32;
    for &x in &d[..10] {
        let mut sum = (u32::from(x) + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = (2 * sum) % 11;
    }
    let check = match 11 - product {
        10 => 0,
        c => c,
    };
    check == u32::from(d[10])
}

/// A calendar date that could be a birth date: ISO 8601 `YYYY-MM-DD`, or day and month and year
/// in either order (`DD/MM/YYYY`, `MM/DD/YYYY`, two-digit years allowed) where one reading has a
/// month 1–12 and a day 1–31, and a four-digit year in 1900–2099; or a written month name.
pub(crate) fn date(value: &str) -> bool {
    let parts: Vec<&str> = value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() != 3 {
        return false;
    }
    let num = |p: &str| p.parse::<u32>().ok();
    let year_ok = |p: &str| match (p.len(), num(p)) {
        (4, Some(y)) => (1900..=2099).contains(&y),
        (2, Some(_)) => true,
        _ => false,
    };
    let day_ok = |p: &str| num(p).is_some_and(|d| (1..=31).contains(&d));
    let month_ok = |p: &str| {
        num(p).is_some_and(|m| (1..=12).contains(&m))
            || (p.len() >= 3 && p.chars().all(|c| c.is_ascii_alphabetic()))
    };
    let (a, b, c) = (parts[0], parts[1], parts[2]);
    if a.len() == 4 && a.chars().all(|c| c.is_ascii_digit()) {
        return year_ok(a) && month_ok(b) && day_ok(c);
    }
    year_ok(c) && ((day_ok(a) && month_ok(b)) || (month_ok(a) && day_ok(b)))
}

/// A US DEA registration number: a registrant-type letter, a letter, six digits and a check digit
/// equal to the last digit of (d1 + d3 + d5) + 2 × (d2 + d4 + d6) (21 CFR 1301; DEA Diversion
/// Control Division, "Registration number format").
pub(crate) fn dea(value: &str) -> bool {
    let s = alnum_upper(value);
    if s.len() != 9
        || !b"ABCDEFGHJKLMPRSTUX".contains(&s[0])
        || !(s[1].is_ascii_uppercase() || s[1] == b'9')
        || !s[2..].iter().all(u8::is_ascii_digit)
    {
        return false;
    }
    let d: Vec<u32> = s[2..].iter().map(|&c| u32::from(c - b'0')).collect();
    if d[..6].iter().all(|&x| x == 0) {
        return false;
    }
    let sum = d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5]);
    sum % 10 == d[6]
}

/// A Medicare Beneficiary Identifier: 11 characters by position — 1: digit 1–9; 2, 5, 8, 9:
/// letter; 3, 6: letter or digit; 4, 7, 10, 11: digit — letters excluding S, L, O, I, B and Z
/// (CMS, "Understanding the Medicare Beneficiary Identifier (MBI) Format").
pub(crate) fn medicare_mbi(value: &str) -> bool {
    let s = alnum_upper(value);
    let letter = |c: u8| c.is_ascii_uppercase() && !b"SLOIBZ".contains(&c);
    if s.len() != 11 {
        return false;
    }
    s.iter().enumerate().all(|(i, &c)| match i {
        0 => (b'1'..=b'9').contains(&c),
        1 | 4 | 7 | 8 => letter(c),
        2 | 5 => letter(c) || c.is_ascii_digit(),
        _ => c.is_ascii_digit(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_known_numbers() {
        assert!(luhn_value("4111 1111 1111 1111"));
        assert!(luhn_value("5555555555554444"));
        assert!(luhn_value("2223003122003222"));
        assert!(!luhn_value("4111 1111 1111 1112"));
        assert!(!luhn_value("0000000000000000"));
        // Canada SIN sample from the Government of Canada's SIN documentation.
        assert!(luhn_value("046 454 286"));
    }

    #[test]
    fn card_issuer_ranges() {
        assert!(card("2720231502249325"), "Mastercard 2-series");
        assert!(card("371009935196701"), "American Express");
        assert!(!card("4123 3320 5478 9179"), "Luhn fails");
        // Luhn-valid but 2721 is past the Mastercard 2-series range.
        let mut d: Vec<u8> = vec![2, 7, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        let check = (0..10).find(|&c| {
            let mut t = d.clone();
            t.push(c);
            luhn(&t)
        });
        d.push(check.expect("a check digit exists"));
        let s: String = d.iter().map(|x| char::from(b'0' + x)).collect();
        assert!(!card(&s), "{s}");
        // Luhn-valid, in the issuer's range, at a length the network does not issue.
        assert!(luhn_value("270077519292891"));
        assert!(!card("270077519292891"), "15-digit Mastercard 2-series");
        assert!(luhn_value("4123332054789178"));
        assert!(card("4123332054789178"), "16-digit Visa");
        // The networks beyond the big five, each at a length it issues and one it does not.
        for (number, network, issued) in [
            ("6759649826438453", "Maestro UK", true),
            (
                "501800000009",
                "Maestro at 12 digits (below ISO/IEC 7812's 13 here)",
                false,
            ),
            ("2200000000000004", "Mir", true),
            ("220000000000004", "Mir at 15 digits", false),
            ("6521000000000007", "RuPay 65 (as Discover)", true),
            ("8100000000000002", "RuPay 81", true),
            ("81000000000000000", "RuPay 81 at 17 digits", false),
            ("5019000000000008", "Dankort", true),
            ("5090000000000000", "Elo 509", true),
            ("9792000000000003", "Troy", true),
            ("9791000000000004", "9791: no network", false),
            ("5060990000000000001", "Verve at 19 digits", true),
            (
                "5000000000000009",
                "50 outside the Maestro, Elo, Verve and RuPay ranges",
                false,
            ),
        ] {
            assert!(luhn_value(number), "{network}: {number} fails Luhn");
            assert_eq!(card(number), issued, "{network}: {number}");
        }
    }

    #[test]
    fn iban_known_numbers() {
        assert!(iban_mod97("GB82 WEST 1234 5698 7654 32"));
        assert!(iban_mod97("DE89370400440532013000"));
        assert!(!iban_mod97("GB82 WEST 1234 5698 7654 33"));
        assert!(!iban_mod97("DE8937040044053201300"), "one digit short");
        assert!(!iban_mod97("XX82WEST12345698765432"), "unknown country");
    }

    #[test]
    fn aba_known_numbers() {
        assert!(aba_routing("011000015"));
        assert!(aba_routing("021000021"));
        assert!(!aba_routing("021000022"));
        assert!(!aba_routing("991000021"), "prefix 99 is no district");
    }

    #[test]
    fn nhs_known_numbers() {
        assert!(uk_nhs_mod11("943 476 5919"));
        assert!(!uk_nhs_mod11("943 476 5918"));
    }

    #[test]
    fn ssn_rules_cases() {
        assert!(ssn_rules("536-22-1234"));
        assert!(!ssn_rules("666-22-1234"));
        assert!(!ssn_rules("900-22-1234"));
        assert!(!ssn_rules("536-00-1234"));
        assert!(!ssn_rules("536-22-0000"));
        assert!(!ssn_rules("078-05-1120"), "the Woolworth wallet sample");
    }

    #[test]
    fn verhoeff_cases() {
        assert!(verhoeff(&[2, 3, 6, 3]));
        assert!(!verhoeff(&[2, 3, 6, 4]));
        assert!(verhoeff_value("2345 6789 0124"));
        assert!(!verhoeff_value("2345 6789 0123"));
    }

    #[test]
    fn bsn_cpf_npi_cases() {
        assert!(nl_bsn_11("111222333"));
        assert!(!nl_bsn_11("111222334"));
        assert!(cpf("529.982.247-25"));
        assert!(!cpf("529.982.247-24"));
        assert!(!cpf("111.111.111-11"));
        assert!(npi_luhn("1234567893"));
        assert!(!npi_luhn("1234567890"));
    }

    /// The memory of checked numbers answers as the check does, and a number checked again is
    /// answered from it.
    #[test]
    fn remembered_phone_checks() {
        for v in [
            "+44 20 7946 0958",
            "+1 415 555 2671",
            "+1 000 000 0000",
            "+999 1234",
        ] {
            let fresh = phonenumber::parse(None, v).is_ok_and(|n| phonenumber::is_valid(&n));
            assert_eq!(phone(v), fresh, "{v}");
            assert_eq!(phone(v), fresh, "{v} again");
        }
        let calls = std::cell::Cell::new(0);
        let check = |_: &str| {
            calls.set(calls.get() + 1);
            true
        };
        assert!(remembered("+49 30 901820 unique to this test", check));
        assert!(remembered("+49 30 901820 unique to this test", check));
        assert_eq!(calls.get(), 1);
    }

    /// The shared-pattern check answers as the crate's `is_valid` on every example number of the
    /// metadata (each region, each type), on each with its last digit changed, one dropped and one
    /// added, and in national form for the regions tried without a country code.
    #[test]
    fn valid_number_answers_as_the_crate() {
        use phonenumber::metadata::DATABASE;
        let mut numbers: Vec<String> = Vec::new();
        for meta in DATABASE.iter() {
            let d = meta.descriptors();
            let examples = [
                Some(d.general()),
                d.fixed_line(),
                d.mobile(),
                d.toll_free(),
                d.premium_rate(),
                d.shared_cost(),
                d.voip(),
                d.personal_number(),
                d.pager(),
                d.uan(),
                d.voicemail(),
            ]
            .into_iter()
            .flatten()
            .filter_map(|desc| desc.example());
            for ex in examples {
                let code = meta.country_code();
                let changed =
                    ex[..ex.len() - 1].to_string() + if ex.ends_with('7') { "3" } else { "7" };
                for n in [
                    ex.to_string(),
                    changed,
                    ex[..ex.len() - 1].into(),
                    format!("{ex}5"),
                ] {
                    numbers.push(format!("+{code} {n}"));
                }
            }
        }
        assert!(numbers.len() > 2000, "{}", numbers.len());
        let mut checked = 0;
        for n in &numbers {
            let Ok(parsed) = phonenumber::parse(None, n) else {
                continue;
            };
            assert_eq!(valid_number(&parsed), phonenumber::is_valid(&parsed), "{n}");
            checked += 1;
            for &r in NATIONAL_REGIONS {
                let national = parsed.national().to_string();
                for text in [national.clone(), format!("0{national}")] {
                    if let Ok(p) = phonenumber::parse(Some(r), &text) {
                        assert_eq!(valid_number(&p), phonenumber::is_valid(&p), "{r:?} {text}");
                    }
                }
            }
        }
        assert!(checked > 2000, "{checked}");
    }

    #[test]
    fn nino_and_ip_and_phone() {
        assert!(uk_nino("AB 12 34 56 C"));
        assert!(!uk_nino("QQ123456C"));
        assert!(!uk_nino("GB123456A"));
        assert!(ipv6("2001:db8:85a3::8a2e:370:7334"));
        assert!(!ipv6("::"));
        assert!(phone("+14155552671"));
        assert!(phone("+44 20 7946 0958"));
        assert!(!phone("+1 000 000 0000"));
    }

    #[test]
    fn national_ids() {
        assert!(us_itin("912-70-1234"));
        assert!(!us_itin("912-93-1234"), "group 93 is not an ITIN range");
        assert!(!us_itin("812-70-1234"));
        assert!(cnpj("11.222.333/0001-81"));
        assert!(!cnpj("11.222.333/0001-82"));
        assert!(!cnpj("11111111111111"));
        assert!(in_pan("ABCPD1234E"));
        assert!(!in_pan("ABCXD1234E"), "X is no holder type");
        assert!(es_dni("12345678Z"));
        assert!(es_dni("X1234567L"));
        assert!(es_dni("Y7654321G"));
        assert!(!es_dni("12345678A"));
        assert!(it_codice_fiscale("RSSMRA85T10A562S"));
        assert!(!it_codice_fiscale("RSSMRA85T10A562T"));
        assert!(fr_nir("1 84 03 76 451 089 96"));
        assert!(!fr_nir("1 84 03 76 451 089 95"));
        assert!(de_steuer_id("86095742719"));
        assert!(!de_steuer_id("86095742718"), "check digit");
        assert!(
            !de_steuer_id("65491382703"),
            "check digit right, but no digit repeats in the first ten"
        );
    }

    #[test]
    fn dates_dea_mbi_phone_national() {
        assert!(date("1985-07-23"));
        assert!(date("23/07/1985"));
        assert!(date("07/23/85"));
        assert!(date("July 23, 1985"));
        assert!(!date("1985-13-40"));
        assert!(!date("45/45/1985"));
        assert!(dea("AB1234563"));
        assert!(!dea("AB1234564"));
        assert!(!dea("IB1234563"), "I is no registrant type");
        assert!(medicare_mbi("2AC3-DE4-FG56"));
        assert!(!medicare_mbi("2SC3-DE4-FG56"), "S is never used");
        assert!(!medicare_mbi("0AC3-DE4-FG56"));
        assert!(phone_national("(415) 555-2671"));
        assert!(phone_national("020 7946 0958"));
        assert!(!phone_national("000 000 0000"));
    }
}
