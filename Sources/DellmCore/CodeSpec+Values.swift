import Foundation

extension CodeSpec {
    /// A sequence the words name: its source, the conditions its elements meet, what each becomes.
    struct Seq {
        var source: String
        var elem: Ty
        /// Conditions over `_e`.
        var conds: [String] = []
        /// What each element becomes, over `_e`.
        var map: String?
        var mapTy: Ty?
        var distinct = false
        /// Whether `source` is a list as it is (a list parameter), so it can be returned unchanged.
        var sourceIsList = false

        var outElem: Ty { mapTy ?? elem }

        /// The sequence as a Python list.
        var list: String {
            var base: String
            if conds.isEmpty, map == nil {
                base = sourceIsList ? source : "list(\(source))"
            } else {
                base = "[\(map ?? "_e") for _e in \(source)\(conds.isEmpty ? "" : " if " + conds.joined(separator: " and "))]"
            }
            if distinct { base = "list(dict.fromkeys(\(base)))" }
            return base
        }

        mutating func mapped(_ f: String, _ ty: Ty) {
            map = f.replacingOccurrences(of: "_e", with: map.map { "(\($0))" } ?? "_e")
            mapTy = ty
        }
    }
}

extension CodeSpec.Parser {
    typealias Expr = CodeSpec.Expr
    typealias Ty = CodeSpec.Ty
    typealias Seq = CodeSpec.Seq

    // MARK: values and arithmetic

    /// A value: terms joined by arithmetic ("the largest value in values minus the smallest one").
    mutating func value() -> Expr? {
        guard var e = term() else { return nil }
        while let op = attempt({ p -> (String, Expr)? in
            guard let o = p.anyPhrase(["plus", "minus", "times", "multiplied by", "divided by", "+", "-", "*", "/", "added to"]),
                  let r = p.term() else { return nil }
            return (o, r)
        }) {
            let sym = ["plus": "+", "minus": "-", "times": "*", "multiplied by": "*", "divided by": "/", "added to": "+"][op.0] ?? op.0
            e = Expr(py: "\(e.py) \(sym) \(op.1.py)", ty: .num)
        }
        return e
    }

    /// One value with what follows it ("s reversed", "nums sorted from largest to smallest").
    mutating func term() -> Expr? {
        guard var e = primary() else { return nil }
        while let next = attempt({ p in p.postfix(e) }) { e = next }
        return e
    }

    mutating func primary() -> Expr? {
        let rules: [(inout CodeSpec.Parser) -> Expr?] = [
            { $0.count() }, { $0.aggregate() }, { $0.formula() }, { $0.listResult() }, { $0.literalValue() }, { $0.seqValue() },
        ]
        for rule in rules {
            if let e = attempt(rule) { return e }
        }
        return nil
    }

    /// A literal, a number, a builtin applied ("str(n)"), or a parameter as it is ("n itself").
    mutating func literalValue() -> Expr? {
        if case .literal(let s)? = peek { pos += 1; return Expr(py: s, ty: .str) }
        // "(1 + tax)": arithmetic in parentheses, kept together.
        if let e = attempt({ p -> Expr? in
            guard p.word("(") != nil, let v = p.value(), v.py.contains(" "), p.word(")") != nil else { return nil }
            return Expr(py: "(\(v.py))", ty: v.ty)
        }) { return e }
        if let n = number() { return Expr(py: n, ty: .num) }
        if let e = attempt({ p -> Expr? in
            guard let f = p.word("str", "int", "len", "abs", "sorted", "sum", "max", "min"), p.word("(") != nil,
                  let a = p.value(), p.word(")") != nil else { return nil }
            return Expr(py: "\(f)(\(a.py))", ty: f == "str" ? .str : f == "sorted" ? .list(.any) : .num)
        }) { return e }
        return attempt { p -> Expr? in
            p.skip(["the", "its", "their"])
            // "a copy of items", "a new version of s": the value itself (nothing is changed in place).
            _ = p.attempt { q -> Bool? in
                q.skip(["a", "an"])
                q.word("new", "shallow")
                guard q.word("copy", "version") != nil, q.word("of") != nil else { return nil }
                return true
            }
            p.skip(["the", "its", "their"])
            p.skip(["given", "input", "original", "same", "unchanged", "positive", "non-negative", "nonnegative", "whole", "natural"])
            p.skip(["list", "string", "number", "integer", "value", "sentence", "text", "word", "lists", "strings", "numbers", "character",
                    "letter", "char", "year"])
            guard let q = p.param() else { return nil }
            // "the words from the list words …": a noun phrase goes on, which the sequence rules read.
            // ("msg in upper case" is the value, transformed.)
            if case .word(let w)? = p.peek {
                if ["that", "which", "whose", "who"].contains(w) { return nil }
                if ["in", "of", "from"].contains(w) {
                    switch p.peek(1) {
                    case .param?: return nil
                    case .word(let x)? where ["the", "this", "list", "string", "both", "each", "every", "its", "array"].contains(x): return nil
                    default: break
                    }
                }
            }
            p.word("itself", "unchanged")
            p.lastSubject = Expr(py: q.name, ty: q.kind)
            return Expr(py: q.name, ty: q.kind)
        }
    }

    /// A number: a numeral, or a number word ("zero", "three").
    mutating func number() -> String? {
        if case .number(let n)? = peek { pos += 1; return n }
        if case .symbol("-")? = peek, case .number(let n)? = peek(1) { pos += 2; return "-\(n)" }
        let words = ["zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
                     "eight": "8", "nine": "9", "ten": "10", "twelve": "12", "hundred": "100", "a hundred": "100"]
        if let w = anyPhrase(Array(words.keys)) { return words[w] }
        return nil
    }

    /// An operand of a comparison or an operation: a number, a parameter, a literal, a named character.
    mutating func operand() -> String? {
        if let n = number() { return n }
        if case .literal(let s)? = peek { pos += 1; return s }
        return attempt { p -> String? in
            p.skip(["the", "a", "an", "given"])
            p.skip(["number", "value", "integer", "letter", "character", "string", "word", "limit", "threshold", "suffix", "prefix", "char"])
            if let q = p.param() { return q.name }
            return p.character()
        }
    }

    /// A character by name ("a space", "an underscore", "commas") or as a literal.
    mutating func character() -> String? {
        if case .literal(let s)? = peek { pos += 1; return s }
        return attempt { p -> String? in
            p.skip(["a", "an", "the", "single", "one"])
            let names = ["space": "' '", "spaces": "' '", "underscore": "'_'", "underscores": "'_'", "comma": "','", "commas": "','",
                         "hyphen": "'-'", "hyphens": "'-'", "dash": "'-'", "dashes": "'-'", "period": "'.'", "dot": "'.'", "dots": "'.'",
                         "newline": "'\\n'", "new line": "'\\n'", "tab": "'\\t'", "nothing": "''", "empty string": "''", "star": "'*'",
                         "asterisk": "'*'", "slash": "'/'", "colon": "':'", "semicolon": "';'", "plus sign": "'+'", "hash": "'#'",
                         "exclamation mark": "'!'", "exclamation point": "'!'", "question mark": "'?'", "full stop": "'.'",
                         "dollar sign": "'$'", "at sign": "'@'", "percent sign": "'%'", "equals sign": "'='"]
            guard let w = p.anyPhrase(Array(names.keys)) else { return nil }
            p.word("character", "characters", "sign")
            return names[w]
        }
    }

    /// The string parameter whose characters, all of them and unchanged, `e` lists ("list(text)"), or nil.
    func wholeStringCharacters(_ e: Expr) -> String? {
        guard e.ty == .list(.str), e.py.hasPrefix("list("), e.py.hasSuffix(")"),
              let p = params.first(where: { "list(\($0.name))" == e.py }), p.kind == .str else { return nil }
        return p.name
    }

    /// A character named in the plural after a count: "exclamation marks", "question marks", "dashes".
    mutating func pluralCharacter() -> String? {
        let names = ["exclamation marks": "'!'", "exclamation points": "'!'", "question marks": "'?'", "dashes": "'-'", "hyphens": "'-'",
                     "stars": "'*'", "asterisks": "'*'", "dots": "'.'", "periods": "'.'", "spaces": "' '", "underscores": "'_'",
                     "hashes": "'#'", "commas": "','", "zeros": "'0'", "zeroes": "'0'"]
        guard let w = anyPhrase(Array(names.keys)) else { return nil }
        return names[w]
    }

    /// What follows a value: a transformation of it.
    mutating func postfix(_ e: Expr) -> Expr? {
        let isText = e.ty == .str
        word(",")
        if anyPhrase(["reversed", "backwards", "in reverse order", "in reverse", "in reversed order", "the other way round", "spelled backwards",
                      "spelt backwards", "written backwards", "read backwards", "spelled in reverse", "written in reverse", "back to front"]) != nil {
            if isText { return Expr(py: "\(e.py)[::-1]", ty: .str) }
            // "the characters of text in reverse order": all of a string's characters, reordered, are a string.
            if let s = wholeStringCharacters(e) { return Expr(py: "\(s)[::-1]", ty: .str) }
            return Expr(py: "\(e.py)[::-1]", ty: e.ty)
        }
        if anyPhrase(["in upper case", "in uppercase", "in upper-case", "in capital letters", "in capitals", "converted to upper case",
                      "converted to uppercase", "uppercased", "in all caps"]) != nil {
            if isText { return Expr(py: "\(e.py).upper()", ty: .str) }
            if e.ty.isList { return Expr(py: "[_e.upper() for _e in \(e.py)]", ty: .list(.str)) }
            return nil
        }
        if anyPhrase(["in lower case", "in lowercase", "in lower-case", "converted to lower case", "converted to lowercase", "lowercased",
                      "in small letters"]) != nil {
            if isText { return Expr(py: "\(e.py).lower()", ty: .str) }
            if e.ty.isList { return Expr(py: "[_e.lower() for _e in \(e.py)]", ty: .list(.str)) }
            return nil
        }
        if isText, let t = attempt({ p -> Expr? in
            guard p.word("with") != nil, p.titledWords() else { return nil }
            return Expr(py: "' '.join(_w[:1].upper() + _w[1:] for _w in \(e.py).split(' '))", ty: .str)
        }) { return t }
        if let r = attempt({ p in p.removal(from: e) }) { return r }
        // "s padded on the left with spaces to width", "s padded with zeros to length n", "s right-aligned in a field of width w".
        if isText, let r = attempt({ p -> Expr? in
            guard p.word("padded", "filled") != nil else { return nil }
            var side = "left"
            if p.word("on", "at") != nil { p.word("the"); guard let s = p.word("left", "right", "start", "end", "front", "back") else { return nil }; side = s }
            var fill = "' '"
            if p.word("with") != nil {
                if p.word("zeros", "zeroes", "zero") != nil { fill = "'0'" } else { guard let c = p.character() else { return nil }; fill = c }
                p.word("characters")
            }
            if p.word("on", "at") != nil { p.word("the"); guard let s = p.word("left", "right", "start", "end", "front", "back") else { return nil }; side = s }
            guard p.word("to", "up") != nil else { return nil }
            p.word("to")
            p.skip(["a", "the", "given", "total"])
            p.word("width", "length", "size")
            p.word("of")
            guard let w = p.operand() else { return nil }
            p.word("characters")
            let f = ["left", "start", "front"].contains(side) ? "rjust" : "ljust"
            return Expr(py: "\(e.py).\(f)(\(w), \(fill))", ty: .str)
        }) { return r }
        // "x limited to the range from lo to hi", "x clamped between lo and hi".
        if e.ty == .num || e.ty == .any, let r = attempt({ p -> Expr? in
            guard p.word("limited", "clamped", "restricted", "bounded", "constrained", "capped") != nil, p.word("to", "between", "within", "into") != nil else { return nil }
            p.skip(["the", "range", "interval"])
            p.word("from", "between")
            guard let lo = p.operand(), p.word("to", "and") != nil, let hi = p.operand() else { return nil }
            return Expr(py: "max(\(lo), min(\(e.py), \(hi)))", ty: .num)
        }) { return r }
        // "the elements of a followed by the elements of b": one list after the other.
        if e.ty.isList, let r = attempt({ p -> Expr? in
            guard p.word("followed") != nil, p.word("by") != nil, let b = p.term(), b.ty.isList else { return nil }
            return Expr(py: "\(e.py) + \(b.py)", ty: e.ty)
        }) { return r }
        // "s followed by an exclamation mark", "s preceded by a hash", "s with '!' added at the end".
        if isText, let r = attempt({ p -> Expr? in
            if let w = p.word("followed", "preceded", "prefixed", "suffixed") {
                p.word("by", "with")
                // "three exclamation marks", "2 dashes": the character repeated.
                let repeated = p.attempt { q -> String? in
                    guard let n = q.number(), let c = q.pluralCharacter() else { return nil }
                    return "\(c) * \(n)"
                }
                guard let x = repeated ?? p.character() else { return nil }
                return Expr(py: w == "followed" || w == "suffixed" ? "\(e.py) + \(x)" : "\(x) + \(e.py)", ty: .str)
            }
            guard p.word("with") != nil, let x = p.character(), p.word("added", "appended", "put", "placed", "attached") != nil else { return nil }
            p.word("to")
            if p.anyPhrase(["at the end", "to the end", "the end", "on the end", "after it"]) != nil { return Expr(py: "\(e.py) + \(x)", ty: .str) }
            if p.anyPhrase(["at the start", "at the beginning", "to the front", "at the front", "before it", "in front"]) != nil { return Expr(py: "\(x) + \(e.py)", ty: .str) }
            return nil
        }) { return r }
        if let r = attempt({ p in p.replacement(in: e) }) { return r }
        if let r = attempt({ p -> Expr? in
            guard p.word("repeated", "written", "copied", "concatenated") != nil else { return nil }
            if p.word("twice") != nil { p.anyPhrase(["in a row", "one after the other", "back to back"]); return Expr(py: "\(e.py) * 2", ty: e.ty) }
            guard let n = p.operand() else { return nil }
            // "times" after the count, even when a parameter is named times ("word repeated times times").
            if p.word("times") == nil {
                guard case .param(let name)? = p.peek, name.lowercased() == "times" else { return nil }
                p.pos += 1
            }
            p.anyPhrase(["in a row", "one after the other"])
            // ", separated by spaces": the copies joined.
            if e.ty == .str, let sep = p.attempt({ q -> String? in
                q.word(",")
                guard q.word("separated", "joined") != nil else { return nil }
                q.word("by", "with")
                q.skip(["a", "single", "one"])
                return q.character()
            }) { return Expr(py: "\(sep).join([\(e.py)] * \(n))", ty: .str) }
            return Expr(py: "\(e.py) * \(n)", ty: e.ty)
        }) { return r }
        if e.ty.isList || isText, let r = attempt({ p in p.sorting(e) }) { return r }
        if e.ty.isList, let r = attempt({ p -> Expr? in
            guard let v = p.word("joined", "separated", "concatenated", "glued") else { return nil }
            let together = p.word("together") != nil
            if p.word("by", "with", "using") == nil {
                // "joined together", "concatenated": nothing between them.
                guard together || v == "concatenated" else { return nil }
                p.anyPhrase(["into one string", "into a single string", "into a string", "as one string"])
                return Expr(py: "''.join(\(e.py))", ty: .str)
            }
            p.skip(["a", "single", "one"])
            guard let c = p.character() else { return nil }
            return Expr(py: "\(c).join(\(e.py))", ty: .str)
        }) { return r }
        if e.ty.isList || isText, anyPhrase(["with duplicates removed", "without duplicates", "without repeats", "without repetitions",
                                             "with no duplicates", "with repeats removed", "without repeated values", "without repeated items",
                                             "without repeated elements", "without duplicate values", "without duplicate items",
                                             "without duplicate elements", "with duplicate values removed", "with repeated values removed",
                                             "keeping only the first occurrence of each character", "keeping only the first occurrence of each element",
                                             "keeping only the first occurrence of each value", "keeping only the first occurrence of each item",
                                             "keeping only the first occurrence of each letter", "keeping the first occurrence of each character",
                                             "keeping the first occurrence of each element", "with each character kept once",
                                             "with each element kept once"]) != nil {
            return Expr(py: isText ? "''.join(dict.fromkeys(\(e.py)))" : "list(dict.fromkeys(\(e.py)))", ty: e.ty)
        }
        if e.ty == .num || e.ty == .any, let r = attempt({ p -> Expr? in
            guard p.word("rounded", "round") != nil else { return nil }
            if p.anyPhrase(["to the nearest integer", "to the nearest whole number", "to a whole number", "to an integer"]) != nil {
                return Expr(py: "round(\(e.py))", ty: .num)
            }
            guard p.word("to") != nil, let k = p.operand(), p.anyPhrase(["decimal places", "decimal place", "decimals", "digits after the decimal point",
                                                                          "places", "digits"]) != nil else { return nil }
            return Expr(py: "round(\(e.py), \(k))", ty: .num)
        }) { return r }
        if isText, let r = attempt({ p -> Expr? in
            // "with its first character in upper case", "with the first letter capitalized"
            guard p.word("with") != nil else { return nil }
            p.skip(["its", "the"])
            guard p.word("first") != nil, p.word("character", "letter", "char") != nil else { return nil }
            guard p.anyPhrase(["in upper case", "in uppercase", "capitalized", "capitalised", "made upper case", "in capitals",
                               "converted to upper case", "upper case", "uppercase"]) != nil else { return nil }
            return Expr(py: "\(e.py)[:1].upper() + \(e.py)[1:]", ty: .str)
        }) { return r }
        if isText, let r = attempt({ p in p.caseChanges(e) }) { return r }
        if e.ty.isList || isText, let r = attempt({ p -> Expr? in
            // "the digits of n in reverse order as an integer"
            p.word(",")
            guard p.anyPhrase(["as an integer", "as a number", "as an int", "as a whole number"]) != nil else { return nil }
            return Expr(py: isText ? "int(\(e.py))" : "int(''.join(str(_d) for _d in \(e.py)))", ty: .num)
        }) { return r }
        if isText || e.ty.isList, let r = attempt({ p -> Expr? in
            // "with the order of its words reversed", "with its characters in reverse order"
            guard p.word("with") != nil else { return nil }
            p.skip(["the"])
            let order = p.word("order") != nil
            if order { guard p.word("of") != nil else { return nil } }
            p.skip(["its", "the", "all"])
            guard let unit = p.word("words", "characters", "letters", "elements", "items", "values", "numbers") else { return nil }
            guard p.anyPhrase(order ? ["reversed", "inverted", "turned around", "flipped"] : ["in reverse order", "reversed", "in reversed order"]) != nil
            else { return nil }
            if isText, unit == "words" { return Expr(py: "' '.join(\(e.py).split()[::-1])", ty: .str) }
            return Expr(py: "\(e.py)[::-1]", ty: e.ty)
        }) { return r }
        if e.ty == .num || e.ty == .any, let r = attempt({ p -> Expr? in
            guard p.anyPhrase(["as a percentage of", "as a percent of", "as percent of", "in percent of"]) != nil, let k = p.operand() else { return nil }
            return Expr(py: "\(e.py) / \(k) * 100", ty: .num)
        }) { return r }
        if e.ty == .num || e.ty == .any, let r = attempt({ p -> Expr? in
            if p.word("squared") != nil { return Expr(py: "\(e.py) ** 2", ty: .num) }
            if p.word("cubed") != nil { return Expr(py: "\(e.py) ** 3", ty: .num) }
            if p.phrase("multiplied by itself") {
                guard let n = p.attempt({ q -> String? in
                    guard let k = q.number(), q.word("times") != nil else { return nil }
                    return k
                }) else { return Expr(py: "\(e.py) * \(e.py)", ty: .num) }
                return Expr(py: "\(e.py) ** \(n)", ty: .num)
            }
            guard p.anyPhrase(["raised to the power of", "raised to the power", "to the power of", "to the power", "raised to"]) != nil,
                  let b = p.operand() else { return nil }
            return Expr(py: "\(e.py) ** \(b)", ty: .num)
        }) { return r }
        return nil
    }

    /// "with upper-case letters made lower case and lower-case letters made upper case", "with every vowel
    /// in upper case", "with the case of each letter swapped": each character changed by its class.
    mutating func caseChanges(_ e: Expr) -> Expr? {
        guard word("with") != nil else { return nil }
        if anyPhrase(["the case of each letter swapped", "the case of every letter swapped", "the case of each letter switched",
                      "the case of every letter switched", "the case of each letter inverted", "the case of every letter inverted",
                      "its case swapped", "the case swapped", "cases swapped", "the case of each character swapped"]) != nil {
            return Expr(py: "\(e.py).swapcase()", ty: .str)
        }
        var rules: [(String, String)] = []
        repeat {
            skip(["all", "every", "each", "the", "its", "any"])
            guard let cls = charClass() else { return nil }
            word("made", "turned", "changed", "converted", "put", "written")
            word("to", "into", "in")
            let to: String
            if anyPhrase(["upper case", "uppercase", "upper-case", "capitals", "capital letters"]) != nil { to = "_e.upper()" }
            else if anyPhrase(["lower case", "lowercase", "lower-case", "small letters"]) != nil { to = "_e.lower()" }
            else { return nil }
            rules.append((cls, to))
        } while attempt({ p -> Bool? in p.word(","); return p.word("and") != nil ? true : nil }) != nil
        // Each class is read on the original character: the first rule that matches changes it.
        let chain = rules.map { "\($0.1) if \($0.0) else " }.joined() + "_e"
        return Expr(py: "''.join(\(chain) for _e in \(e.py))", ty: .str)
    }

    /// "with the first letter of every word in upper case" (after "with").
    mutating func titledWords() -> Bool {
        attempt { p -> Bool? in
            p.skip(["the"])
            guard p.word("first") != nil, p.word("letter", "character") != nil, p.word("of", "in") != nil,
                  p.word("each", "every", "all") != nil, p.word("word", "words") != nil else { return nil }
            p.word(",")
            guard p.anyPhrase(["in upper case", "in uppercase", "capitalized", "capitalised", "in capitals", "made upper case",
                               "in capital letters", "upper case", "uppercase"]) != nil else { return nil }
            return true
        } ?? false
    }

    /// "its first element", "the last character", "the first k items": a slice that leaves them out of `e`.
    mutating func positional(_ e: String) -> String? {
        attempt { p -> String? in
            p.skip(["its", "the", "their"])
            guard let end = p.word("first", "last") else { return nil }
            let k = p.operand()
            guard p.word("element", "elements", "item", "items", "character", "characters", "letter", "letters", "value", "values",
                         "number", "numbers", "entry", "entries", "one", "char", "chars") != nil else { return nil }
            if let k { return end == "first" ? "\(e)[\(k):]" : "\(e)[:len(\(e)) - \(k)]" }
            return end == "first" ? "\(e)[1:]" : "\(e)[:-1]"
        }
    }

    /// What is removed: "vowels", "negative numbers", "the letter 'a'", as a condition on `_e`.
    mutating func removed() -> String? {
        // "every occurrence of x", "all instances of 'a'": x.
        if anyPhrase(["occurrences of", "occurrence of", "instances of", "instance of", "copies of", "appearances of"]) != nil {
            return operand().map { "_e == \($0)" }
        }
        // "the letter 'a'", "the character c": one character, not a class.
        if let c = attempt({ p -> String? in
            p.skip(["the"])
            guard p.word("letter", "character", "char", "letters", "characters") != nil else { return nil }
            if case .literal(let l)? = p.peek { p.pos += 1; return "_e == \(l)" }
            if let q = p.param() { return "_e == \(q.name)" }
            return nil
        }) { return c }
        if let c = charClass() { return c }
        if word("zeros", "zeroes") != nil { return "_e == 0" }
        if anyPhrase(["empty strings", "blank strings"]) != nil { return "_e == ''" }
        if anyPhrase(["none values", "nones"]) != nil { return "_e is None" }
        // "everything except letters", "all characters but digits": what is kept, said by what is not removed.
        if let c = attempt({ p -> String? in
            guard p.anyPhrase(["everything", "all characters", "every character", "all the characters", "anything", "all chars"]) != nil,
                  p.anyPhrase(["except", "except for", "but", "other than", "apart from"]) != nil else { return nil }
            p.skip(["the"])
            guard let k = p.charClass() else { return nil }
            return "not (\(k))"
        }) { return c }
        if let c = describedElements(needsAdjective: true) { return c }
        return operand().map { "_e == \($0)" }
    }

    /// Adjectives and a noun as one condition on `_e`: "negative numbers", "odd values", "vowels" ("True"
    /// when none of them picks: "numbers"); with `needsAdjective`, a noun alone is not read.
    mutating func describedElements(needsAdjective: Bool) -> String? {
        attempt { p -> String? in
            var conds: [String] = []
            while let a = p.adjectiveWord(), a != "distinct" { conds.append(a) }
            guard !needsAdjective || !conds.isEmpty, let (_, c) = p.collectionNoun() else { return nil }
            let all = conds + (c.map { [$0] } ?? [])
            return all.isEmpty ? "True" : all.joined(separator: " and ")
        }
    }

    /// "without its vowels", "with all spaces removed", "without the letter 'a'", "without its negative numbers".
    mutating func removal(from e: Expr) -> Expr? {
        guard e.ty == .str || e.ty.isList else { return nil }
        if let slice = attempt({ p -> String? in
            if p.word("without") != nil { return p.positional(e.py) }
            guard p.word("with") != nil, let s = p.positional(e.py), p.word("removed", "dropped", "deleted", "left out", "cut off") != nil else { return nil }
            return s
        }) { return Expr(py: slice, ty: e.ty) }
        var cond: String?
        if word("without") != nil {
            skip(["its", "the", "any", "all", "every", "their"])
            cond = removed()
        } else if word("with") != nil {
            skip(["all", "every", "each", "the", "its", "any"])
            cond = removed()
            guard cond != nil, anyPhrase(["removed", "deleted", "dropped", "taken out", "stripped", "stripped out", "left out", "cut out",
                                          "omitted", "taken away"]) != nil else { return nil }
        }
        guard let c = cond else { return nil }
        if e.ty == .str { return Expr(py: "''.join(_e for _e in \(e.py) if not (\(c)))", ty: .str) }
        return Expr(py: "[_e for _e in \(e.py) if not (\(c))]", ty: e.ty)
    }

    /// "with every space replaced by an underscore", "with 'a' replaced with 'b'".
    mutating func replacement(in e: Expr) -> Expr? {
        guard e.ty == .str, word("with") != nil else { return nil }
        skip(["every", "each", "all", "the", "any"])
        guard let a = character() ?? operand(), word("replaced", "changed", "swapped") != nil, word("by", "with", "to", "for") != nil,
              let b = character() ?? operand() else { return nil }
        return Expr(py: "\(e.py).replace(\(a), \(b))", ty: .str)
    }

    /// "sorted", "sorted from largest to smallest", "in ascending order", "sorted alphabetically".
    mutating func sorting(_ e: Expr) -> Expr? {
        var sorted = word("sorted", "ordered", "arranged") != nil
        var reverse = false
        var key = ""
        if let how = anyPhrase(["from largest to smallest", "from biggest to smallest", "from highest to lowest", "in descending order",
                                "in decreasing order", "descending", "from smallest to largest", "from lowest to highest",
                                "in ascending order", "in increasing order", "ascending", "alphabetically", "in alphabetical order",
                                "by length", "from shortest to longest", "from longest to shortest", "in order"]) {
            sorted = true
            reverse = how.contains("largest to") || how.contains("biggest") || how.contains("highest to") || how.contains("desc")
                || how.contains("decreasing") || how.contains("longest to")
            if how.contains("length") || how.contains("shortest") || how.contains("longest") { key = ", key=len" }
        }
        if sorted, key.isEmpty, anyPhrase(["by their length", "by length", "by their lengths", "by the length", "according to their length"]) != nil {
            key = ", key=len"
        }
        if sorted, let first = attempt({ p -> String? in
            p.word(",")
            guard let w = p.word("shortest", "longest", "smallest", "largest", "lowest", "highest", "biggest"), p.word("first") != nil else { return nil }
            return w
        }) { reverse = ["longest", "largest", "highest", "biggest"].contains(first) }
        guard sorted else { return nil }
        // The characters of a string, sorted, are a string too ("the letters of word in alphabetical order").
        let whole = wholeStringCharacters(e)
        let py = "sorted(\(whole ?? e.py)\(key)\(reverse ? ", reverse=True" : ""))"
        return Expr(py: e.ty == .str || whole != nil ? "''.join(\(py))" : py, ty: e.ty == .str || whole != nil ? .str : e.ty)
    }
}
