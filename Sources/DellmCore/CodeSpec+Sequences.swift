import Foundation

extension CodeSpec {
    /// What a sequence's noun names: a list's elements, a string's words or characters.
    enum Noun: Equatable {
        case elements(numbers: Bool)
        case words, strings, chars
    }

    /// A noun phrase before its source is known: "odd numbers", "words … that begin with letter".
    struct NounPhrase {
        var noun: Noun?
        var conds: [String] = []
        var maps: [(String, Ty)] = []
        var distinct = false
        var source: Src?
        /// Named with "each" or "every": what follows it ("reversed") is done to each.
        var each = false
        /// "at even positions": a slice of the source.
        var stride: String?
        /// "the two largest": how many, and which end.
        var top: (String, String)?
    }

    /// Where a sequence comes from: a parameter, two lists together, a range, a number's digits.
    struct Src {
        var py: String
        var ty: Ty
        var isRange = false
    }
}

extension CodeSpec.Parser {
    typealias Src = CodeSpec.Src
    typealias NounPhrase = CodeSpec.NounPhrase
    typealias Noun = CodeSpec.Noun

    /// A sequence the words name, its source resolved (or the one parameter that can be meant).
    mutating func seqPhrase() -> Seq? {
        attempt { p -> Seq? in
            guard let np = p.nounPhrase(), let s = p.resolve(np) else { return nil }
            guard let (k, w) = np.top else { return s }
            let key = w == "longest" || w == "shortest" ? ", key=len" : ""
            let high = ["largest", "biggest", "highest", "greatest", "longest"].contains(w)
            let top = Seq(source: "sorted(\(s.list)\(key))[\(high ? "-\(k):" : ":\(k)")]", elem: s.outElem, sourceIsList: true)
            p.lastSeq = top
            return top
        }
    }

    /// "the squares of the even numbers in nums", "each word of the list words", "vowels in s".
    mutating func nounPhrase() -> NounPhrase? {
        let each = peek == .word("each") || peek == .word("every")
        skip(["the", "all", "every", "each", "its", "their", "only", "just", "any"])
        if word("of") != nil { skip(["the", "its", "their"]) } // "all of the numbers"
        // A map noun: "the squares of X", "the length of each word in words".
        if let np = attempt({ p -> NounPhrase? in
            guard let (f, ty) = p.mapNoun(), p.word("of", "for", "in") != nil, var inner = p.nounPhrase() else { return nil }
            inner.maps.insert((f, ty), at: 0)
            return inner
        }) { return np }
        var np = NounPhrase()
        np.each = each
        while let a = attempt({ p in p.adjectiveWord() }) {
            if a == "distinct" { np.distinct = true } else if a != "True" { np.conds.append(a) }
        }
        // "the first n multiples of 7": k, 2k, … nk.
        if let np = attempt({ p -> NounPhrase? in
            guard p.word("first") != nil, let n = p.operand(), p.word("multiples") != nil, p.word("of") != nil, let k = p.operand() else { return nil }
            var np = NounPhrase()
            np.noun = .elements(numbers: true)
            np.source = Src(py: "range(\(k), \(k) * \(n) + 1, \(k))", ty: .list(.num), isRange: true)
            return np
        }) { return np }
        // "the first n odd numbers", "the first k positive integers": numbers made, not read from a parameter.
        if let np = attempt({ p -> NounPhrase? in
            guard p.word("first") != nil, let k = p.operand() else { return nil }
            let kind = p.word("odd", "even", "positive", "natural", "whole") ?? "positive"
            guard p.word("numbers", "integers", "whole", "natural") != nil else { return nil }
            p.word("numbers")
            var np = NounPhrase()
            np.noun = .elements(numbers: true)
            let py = kind == "odd" ? "range(1, 2 * \(k), 2)" : kind == "even" ? "range(2, 2 * \(k) + 1, 2)" : "range(1, \(k) + 1)"
            np.source = Src(py: py, ty: .list(.num), isRange: true)
            return np
        }) { return np }
        // "the two largest numbers in nums": the top k of the sequence.
        if let top = attempt({ p -> (String, String)? in
            guard let k = p.operand(), let w = p.word("largest", "biggest", "highest", "greatest", "smallest", "lowest", "longest", "shortest")
            else { return nil }
            return (k, w)
        }) { np.top = top }
        // "the divisors of n", "the factors of n", "the proper divisors of n" (without n itself).
        if let (k, proper) = attempt({ p -> (String, Bool)? in
            let proper = p.word("proper") != nil
            guard p.word("divisors", "factors") != nil, p.word("of") != nil, let k = p.operandValue() else { return nil }
            return (k, proper)
        }) {
            np.noun = .elements(numbers: true)
            np.source = Src(py: proper ? "range(1, \(k))" : "range(1, \(k) + 1)", ty: .list(.num), isRange: true)
            np.conds.append("\(k) % _e == 0")
            postModifiers(&np)
            return np
        }
        if let (noun, cond) = attempt({ p -> (Noun, String?)? in
            // "multiples of 3", "the multiples of k"
            guard p.word("multiples", "multiple") != nil, p.word("of") != nil, let k = p.operand() else { return nil }
            return (.elements(numbers: true), "_e % \(k) == 0")
        }) ?? attempt({ p in p.collectionNoun() }) {
            np.noun = noun
            if let cond { np.conds.append(cond) }
        } else {
            guard np.conds.isEmpty, !np.distinct, let s = attempt({ p in p.source() }) else { return nil }
            np.source = s
        }
        postModifiers(&np)
        return np
    }

    /// What follows a noun: its source ("in nums"), a range ("from 1 to n"), relative clauses ("that are
    /// greater than k"), and element maps (", in upper case").
    mutating func postModifiers(_ np: inout NounPhrase) {
        while true {
            // "the prices in the list" with a parameter prices: the list is that parameter.
            if let s = np.source, !s.isRange, attempt({ p -> Bool? in
                guard p.word("in", "of", "from") != nil else { return nil }
                p.skip(["the", "this", "that", "given", "input"])
                if let q = p.param() { return q.name == s.py ? true : nil } // "the words in words"
                guard let k = p.word("list", "array", "string", "sentence", "text") else { return nil }
                guard (k == "list" || k == "array") == s.ty.isList else { return nil }
                if case .param(let n)? = p.peek { guard n == s.py else { return nil }; p.pos += 1 } // "from the list words"
                return true
            }) != nil { continue }
            if np.stride == nil, let st = attempt({ p -> String? in
                guard p.word("at", "in") != nil, let w = p.word("even", "odd"),
                      p.word("positions", "indices", "indexes", "places", "index", "position") != nil else { return nil }
                // "(0, 2, 4, ...)": the positions meant, counted from 0.
                _ = p.attempt { q -> Bool? in
                    guard q.word("(") != nil else { return nil }
                    var ns: [String] = []
                    while let n = q.number() { ns.append(n); q.word(",") }
                    q.word("...", "etc")
                    guard q.word(")") != nil, ns.first == (w == "even" ? "0" : "1") else { return nil }
                    return true
                }
                return w == "even" ? "[::2]" : "[1::2]"
            }) { np.stride = st; continue }
            if np.source == nil, let r = attempt({ p in p.range() }) { np.source = r; continue }
            if np.source == nil, let w = attempt({ p -> Src? in
                // "the letters in the longest word of sentence": a string an aggregate gives.
                guard p.word("in", "of") != nil, let e = p.aggregate(), e.ty == .str else { return nil }
                return Src(py: e.py, ty: .str)
            }) { np.source = w; continue }
            if np.source == nil, let both = attempt({ p in p.inBoth() }) { np.source = both; continue }
            if np.source == nil, let s = attempt({ p -> Src? in
                guard p.anyPhrase(["in", "of", "from", "among", "within", "inside", "across", "for", "found in", "contained in", "out of",
                                   "present in", "appearing in", "that appear in", "that are in", "stored in", "given in", "listed in",
                                   "that occur in", "occurring in"]) != nil else { return nil }
                return p.source()
            }) { np.source = s; continue }

            if np.source == nil, let both = attempt({ p in p.inBoth() }) { np.source = both; continue }
            if let c = attempt({ p in p.relative() }) { np.conds.append(c); continue }
            if let m = attempt({ p in p.elementMap() }) { np.maps.append(m); continue }
            if np.each, attempt({ p in p.anyPhrase(["reversed", "backwards", "spelled backwards", "in reverse"]) }) != nil {
                np.maps.append(("_e[::-1]", .str))
                continue
            }
            if attempt({ p -> Bool? in p.word(","); return CodeSpec.Parser.orderKept(&p) ? true : nil }) != nil { continue }
            // "consonant letters (letters that are not a, e, i, o, u)": the definition the condition already is.
            if np.conds.contains(where: { $0.contains("not in 'aeiou'") }), attempt({ p -> Bool? in
                guard p.word("(") != nil else { return nil }
                p.word("letters", "characters", "that", "which")
                p.word("that", "which")
                guard p.word("are", "is") != nil, p.word("not") != nil, p.vowelList() != nil, p.word(")") != nil else { return nil }
                return true
            }) != nil { continue }
            return
        }
    }

    static func orderKept(_ p: inout CodeSpec.Parser) -> Bool {
        p.anyPhrase(["in order", "in the same order", "in their order", "in their original order", "keeping their order",
                     "in the order they appear", "in the order they first appear", "in the order they appear in it", "as a list",
                     "keeping the first occurrence order", "keeping the order of first occurrence", "keeping the first occurrences",
                     "in order of first appearance", "in order of first occurrence", "keeping the original order", "in a list",
                     "in a new list", "as a new list"]) != nil
    }

    /// "that appear in both lists a and b": the elements of a that b has too.
    mutating func inBoth() -> Src? {
        word("that", "which")
        guard word("appear", "occur", "are", "exist") != nil, word("in") != nil, word("both") != nil else { return nil }
        word("lists", "strings")
        guard let a = param(), word("and") != nil, let b = param() else { return nil }
        return Src(py: "[_x for _x in \(a.name) if _x in \(b.name)]", ty: a.kind)
    }

    /// The sequence a noun phrase names, from its source or the only parameter it can be.
    mutating func resolve(_ np: NounPhrase) -> Seq? {
        guard var src = np.source ?? implicitSource(for: np.noun) else { return nil }
        if let st = np.stride { src.py = "\(src.py)\(st)" }
        var seq: Seq
        switch (np.noun, src.ty) {
        case (nil, .list(let e)), (.elements?, .list(let e)), (.strings?, .list(let e)), (.words?, .list(let e)):
            seq = Seq(source: src.py, elem: e, sourceIsList: !src.isRange)
            if src.isRange { seq.elem = .num }
        case (nil, .str), (.chars?, .str):
            seq = Seq(source: src.py, elem: .str)
        case (.words?, .str):
            seq = Seq(source: "\(src.py).split()", elem: .str, sourceIsList: true)
        case (.chars?, .list):
            seq = Seq(source: "''.join(\(src.py))", elem: .str)
        case (.chars?, .num) where np.conds.contains("_e.isdigit()"):
            // A number's digits: "the sum of the digits of n", "how many digits n has", "the odd digits of n".
            let others = np.conds.filter { $0 != "_e.isdigit()" }
            if others.isEmpty {
                seq = Seq(source: "str(abs(\(src.py)))", elem: .num, map: "int(_e)", mapTy: .num)
            } else {
                seq = Seq(source: "[int(_d) for _d in str(abs(\(src.py)))]", elem: .num, sourceIsList: true)
                seq.conds = others
                for (f, ty) in np.maps { seq.mapped(f, ty) }
                seq.distinct = np.distinct
                lastSeq = seq
                return seq
            }
            seq.conds = []
            for (f, ty) in np.maps { seq.mapped(f, ty) }
            seq.distinct = np.distinct
            lastSeq = seq
            return seq
        case (.elements(numbers: true)?, .num) where src.isRange:
            seq = Seq(source: src.py, elem: .num)
        default:
            return nil
        }
        seq.conds = np.conds
        for (f, ty) in np.maps { seq.mapped(f, ty) }
        seq.distinct = np.distinct
        lastSeq = seq
        return seq
    }

    /// The one parameter a noun without a source can mean ("the numbers": the one list).
    func implicitSource(for noun: Noun?) -> Src? {
        let candidates: [CodeSpec.Param]
        switch noun {
        case .words?, .chars?: candidates = params.filter { $0.kind == .str }.isEmpty ? params.filter { $0.kind.isList } : params.filter { $0.kind == .str }
        case .elements?, .strings?: candidates = params.filter { $0.kind.isList }
        case nil: candidates = []
        }
        guard candidates.count == 1 else { return nil }
        return Src(py: candidates[0].name, ty: candidates[0].kind)
    }

    /// A source: a parameter with the words that name it ("the list nums", "the positive integer n"), two
    /// lists ("the lists a and b"), or a kind alone when one parameter is of it ("the list").
    mutating func source() -> Src? {
        if let two = attempt({ p -> Src? in
            p.skip(["the", "both", "given", "two"])
            p.word("lists", "strings")
            guard let a = p.param(), a.kind.isList, p.word("and") != nil, let b = p.param(), b.kind.isList else { return nil }
            return Src(py: "\(a.name) + \(b.name)", ty: a.kind)
        }) { return two }
        // "them", "it": the one collection the function takes.
        if let s = attempt({ p -> Src? in
            guard p.word("them", "it", "those", "these") != nil else { return nil }
            let c = p.params.filter { $0.kind.isList || $0.kind == .str }
            return c.count == 1 ? Src(py: c[0].name, ty: c[0].kind) : nil
        }) { return s }
        return attempt { p -> Src? in
            // "all the strings of the list words": the list's elements are the source.
            _ = p.attempt { q -> Bool? in
                q.skip(["all", "the", "each", "every"])
                guard q.word("strings", "elements", "items", "words", "numbers", "values") != nil, q.word("of", "in") != nil else { return nil }
                return true
            }
            var kinds: Set<String> = []
            let prefix: Set<String> = ["the", "a", "an", "given", "input", "original", "list", "lists", "string", "sentence", "text", "word",
                                       "integer", "positive", "non-negative", "nonnegative", "whole", "number", "array", "lowercase",
                                       "lower-case", "uppercase", "decimal", "this", "python", "same", "entire", "whole"]
            while let t = p.peek, case .word(let w) = t, prefix.contains(w) {
                p.pos += 1
                if ["list", "lists", "array"].contains(w) { kinds.insert("list") }
                if ["string", "sentence", "text", "word"].contains(w) { kinds.insert("str") }
                if ["integer", "number"].contains(w) { kinds.insert("num") }
                // "a list of numbers nums", "the list of strings words"
                // "a list of words" with a parameter words: that parameter.
                if w == "list", p.word("of") != nil {
                    if case .param? = p.peek { break }
                    guard p.word("numbers", "integers", "strings", "words", "values", "names") != nil else { return nil }
                }
            }
            if let q = p.param() { return Src(py: q.name, ty: q.kind) }
            // A kind alone: "the list", "the sentence".
            let want: [CodeSpec.Param]
            if kinds == ["list"] { want = p.params.filter { $0.kind.isList } }
            else if kinds == ["str"] { want = p.params.filter { $0.kind == .str } }
            else if kinds == ["num"] { want = p.params.filter { $0.kind == .num } }
            else { return nil }
            guard want.count == 1 else { return nil }
            // What the task says of it, which the code needs not check: "with an odd number of elements".
            _ = p.attempt { q -> Bool? in
                guard q.word("with", "that", "which") != nil else { return nil }
                q.word("has", "is", "contains")
                guard q.anyPhrase(["an odd number of elements", "an odd number of items", "an odd length", "at least one element",
                                   "at least one number", "at least one item", "not empty", "no duplicates", "at least two elements",
                                   "at least two distinct values", "at least two numbers"]) != nil else { return nil }
                return true
            }
            return Src(py: want[0].name, ty: want[0].kind)
        }
    }

    /// "from 1 to n", "between 1 and n", "up to n" (from 1), "1 through n": the integers, both ends in.
    mutating func range() -> Src? {
        if let r = attempt({ p -> Src? in
            guard p.word("from", "between") != nil, let a = p.operand(), p.word("to", "and", "through", "up") != nil else { return nil }
            p.word("to")
            guard let b = p.operand() else { return nil }
            p.anyPhrase(["inclusive", "both included", "including both", "(inclusive)", "included"])
            if p.word("(") != nil { guard p.word("inclusive") != nil, p.word(")") != nil else { return nil } }
            return Src(py: "range(\(a), \(b) + 1)", ty: .list(.num), isRange: true)
        }) { return r }
        return attempt { p -> Src? in
            guard p.anyPhrase(["up to", "up to and including"]) != nil, let b = p.operand() else { return nil }
            return Src(py: "range(1, \(b) + 1)", ty: .list(.num), isRange: true)
        }
    }

    /// A noun that names elements, and the condition it puts on them ("vowels": a vowel).
    mutating func collectionNoun() -> (Noun, String?)? {
        // A parameter named like the noun, used as the noun: "the even numbers out of numbers".
        if case .param(let n)? = peek, case .word(let next)? = peek(1),
           ["in", "of", "from", "out", "that", "which", "among", "inside", "within", "found", "contained", "whose"].contains(next) {
            let nouns: [String: Noun] = ["numbers": .elements(numbers: true), "values": .elements(numbers: false), "items": .elements(numbers: false),
                                         "elements": .elements(numbers: false), "integers": .elements(numbers: true), "words": .words,
                                         "strings": .strings, "names": .strings, "characters": .chars, "chars": .chars]
            if let noun = nouns[n.lowercased()] { pos += 1; return (noun, nil) }
        }
        // "the first n positive integers": a range.
        if let w = word("numbers", "number", "values", "value", "elements", "element", "items", "item", "integers", "integer",
                        "entries", "entry", "ints", "things", "scores", "prices", "ages", "marks", "grades", "temperatures") {
            return (.elements(numbers: ["numbers", "number", "integers", "integer", "ints"].contains(w)), nil)
        }
        if word("words", "word") != nil { return (.words, nil) }
        if word("zeros", "zeroes") != nil { return (.elements(numbers: true), "_e == 0") }
        if word("strings", "string", "names", "name") != nil { return (.strings, nil) }
        if word("characters", "character", "chars", "char", "symbols") != nil { return (.chars, nil) }
        if let c = charClass() { return (.chars, c) }
        return nil
    }

    /// A class of characters, as the condition on `_e` that picks it: "vowels", "lower-case vowels a, e,
    /// i, o and u", "consonants", "digits", "spaces", "upper-case letters", "letters".
    mutating func charClass() -> String? {
        attempt { p -> String? in
            var lowerOnly = false
            if p.word("lower-case", "lowercase") != nil, p.attempt({ q in q.word("vowels", "vowel") }) != nil {
                lowerOnly = true
            } else if p.word("vowels", "vowel") == nil {
                if p.word("consonants", "consonant") != nil {
                    p.word("letters", "letter")
                    _ = p.attempt { q -> Bool? in
                        guard q.word("(") != nil, q.phrase("letters that are not") || q.phrase("that is not") || q.phrase("not"),
                              q.vowelList() != nil, q.word(")") != nil else { return nil }
                        return true
                    }
                    return "_e.isalpha() and _e.lower() not in 'aeiou'"
                }
                if p.anyPhrase(["numeric digits", "numeric characters", "digit characters", "numerals", "digits", "digit"]) != nil { return "_e.isdigit()" }
                if p.word("spaces", "space") != nil { return "_e == ' '" }
                if p.anyPhrase(["whitespace characters", "whitespace"]) != nil { return "_e.isspace()" }
                if p.anyPhrase(["punctuation marks", "punctuation characters", "punctuation"]) != nil { return "_e in '.,;:!?\\'\"-()'" }
                if p.anyPhrase(["upper-case letters", "uppercase letters", "upper case letters", "capital letters", "capitals",
                                "uppercase characters", "upper-case characters", "uppercase letter", "capital letter"]) != nil { return "_e.isupper()" }
                if p.anyPhrase(["lower-case letters", "lowercase letters", "lower case letters", "small letters", "lowercase characters",
                                "lower-case characters", "lowercase letter"]) != nil { return "_e.islower()" }
                if p.anyPhrase(["letters", "letter", "alphabetic characters"]) != nil { return "_e.isalpha()" }
                // A named character, counted or removed: "full stops", "commas", "question marks".
                let named = ["full stops": "'.'", "full stop": "'.'", "periods": "'.'", "dots": "'.'", "commas": "','",
                             "question marks": "'?'", "exclamation marks": "'!'", "exclamation points": "'!'", "hyphens": "'-'",
                             "dashes": "'-'", "underscores": "'_'", "semicolons": "';'", "colons": "':'", "newlines": "'\\n'",
                             "tabs": "'\\t'", "slashes": "'/'", "asterisks": "'*'", "apostrophes": "\"'\"", "hashes": "'#'"]
                if let w = p.anyPhrase(Array(named.keys)) { return "_e == \(named[w]!)" }
                return nil
            }
            // The vowels, listed or not: "(a, e, i, o, u)", "a, e, i, o and u", ", in either case".
            var listed = false
            if p.attempt({ q -> Bool? in
                let paren = q.word("(") != nil
                guard q.vowelList() != nil else { return nil }
                if q.attempt({ r -> Bool? in r.word(","); return r.anyPhrase(["in either case", "upper or lower case", "either case"]) != nil ? true : nil }) != nil {
                    lowerOnly = false
                    listed = false
                } else { listed = true }
                if paren { guard q.word(")") != nil else { return nil } }
                return true
            }) != nil, listed { lowerOnly = true }
            if p.attempt({ q -> Bool? in q.word(","); return q.anyPhrase(["in either case", "upper or lower case", "of either case"]) != nil ? true : nil }) != nil {
                lowerOnly = false
            }
            return lowerOnly ? "_e in 'aeiou'" : "_e in 'aeiouAEIOU'"
        }
    }

    /// "a, e, i, o and u" (commas, "and", "or" between).
    mutating func vowelList() -> Bool? {
        var seen: [String] = []
        while true {
            let t = peek
            if case .word(let w)? = t, ["a", "e", "i", "o", "u", "y"].contains(w) { seen.append(w); pos += 1 }
            else if case .literal(let l)? = t, ["'a'", "'e'", "'i'", "'o'", "'u'"].contains(l) { seen.append(l); pos += 1 }
            else if case .param(let n)? = t, ["a", "e", "i", "o", "u"].contains(n) { seen.append(n); pos += 1 }
            else { break }
            if word(",") != nil { word("and", "or"); continue }
            if word("and", "or") != nil { continue }
            break
        }
        return seen.count >= 5 ? true : nil
    }

    /// An adjective before a noun, as a condition on `_e` ("even", "positive"), or "distinct".
    mutating func adjectiveWord() -> String? {
        guard let w = word("even", "odd", "positive", "negative", "non-negative", "nonnegative", "non-zero", "nonzero", "non-positive",
                           "prime", "distinct", "unique", "different", "uppercase", "upper-case", "lowercase", "lower-case",
                           "capital", "vowel", "consonant", "whole", "natural", "decimal") else { return nil }
        switch w {
        case "even": return "_e % 2 == 0"
        case "odd": return "_e % 2 != 0"
        case "positive": return "_e > 0"
        case "negative": return "_e < 0"
        case "non-negative", "nonnegative": return "_e >= 0"
        case "non-zero", "nonzero": return "_e != 0"
        case "non-positive": return "_e <= 0"
        case "prime": return CodeSpec.Parser.prime
        case "distinct", "unique", "different": return "distinct"
        case "uppercase", "upper-case", "capital": return "_e.isupper()"
        case "lowercase", "lower-case": return "_e.islower()"
        case "vowel": return "_e in 'aeiouAEIOU'"
        case "consonant": return "_e.isalpha() and _e.lower() not in 'aeiou'"
        default: return "True" // "whole numbers", "natural numbers": what a range holds
        }
    }

    static let prime = "_e > 1 and all(_e % _d for _d in range(2, int(_e ** 0.5) + 1))"

    /// A relative clause on a noun, as a condition on `_e`: "that are greater than k", "that begin with
    /// letter", "with more than k letters", "below zero".
    mutating func relative() -> String? {
        attempt { p -> String? in
            p.word(",")
            let that = p.word("that", "which", "who") != nil
            let be = p.word("are", "is") != nil
            // "numbers … is even" is a predicate's verb, not a clause of the noun: the clause needs "that".
            if be && !that { return nil }
            if that, let c = p.attempt({ q -> String? in
                // "that are not empty", "that are written entirely in upper case", "that are completely lower case".
                let not = be && q.word("not") != nil
                if be { q.word("written", "spelled", "spelt", "typed") }
                q.word("entirely", "completely", "fully", "wholly")
                return q.adjective().map { not ? "not (\($0))" : $0 }
            }) { return c }
            // Without "that": a comparison only ("the numbers greater than k", "values below zero").
            if !that, let c = p.attempt({ q in q.comparisonAdjective() }) { return c }
            if let c = p.attempt({ q -> String? in
                guard let v = q.word("start", "starts", "begin", "begins", "starting", "beginning", "end", "ends", "ending") else { return nil }
                guard q.word("with") != nil else { return nil }
                let starts = !v.hasPrefix("end")
                if q.anyPhrase(["a vowel"]) != nil { return starts ? "_e[:1] in 'aeiouAEIOU'" : "_e[-1:] in 'aeiouAEIOU'" }
                if q.anyPhrase(["a capital letter", "an uppercase letter", "an upper-case letter", "a capital"]) != nil { return starts ? "_e[:1].isupper()" : "_e[-1:].isupper()" }
                if q.anyPhrase(["a digit", "a number"]) != nil { return starts ? "_e[:1].isdigit()" : "_e[-1:].isdigit()" }
                guard let x = q.operand() else { return nil }
                // "start with 'a' or 'A'": either.
                var xs = [x]
                while let y = q.attempt({ r -> String? in r.word(","); guard r.word("or") != nil else { return nil }; return r.operand() }) { xs.append(y) }
                let arg = xs.count == 1 ? x : "(" + xs.joined(separator: ", ") + ")"
                return starts ? "_e.startswith(\(arg))" : "_e.endswith(\(arg))"
            }) { return c }
            if let c = p.attempt({ q -> String? in
                q.word("have", "has", "with", "having", "of", "contain", "contains", "containing")
                guard let op = q.anyPhrase(["more than", "fewer than", "less than", "at least", "at most", "exactly", "over", "under"]),
                      let k = q.operand(), q.word("letters", "characters", "chars", "letter", "character") != nil else { return nil }
                return "len(_e) \(CodeSpec.Parser.comparison(op)) \(k)"
            }) { return c }
            if let c = p.attempt({ q -> String? in
                // "whose length is greater than n", "whose length is even"
                guard q.peek == .word("whose") || that, q.word("whose") != nil || q.word("have", "has") != nil else { return nil }
                q.skip(["a", "the"])
                guard q.word("length", "size") != nil, q.word("is", "are") != nil, let c = q.adjective() else { return nil }
                return c.replacingOccurrences(of: "_e", with: "len(_e)")
            }) { return c }
            if let c = p.attempt({ q -> String? in
                guard let w = q.word("longer", "shorter"), q.word("than") != nil, let k = q.operand() else { return nil }
                q.word("letters", "characters", "chars")
                return "len(_e) \(w == "longer" ? ">" : "<") \(k)"
            }) { return c }
            if let c = p.attempt({ q -> String? in
                let verb = that || be ? q.word("contain", "contains", "include", "includes", "have", "has") : q.word("containing", "including")
                guard verb != nil, let x = q.operand() else { return nil }
                return "\(x) in _e"
            }) { return c }
            return nil
        }
    }

    static func comparison(_ op: String) -> String {
        switch op {
        case "more than", "over", "greater than", "larger than", "bigger than", "higher than", "above": return ">"
        case "fewer than", "less than", "under", "smaller than", "lower than", "below": return "<"
        case "at least", "no less than", "greater than or equal to", "not less than": return ">="
        case "at most", "no more than", "less than or equal to", "not more than", "not greater than": return "<="
        default: return "=="
        }
    }

    /// A map noun before "of": "squares", "the length", "absolute values", "first letter".
    mutating func mapNoun() -> (String, Ty)? {
        skip(["the", "a", "an"])
        let nouns: [(String, String, Ty)] = [
            ("squares", "_e ** 2", .num), ("square", "_e ** 2", .num), ("cubes", "_e ** 3", .num), ("cube", "_e ** 3", .num),
            ("doubles", "_e * 2", .num), ("double", "_e * 2", .num), ("halves", "_e / 2", .num), ("half", "_e / 2", .num),
            ("lengths", "len(_e)", .num), ("length", "len(_e)", .num), ("absolute values", "abs(_e)", .num),
            ("absolute value", "abs(_e)", .num), ("first letters", "_e[:1]", .str), ("first letter", "_e[:1]", .str),
            ("first characters", "_e[:1]", .str), ("first character", "_e[:1]", .str), ("last letters", "_e[-1:]", .str),
            ("last letter", "_e[-1:]", .str), ("last characters", "_e[-1:]", .str), ("last character", "_e[-1:]", .str),
            ("negatives", "-_e", .num), ("factorials", "math.factorial(_e)", .num), ("factorial", "math.factorial(_e)", .num), ("square roots", "math.sqrt(_e)", .num), ("square root", "math.sqrt(_e)", .num),
            ("reverses", "_e[::-1]", .str), ("reverse", "_e[::-1]", .str), ("number of characters", "len(_e)", .num),
            ("number of letters", "len(_e)", .num),
        ]
        guard let w = anyPhrase(nouns.map(\.0)), let n = nouns.first(where: { $0.0 == w }) else { return nil }
        return (n.1, n.2)
    }

    /// What each element becomes, after its noun: "in upper case", "squared", "doubled".
    mutating func elementMap() -> (String, Ty)? {
        word(",")
        if anyPhrase(["in upper case", "in uppercase", "in upper-case", "in capital letters", "converted to upper case", "uppercased", "in capitals"]) != nil {
            return ("_e.upper()", .str)
        }
        if anyPhrase(["in lower case", "in lowercase", "in lower-case", "converted to lower case", "lowercased", "in small letters"]) != nil {
            return ("_e.lower()", .str)
        }
        return elementVerb()
    }

    /// "doubled", "squared", "increased by 2", "multiplied by k", "capitalized", "reversed".
    mutating func elementVerb() -> (String, Ty)? {
        if let w = word("doubled", "tripled", "halved", "squared", "cubed", "negated", "capitalized", "capitalised") {
            let f = ["doubled": "_e * 2", "tripled": "_e * 3", "halved": "_e / 2", "squared": "_e ** 2", "cubed": "_e ** 3",
                     "negated": "-_e", "capitalized": "_e.capitalize()", "capitalised": "_e.capitalize()"][w]!
            return (f, w.hasPrefix("capital") ? .str : .num)
        }
        return attempt { p -> (String, Ty)? in
            guard let w = p.anyPhrase(["increased by", "incremented by", "decreased by", "reduced by", "multiplied by", "divided by",
                                       "plus", "minus", "times"]), let k = p.operand() else { return nil }
            let op = ["increased by": "+", "incremented by": "+", "plus": "+", "decreased by": "-", "reduced by": "-", "minus": "-",
                      "multiplied by": "*", "times": "*", "divided by": "/"][w]!
            return ("_e \(op) \(k)", .num)
        }
    }
}
