import Foundation

/// Lists and strings built from a sequence: "a list in which …", "a string in which …", a dictionary of two lists.
extension CodeSpec.Parser {
    /// "a list in which every number of nums is doubled", "a list where 1 is added to every number of
    /// nums", "a new list with the square of each number", "one sorted list with all the elements of
    /// the lists a and b", "a dictionary that maps each key to the value at the same position".
    mutating func listResult() -> Expr? {
        if let e = attempt({ p in p.dictionary() }) { return e }
        skip(["a", "an", "one", "the", "another", "single"])
        word("new")
        let sorted = word("sorted") != nil
        // "a string in which …": the characters, joined.
        guard let container = word("list", "array", "string") else { return nil }
        func done(_ s: Seq) -> Expr {
            let l = s.list
            if container == "string" { return Expr(py: "''.join(\(sorted ? "sorted(\(l))" : l))", ty: .str) }
            return Expr(py: sorted ? "sorted(\(l))" : l, ty: .list(s.outElem))
        }
        if let e = attempt({ p -> Expr? in
            guard p.anyPhrase(["in which", "where", "such that"]) != nil else { return nil }
            if let s = p.attempt({ q -> Seq? in
                guard let k = q.operand(), q.word("is", "gets", "has") != nil else { return nil }
                q.word("been")
                guard let op = q.anyPhrase(["added to", "subtracted from", "taken from"]), var s = q.seqPhrase() else { return nil }
                s.mapped(op == "added to" ? "_e + \(k)" : "_e - \(k)", .num)
                return s
            }) { return done(s) }
            guard var s = p.seqPhrase(), p.word("is", "are", "gets", "get", "has", "have", "appears", "appear", "occurs") != nil else { return nil }
            p.word("been")
            let repeated = p.attempt { q -> (String, CodeSpec.Ty)? in
                // "every character of s appears twice in a row", "each word is repeated 3 times"
                q.word("repeated", "written", "shown", "given")
                if q.word("twice") != nil { q.anyPhrase(["in a row", "one after the other"]); return ("_e * 2", .any) }
                guard let k = q.operand(), q.word("times") != nil else { return nil }
                q.anyPhrase(["in a row", "one after the other"])
                return ("_e * \(k)", .any)
            }
            let replaced = repeated ?? p.attempt { q -> (String, CodeSpec.Ty)? in
                guard q.word("replaced", "changed", "set", "turned") != nil, q.word("by", "with", "to", "into") != nil, let k = q.operand() else { return nil }
                return (k, .any)
            }
            guard let (f, ty) = replaced ?? p.elementVerb() ?? p.elementMap() else { return nil }
            // The others stay as they are: "every negative number of nums is replaced by 0"; it may say so
            // ("and each odd number stays the same").
            if !s.conds.isEmpty {
                _ = p.attempt { q -> Bool? in
                    q.word(",")
                    guard q.word("and", "while") != nil else { return nil }
                    q.skip(["each", "every", "all", "the", "other", "others"])
                    _ = q.nounPhrase()
                    guard q.anyPhrase(["stays the same", "stay the same", "stays unchanged", "stay unchanged", "remains the same",
                                       "remain the same", "remains unchanged", "remain unchanged", "is left as it is", "are left as they are",
                                       "is unchanged", "are unchanged", "is kept", "are kept"]) != nil else { return nil }
                    return true
                }
            }
            if !s.conds.isEmpty, s.map == nil {
                s.map = "\(f) if \(s.conds.joined(separator: " and ")) else _e"
                s.conds = []
                return done(s)
            }
            s.mapped(f, ty)
            return done(s)
        }) { return e }
        return attempt { p -> Expr? in
            if let e = p.attempt({ q -> Expr? in
                // "a new list without the negative numbers of values"
                guard q.word("without", "excluding") != nil else { return nil }
                q.skip(["the", "any", "all"])
                guard let cond = q.removed(), q.word("of", "in", "from") != nil, let s = q.source(), s.ty.isList else { return nil }
                return Expr(py: "[_e for _e in \(s.py) if not (\(cond))]", ty: s.ty)
            }) { return e }
            if let e = p.attempt({ q -> Expr? in
                // "a list with prefix added to the front of each word in words"
                guard q.word("with") != nil, let k = q.operand(),
                      let w = q.anyPhrase(["added to the front of", "added to the start of", "added to the beginning of", "put in front of",
                                           "prepended to", "added to the end of", "appended to", "added at the end of", "added after"]),
                      var s = q.seqPhrase() else { return nil }
                let front = !(w.contains("end") || w.contains("append") || w.contains("after"))
                s.mapped(front ? "\(k) + _e" : "_e + \(k)", .str)
                return done(s)
            }) { return e }
            guard p.anyPhrase(["with", "of", "containing", "that contains", "which contains", "holding", "made of", "made up of", "that holds"]) != nil else { return nil }
            p.skip(["only", "just"])
            if !sorted, let both = p.attempt({ q -> Expr? in q.skip(["the"]); return q.coordinated() }) { return both }
            if !sorted, let cut = p.attempt({ q -> Expr? in q.skip(["the"]); return q.slice() }) { return cut } // "a list of the first 10 multiples of n"
            guard let s = p.seqPhrase() else { return nil }
            return done(s)
        }
    }

    /// "a dictionary that maps each key to the value at the same position": keys and values zipped; "a
    /// dictionary mapping each character of s to the number of times it appears": counts; "… each word in
    /// words to its length": a map.
    mutating func dictionary() -> Expr? {
        skip(["a", "an", "the"])
        guard word("dictionary", "dict", "mapping") != nil else { return nil }
        word("that", "which")
        if let e = attempt({ p -> Expr? in
            guard p.word("maps", "mapping", "map") != nil, p.peek == .word("each") || p.peek == .word("every"), let s = p.seqPhrase(),
                  p.word("to") != nil else { return nil }
            let l = p.bind(s.list)
            if p.anyPhrase(["the number of times it appears", "the number of times it occurs", "how many times it appears",
                            "how many times it occurs", "its count", "its frequency", "the number of its occurrences", "its number of occurrences",
                            "the count of its occurrences", "how often it appears", "how often it occurs"]) != nil {
                p.anyPhrase(["in it", "there"])
                _ = p.attempt { q -> Bool? in
                    guard q.word("in") != nil, q.source() != nil else { return nil }
                    return true
                }
                return Expr(py: "{_k: \(l).count(_k) for _k in \(l)}", ty: .any)
            }
            if p.anyPhrase(["its length", "the length of it", "its number of characters", "its size"]) != nil {
                return Expr(py: "{_k: len(_k) for _k in \(l)}", ty: .any)
            }
            return nil
        }) { return e }
        guard word("maps", "mapping", "map", "pairs") != nil else { return nil }
        skip(["each", "every"])
        guard case .word(let k)? = peek else { return nil }
        pos += 1
        guard word("to", "with") != nil else { return nil }
        skip(["the", "its"])
        guard case .word(let v)? = peek else { return nil }
        pos += 1
        guard anyPhrase(["at the same position", "at the same index", "in the same position", "with the same index", "at that position"]) != nil else { return nil }
        let ks = params.filter { $0.name.lowercased().hasPrefix(k) }, vs = params.filter { $0.name.lowercased().hasPrefix(v) }
        guard ks.count == 1, vs.count == 1 else { return nil }
        return Expr(py: "dict(zip(\(ks[0].name), \(vs[0].name)))", ty: .any)
    }

    /// A sequence as a list: "the numbers in nums that are divisible by 3", "the words of text".
    mutating func seqValue() -> Expr? {
        guard let s = seqPhrase() else { return nil }
        // A string's characters kept as a string ("s without …" goes through the postfix, not here).
        return Expr(py: s.list, ty: .list(s.outElem))
    }
}
