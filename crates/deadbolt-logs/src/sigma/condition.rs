//! Sigma condition expressions: `selection and not (filter1 or filter2)`, `1 of sel_*`,
//! `all of them`. Precedence, loosest first: `or`, `and`, `not`.

/// A parsed condition over the rule's named selections (by index).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Condition {
    /// A named selection.
    Selection(usize),
    /// All of these hold.
    And(Vec<Condition>),
    /// One of these holds.
    Or(Vec<Condition>),
    /// This does not hold.
    Not(Box<Condition>),
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Open,
    Close,
}

/// How deep `not`s and parentheses may nest in a condition. The parser and the evaluator recurse
/// once per level; a hostile rule of 20,000 `(` would overflow the stack.
pub(crate) const MAX_DEPTH: usize = 64;

/// Parses `text` against the rule's selection names.
///
/// Errors name what was unexpected: an unknown selection, a pattern that matches none, an
/// unbalanced parenthesis, a trailing word.
pub(crate) fn parse(text: &str, names: &[String]) -> Result<Condition, String> {
    let tokens = tokenize(text);
    let mut parser = Parser {
        tokens: &tokens,
        pos: 0,
        names,
        depth: 0,
    };
    let condition = parser.or()?;
    match parser.tokens.get(parser.pos) {
        None => Ok(condition),
        Some(t) => Err(format!("unexpected {} in condition {text:?}", describe(t))),
    }
}

fn describe(token: &Token) -> String {
    match token {
        Token::Word(w) => format!("{w:?}"),
        Token::Open => "\"(\"".into(),
        Token::Close => "\")\"".into(),
    }
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, tokens: &mut Vec<Token>| {
        if !word.is_empty() {
            tokens.push(Token::Word(std::mem::take(word)));
        }
    };
    for c in text.chars() {
        match c {
            '(' => {
                flush(&mut word, &mut tokens);
                tokens.push(Token::Open);
            }
            ')' => {
                flush(&mut word, &mut tokens);
                tokens.push(Token::Close);
            }
            c if c.is_whitespace() => flush(&mut word, &mut tokens),
            c => word.push(c),
        }
    }
    flush(&mut word, &mut tokens);
    tokens
}

struct Parser<'a> {
    tokens: &'a [Token],
    pos: usize,
    names: &'a [String],
    depth: usize,
}

impl Parser<'_> {
    fn keyword(&self, keyword: &str) -> bool {
        matches!(self.tokens.get(self.pos), Some(Token::Word(w)) if w.eq_ignore_ascii_case(keyword))
    }

    fn or(&mut self) -> Result<Condition, String> {
        let mut terms = vec![self.and()?];
        while self.keyword("or") {
            self.pos += 1;
            terms.push(self.and()?);
        }
        Ok(if terms.len() == 1 {
            terms.remove(0)
        } else {
            Condition::Or(terms)
        })
    }

    fn and(&mut self) -> Result<Condition, String> {
        let mut terms = vec![self.not()?];
        while self.keyword("and") {
            self.pos += 1;
            terms.push(self.not()?);
        }
        Ok(if terms.len() == 1 {
            terms.remove(0)
        } else {
            Condition::And(terms)
        })
    }

    fn deeper(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!(
                "the condition nests `not` and parentheses more than {MAX_DEPTH} deep"
            ));
        }
        Ok(())
    }

    fn not(&mut self) -> Result<Condition, String> {
        if self.keyword("not") {
            self.pos += 1;
            self.deeper()?;
            let inner = self.not()?;
            self.depth -= 1;
            return Ok(Condition::Not(Box::new(inner)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Condition, String> {
        match self.tokens.get(self.pos) {
            None => Err("condition ends too early".into()),
            Some(Token::Open) => {
                self.pos += 1;
                self.deeper()?;
                let inner = self.or()?;
                self.depth -= 1;
                if self.tokens.get(self.pos) != Some(&Token::Close) {
                    return Err("a \"(\" in the condition is not closed".into());
                }
                self.pos += 1;
                Ok(inner)
            }
            Some(Token::Close) => Err("unexpected \")\" in the condition".into()),
            Some(Token::Word(word)) => {
                self.pos += 1;
                let quantifier = if word == "1" || word.eq_ignore_ascii_case("any") {
                    Some(false)
                } else if word.eq_ignore_ascii_case("all") {
                    Some(true)
                } else {
                    None
                };
                match quantifier {
                    Some(all) if self.keyword("of") => {
                        self.pos += 1;
                        let Some(Token::Word(pattern)) = self.tokens.get(self.pos) else {
                            return Err(format!(
                                "\"{word} of\" needs a selection pattern or \"them\""
                            ));
                        };
                        self.pos += 1;
                        let members = self.matching(pattern)?;
                        let members = members.into_iter().map(Condition::Selection).collect();
                        Ok(if all {
                            Condition::And(members)
                        } else {
                            Condition::Or(members)
                        })
                    }
                    _ => self
                        .names
                        .iter()
                        .position(|n| n == word)
                        .map(Condition::Selection)
                        .ok_or_else(|| {
                            format!("the condition names {word:?}, which is not a selection")
                        }),
                }
            }
        }
    }

    /// The selections a `1 of` / `all of` pattern names: `*` stands for any run of characters,
    /// anywhere (`sel_*`, `*_filter`, `a*b`). `them` is every selection except those whose name
    /// starts with an underscore, as Sigma specifies.
    fn matching(&self, pattern: &str) -> Result<Vec<usize>, String> {
        let members: Vec<usize> = self
            .names
            .iter()
            .enumerate()
            .filter(|(_, name)| {
                if pattern == "them" {
                    !name.starts_with('_')
                } else {
                    glob(pattern, name)
                }
            })
            .map(|(i, _)| i)
            .collect();
        if members.is_empty() {
            return Err(format!("{pattern:?} in the condition matches no selection"));
        }
        Ok(members)
    }
}

/// Whether `name` matches `pattern`, where `*` is any run of characters. Greedy with one point
/// of return, so a hostile pattern of many stars costs time linear in its length times the name's.
fn glob(pattern: &str, name: &str) -> bool {
    let (p, n) = (pattern.as_bytes(), name.as_bytes());
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ni));
            pi += 1;
        } else if pi < p.len() && p[pi] == n[ni] {
            pi += 1;
            ni += 1;
        } else if let Some((sp, sn)) = star {
            pi = sp + 1;
            ni = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|b| *b == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        ["selection", "filter_a", "filter_b", "_hidden"]
            .map(String::from)
            .to_vec()
    }

    #[test]
    fn precedence_and_parentheses() {
        let c = parse("selection and not filter_a or filter_b", &names()).unwrap();
        assert_eq!(
            c,
            Condition::Or(vec![
                Condition::And(vec![
                    Condition::Selection(0),
                    Condition::Not(Box::new(Condition::Selection(1)))
                ]),
                Condition::Selection(2)
            ])
        );
        let c = parse("selection and not (filter_a or filter_b)", &names()).unwrap();
        assert_eq!(
            c,
            Condition::And(vec![
                Condition::Selection(0),
                Condition::Not(Box::new(Condition::Or(vec![
                    Condition::Selection(1),
                    Condition::Selection(2)
                ])))
            ])
        );
    }

    #[test]
    fn quantifiers() {
        assert_eq!(
            parse("1 of filter_*", &names()).unwrap(),
            Condition::Or(vec![Condition::Selection(1), Condition::Selection(2)])
        );
        assert_eq!(
            parse("all of them", &names()).unwrap(),
            Condition::And(vec![
                Condition::Selection(0),
                Condition::Selection(1),
                Condition::Selection(2)
            ])
        );
    }

    #[test]
    fn patterns_match_with_a_star_anywhere() {
        let names: Vec<String> = ["sel_a", "sel_b", "x_filter", "y_filter", "filter"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            parse("1 of *_filter", &names).unwrap(),
            Condition::Or(vec![Condition::Selection(2), Condition::Selection(3)])
        );
        assert_eq!(
            parse("all of *filter", &names).unwrap(),
            Condition::And(vec![
                Condition::Selection(2),
                Condition::Selection(3),
                Condition::Selection(4)
            ])
        );
        assert_eq!(
            parse("1 of s*_b", &names).unwrap(),
            Condition::Or(vec![Condition::Selection(1)])
        );
        assert!(glob("*", ""));
        assert!(glob("a**b", "ab"));
        assert!(!glob("*_filter", "filter"));
        assert!(!glob("a*b", "ab_"));
        assert!(
            parse("1 of *_none", &names)
                .unwrap_err()
                .contains("matches no selection")
        );
        // Many stars against a long name stay quick.
        let stars = "*a".repeat(2_000);
        assert!(!glob(&stars, &"a".repeat(1_999)));
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert!(
            parse("selection and", &names())
                .unwrap_err()
                .contains("too early")
        );
        assert!(
            parse("(selection", &names())
                .unwrap_err()
                .contains("not closed")
        );
        assert!(
            parse("nope", &names())
                .unwrap_err()
                .contains("not a selection")
        );
        assert!(
            parse("1 of x*", &names())
                .unwrap_err()
                .contains("matches no selection")
        );
        let deep = format!("{}selection{}", "(".repeat(20_000), ")".repeat(20_000));
        assert!(parse(&deep, &names()).unwrap_err().contains("deep"));
        let nots = format!("{}selection", "not ".repeat(200_000));
        assert!(parse(&nots, &names()).unwrap_err().contains("deep"));
        assert!(
            parse("selection filter_a", &names())
                .unwrap_err()
                .contains("unexpected")
        );
    }
}
