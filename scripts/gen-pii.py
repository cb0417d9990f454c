#!/usr/bin/env python3
"""Generates a labelled corpus of fake personal, payment, health and credential data for `deadbolt
classify`, planting every one of its 44 identifier types: plain-text sentences, logs, CSV with
meaningful headers, CSV with meaningless headers (col1, col2 ...), JSON documents and `.env`
configuration files, plus a label file. Standard library only; deterministic for a given seed and
size.

Every planted value is labelled (JSON lines in LABELS): file (relative to OUT_DIR), byte offsets
start/end of the value in the file, line (1-based), type (the deadbolt detector id that must report
it), and truth: true for an instance that must be reported, false for a decoy that
must not be: values with a wrong check digit or letter (cards, IBANs, SIN, CPF, CNPJ, Aadhaar, NHS,
BSN, NIR, DNI/NIE, codice fiscale, Steuer-ID, NPI, DEA, ABA) or outside the issued ranges (SSN
area/group/serial rules, ITIN groups, NINO prefixes, PAN holder types), published sample numbers
and documentation values (SSNs, e-mail domains, AWS keys, the CMS example MBI, the Azure storage
emulator key), values without the context their type needs (a bare NHS number, a date with no birth
keyword), loopback, null and broadcast addresses, invalid phone numbers, placeholders where a
password goes, and near-miss tokens (test-mode Stripe keys, unknown GitHub and Slack prefixes).

usage: gen-pii.py OUT_DIR [--seed N] [--size SIZE] [--files N] [--file-size SIZE] [--labels PATH]
                  [--no-labels] [--density D]
  --size   total bytes to write (e.g. 200MB, 1GB); files are ~4 MB each then, with filler text
  --file-size  bytes per file with --size (default 4MB); the ten kinds of file take turns
  --files  number of files of each kind when --size is not given (default 4, ~20 KB each)
  --density  share of records (lines, rows, JSON objects) that hold planted values (default 1: every
           record, as the accuracy test wants); the others are records of the same kind holding
           numbers, dates, amounts, UUIDs and order codes that are no identifier
"""
import argparse
import base64
import json
import os
import random
import string
import sys

FIRST = ["Jane", "John", "Maria", "Ahmed", "Wei", "Olga", "Liam", "Chloé", "José", "Aisha", "Noah",
         "Sofia", "Jürgen", "Priya", "Mateo", "Emma", "Kenji", "Fatima", "Lucas", "Zoë"]
LAST = ["Doe", "Smith", "García", "Khan", "Chen", "Ivanova", "Murphy", "Dubois", "Müller", "Okafor",
        "Rossi", "Tanaka", "Silva", "Nowak", "Larsen", "O'Brien", "Nguyen", "Kowalski", "Haddad"]
DOMAINS = ["corp.io", "mailbox.org", "acme-corp.com", "fastmail.fm", "uni-berlin.de", "shop.co.uk",
           "northwind.net", "contoso.eu"]
WORDS = ("the quarterly report was reviewed by the team before the meeting and the results were "
         "shared with stakeholders who asked for a follow up on the open items in the backlog while "
         "the migration plan stays on track for the next release window").split()


def luhn_check_digit(payload):
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


# Issuer: (prefix chooser, length, grouping)
ISSUERS = [
    ("visa", lambda r: "4", 16, (4, 4, 4, 4)),
    ("mastercard", lambda r: str(r.randint(51, 55)), 16, (4, 4, 4, 4)),
    ("mastercard2", lambda r: str(r.randint(2221, 2720)), 16, (4, 4, 4, 4)),
    ("amex", lambda r: r.choice(["34", "37"]), 15, (4, 6, 5)),
    ("discover", lambda r: r.choice(["6011", str(r.randint(644, 649)), "65"]), 16, (4, 4, 4, 4)),
    ("jcb", lambda r: str(r.randint(3528, 3589)), 16, (4, 4, 4, 4)),
    ("diners", lambda r: r.choice(["36", "38"]), 14, (4, 6, 4)),
    ("unionpay", lambda r: "62", 16, (4, 4, 4, 4)),
]


def card(r, valid):
    _, prefix, length, groups = r.choice(ISSUERS)
    while True:
        p = prefix(r)
        body = p + "".join(r.choice(string.digits) for _ in range(length - len(p) - 1))
        check = luhn_check_digit(body)
        if not valid:
            check = str((int(check) + r.randint(1, 9)) % 10)
        digits = body + check
        if len(set(digits)) > 2:
            break
    style = r.random()
    if style < 0.4:
        return digits
    sep = " " if style < 0.75 else "-"
    out, at = [], 0
    for g in groups:
        out.append(digits[at:at + g])
        at += g
    return sep.join(out)


# Country: (length, BBAN builder)
def _d(r, n):
    return "".join(r.choice(string.digits) for _ in range(n))


def _a(r, n):
    return "".join(r.choice(string.ascii_uppercase) for _ in range(n))


IBAN_COUNTRIES = {
    "DE": lambda r: _d(r, 18),
    "GB": lambda r: _a(r, 4) + _d(r, 14),
    "FR": lambda r: _d(r, 23),
    "NL": lambda r: _a(r, 4) + _d(r, 10),
    "ES": lambda r: _d(r, 20),
    "IT": lambda r: _a(r, 1) + _d(r, 22),
    "BE": lambda r: _d(r, 12),
    "CH": lambda r: _d(r, 17),
    "PL": lambda r: _d(r, 24),
    "AT": lambda r: _d(r, 16),
}


def iban_check(cc, bban):
    s = bban + cc + "00"
    n = int("".join(str(int(c, 36)) for c in s))
    return 98 - n % 97


def iban(r, valid):
    cc = r.choice(sorted(IBAN_COUNTRIES))
    bban = IBAN_COUNTRIES[cc](r)
    check = iban_check(cc, bban)
    if not valid:
        # Another check value in 2..98 that differs mod 97: always fails the mod-97 test.
        check = (check - 2 + r.randint(1, 95)) % 97 + 2
    value = f"{cc}{check:02d}{bban}"
    if r.random() < 0.5:
        return value
    return " ".join(value[i:i + 4] for i in range(0, len(value), 4))


SSN_SAMPLES = ["078-05-1120", "219-09-9999", "123-45-6789", "987-65-4321"]


def ssn(r, valid, dashed=True):
    if valid:
        area = r.randint(1, 899)
        while area == 666:
            area = r.randint(1, 899)
        group, serial = r.randint(1, 99), r.randint(1, 9999)
    else:
        kind = r.randrange(5)
        if kind == 0:
            return SSN_SAMPLES[r.randrange(len(SSN_SAMPLES))] if dashed else \
                SSN_SAMPLES[r.randrange(len(SSN_SAMPLES))].replace("-", "")
        area, group, serial = r.randint(1, 899), r.randint(1, 99), r.randint(1, 9999)
        if kind == 1:
            area = 666
        elif kind == 2:
            # Area 9xx with group 50-65, 70-88, 90-92 or 94-99 is an ITIN, no decoy: other groups.
            area, group = r.randint(900, 999), r.choice([r.randint(1, 49), 66, 67, 68, 69, 89, 93])
        elif kind == 3:
            group = 0
        else:
            serial = 0
    if dashed:
        return f"{area:03d}-{group:02d}-{serial:04d}"
    return f"{area:03d}{group:02d}{serial:04d}"


def person(r):
    return r.choice(FIRST), r.choice(LAST)


def email(r, valid, first="", last=""):
    if not first:
        first, last = person(r)
    local = "".join(c for c in f"{first}.{last}".lower() if c in string.ascii_lowercase + ".")
    local = local.strip(".") or "user"
    if r.random() < 0.3:
        local += str(r.randint(1, 99))
    if valid:
        return f"{local}@{r.choice(DOMAINS)}"
    return r.choice([f"{local}@example.com", f"{local}@mail.example.org", f"{local}@example.net",
                     f"icon{r.randint(1, 3)}@2x.png"])


US_AREAS = ["201", "202", "212", "303", "312", "415", "503", "617", "646", "713", "206", "404"]


def phone(r, valid):
    if valid:
        kind = r.randrange(4)
        if kind == 0:
            ex = r.randint(200, 999)
            while ex % 100 == 11 or ex in (555, 950, 958, 959, 976):
                ex = r.randint(200, 999)
            parts = ["+1", r.choice(US_AREAS), str(ex), _d(r, 4)]
        elif kind == 1:
            parts = ["+44", "20", "7946", "0" + _d(r, 3)]
        elif kind == 2:
            # French mobiles: 6 then 0-2 or 4-8 (libphonenumber's metadata; 63x and 69x are sparse)
            n = "6" + r.choice("0124578") + _d(r, 7)
            parts = ["+33", n[0], n[1:3], n[3:5], n[5:7], n[7:9]]
        else:
            parts = ["+49", "30", r.choice("123456789") + _d(r, 7)]  # Berlin, no leading 0
    else:
        kind = r.randrange(3)
        if kind == 0:  # North American area codes never start with 0 or 1
            parts = ["+1", r.choice(["0", "1"]) + _d(r, 2), _d(r, 3), _d(r, 4)]
        elif kind == 1:  # too short for the country
            parts = ["+44", "20", _d(r, 3)]
        else:  # unassigned country codes
            parts = [r.choice(["+999", "+888"]), _d(r, 3), _d(r, 4)]
    style = r.random()
    if style < 0.5:
        return " ".join(parts)
    if style < 0.7:
        return "-".join(parts)
    return "".join(parts)


def ipv4(r, valid):
    if not valid:
        return r.choice(["127.0.0.1", "0.0.0.0", "255.255.255.255"])
    first = r.choice([10, 172, 192, r.randint(11, 223)])
    while first == 127:
        first = r.randint(11, 223)
    return f"{first}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"


B64 = string.ascii_letters + string.digits + "/+"


def aws_key_id(r, valid):
    if not valid:
        return "AKIAIOSFODNN7EXAMPLE"
    return r.choice(["AKIA", "ASIA"]) + "".join(
        r.choice(string.ascii_uppercase + string.digits) for _ in range(16))


def aws_secret(r, valid):
    if not valid:
        return r.choice(["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                         "".join(r.choice("0123456789abcdef") for _ in range(40))])
    return "".join(r.choice(B64) for _ in range(40))


GEN = {
    "credit-card-number": card,
    "iban": iban,
    "us-ssn": ssn,
    "email-address": email,
    "phone-number": phone,
    "ipv4-address": ipv4,
    "aws-access-key-id": aws_key_id,
    "aws-secret-access-key": aws_secret,
}

# Sentence templates per type; {v} is the value. Context words where a reader would put them.
SENTENCES = {
    "credit-card-number": ["Please charge card {v} for order A-{n}.", "Customer paid with {v} yesterday.",
                           "visa on file: {v}", "The payment card number is {v} and expires soon."],
    "iban": ["Wire the refund to IBAN {v} by Friday.", "Bank account {v} was updated.",
             "Transfer to {v} confirmed."],
    "us-ssn": ["Her SSN is {v} according to the form.", "Social security number {v} was verified.",
               "Applicant ID {v} on file."],
    "email-address": ["Contact {name} at {v} for details.", "Reply sent to {v} this morning.",
                      "Email: {v}"],
    "phone-number": ["Call {name} on {v} after five.", "Mobile: {v}", "The office line is {v}."],
    "ipv4-address": ["Connection from {v} was refused.", "server address {v} is healthy.",
                     "Traffic seen from {v} overnight."],
    "aws-access-key-id": ["aws_access_key_id = {v}"],
    "aws-secret-access-key": ["aws_secret_access_key = {v}"],
}
# Decoy weight: share of generated values that are decoys, per type.
DECOY_SHARE = 0.3


class Out:
    """One file being written: tracks the byte offset and line so labels are exact."""

    def __init__(self, root, rel, labels):
        self.rel, self.labels = rel, labels
        self.f = open(os.path.join(root, rel), "w", encoding="utf-8", newline="\n")
        self.pos, self.line = 0, 1

    def write(self, s):
        self.f.write(s)
        self.pos += len(s.encode("utf-8"))
        self.line += s.count("\n")

    def value(self, s, kind, truth):
        if self.labels is not None:
            self.labels.append({"file": self.rel, "start": self.pos,
                                "end": self.pos + len(s.encode("utf-8")), "line": self.line,
                                "type": kind, "truth": truth})
        self.write(s)

    def close(self):
        self.f.close()


def pick(r):
    kind = r.choice(list(GEN))
    return kind, r.random() >= DECOY_SHARE


def filler(r):
    n = r.randint(6, 16)
    return " ".join(r.choice(WORDS) for _ in range(n)).capitalize() + "."


def benign_sentence(r):
    """A line with numbers in it that are no identifier: what most of a document is."""
    return r.choice([
        f"Order A-{r.randint(1000, 99999)} shipped {r.randint(1, 9)} items on {date(r)} for {amount(r)} EUR.",
        f"Ticket #{r.randint(100, 99999)} was closed after {r.randint(2, 90)} minutes by the {r.choice(WORDS)} team.",
        f"Release {r.randint(1, 9)}.{r.randint(0, 30)}.{r.randint(0, 99)} went out at {r.randint(0, 23):02d}:{r.randint(0, 59):02d}.",
        filler(r),
        filler(r),
    ])


def date(r):
    return f"2026-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"


def amount(r):
    return f"{r.randint(1, 9000)}.{r.randint(0, 99):02d}"


def hexid(r, n):
    return "".join(r.choice("0123456789abcdef") for _ in range(n))


def write_text(r, out, budget, density):
    while out.pos < budget:
        if r.random() < 0.5 or (density < 1 and r.random() >= density):
            out.write((benign_sentence(r) if density < 1 else filler(r)) + "\n")
            continue
        kind, truth = pick(r)
        first, last = person(r)
        if kind in ("aws-access-key-id", "aws-secret-access-key"):
            out.write("[default]\n")
            out.write("aws_access_key_id = ")
            kid_truth = r.random() >= DECOY_SHARE
            out.value(aws_key_id(r, kid_truth), "aws-access-key-id", kid_truth)
            out.write("\naws_secret_access_key = ")
            sec_truth = r.random() >= DECOY_SHARE
            out.value(aws_secret(r, sec_truth), "aws-secret-access-key", sec_truth)
            out.write("\n\n")
            continue
        value = ssn(r, truth) if kind == "us-ssn" else GEN[kind](r, truth)
        tpl = r.choice(SENTENCES[kind])
        before, after = tpl.split("{v}")
        out.write(before.format(name=f"{first} {last}", n=r.randint(1000, 9999)))
        out.value(value, kind, truth)
        out.write(after.format(name=f"{first} {last}", n=r.randint(1000, 9999)) + "\n")


def write_log(r, out, budget, density):
    sec = 0
    while out.pos < budget:
        sec += r.randint(1, 30)
        ts = f"2026-03-{1 + sec // 86400 % 28:02d}T{sec // 3600 % 24:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}Z"
        level = r.choice(["INFO", "INFO", "WARN", "DEBUG"])
        out.write(f"{ts} {level} req={''.join(r.choice('abcdef') for _ in range(8))} ")
        if density < 1 and r.random() >= density:
            out.write(r.choice([
                f"GET /api/v2/orders/{r.randint(1000, 999999)} 200 {r.randint(1, 900)}ms bytes={r.randint(100, 99999)}",
                f"job=backup id={hexid(r, 8)}-{hexid(r, 4)}-{hexid(r, 4)}-{hexid(r, 4)}-{hexid(r, 12)} took {r.randint(10, 99999)} ms",
                f"cache hit ratio {r.randint(0, 100)}.{r.randint(0, 9)}% size={r.randint(1, 4096)}MiB",
                filler(r),
            ]) + "\n")
            continue
        roll = r.random()
        if roll < 0.35:
            out.write(f"{filler(r)}\n")
        elif roll < 0.6:
            t = r.random() >= DECOY_SHARE
            out.write("login user=")
            out.value(email(r, t), "email-address", t)
            out.write(" src=")
            t = r.random() >= DECOY_SHARE
            out.value(ipv4(r, t), "ipv4-address", t)
            out.write(" status=ok\n")
        elif roll < 0.8:
            t = r.random() >= DECOY_SHARE
            out.write("payment accepted card=")
            out.value(card(r, t), "credit-card-number", t)
            out.write(f" amount={r.randint(1, 900)}.{r.randint(10, 99)} EUR\n")
        else:
            t = r.random() >= DECOY_SHARE
            out.write("sms sent to phone=")
            out.value(phone(r, t), "phone-number", t)
            out.write(" template=reminder\n")


CSV_COLUMNS = [("name", None), ("email", "email-address"), ("phone", "phone-number"),
               ("ssn", "us-ssn"), ("card_number", "credit-card-number"), ("iban", "iban"),
               ("ip_address", "ipv4-address")]


def write_csv(r, out, budget, meaningful, density):
    headers = [c for c, _ in CSV_COLUMNS] if meaningful else [f"col{i + 1}" for i in range(len(CSV_COLUMNS))]
    out.write(",".join(headers) + "\n")
    while out.pos < budget:
        if density < 1 and r.random() >= density:
            # A row of an orders table: the export most files in a share are.
            out.write(",".join([f"Widget {r.choice(WORDS)}", f"SKU-{r.randint(10000, 99999)}",
                                str(r.randint(1, 40)), amount(r), date(r), r.choice(["shipped", "open"]),
                                f"web-{r.randint(1, 40)}"]) + "\n")
            continue
        first, last = person(r)
        for i, (_, kind) in enumerate(CSV_COLUMNS):
            if i:
                out.write(",")
            if kind is None:
                out.write(f"{first} {last}")
                continue
            t = r.random() >= DECOY_SHARE
            if kind == "us-ssn":
                # A bare nine-digit SSN needs context: only under a column named ssn.
                value = ssn(r, t, dashed=not meaningful or r.random() < 0.5)
            elif kind == "email-address":
                value = email(r, t, first, last)
            else:
                value = GEN[kind](r, t)
            out.value(value, kind, t)
        out.write("\n")


def write_records(r, out, budget, density, benign, record):
    """A JSON document `{"customers": [...]}` of records written by `record(r, out)`; with density
    below 1, most records are `benign(r)` (a dict) instead."""
    out.write('{"customers": [\n')
    first_rec = True
    while out.pos < budget or first_rec:
        if not first_rec:
            out.write(",\n")
        first_rec = False
        if density < 1 and r.random() >= density:
            out.write(json.dumps(benign(r)))
        else:
            record(r, out)
    out.write("\n]}\n")


def write_json(r, out, budget, density):
    write_records(r, out, budget, density, lambda r: {
        "order": f"A-{r.randint(1000, 99999)}", "created": date(r),
        "items": [{"sku": f"SKU-{r.randint(10000, 99999)}", "qty": r.randint(1, 9), "price": float(amount(r))}],
        "status": r.choice(["shipped", "open"]), "notes": filler(r)}, customer_record)


def customer_record(r, out):
    first, last = person(r)
    out.write(f'  {{"name": {json.dumps(first + " " + last, ensure_ascii=False)}, "contact": {{"email": "')
    t = r.random() >= DECOY_SHARE
    out.value(email(r, t, first, last), "email-address", t)
    out.write('", "phone": "')
    t = r.random() >= DECOY_SHARE
    out.value(phone(r, t), "phone-number", t)
    out.write('"}, "ssn": "')
    t = r.random() >= DECOY_SHARE
    out.value(ssn(r, t, dashed=r.random() < 0.5), "us-ssn", t)
    out.write('", "payment": {"card": "')
    t = r.random() >= DECOY_SHARE
    out.value(card(r, t), "credit-card-number", t)
    out.write('", "iban": "')
    t = r.random() >= DECOY_SHARE
    out.value(iban(r, t), "iban", t)
    out.write(f'"}}, "last_ip": "')
    t = r.random() >= DECOY_SHARE
    out.value(ipv4(r, t), "ipv4-address", t)
    out.write(f'", "notes": {json.dumps(filler(r))}}}')


# --- National, health and bank identifiers -----------------------------------------------------
# Each generator returns a value with valid check digits (valid=True) or the same shape with a
# wrong one (valid=False), so that the validator alone tells them apart.

def _other_digit(r, d):
    return str((int(d) + r.randint(1, 9)) % 10)


def _grouped(r, digits, groups, seps=" -"):
    sep = r.choice(seps)
    out, at = [], 0
    for g in groups:
        out.append(digits[at:at + g])
        at += g
    return sep.join(out)


def ca_sin(r, valid, bare=False):
    body = r.choice("1234567") + _d(r, 7)
    check = luhn_check_digit(body)
    digits = body + (check if valid else _other_digit(r, check))
    return digits if bare else _grouped(r, digits, (3, 3, 3))


def _cpf_check(d, n):
    rem = sum(int(x) * (n + 1 - i) for i, x in enumerate(d[:n])) * 10 % 11
    return str(0 if rem == 10 else rem)


def br_cpf(r, valid, bare=False):
    d = _d(r, 9)
    d += _cpf_check(d, 9)
    d += _cpf_check(d, 10)
    if not valid:
        d = d[:10] + _other_digit(r, d[10])
    return d if bare else f"{d[:3]}.{d[3:6]}.{d[6:9]}-{d[9:]}"


def _cnpj_check(d, n):
    weights = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] if n == 12 else [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    rem = sum(int(x) * w for x, w in zip(d[:n], weights)) % 11
    return str(0 if rem < 2 else 11 - rem)


def br_cnpj(r, valid, bare=False):
    d = _d(r, 8) + "0001"
    d += _cnpj_check(d, 12)
    d += _cnpj_check(d, 13)
    if not valid:
        d = d[:13] + _other_digit(r, d[13])
    return d if bare else f"{d[:2]}.{d[2:5]}.{d[5:8]}/{d[8:12]}-{d[12:]}"


VERHOEFF_D = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
              [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
              [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
              [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
VERHOEFF_P = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
              [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
              [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]]
VERHOEFF_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def verhoeff_check_digit(payload):
    c = 0
    for i, ch in enumerate(reversed(payload)):
        c = VERHOEFF_D[c][VERHOEFF_P[(i + 1) % 8][int(ch)]]
    return str(VERHOEFF_INV[c])


def in_aadhaar(r, valid, bare=False):
    body = r.choice("23456789") + _d(r, 10)
    check = verhoeff_check_digit(body)
    digits = body + (check if valid else _other_digit(r, check))
    return digits if bare else _grouped(r, digits, (4, 4, 4))


def uk_nhs(r, valid, bare=False):
    while True:
        body = _d(r, 9)
        check = 11 - sum(int(x) * (10 - i) for i, x in enumerate(body)) % 11
        if check != 10:
            break
    check = str(0 if check == 11 else check)
    digits = body + (check if valid else _other_digit(r, check))
    return digits if bare else _grouped(r, digits, (3, 3, 4))


def nl_bsn(r, valid, bare=False):
    while True:
        body = r.choice("123456789") + _d(r, 7)
        check = sum(int(x) * (9 - i) for i, x in enumerate(body)) % 11
        if check != 10:
            break
    digits = body + (str(check) if valid else _other_digit(r, str(check)))
    return digits if bare or r.random() < 0.6 else f"{digits[:4]}.{digits[4:6]}.{digits[6:]}"


def fr_nir(r, valid, bare=False):
    dept = r.choice([f"{r.randint(1, 95):02d}", "2A", "2B", "75", "13", "69"])
    while dept == "20":
        dept = f"{r.randint(1, 95):02d}"
    parts = [r.choice("12"), _d(r, 2), f"{r.randint(1, 12):02d}", dept,
             f"{r.randint(1, 999):03d}", f"{r.randint(1, 999):03d}"]
    number = int("".join(parts).replace("2A", "19").replace("2B", "18"))
    key = 97 - number % 97
    if not valid:
        key = (key - 1 + r.randint(1, 96)) % 97 + 1
    parts.append(f"{key:02d}")
    return "".join(parts) if bare or r.random() < 0.4 else " ".join(parts)


DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def es_dni(r, valid, bare=False):
    if r.random() < 0.6:
        lead, number = "", _d(r, 8)
        n = int(number)
    else:
        lead, number = r.choice("XYZ"), _d(r, 7)
        n = int(str("XYZ".index(lead)) + number)
    letter = DNI_LETTERS[n % 23]
    if not valid:
        letter = r.choice([c for c in DNI_LETTERS if c != letter])
    return f"{lead}{number}{r.choice(['', '', '-'])}{letter}"


CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]


def it_codice_fiscale(r, valid, bare=False):
    consonants = "BCDFGHJKLMNPQRSTVZ"
    day = r.randint(1, 31) + r.choice([0, 40])
    body = ("".join(r.choice(consonants) for _ in range(6)) + _d(r, 2) + r.choice("ABCDEHLMPRST")
            + f"{day:02d}" + r.choice("ABCDEFGHILM") + _d(r, 3))
    total = 0
    for i, ch in enumerate(body):
        v = int(ch) if ch.isdigit() else ord(ch) - 65
        total += CF_ODD[v] if i % 2 == 0 else v
    check = chr(65 + total % 26)
    if not valid:
        check = chr(65 + (total % 26 + r.randint(1, 25)) % 26)
    return body + check


def de_steuer_id(r, valid, bare=False):
    while True:
        digits = r.sample(range(10), 9)
        digits.append(r.choice(digits))
        r.shuffle(digits)
        if digits[0] != 0:
            break
    product = 10
    for x in digits:
        s = (x + product) % 10 or 10
        product = 2 * s % 11
    check = 11 - product
    check = str(0 if check == 10 else check)
    body = "".join(map(str, digits))
    value = body + (check if valid else _other_digit(r, check))
    return value if bare or r.random() < 0.7 else f"{value[:2]} {value[2:5]} {value[5:8]} {value[8:]}"


def us_npi(r, valid, bare=False):
    body = r.choice("12") + _d(r, 8)
    check = luhn_check_digit("80840" + body)
    return body + (check if valid else _other_digit(r, check))


def us_dea(r, valid, bare=False):
    d = _d(r, 6)
    check = (int(d[0]) + int(d[2]) + int(d[4]) + 2 * (int(d[1]) + int(d[3]) + int(d[5]))) % 10
    if not valid:
        check = (check + r.randint(1, 9)) % 10
    return r.choice("ABCDFGM") + r.choice(string.ascii_uppercase) + d + str(check)


def us_aba(r, valid, bare=False):
    prefix = f"{r.choice([r.randint(1, 12), r.randint(21, 32), r.randint(61, 72), 80]):02d}"
    body = prefix + _d(r, 6)
    d = [int(x) for x in body]
    check = (10 - (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5])) % 10) % 10
    return body + (str(check) if valid else _other_digit(r, str(check)))


def us_itin(r, valid, bare=False):
    if valid:
        group = r.choice([r.randint(50, 65), r.randint(70, 88), r.randint(90, 92), r.randint(94, 99)])
    else:
        group = r.choice([r.randint(10, 49), r.randint(66, 69), 89, 93])
    area, serial = f"9{_d(r, 2)}", _d(r, 4)
    if bare:
        return f"{area}{group:02d}{serial}"
    sep = r.choice("- ")
    return f"{area}{sep}{group:02d}{sep}{serial}"


NINO_FIRST = [c for c in string.ascii_uppercase if c not in "DFIQUV"]
NINO_SECOND = [c for c in string.ascii_uppercase if c not in "DFIOQUV"]
NINO_BAD_PREFIXES = ["BG", "GB", "KN", "NK", "NT", "TN", "ZZ", "QA", "DA", "FE", "AO", "VB"]


def uk_nino(r, valid, bare=False):
    if valid:
        prefix = r.choice(NINO_FIRST) + r.choice(NINO_SECOND)
        while prefix in NINO_BAD_PREFIXES:
            prefix = r.choice(NINO_FIRST) + r.choice(NINO_SECOND)
    else:
        prefix = r.choice(NINO_BAD_PREFIXES)
    d, suffix = _d(r, 6), r.choice("ABCD")
    if r.random() < 0.5:
        return f"{prefix}{d}{suffix}"
    return f"{prefix} {d[:2]} {d[2:4]} {d[4:]} {suffix}"


MBI_LETTERS = [c for c in string.ascii_uppercase if c not in "SLOIBZ"]


def us_mbi(r, valid, bare=False):
    if not valid:
        return r.choice(["1EG4TE5MK73", "1EG4-TE5-MK73"])  # CMS's published example
    letter = lambda: r.choice(MBI_LETTERS)
    either = lambda: r.choice(MBI_LETTERS + list(string.digits))
    v = (r.choice("123456789") + letter() + either() + _d(r, 1) + letter() + either() + _d(r, 1)
         + letter() + letter() + _d(r, 2))
    return v if r.random() < 0.5 else f"{v[:4]}-{v[4:7]}-{v[7:]}"


PAN_TYPES = "PCHFATBLJG"


def in_pan(r, valid, bare=False):
    holder = r.choice(PAN_TYPES) if valid else r.choice([c for c in string.ascii_uppercase if c not in PAN_TYPES])
    serial = f"{r.randint(1, 9999):04d}"
    return _a(r, 3) + holder + _a(r, 1) + serial + _a(r, 1)


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def date_of_birth(r, valid=True, bare=False):
    y, m, d = r.randint(1930, 2008), r.randint(1, 12), r.randint(1, 28)
    return r.choice([f"{y}-{m:02d}-{d:02d}", f"{d:02d}/{m:02d}/{y}", f"{m:02d}/{d:02d}/{y}",
                     f"{MONTHS[m - 1]} {d}, {y}", f"{d} {MONTHS[m - 1]} {y}", f"{d:02d}.{m:02d}.{y}"])


def us_passport(r, valid=True, bare=False):
    return _d(r, 9) if r.random() < 0.5 else r.choice("ACEGHKLMNPRSTX") + _d(r, 8)


def us_drivers_license(r, valid=True, bare=False):
    kind = r.randrange(3)
    if kind == 0:  # California: a letter and seven digits
        return _a(r, 1) + _d(r, 7)
    if kind == 1:  # New York: nine digits
        return r.choice("123456789") + _d(r, 8)
    d = _d(r, 12)  # Florida: a letter and twelve digits, grouped
    return f"{_a(r, 1)}{d[:3]}-{d[3:6]}-{d[6:8]}-{d[8:11]}-{d[11]}"


STREETS = ["Elm", "Oak", "Maple", "Main", "Cedar", "Pine", "Washington", "Lake", "Hill", "Park",
           "Sunset", "Pennsylvania", "Martin Luther King", "Old Mill"]
SUFFIXES = ["Street", "St", "Avenue", "Ave", "Road", "Rd", "Boulevard", "Blvd", "Lane", "Drive",
            "Court", "Way", "Place", "Terrace", "Parkway"]


def us_postal_address(r, valid=True, bare=False):
    v = f"{r.randint(1, 9999)} {r.choice(STREETS)} {r.choice(SUFFIXES)}"
    if r.random() < 0.3:
        v += f", {r.choice(['Apt', 'Suite', 'Unit'])} {r.randint(1, 40)}{r.choice(['', 'B', 'C'])}"
    return v


ICD10 = ["E11.9", "J45.909", "I10", "F32.A", "M54.5", "K21.9", "N39.0", "R51.9", "Z00.00", "C50.911",
         "G43.909", "H52.4", "L40.0", "S72.001A", "E78.5", "J06.9", "F41.1", "I25.10", "M17.11", "R10.9"]


def icd10(r, valid=True, bare=False):
    return r.choice(ICD10)


def swift_bic(r, valid=True, bare=False):
    v = _a(r, 4) + r.choice(["DE", "GB", "FR", "US", "NL", "IT", "ES", "CH", "BE", "AT"]) + \
        r.choice(string.ascii_uppercase + string.digits) + r.choice(string.ascii_uppercase + "123456789")
    return v + (r.choice(["", "", "XXX", _d(r, 3)]))


def phone_national(r, valid=True, bare=False):
    kind = r.randrange(4)
    if kind == 0:
        area = r.choice(US_AREAS)
        ex = r.randint(200, 999)
        while ex % 100 == 11 or ex in (555, 950, 958, 959, 976):
            ex = r.randint(200, 999)
        line = _d(r, 4)
        return r.choice([f"({area}) {ex}-{line}", f"{area}-{ex}-{line}", f"{area}.{ex}.{line}",
                         f"{area} {ex} {line}"])
    if kind == 1:
        return f"020 7946 0{_d(r, 3)}"
    if kind == 2:
        n = "06" + r.choice("0124578") + _d(r, 7)
        return " ".join(n[i:i + 2] for i in range(0, 10, 2))
    return f"030 {r.choice('123456789')}{_d(r, 7)}"


def ipv6(r, valid=True, bare=False):
    if not valid:  # loopback, and two `::` (no address)
        return r.choice(["::1", f"2001:db8::{hexid(r, 4)}::{hexid(r, 2)}"])
    groups = [hexid(r, r.randint(1, 4)) for _ in range(8)]
    groups[0] = r.choice(["2001", "2a00", "fe80", "fd12", "2600"])
    if r.random() < 0.5:
        at = r.randint(1, 5)
        return ":".join(groups[:at]) + "::" + ":".join(groups[at + 2:])
    return ":".join(groups)


def mac(r, valid=True, bare=False):
    if not valid:  # null and broadcast addresses
        return r.choice(["00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff", "FF-FF-FF-FF-FF-FF"])
    b = [hexid(r, 2) for _ in range(6)]
    style = r.randrange(3)
    if style == 0:
        return ":".join(b)
    if style == 1:
        return "-".join(b).upper()
    return ".".join("".join(b[i:i + 2]) for i in (0, 2, 4))


# type: (generator, context sentences, whether the type needs context to be reported at all)
IDS = {
    "ca-sin": (ca_sin, ["Her SIN is {v} on the T4 slip.", "Social insurance number {v} confirmed."], False),
    "br-cpf": (br_cpf, ["CPF do cliente: {v}", "Cadastro {v} atualizado."], False),
    "br-cnpj": (br_cnpj, ["CNPJ {v} da empresa fornecedora.", "Fornecedor cnpj={v}"], False),
    "in-aadhaar": (in_aadhaar, ["Aadhaar {v} linked to the account.", "UIDAI number: {v}"], True),
    "uk-nhs-number": (uk_nhs, ["NHS number {v} registered at the surgery.", "Patient NHS no. {v}"], True),
    "nl-bsn": (nl_bsn, ["BSN: {v}", "Burgerservicenummer {v} van de klant."], True),
    "fr-nir": (fr_nir, ["Numéro de sécurité sociale {v} (carte vitale).", "NIR {v}"], False),
    "es-dni-nie": (es_dni, ["DNI {v} del titular.", "NIE: {v}"], False),
    "it-codice-fiscale": (it_codice_fiscale, ["Codice fiscale: {v}", "C.F. {v} del cliente."], False),
    "de-steuer-id": (de_steuer_id, ["Steuer-IdNr: {v}", "Steueridentifikationsnummer {v} liegt vor."], True),
    "us-npi": (us_npi, ["NPI: {v}", "Referring provider {v} signed the order."], True),
    "us-dea-number": (us_dea, ["DEA# {v}", "Prescriber DEA number {v} on the script."], False),
    "us-aba-routing-number": (us_aba, ["Routing number: {v}", "ABA {v} for direct deposit."], True),
    "us-itin": (us_itin, ["ITIN: {v}", "Taxpayer identification number {v} issued by the IRS."], False),
    "uk-nino": (uk_nino, ["National Insurance number {v}", "NI number: {v}"], False),
    "us-medicare-mbi": (us_mbi, ["Medicare MBI: {v}", "Beneficiary {v} enrolled in Part B."], False),
    "in-pan": (in_pan, ["PAN: {v}", "Permanent account number {v} on the return."], True),
    "date-of-birth": (date_of_birth, ["DOB: {v}", "Born on {v} in Lisbon.", "Date of birth {v}"], True),
    "us-passport": (us_passport, ["Passport No: {v}", "passport number {v} expires in 2031."], True),
    "us-drivers-license": (us_drivers_license, ["Driver's License: {v}", "DL# {v}"], True),
    "us-postal-address": (us_postal_address, ["Ship to {v} before noon.", "Mailing address: {v}"], True),
    "icd10-code": (icd10, ["Diagnosis: {v}", "ICD-10 {v} recorded at the visit."], True),
    "swift-bic": (swift_bic, ["SWIFT: {v}", "BIC {v} for the transfer."], True),
    "phone-number-national": (phone_national, ["Phone: {v}", "Call me on {v} tomorrow.", "Tel. {v}"], True),
    "ipv6-address": (ipv6, ["Connection from {v} was refused.", "Peer {v} is up."], False),
    "mac-address": (mac, ["ether {v}", "Device {v} joined the network."], False),
    "gcp-service-account-key": (lambda r, valid=True, bare=False: hexid(r, 40),
                                ['{"type": "service_account", "project_id": "acme-prod", "private_key_id": "{v}"}'],
                                True),
}
# Sentences without context for a type whose pattern holds more than the value.
NEUTRAL_FOR = {
    "gcp-service-account-key": ['{"type": "authorized_user", "private_key_id": "{v}"}'],
}
# Sentences with no keyword of any detector: a value in one needs no context (or is a decoy).
NEUTRAL = ["Reference {v} was filed with the quarterly report.", "Item {v} closed.",
           "The backlog lists {v} as done."]
# Types whose pattern needs context only when the digits run together (`context_required =
# "if_unseparated"`): a bare value of these without context is a decoy.
IF_UNSEPARATED = {"ca-sin", "br-cpf", "br-cnpj", "us-itin"}
# Types with a check (digits, letters, structure) or values no one holds (loopback, broadcast):
# their decoys have a wrong check or are such values.
CHECKED = {"ca-sin", "br-cpf", "br-cnpj", "in-aadhaar", "uk-nhs-number", "nl-bsn", "fr-nir", "es-dni-nie",
           "it-codice-fiscale", "de-steuer-id", "us-npi", "us-dea-number", "us-aba-routing-number",
           "us-itin", "uk-nino", "us-medicare-mbi", "in-pan", "ipv6-address", "mac-address"}


def id_line(r, out):
    """One sentence planting one identifier: valid with context, wrong check digit with context
    (a decoy), or in a sentence without context (true only for types that need none)."""
    kind = r.choice(list(IDS))
    gen, sentences, needs_context = IDS[kind]
    bare = kind in IF_UNSEPARATED and r.random() < 0.4
    roll = r.random()
    if roll < 0.7:
        value, truth, tpl = gen(r, True, bare), True, r.choice(sentences)
    elif roll < 0.85 and kind in CHECKED:
        value, truth, tpl = gen(r, False, bare), False, r.choice(sentences)
    else:
        value, tpl = gen(r, True, bare), r.choice(NEUTRAL_FOR.get(kind, NEUTRAL))
        truth = not needs_context and not bare
    before, after = tpl.split("{v}")
    out.write(before)
    out.value(value, kind, truth)
    out.write(after + "\n")


def write_ids(r, out, budget, density):
    while out.pos < budget:
        if r.random() < 0.3 or (density < 1 and r.random() >= density):
            out.write((benign_sentence(r) if density < 1 else filler(r)) + "\n")
            continue
        id_line(r, out)


# CSV of patients: every column named for what it holds, so every value has context.
PATIENT_COLUMNS = [("date_of_birth", "date-of-birth"), ("nhs_number", "uk-nhs-number"), ("npi", "us-npi"),
                   ("dea_number", "us-dea-number"), ("medicare_mbi", "us-medicare-mbi"),
                   ("icd10_code", "icd10-code"), ("passport_number", "us-passport"),
                   ("drivers_license", "us-drivers-license"), ("home_address", "us-postal-address"),
                   ("phone", "phone-number-national")]
# Headerless CSV: what is reported there is what needs no context.
REGISTRY_COLUMNS = ["ca-sin", "br-cpf", "br-cnpj", "es-dni-nie", "it-codice-fiscale", "fr-nir",
                    "us-dea-number", "us-itin", "uk-nino", "us-medicare-mbi", "uk-nhs-number", "in-aadhaar",
                    "nl-bsn", "de-steuer-id", "us-npi", "us-aba-routing-number"]


def write_patients(r, out, budget, density):
    out.write(",".join(["name"] + [c for c, _ in PATIENT_COLUMNS]) + "\n")
    while out.pos < budget:
        if density < 1 and r.random() >= density:
            out.write(",".join([f"Clinic {r.choice(WORDS)}", str(r.randint(1, 90)), date(r), amount(r),
                                f"ROOM-{r.randint(100, 999)}", r.choice(["seen", "booked"]), "", "", "", "",
                                ""]) + "\n")
            continue
        first, last = person(r)
        out.write(f"{first} {last}")
        for _, kind in PATIENT_COLUMNS:
            out.write(",")
            gen = IDS[kind][0]
            t = kind not in CHECKED or r.random() >= DECOY_SHARE
            value = gen(r, t, r.random() < 0.5)
            quote = '"' if "," in value else ""
            out.write(quote)
            out.value(value, kind, t)
            out.write(quote)
        out.write("\n")


def write_registry(r, out, budget, density):
    out.write(",".join(f"col{i + 1}" for i in range(len(REGISTRY_COLUMNS))) + "\n")
    while out.pos < budget:
        if density < 1 and r.random() >= density:
            out.write(",".join(str(r.randint(0, 10 ** r.randint(1, 8))) for _ in REGISTRY_COLUMNS) + "\n")
            continue
        for i, kind in enumerate(REGISTRY_COLUMNS):
            if i:
                out.write(",")
            gen, _, needs_context = IDS[kind]
            t = r.random() >= DECOY_SHARE
            # Separated forms: the bare ones of these types need context a headerless column lacks.
            out.value(gen(r, t, False), kind, t and not needs_context)
        out.write("\n")


# JSON of customers: key paths name the identifiers.
IDENTITY_KEYS = [("sin", "ca-sin"), ("cpf", "br-cpf"), ("cnpj", "br-cnpj"), ("aadhaar", "in-aadhaar"),
                 ("bsn", "nl-bsn"), ("nir", "fr-nir"), ("dni", "es-dni-nie"),
                 ("codice_fiscale", "it-codice-fiscale"), ("steuer_id", "de-steuer-id"), ("itin", "us-itin"),
                 ("nino", "uk-nino"), ("pan", "in-pan")]


def write_identity(r, out, budget, density):
    write_records(r, out, budget, density, lambda r: {
        "account": f"C-{r.randint(1000, 99999)}", "opened": date(r), "balance": float(amount(r)),
        "notes": filler(r)}, identity_record)


def identity_record(r, out):
    first, last = person(r)
    out.write(f'  {{"name": {json.dumps(first + " " + last, ensure_ascii=False)}, "birth_date": "')
    out.value(date_of_birth(r), "date-of-birth", True)
    out.write('", "national_ids": {')
    for i, (key, kind) in enumerate(IDENTITY_KEYS):
        out.write(f'{", " if i else ""}"{key}": "')
        t = r.random() >= DECOY_SHARE
        out.value(IDS[kind][0](r, t, r.random() < 0.5), kind, t)
        out.write('"')
    out.write('}, "bank": {"routing_number": "')
    t = r.random() >= DECOY_SHARE
    out.value(us_aba(r, t), "us-aba-routing-number", t)
    out.write('", "swift": "')
    out.value(swift_bic(r), "swift-bic", True)
    out.write('"}, "mobile": "')
    out.value(phone_national(r), "phone-number-national", True)
    out.write('", "mailing_address": "')
    out.value(us_postal_address(r), "us-postal-address", True)
    out.write(f'", "notes": {json.dumps(filler(r))}}}')


# --- Credentials in configuration files --------------------------------------------------------
ALNUM = string.ascii_letters + string.digits
B64URL = ALNUM + "-_"


def _s(r, alphabet, n):
    return "".join(r.choice(alphabet) for _ in range(n))


def _b64url(data):
    return base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")


def password(r):
    """A password as people and generators make them: letters, digits and a symbol or two."""
    return _s(r, ALNUM, r.randint(8, 14)) + r.choice("!#%&*+?^~") + _s(r, string.digits, 2)


def secret_line(r, kind, valid):
    """A configuration line holding one credential: (text before, value, text after)."""
    if kind == "private-key":
        algo = r.choice(["RSA ", "EC ", "OPENSSH ", ""])
        head = f"-----BEGIN {algo if valid else r.choice(['PUBLIC ', 'CERTIFICATE ', 'RSA PUBLIC '])}"
        head = head + ("PRIVATE KEY-----" if valid else "KEY-----").replace("CERTIFICATE KEY", "CERTIFICATE")
        body = "\n".join(_s(r, B64, 64) for _ in range(3))
        return "", head, f"\n{body}\n-----END KEY-----"
    if kind == "github-token":
        v = "ghp_" + _s(r, ALNUM, 36) if valid else r.choice(["ghx_" + _s(r, ALNUM, 36), "ghp_" + _s(r, ALNUM, 12)])
        return "GITHUB_TOKEN=", v, ""
    if kind == "slack-token":
        v = f"xox{r.choice('bp' if valid else 'qz')}-{_s(r, string.digits, 12)}-{_s(r, ALNUM, 24)}"
        return "SLACK_BOT_TOKEN=", v, ""
    if kind == "stripe-secret-key":
        return "STRIPE_KEY=", ("sk_live_" if valid else "sk_test_") + _s(r, ALNUM, 24), ""
    if kind == "jwt":
        head = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}))
        body = _b64url(json.dumps({"sub": str(r.randint(1000, 99999)), "iat": r.randint(1600000000, 1800000000)}))
        v = f"{head}.{body}.{_s(r, B64URL, 43)}" if valid else head
        return "Authorization: Bearer ", v, ""
    if kind == "password-assignment":
        if valid:
            return r.choice(["DB_PASSWORD=", "password: ", "smtp_pass = "]), password(r), ""
        return r.choice(["DB_PASSWORD=", "password: "]), r.choice(["${DB_PASSWORD}", "changeme", "********", "{{ vault_pw }}"]), ""
    if kind == "azure-storage-connection-string":
        key = _s(r, B64, 86) + "==" if valid else \
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
        return "AZURE_STORAGE=DefaultEndpointsProtocol=https;AccountName=acmedata;AccountKey=", key, \
            ";EndpointSuffix=core.windows.net"
    if kind == "gitlab-token":
        return "GITLAB_TOKEN=", "glpat-" + (_s(r, ALNUM, 20) if valid else _s(r, ALNUM, 8)), ""
    # connection-string-password
    scheme = r.choice(["postgres", "mysql", "amqp", "redis", "mongodb"])
    pw = password(r).replace("#", "!").replace("%", "!").replace("?", "!") if valid else \
        r.choice(["${DB_PASS}", "****", "password", "<password>"])
    return f"DATABASE_URL={scheme}://app:", pw, f"@db.internal:5432/app"


SECRET_KINDS = ["private-key", "github-token", "slack-token", "stripe-secret-key", "jwt", "password-assignment",
                "azure-storage-connection-string", "gitlab-token", "connection-string-password"]
CONFIG_LINES = ["LOG_LEVEL=info", "PORT=8080", "AWS_REGION=eu-west-1", "FEATURE_FLAGS=search,export",
                "TIMEOUT_SECONDS=30", "# rotated by the platform team", "CACHE_TTL=600", "WORKERS=4"]


def write_secrets(r, out, budget, density):
    while out.pos < budget:
        if r.random() < 0.5 or (density < 1 and r.random() >= density):
            out.write(r.choice(CONFIG_LINES) + "\n")
            continue
        kind = r.choice(SECRET_KINDS)
        truth = r.random() >= DECOY_SHARE
        before, value, after = secret_line(r, kind, truth)
        out.write(before)
        out.value(value, kind, truth)
        out.write(after + "\n")


KINDS = [("text", "txt"), ("log", "log"), ("people", "csv"), ("export", "csv"), ("records", "json"),
         ("ids", "txt"), ("patients", "csv"), ("registry", "csv"), ("identity", "json"), ("secrets", "env")]


def parse_size(s):
    s = s.strip().upper()
    for unit, mult in (("GB", 10 ** 9), ("MB", 10 ** 6), ("KB", 10 ** 3), ("B", 1)):
        if s.endswith(unit):
            return int(float(s[: -len(unit)]) * mult)
    return int(s)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--size", type=parse_size)
    ap.add_argument("--files", type=int, default=4)
    ap.add_argument("--file-size", type=parse_size, default=4 * 10 ** 6)
    ap.add_argument("--labels")
    ap.add_argument("--no-labels", action="store_true")
    ap.add_argument("--density", type=float, default=1.0)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    r = random.Random(a.seed)
    labels = None if a.no_labels else []
    if a.size:
        per_file = a.file_size
        n_files = max(1, -(-a.size // per_file))
        per_file = a.size // n_files
        plan = [KINDS[i % len(KINDS)] for i in range(n_files)]
    else:
        per_file = 20_000
        plan = [k for k in KINDS for _ in range(a.files)]
    counters = {}
    for kind, ext in plan:
        i = counters[kind] = counters.get(kind, 0) + 1
        out = Out(a.out, f"{kind}_{i:04d}.{ext}", labels)
        if kind == "text":
            write_text(r, out, per_file, a.density)
        elif kind == "log":
            write_log(r, out, per_file, a.density)
        elif kind == "people":
            write_csv(r, out, per_file, True, a.density)
        elif kind == "export":
            write_csv(r, out, per_file, False, a.density)
        elif kind == "records":
            write_json(r, out, per_file, a.density)
        elif kind == "ids":
            write_ids(r, out, per_file, a.density)
        elif kind == "patients":
            write_patients(r, out, per_file, a.density)
        elif kind == "registry":
            write_registry(r, out, per_file, a.density)
        elif kind == "identity":
            write_identity(r, out, per_file, a.density)
        else:
            write_secrets(r, out, per_file, a.density)
        out.close()
    if labels is not None:
        path = a.labels or os.path.join(a.out, "labels.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for lab in labels:
                f.write(json.dumps(lab) + "\n")
        true = sum(1 for l in labels if l["truth"])
        print(f"{len(plan)} files, {len(labels)} labels ({true} true, {len(labels) - true} decoys) -> {path}",
              file=sys.stderr)


if __name__ == "__main__":
    main()
