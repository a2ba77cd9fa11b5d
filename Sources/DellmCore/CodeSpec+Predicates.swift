import Foundation

/// Predicates: what "True if …" says of a subject, quantified ("every number …") or not.
extension CodeSpec.Parser {
    /// A condition: atoms joined by "and"/"or".
    mutating func predicate() -> String? {
        guard var c = predicateAtom() else { return nil }
        while let more = attempt({ p -> (String, String)? in
            guard let j = p.word("and", "or") else { return nil }
            guard let a = p.predicateAtom() else { return nil }
            return (j, a)
        }) { c = "(\(c)) \(more.0) (\(more.1))" }
        return c
    }

    mutating func predicateAtom() -> String? {
        if let c = attempt({ p -> String? in
            // "a and b are both positive", "both a and b are even", "x, y and z are all positive"
            let both = p.word("both", "all") != nil
            guard let names = p.scalarList(), p.word("are") != nil else { return nil }
            guard p.word("both", "all") != nil || both else { return nil }
            guard let c = p.adjective() else { return nil }
            return names.map { "(" + c.replacingOccurrences(of: "_e", with: $0) + ")" }.joined(separator: " and ")
        }) { return c }
        if let c = attempt({ p -> String? in
            // "the strings a and b start with the same character", "a and b have the same length"
            p.skip(["the", "both"])
            p.word("strings", "words", "lists")
            guard let a = p.param(), p.word("and") != nil, let b = p.param() else { return nil }
            if let v = p.word("start", "begin", "end"), p.anyPhrase(["with the same character", "with the same letter", "with the same char"]) != nil {
                return v == "end" ? "\(a.name)[-1:] == \(b.name)[-1:]" : "\(a.name)[:1] == \(b.name)[:1]"
            }
            if p.word("have", "are") != nil, p.anyPhrase(["the same length", "the same number of characters", "of the same length",
                                                          "equally long", "the same size", "of equal length"]) != nil {
                return "len(\(a.name)) == len(\(b.name))"
            }
            return nil
        }) { return c }
        if let c = attempt({ p in p.quantified() }) { return c }
        if let c = attempt({ p in p.membership() }) { return c }
        return attempt { p -> String? in
            let subject: Expr
            if p.word("it", "they", "this") != nil, let s = p.lastSubject { subject = s } else {
                guard let s = p.subject() else { return nil }
                subject = s
            }
            p.lastSubject = subject
            return p.predicateOf(subject)
        }
    }

    /// The subject of a predicate: a parameter with its words, or a value ("the sum of nums").
    mutating func subject() -> Expr? {
        if let e = attempt({ p in p.literalValue() }) { return e }
        return attempt { p in p.term() }
    }

    /// What is said of a subject: "is even", "reads the same forwards and backwards", "contains x",
    /// "starts with a vowel", "and b are anagrams".
    mutating func predicateOf(_ s: Expr) -> String? {
        let x = s.py.contains(" ") ? "(\(s.py))" : s.py
        func of(_ cond: String) -> String { cond.replacingOccurrences(of: "_e", with: x) }
        if let c = attempt({ p -> String? in
            guard p.word("is", "are") != nil else { return nil }
            let not = p.word("not") != nil
            guard var c = p.adjective() else { return nil }
            // "n is positive and even": more adjectives of the same subject.
            while let more = p.attempt({ q -> (String, String)? in
                guard let j = q.word("and", "or"), let a = q.adjective() else { return nil }
                return (j, a)
            }) { c = "(\(c)) \(more.0) (\(more.1))" }
            return not ? "not (\(of(c)))" : of(c)
        }) { return c }
        if let c = attempt({ p -> String? in
            guard p.palindromeWords() else { return nil }
            return of("_e == _e[::-1]")
        }) { return c }
        if let c = attempt({ p -> String? in
            // "can be divided by d with no remainder", "divided by d leaves no remainder"
            p.anyPhrase(["can be", "is"])
            p.word("evenly", "exactly")
            guard p.phrase("divided by"), let k = p.operand() else { return nil }
            guard p.anyPhrase(["with no remainder", "without a remainder", "without remainder", "leaves no remainder", "evenly", "exactly",
                               "with a remainder of 0", "with a remainder of zero", "gives no remainder", "has no remainder",
                               "leaves a remainder of 0", "leaves a remainder of zero"]) != nil else { return nil }
            return "\(x) % \(k) == 0"
        }) { return c }
        if let c = attempt({ p -> String? in
            // "has exactly three digits", "has more than 5 characters", "has at most 2 words"
            guard p.word("has", "contains", "have") != nil else { return nil }
            let op = p.anyPhrase(["exactly", "more than", "fewer than", "less than", "at least", "at most", "over", "under"]) ?? "exactly"
            guard let k = p.operand(), let unit = p.word("digits", "digit", "characters", "character", "letters", "letter", "elements",
                                                        "element", "items", "item", "words", "word", "values", "numbers") else { return nil }
            let size: String
            switch unit {
            case "digits", "digit": size = s.ty == .num || s.ty == .any ? "len(str(abs(\(x))))" : "sum(_c.isdigit() for _c in \(x))"
            case "letters", "letter": size = "sum(_c.isalpha() for _c in \(x))"
            case "words", "word": size = "len(\(x).split())"
            default: size = "len(\(x))"
            }
            return "\(size) \(CodeSpec.Parser.comparison(op)) \(k)"
        }) { return c }
        if let c = attempt({ p -> String? in
            // "has no characters", "has at least one digit in it", "contains no vowels"
            guard p.word("has", "contains", "includes", "have", "contain") != nil else { return nil }
            let q = p.anyPhrase(["at least one", "no", "any", "some", "a", "an", "one or more"])
            guard let q else { return nil }
            guard let cond = p.charClass() ?? p.describedElements(needsAdjective: false) else { return nil }
            p.anyPhrase(["in it", "in them", "inside it"])
            let gen = "\(cond) for _e in \(x)"
            return q == "no" ? "not any(\(gen))" : "any(\(gen))"
        }) { return c }
        if let c = attempt({ p -> String? in
            guard p.word("contains", "has", "includes", "contain", "have") != nil else { return nil }
            p.skip(["any", "a", "some"])
            guard p.anyPhrase(["duplicates", "duplicate values", "duplicate elements", "duplicate items", "duplicate", "repeated values",
                               "repeated elements", "repeats", "the same value twice", "a value more than once"]) != nil else { return nil }
            return "len(set(\(x))) < len(\(x))"
        }) { return c }
        if let c = attempt({ p -> String? in
            guard p.word("contains", "includes", "has", "contain") != nil, let y = p.operand() else { return nil }
            return "\(y) in \(x)"
        }) { return c }
        if let c = attempt({ p -> String? in
            guard let v = p.word("starts", "begins", "start", "begin", "ends", "end") , p.word("with") != nil else { return nil }
            let starts = !v.hasPrefix("end")
            if p.anyPhrase(["a vowel"]) != nil {
                _ = p.attempt { q -> Bool? in
                    guard q.word("(") != nil, q.vowelList() != nil else { return nil }
                    q.word(",")
                    q.anyPhrase(["in either case", "upper or lower case", "either case"])
                    return q.word(")") != nil ? true : nil
                }
                return starts ? "\(x)[:1] in 'aeiouAEIOU'" : "\(x)[-1:] in 'aeiouAEIOU'"
            }
            if p.anyPhrase(["a capital letter", "an uppercase letter", "an upper-case letter", "a capital"]) != nil { return starts ? "\(x)[:1].isupper()" : "\(x)[-1:].isupper()" }
            if p.anyPhrase(["a digit"]) != nil { return starts ? "\(x)[:1].isdigit()" : "\(x)[-1:].isdigit()" }
            guard let y = p.operand() else { return nil }
            return starts ? "\(x).startswith(\(y))" : "\(x).endswith(\(y))"
        }) { return c }
        if let c = attempt({ p -> String? in
            guard p.word("and") != nil, let t = p.literalValue() else { return nil }
            p.word("are", "contain", "have", "use", "consist")
            if p.anyPhrase(["anagrams of each other", "anagrams of one another", "anagrams", "made of the same letters",
                            "the same letters the same number of times", "the same letters with the same counts",
                            "the same characters the same number of times", "of the same letters"]) != nil {
                return "sorted(\(x)) == sorted(\(t.py))"
            }
            if p.anyPhrase(["equal", "the same", "identical"]) != nil { return "\(x) == \(t.py)" }
            return nil
        }) { return c }
        if let c = attempt({ p -> String? in
            guard p.anyPhrase(["equals", "is equal to", "is the same as"]) != nil, let y = p.operand() else { return nil }
            return "\(x) == \(y)"
        }) { return c }
        return nil
    }

    /// "reads the same forwards and backwards", "is the same backwards", "is a palindrome" (via adjective).
    mutating func palindromeWords() -> Bool {
        attempt { p -> Bool? in
            guard p.word("reads", "is", "reading", "spells", "looks", "read", "are") != nil else { return nil }
            guard p.anyPhrase(["the same forwards and backwards", "the same forward and backward", "the same backwards and forwards",
                               "the same backward and forward", "the same backwards as forwards", "the same backward as forward",
                               "the same forwards as backwards", "the same when reversed", "the same in reverse", "the same backwards",
                               "the same reversed", "equal to its reverse", "the same from both ends", "the same read backwards",
                               "the same from left to right and from right to left", "the same both ways"]) != nil else { return nil }
            return true
        } ?? false
    }

    /// "every number in nums is even", "any value occurs more than once in items", "no value appears
    /// twice in items", "all the values in items are distinct".
    mutating func quantified() -> String? {
        if let c = attempt({ p -> String? in
            guard let q = p.word("any", "no", "some") else { return nil }
            guard p.word("value", "element", "item", "number", "entry", "character", "letter", "word") != nil,
                  p.word("occurs", "appears", "is", "shows") != nil else { return nil }
            p.word("repeated", "present", "up")
            guard p.anyPhrase(["more than once", "twice", "at least twice", "two or more times", "several times", "again"]) != nil else { return nil }
            let s: Src
            if p.word("in", "of") != nil { guard let x = p.source() else { return nil }; s = x }
            else { guard let x = p.implicitSource(for: .elements(numbers: false)) ?? p.implicitSource(for: .chars) else { return nil }; s = x }
            return q == "no" ? "len(set(\(s.py))) == len(\(s.py))" : "len(set(\(s.py))) < len(\(s.py))"
        }) { return c }
        if let c = attempt({ p -> String? in
            // "all values in items are distinct"
            p.skip(["all", "the", "of"])
            guard p.word("values", "elements", "items", "numbers", "entries", "characters", "letters", "words") != nil else { return nil }
            let s: Src
            if p.word("in", "of") != nil { guard let x = p.source() else { return nil }; s = x }
            else { guard let x = p.implicitSource(for: .elements(numbers: false)) else { return nil }; s = x }
            guard p.word("are") != nil else { return nil }
            if p.anyPhrase(["equal", "the same", "identical", "all equal", "all the same", "equal to each other"]) != nil {
                return "len(set(\(s.py))) <= 1"
            }
            guard p.word("distinct", "unique", "different") != nil else { return nil }
            p.anyPhrase(["from each other", "from one another"])
            return "len(set(\(s.py))) == len(\(s.py))"
        }) { return c }
        return attempt { p -> String? in
            let atLeastOne = p.anyPhrase(["at least one", "one or more"]) != nil
            guard let q = atLeastOne ? "any" : p.word("every", "each", "all", "any", "no", "some") else { return nil }
            p.skip(["the", "of"])
            guard let s = p.seqPhrase(), p.word("is", "are") != nil else { return nil }
            let not = p.word("not") != nil
            guard var c = p.adjective() else { return nil }
            if not { c = "not (\(c))" }
            let gen = "\(c) for _e in \(s.list)"
            switch q {
            case "every", "each", "all": return "all(\(gen))"
            case "no": return "not any(\(gen))"
            default: return "any(\(gen))"
            }
        }
    }

    /// "word is one of the words of text", "x is in nums", "c appears in s".
    mutating func membership() -> String? {
        guard let y = operand() else { return nil }
        if let c = attempt({ p -> String? in
            guard p.anyPhrase(["is one of the words of", "is one of the words in", "is a word of", "is a word in", "appears as a word in",
                               "is among the words of"]) != nil, let s = p.source(), s.ty == .str else { return nil }
            return "\(y) in \(s.py).split()"
        }) { return c }
        if let c = attempt({ p -> String? in
            guard p.anyPhrase(["is not in", "does not appear in", "does not occur in", "is missing from", "is not found in", "is absent from",
                               "is not an element of", "is not one of", "is not contained in", "is not present in", "isn't in"]) != nil,
                  let s = p.source() else { return nil }
            return "\(y) not in \(s.py)"
        }) { return c }
        return attempt { p -> String? in
            guard p.anyPhrase(["is in", "appears in", "occurs in", "is found in", "is an element of", "is a member of", "is one of",
                               "is contained in", "is inside", "is present in"]) != nil, let s = p.source() else { return nil }
            return "\(y) in \(s.py)"
        }
    }

    /// What a subject is, as a condition on `_e`: "even", "a prime number", "greater than k", "divisible by
    /// 3", "a leap year", "in non-decreasing order", "below zero".
    mutating func adjective() -> String? {
        if let c = attempt({ p -> String? in
            p.skip(["a", "an"])
            guard let w = p.word("even", "odd", "positive", "negative", "zero", "non-negative", "nonnegative", "non-zero", "nonzero",
                                 "non-positive", "empty", "prime", "palindrome", "vowel", "digit", "letter", "space", "uppercase",
                                 "upper-case", "lowercase", "lower-case", "sorted", "vowels", "digits", "letters", "spaces") else { return nil }
            p.word("number", "numbers", "integer", "integers", "value", "one", "word", "string")
            switch w {
            case "even": return "_e % 2 == 0"
            case "odd": return "_e % 2 != 0"
            case "positive": return "_e > 0"
            case "negative": return "_e < 0"
            case "zero": return "_e == 0"
            case "non-negative", "nonnegative": return "_e >= 0"
            case "non-zero", "nonzero": return "_e != 0"
            case "non-positive": return "_e <= 0"
            case "empty": return "len(_e) == 0"
            case "prime": return CodeSpec.Parser.prime
            case "palindrome": return "_e == _e[::-1]"
            case "vowel", "vowels": return "_e in 'aeiouAEIOU'"
            case "digits": return "_e.isdigit()"
            case "letters": return "_e.isalpha()"
            case "spaces": return "_e == ' '"
            case "digit": return "_e.isdigit()"
            case "letter": return "_e.isalpha()"
            case "space": return "_e == ' '"
            case "uppercase", "upper-case": return "_e.isupper()"
            case "lowercase", "lower-case": return "_e.islower()"
            default: // sorted
                return p.ordering() ?? "list(_e) == sorted(_e)"
            }
        }) { return c }
        if let c = attempt({ p in p.ordering() }) { return c }
        if let c = attempt({ p -> String? in
            p.skip(["a", "an"])
            if p.anyPhrase(["leap year"]) != nil {
                p.anyPhrase(["in the gregorian calendar", "according to the gregorian calendar", "in the gregorian sense"])
                return "_e % 4 == 0 and (_e % 100 != 0 or _e % 400 == 0)"
            }
            if p.anyPhrase(["perfect square", "square number"]) != nil { return "_e >= 0 and math.isqrt(_e) ** 2 == _e" }
            if p.anyPhrase(["power of two", "power of 2"]) != nil { return "_e > 0 and _e & (_e - 1) == 0" }
            if p.anyPhrase(["capital letter", "upper case letter", "upper-case letter", "in upper case", "in uppercase", "all upper case", "upper case",
                            "all uppercase", "all caps", "in capitals"]) != nil { return "_e.isupper()" }
            if p.anyPhrase(["in lower case", "in lowercase", "all lower case", "all lowercase", "lower case"]) != nil { return "_e.islower()" }
            if p.anyPhrase(["multiple of", "multiples of", "divisible by", "evenly divisible by", "exactly divisible by"]) != nil, let k = p.operand() { return "_e % \(k) == 0" }
            if p.anyPhrase(["divisor of", "factor of"]) != nil, let k = p.operand() { return "\(k) % _e == 0" }
            return nil
        }) { return c }
        if let c = comparisonAdjective() { return c }
        return attempt { p -> String? in
            guard p.palindromeWords() || p.anyPhrase(["the same forwards and backwards", "the same backwards"]) != nil else { return nil }
            return "_e == _e[::-1]"
        }
    }

    /// A comparison, as a condition on `_e`: "greater than k", "below zero", "divisible by 3", "between 1 and 9".
    mutating func comparisonAdjective() -> String? {
        if let c = attempt({ p -> String? in
            guard p.anyPhrase(["multiple of", "a multiple of", "divisible by", "evenly divisible by", "exactly divisible by"]) != nil,
                  let k = p.operand() else { return nil }
            return "_e % \(k) == 0"
        }) { return c }
        if let c = attempt({ p -> String? in
            guard p.word("between") != nil, let a = p.operand(), p.word("and") != nil, let b = p.operand() else { return nil }
            p.anyPhrase(["inclusive", "(inclusive)", "both included"])
            return "\(a) <= _e <= \(b)"
        }) { return c }
        if let c = attempt({ p -> String? in
            guard let op = p.anyPhrase(["greater than or equal to", "less than or equal to", "greater than", "larger than", "bigger than",
                                        "more than", "higher than", "less than", "smaller than", "lower than", "fewer than", "at least",
                                        "at most", "no less than", "no more than", "not less than", "not more than", "not greater than",
                                        "equal to", "above", "over", "below", "under", "exactly"]),
                  let k = p.operand() else { return nil }
            return "_e \(CodeSpec.Parser.comparison(op)) \(k)"
        }) { return c }
        if let c = attempt({ p -> String? in
            guard let w = p.word("longer", "shorter"), p.word("than") != nil, let k = p.operand() else { return nil }
            p.word("letters", "characters", "chars")
            return "len(_e) \(w == "longer" ? ">" : "<") \(k)"
        }) { return c }
        return nil
    }

    /// "in non-decreasing order", "in ascending order", "sorted in descending order", "in order".
    mutating func ordering() -> String? {
        attempt { p -> String? in
            p.word("sorted", "arranged", "ordered")
            guard p.word("in") != nil else { return nil }
            p.skip(["a", "an"])
            guard let w = p.word("non-decreasing", "nondecreasing", "ascending", "increasing", "sorted", "order", "non-increasing",
                                 "nonincreasing", "descending", "decreasing", "strictly") else { return nil }
            if w == "order" { return "list(_e) == sorted(_e)" }
            if w == "strictly" {
                guard let v = p.word("increasing", "ascending", "decreasing", "descending"), p.word("order") != nil else { return nil }
                let op = v == "increasing" || v == "ascending" ? "<" : ">"
                return "all(_e[_i] \(op) _e[_i + 1] for _i in range(len(_e) - 1))"
            }
            guard p.word("order") != nil else { return nil }
            let down = ["non-increasing", "nonincreasing", "descending", "decreasing"].contains(w)
            return down ? "list(_e) == sorted(_e, reverse=True)" : "list(_e) == sorted(_e)"
        }
    }
}
