#!/usr/bin/env python3
"""Generates a labelled corpus of fake personal, payment and credential data for `deadbolt classify`:
plain-text sentences, logs, CSV with meaningful headers, CSV with meaningless headers (col1, col2 ...)
and JSON, plus a label file. Standard library only; deterministic for a given seed and size.

Every planted value is labelled (JSON lines in LABELS): file (relative to OUT_DIR), byte offsets
start/end of the value in the file, line (1-based), record (CSV: byte offset of the record, which is
what deadbolt reports for CSV findings), type (the deadbolt detector id that must report it), and
truth: true for an instance that must be reported, false for a decoy that must not be (card numbers
and IBANs with a wrong check digit, SSNs breaking the area/group/serial rules or published sample
numbers, documentation e-mail domains, AWS documentation keys, hex digests next to an AWS key name,
loopback/broadcast addresses, numbers that are not valid phone numbers).

usage: gen-pii.py OUT_DIR [--seed N] [--size SIZE] [--files N] [--file-size SIZE] [--labels PATH]
                  [--no-labels] [--density D]
  --size   total bytes to write (e.g. 200MB, 1GB); files are ~4 MB each then, with filler text
  --file-size  bytes per file with --size (default 4MB); kinds take turns (text, log, CSV, CSV, JSON)
  --files  number of files of each kind when --size is not given (default 4, ~20 KB each)
  --density  share of records (lines, rows, JSON objects) that hold planted values (default 1: every
           record, as the accuracy test wants); the others are records of the same kind holding
           numbers, dates, amounts, UUIDs and order codes that are no identifier
"""
import argparse
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
            area = r.randint(900, 999)
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
        self.pos, self.line, self.record = 0, 1, 0

    def write(self, s):
        self.f.write(s)
        self.pos += len(s.encode("utf-8"))
        self.line += s.count("\n")

    def value(self, s, kind, truth):
        if self.labels is not None:
            self.labels.append({"file": self.rel, "start": self.pos,
                                "end": self.pos + len(s.encode("utf-8")), "line": self.line,
                                "record": self.record, "type": kind, "truth": truth})
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
        out.record = out.pos
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


def write_json(r, out, budget, density):
    out.write('{"customers": [\n')
    first_rec = True
    while out.pos < budget or first_rec:
        if not first_rec:
            out.write(",\n")
        first_rec = False
        if density < 1 and r.random() >= density:
            out.write(json.dumps({"order": f"A-{r.randint(1000, 99999)}", "created": date(r),
                                  "items": [{"sku": f"SKU-{r.randint(10000, 99999)}", "qty": r.randint(1, 9),
                                             "price": float(amount(r))}],
                                  "status": r.choice(["shipped", "open"]), "notes": filler(r)}))
            continue
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
    out.write("\n]}\n")


KINDS = [("text", "txt"), ("log", "log"), ("people", "csv"), ("export", "csv"), ("records", "json")]


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
        else:
            write_json(r, out, per_file, a.density)
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
