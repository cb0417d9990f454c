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
/// two-digit prefix only approximates (Mastercard 2-series 2221–2720, American Express 34/37 with 15
/// digits, JCB 3528–3589, Discover 6011/644–649/65, UnionPay 62), and the Luhn check.
fn card(value: &str) -> bool {
    let d = digits(value);
    if !(13..=19).contains(&d.len()) || all_same(&d) || !luhn(&d) {
        return false;
    }
    let prefix = |n: usize| d[..n].iter().fold(0u32, |a, &x| a * 10 + u32::from(x));
    match d[0] {
        4 => true,
        5 => (51..=55).contains(&prefix(2)),
        2 => (2221..=2720).contains(&prefix(4)),
        3 => match prefix(2) {
            34 | 37 => d.len() == 15,
            35 => (3528..=3589).contains(&prefix(4)),
            30 | 36 | 38 | 39 => d.len() >= 14,
            _ => false,
        },
        6 => prefix(4) == 6011 || (644..=649).contains(&prefix(3)) || matches!(prefix(2), 62 | 65),
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
    phonenumber::parse(None, value).is_ok_and(|n| phonenumber::is_valid(&n))
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
}
