import Foundation

/// Counts and aggregates over sequences: "how many …", "the sum of …", "the largest …", slices, the most common.
extension CodeSpec.Parser {
    /// The superlatives of "the largest …" and "the smallest …", where both ends are read the same way.
    static let highs = ["largest", "biggest", "greatest", "maximum", "highest"]
    static let lows = ["smallest", "lowest", "minimum"]

    /// "how many …", "the number of …", "the count of …".
    mutating func count() -> Expr? {
        if anyPhrase(["how often"]) != nil { return countBody(often: true) }
        if anyPhrase(["how many"]) != nil { return attempt({ p in p.unitCount() }) ?? countBody() }
        skip(["the"])
        if let e = attempt({ p -> Expr? in
            // "the occurrences of letter in text", "the number of occurrences of x in items"
            p.anyPhrase(["number of", "count of"])
            guard p.word("occurrences", "appearances", "instances") != nil, p.word("of") != nil, let x = p.operand(),
                  p.word("in", "within", "inside") != nil, let s = p.source() else { return nil }
            return Expr(py: "\(s.py).count(\(x))", ty: .num)
        }) { return e }
        guard anyPhrase(["total number of", "number of", "count of", "amount of", "total count of"]) != nil else { return nil }
        if let e = attempt({ p in p.unitCount() }) { return e }
        // "the total number of seconds in the given minutes and seconds": parameters named as units, converted and added.
        if let e = attempt({ p -> Expr? in
            guard let unit = p.convUnit(), p.word("in") != nil else { return nil }
            p.skip(["the", "given"])
            var terms: [String] = []
            repeat {
                guard case .param(let n)? = p.peek, let u = ArithmeticGrammar.Conversion.table.first(where: { $0.names.contains(n.lowercased()) }),
                      let f = CodeSpec.Parser.conversionFormula(from: u.names[0], to: unit) else { return nil }
                p.pos += 1
                terms.append(f.replacingOccurrences(of: "_x", with: n))
            } while p.attempt({ q -> Bool? in
                guard q.word(",", "and") != nil else { return nil }
                q.word("and")
                return true
            }) != nil
            return terms.count >= 1 ? Expr(py: terms.joined(separator: " + "), ty: .num) : nil
        }) { return e }
        return countBody()
    }

    /// What is counted: "times c appears in s", "odd numbers are in nums", "digits the integer n has",
    /// "words of text that have more than k letters".
    mutating func countBody(often: Bool = false) -> Expr? {
        if let e = attempt({ p -> Expr? in
            guard often || p.word("times") != nil, let x = p.operand() else { return nil }
            guard p.anyPhrase(["appears", "occurs", "is found", "shows up", "is present", "appear", "occur", "can be found", "is used"]) != nil
            else { return nil }
            let asWord = p.anyPhrase(["as a word", "as a whole word", "as a separate word", "as one of the words"]) != nil
            guard p.word("in", "inside", "within") != nil, let s = p.source() else { return nil }
            return Expr(py: asWord && s.ty == .str ? "\(s.py).split().count(\(x))" : "\(s.py).count(\(x))", ty: .num)
        }) { return e }
        return attempt { p -> Expr? in
            guard var np = p.nounPhrase() else { return nil }
            // The rest: where they are, and what they are.
            while true {
                if np.source == nil, let s = p.attempt({ q -> Src? in
                    q.anyPhrase(["there are", "are there", "are", "is", "there is"])
                    if let r = q.range() { return r } // "how many multiples of 5 there are between 1 and n"
                    guard q.word("in", "of", "inside", "within") != nil else { return nil }
                    return q.source()
                }) { np.source = s; continue }
                if np.source == nil, let s = p.attempt({ q -> Src? in
                    guard let s = q.source(), q.word("has", "contains", "holds", "have", "includes", "contain") != nil else { return nil }
                    return s
                }) { np.source = s; continue }
                if let c = p.attempt({ q -> String? in
                    guard q.word("are", "is") != nil else { return nil }
                    let not = q.word("not") != nil // "how many strings in strings are not empty"
                    guard let c = q.charClass() ?? q.adjective() else { return nil }
                    return not ? "not (\(c))" : c
                }) { np.conds.append(c); continue }
                if np.source != nil, let c = p.attempt({ q -> String? in
                    // "how many elements of the list a are also in the list b"
                    guard q.word("are", "is", "appear", "occur") != nil else { return nil }
                    q.word("also")
                    guard q.anyPhrase(["in", "found in", "contained in", "present in", "inside"]) != nil, let t = q.source() else { return nil }
                    return "_e in \(t.py)"
                }) { np.conds.append(c); continue }
                if let c = p.attempt({ q in q.relative() }) { np.conds.append(c); continue }
                break
            }
            guard let seq = p.resolve(np) else { return nil }
            if seq.map == nil, seq.conds.isEmpty, seq.source.hasPrefix("str(abs(") { return Expr(py: "len(\(seq.source))", ty: .num) }
            return Expr(py: "len(\(seq.list))", ty: .num)
        }
    }

    /// "the sum of …", "the largest number in …", "the average length of …", "the second largest distinct
    /// value …", "the position of the smallest …", "the difference between the largest and the smallest …".
    mutating func aggregate() -> Expr? {
        skip(["the", "a", "an"])
        if let e = attempt({ p in p.spread() }) { return e }
        if let e = attempt({ p in p.position() }) { return e }
        if let e = attempt({ p in p.slice() }) { return e }
        if let e = attempt({ p -> Expr? in
            // "every second element of items, starting with the first", "every other character of s"
            guard p.word("every") != nil, p.word("second", "other") != nil,
                  p.word("element", "item", "character", "letter", "value", "number", "entry", "char") != nil,
                  p.word("of", "in") != nil, let s = p.source() else { return nil }
            var start = 0
            if let w = p.attempt({ q -> String? in
                q.word(",")
                guard q.word("starting", "beginning") != nil, q.word("with", "from", "at") != nil else { return nil }
                q.skip(["the"])
                return q.word("first", "second")
            }) { start = w == "first" ? 0 : 1 }
            return Expr(py: "\(s.py)[\(start == 0 ? "" : "1")::2]", ty: s.ty)
        }) { return e }
        if let e = attempt({ p -> Expr? in
            // "the element in the middle of items" (the one after the middle when the length is even).
            guard p.word("element", "item", "character", "letter", "value", "entry", "number", "char", "word") != nil, p.word("in", "at") != nil,
                  p.word("the") != nil, p.word("middle", "center", "centre") != nil, p.word("of") != nil, let s = p.source(), s.ty == .str || s.ty.isList
            else { return nil }
            return Expr(py: "\(s.py)[len(\(s.py)) // 2]", ty: s.ty.element)
        }) { return e }
        if let e = attempt({ p -> Expr? in
            // "the character of s at index n", "the element at position k of items"
            guard p.word("character", "element", "item", "letter", "value", "entry", "number", "char") != nil else { return nil }
            var s: Src?
            if p.word("of", "in") != nil { s = p.source() }
            guard p.word("at") != nil, p.word("index", "position") != nil, let k = p.operand() else { return nil }
            if s == nil { guard p.word("of", "in") != nil else { return nil }; s = p.source() }
            guard let s else { return nil }
            return Expr(py: "\(s.py)[\(k)]", ty: s.ty.element)
        }) { return e }
        if let e = attempt({ p -> Expr? in
            // "the second element of items", "the third word of text", "the second to last item"
            guard let w = p.word("second", "third", "fourth", "fifth") else { return nil }
            let index = ["second": 1, "third": 2, "fourth": 3, "fifth": 4][w]!
            let fromEnd = p.anyPhrase(["to last", "last", "from the end", "to the last"]) != nil
            guard let s = p.seqPhrase() else { return nil }
            return Expr(py: "\(s.list)[\(fromEnd ? -(index + 1) : index)]", ty: s.outElem)
        }) { return e }
        if let e = attempt({ p in p.mostCommon() }) { return e }
        if let e = attempt({ p -> Expr? in
            // "the percentage of the numbers in nums that are even": the share that meets the condition.
            guard let w = p.word("percentage", "percent", "proportion", "fraction", "share"), p.word("of") != nil,
                  let s = p.seqPhrase(), !s.conds.isEmpty, s.map == nil else { return nil }
            var all = s
            all.conds = []
            let share = "len(\(s.list)) / len(\(all.list))"
            return Expr(py: w.hasPrefix("percent") ? "\(share) * 100" : share, ty: .num)
        }) { return e }
        if let e = attempt({ p -> Expr? in
            guard p.anyPhrase(["running totals", "running total", "running sums", "running sum", "cumulative sums", "cumulative sum",
                               "cumulative totals", "prefix sums", "partial sums"]) != nil, p.word("of") != nil, let s = p.seqPhrase() else { return nil }
            return Expr(py: "list(itertools.accumulate(\(s.list)))", ty: .list(.num))
        }) { return e }
        if let e = attempt({ p in p.coordinated() }) { return e }
        let second = word("second") != nil
        guard let agg = anyPhrase(["sum", "total", "product", "average", "mean", "arithmetic mean", "median", "largest", "biggest",
                                   "greatest", "maximum", "highest", "max", "smallest", "lowest", "minimum", "min", "least",
                                   "longest", "shortest", "first", "last", "final", "middle", "larger", "bigger", "greater", "higher",
                                   "smaller", "lesser", "lower"]) else { return nil }
        let comparative = ["larger", "bigger", "greater", "higher", "smaller", "lesser", "lower"].contains(agg)
        // "the average (mean) of": a synonym in parentheses.
        _ = attempt { p -> Bool? in
            guard p.word("(") != nil, p.anyPhrase(["mean", "average", "arithmetic mean", "maximum", "minimum", "total", "sum"]) != nil,
                  p.word(")") != nil else { return nil }
            return true
        }
        if second, !(Self.highs + Self.lows + ["least"]).contains(agg) { return nil }
        let distinct = second && word("distinct", "different", "unique") != nil
        // "the sum of a and b": two numbers.
        if comparative || ["sum", "total", "product", "average", "mean", "largest", "biggest", "greatest", "maximum", "smallest", "minimum", "max", "min"].contains(agg),
           let pair = attempt({ p -> (String, String)? in
               guard p.word("of") != nil else { return nil }
               // "the sum of the squares of a and b": each mapped first.
               let map = p.attempt { q -> (String, CodeSpec.Ty)? in
                   guard let m = q.mapNoun(), q.word("of") != nil else { return nil }
                   return m
               }
               p.skip(["the", "two", "three", "four", "numbers", "values", "integers", "given"])
               guard var all = p.scalarList(), all.count >= 2 else { return nil }
               if let (f, _) = map { all = all.map { f.replacingOccurrences(of: "_e", with: $0) } }
               return (all.dropLast().joined(separator: ", "), all.last!)
           }) {
            switch agg {
            case "sum", "total": return Expr(py: "\(pair.0.replacingOccurrences(of: ", ", with: " + ")) + \(pair.1)", ty: .num)
            case "product": return Expr(py: "\(pair.0.replacingOccurrences(of: ", ", with: " * ")) * \(pair.1)", ty: .num)
            case "average", "mean":
                let n = pair.0.split(separator: ",").count + 1
                return Expr(py: "(\(pair.0.replacingOccurrences(of: ", ", with: " + ")) + \(pair.1)) / \(n)", ty: .num)
            case "largest", "biggest", "greatest", "maximum", "max", "larger", "bigger", "greater", "higher": return Expr(py: "max(\(pair.0), \(pair.1))", ty: .num)
            default: return Expr(py: "min(\(pair.0), \(pair.1))", ty: .num)
            }
        }
        if comparative { return nil }
        // "the first letter of each word" is a map, not the first of something.
        if ["first", "last"].contains(agg), attempt({ p -> Bool? in
            p.word("letter", "letters", "character", "characters")
            return p.word("of", "in") != nil && p.word("each", "every") != nil ? true : nil
        }) != nil { return nil }
        guard var seq = attempt({ p -> Seq? in
            // A map noun between: "the average length of the strings", "the largest absolute value among the numbers".
            if let s = p.attempt({ q -> Seq? in
                guard let (f, ty) = q.mapNoun(), q.word("of", "among", "in", "across", "over") != nil, var s = q.seqPhrase() else { return nil }
                s.mapped(f, ty)
                return s
            }) { return s }
            p.word("of", "in", "among")
            // "the sum of the first and the last number in nums": of the two named.
            if let both = p.attempt({ q -> Expr? in q.skip(["the"]); return q.coordinated() }) {
                return Seq(source: both.py, elem: both.ty.element, sourceIsList: true)
            }
            return p.seqPhrase()
        }) else {
            // "the smallest one", "the smallest": the sequence just named.
            guard let last = lastSeq else { return nil }
            word("one", "ones")
            return aggregateValue(agg, of: last, second: second, distinct: distinct)
        }
        if seq.distinct, second { seq.distinct = false }
        return aggregateValue(agg, of: seq, second: second, distinct: distinct)
    }

    /// "the most common element of items", "the value that appears most often in items".
    mutating func mostCommon() -> Expr? {
        var most = true
        if let w = anyPhrase(["most common", "most frequent", "least common", "least frequent"]) {
            most = w.hasPrefix("most")
            guard let s = seqPhrase() else { return nil }
            let l = bind(s.list)
            return Expr(py: "\(most ? "max" : "min")(\(l), key=\(l).count)", ty: s.outElem)
        }
        guard word("element", "value", "item", "number", "word", "character", "letter", "entry", "one") != nil else { return nil }
        word("that", "which")
        guard word("appears", "occurs", "shows") != nil else { return nil }
        word("up")
        guard let w = anyPhrase(["most often", "most frequently", "the most times", "the most", "least often", "least frequently",
                                 "the fewest times", "the least"]) else { return nil }
        most = w.contains("most")
        guard word("in", "among") != nil, let src = source() else { return nil }
        let l = src.ty == .str ? src.py : bind(src.py)
        return Expr(py: "\(most ? "max" : "min")(\(l), key=\(l).count)", ty: src.ty.element)
    }

    /// "the first and the last element of items", "the smallest and largest numbers in nums": both, as a list.
    mutating func coordinated() -> Expr? {
        let aggs = ["first", "last", "smallest", "largest", "minimum", "maximum", "lowest", "highest", "shortest", "longest", "biggest"]
        guard let a = oneOf(aggs), word("and") != nil else { return nil }
        skip(["the"])
        guard let b = oneOf(aggs) else { return nil }
        word("of", "in", "among")
        guard let s = seqPhrase() else { return nil }
        let bound = Seq(source: bind(s.list), elem: s.outElem, sourceIsList: true)
        guard let x = aggregateValue(a, of: bound, second: false, distinct: false),
              let y = aggregateValue(b, of: bound, second: false, distinct: false) else { return nil }
        return Expr(py: "[\(x.py), \(y.py)]", ty: .list(s.outElem))
    }

    /// "the area of a rectangle with the given width and height", "the perimeter of a square whose sides
    /// are side long", "the circumference of a circle with radius r": the formula over the parameters in
    /// the order the function takes them.
    mutating func geometry() -> Expr? {
        skip(["the"])
        if word("length") != nil { guard word("of") != nil else { return nil }; skip(["the", "a"]) } // "the length of the hypotenuse"
        guard let what = word("area", "perimeter", "circumference", "volume", "hypotenuse", "diagonal") else { return nil }
        guard word("of") != nil else { return nil }
        skip(["a", "an", "the"])
        let right = word("right", "right-angled", "right-angle") != nil
        guard let shape = word("rectangle", "square", "circle", "triangle", "cube", "box", "cuboid", "rectangular") else { return nil }
        if shape == "rectangular" { guard word("box", "prism", "solid") != nil else { return nil } }
        if what == "hypotenuse" { guard shape == "triangle" else { return nil } }
        if right { guard shape == "triangle" else { return nil } }
        // The words that name the parameters: "with the given width and height", "whose sides are side long".
        let naming: Set<String> = ["with", "the", "given", "whose", "sides", "side", "are", "is", "long", "of", "radius", "and", "width",
                                   "height", "length", "base", "a", "an", "its", "each", "edge", "edges", "has", "having", "dimensions",
                                   "diameter", "legs", "leg", "whose", "catheti", ","]
        while let t = peek, !atEnd {
            switch t {
            case .word(let w) where naming.contains(w): pos += 1
            case .symbol(","): pos += 1
            case .param: pos += 1
            default: return nil
            }
        }
        let ps = params.map(\.name)
        let formula: String?
        switch (what, shape, ps.count) {
        case ("area", "rectangle", 2): formula = "\(ps[0]) * \(ps[1])"
        case ("area", "square", 1): formula = "\(ps[0]) ** 2"
        case ("area", "triangle", 2): formula = "\(ps[0]) * \(ps[1]) / 2"
        case ("area", "circle", 1): formula = ps[0].lowercased().hasPrefix("d") ? "math.pi * (\(ps[0]) / 2) ** 2" : "math.pi * \(ps[0]) ** 2"
        case ("perimeter", "rectangle", 2): formula = "2 * (\(ps[0]) + \(ps[1]))"
        case ("perimeter", "square", 1): formula = "4 * \(ps[0])"
        case ("perimeter", "triangle", 3): formula = "\(ps[0]) + \(ps[1]) + \(ps[2])"
        case ("circumference", "circle", 1), ("perimeter", "circle", 1):
            formula = ps[0].lowercased().hasPrefix("d") ? "math.pi * \(ps[0])" : "2 * math.pi * \(ps[0])"
        case ("volume", "cube", 1): formula = "\(ps[0]) ** 3"
        case ("hypotenuse", "triangle", 2), ("diagonal", "rectangle", 2): formula = "(\(ps[0]) ** 2 + \(ps[1]) ** 2) ** 0.5"
        case ("diagonal", "square", 1): formula = "\(ps[0]) * 2 ** 0.5"
        case ("volume", "box", 3), ("volume", "cuboid", 3), ("volume", "rectangular", 3): formula = "\(ps[0]) * \(ps[1]) * \(ps[2])"
        default: formula = nil
        }
        return formula.map { Expr(py: $0, ty: .num) }
    }

    /// Numeric parameters listed: "a, b and c", "x and y".
    mutating func scalarList() -> [String]? {
        attempt { p -> [String]? in
            guard let first = p.param(), first.kind == .num else { return nil }
            var names = [first.name]
            while let next = p.attempt({ q -> String? in
                guard q.word(",", "and") != nil else { return nil }
                q.word("and")
                guard let r = q.param(), r.kind == .num else { return nil }
                return r.name
            }) { names.append(next) }
            return names.count >= 2 ? names : nil
        }
    }

    func aggregateValue(_ agg: String, of seq: Seq, second: Bool, distinct: Bool) -> Expr? {
        let l = seq.list
        let elem = seq.outElem
        if second {
            let set = distinct ? "sorted(set(\(l)))" : "sorted(\(l))"
            let largest = Self.highs.contains(agg)
            return Expr(py: "\(set)[\(largest ? "-2" : "1")]", ty: elem)
        }
        switch agg {
        case "sum", "total": return Expr(py: "sum(\(l))", ty: .num)
        case "product": return Expr(py: "math.prod(\(l))", ty: .num)
        case "average", "mean", "arithmetic mean": return Expr(py: "statistics.mean(\(l))", ty: .num)
        case "median": return Expr(py: "statistics.median(\(l))", ty: .num)
        case "largest", "biggest", "greatest", "maximum", "highest", "max": return Expr(py: "max(\(l))", ty: elem)
        case "smallest", "lowest", "minimum", "min", "least": return Expr(py: "min(\(l))", ty: elem)
        case "longest": return Expr(py: "max(\(l), key=len)", ty: elem)
        case "shortest": return Expr(py: "min(\(l), key=len)", ty: elem)
        // The first (last) that meets a condition, or None when none does (the words do not say; an error
        // on most inputs is no answer either).
        case "first": return Expr(py: seq.conds.isEmpty ? "\(l)[0]" : "next(iter(\(l)), None)", ty: elem)
        case "last", "final": return Expr(py: seq.conds.isEmpty ? "\(l)[-1]" : "next(iter(\(l)[::-1]), None)", ty: elem)
        case "middle": return Expr(py: "\(l)[len(\(l)) // 2]", ty: elem)
        default: return nil
        }
    }

    /// "the first n elements of the list items", "the last k characters of s", "the first 3 words of text".
    mutating func slice() -> Expr? {
        if let e = attempt({ p -> Expr? in
            // "the first 10 multiples of n": n, 2n, … 10n.
            guard p.word("first") != nil, let k = p.operand(), p.word("multiples") != nil, p.word("of") != nil, let n = p.operand() else { return nil }
            return Expr(py: "[\(n) * _i for _i in range(1, \(k) + 1)]", ty: .list(.num))
        }) { return e }
        guard let end = word("first", "last"), let k = operand(), let (noun, cond) = collectionNoun(), cond == nil,
              word("of", "in", "from") != nil, let s = source() else { return nil }
        let src = noun == .words && s.ty == .str ? "\(s.py).split()" : s.py
        return Expr(py: end == "first" ? "\(src)[:\(k)]" : "\(src)[-\(k):] if \(k) > 0 else \(src)[:0]", ty: noun == .words ? .list(.str) : s.ty)
    }

    /// "the difference between the largest and the smallest number in nums", "the range of nums".
    mutating func spread() -> Expr? {
        if word("range", "spread") != nil, word("of") != nil, let s = seqPhrase() { return Expr(py: "max(\(s.list)) - min(\(s.list))", ty: .num) }
        guard word("difference") != nil, word("between") != nil else { return nil }
        skip(["the"])
        guard let a = oneOf(Self.highs + Self.lows) else { return nil }
        word("one", "value", "number")
        guard word("and") != nil else { return nil }
        skip(["the"])
        guard oneOf(Self.highs + Self.lows) != nil else { return nil }
        word("in", "of", "among")
        guard let s = seqPhrase() else { return nil }
        let big = Self.highs.contains(a)
        let l = s.list
        return Expr(py: big ? "max(\(l)) - min(\(l))" : "min(\(l)) - max(\(l))", ty: .num)
    }

    /// "the position of the smallest number in nums", "the index of the largest value".
    mutating func position() -> Expr? {
        guard word("position", "index") != nil, word("of") != nil else { return nil }
        skip(["the"])
        if let e = attempt({ p -> Expr? in
            // "the index of the first vowel in word", "the position of the first digit in s"
            guard p.word("first") != nil, let c = p.charClass(), p.word("in", "of") != nil, let s = p.source() else { return nil }
            return Expr(py: "next(_i for _i, _e in enumerate(\(s.py)) if \(c))", ty: .num)
        }) { return e }
        if let agg = oneOf(Self.highs + Self.lows), let s = seqPhrase() {
            let l = s.list
            let big = Self.highs.contains(agg)
            return Expr(py: "\(l).index(\(big ? "max" : "min")(\(l)))", ty: .num)
        }
        // "the index of the first occurrence of x in items", "the position of c in s"
        return attempt { p -> Expr? in
            p.anyPhrase(["first occurrence of", "first appearance of", "first time"])
            guard let x = p.operand(), p.word("in", "within", "inside") != nil, let s = p.source() else { return nil }
            return Expr(py: "\(s.py).index(\(x))", ty: .num)
        }
    }
}
