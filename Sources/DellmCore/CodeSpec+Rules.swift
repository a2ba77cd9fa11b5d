import Foundation

extension CodeSpec.Parser {
    // MARK: counts and aggregates

    /// "how many …", "the number of …", "the count of …".
    mutating func count() -> Expr? {
        if anyPhrase(["how often"]) != nil { return countBody(often: true) }
        if anyPhrase(["how many"]) != nil { return countBody() }
        skip(["the"])
        if let e = attempt({ p -> Expr? in
            // "the occurrences of letter in text", "the number of occurrences of x in items"
            p.anyPhrase(["number of", "count of"])
            guard p.word("occurrences", "appearances", "instances") != nil, p.word("of") != nil, let x = p.operand(),
                  p.word("in", "within", "inside") != nil, let s = p.source() else { return nil }
            return Expr(py: "\(s.py).count(\(x))", ty: .num)
        }) { return e }
        guard anyPhrase(["total number of", "number of", "count of", "amount of", "total count of"]) != nil else { return nil }
        // "the number of cents in the given amount of dollars": the one number converted.
        if let e = attempt({ p -> Expr? in
            guard let unit = p.convUnit(), p.word("in") != nil else { return nil }
            p.skip(["the", "given", "a", "an"])
            if p.word("amount", "number", "quantity") != nil { guard p.word("of") != nil else { return nil } }
            guard case .word? = p.peek, let from = p.convUnit(), let f = CodeSpec.Parser.conversionFormula(from: from, to: unit) else { return nil }
            let nums = p.params.filter { $0.kind == .num }
            guard nums.count == 1 else { return nil }
            return Expr(py: f.replacingOccurrences(of: "_x", with: nums[0].name), ty: .num)
        }) { return e }
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
                    if let c = q.charClass() { return c }
                    return q.adjective()
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
                                   "longest", "shortest", "first", "last", "middle", "larger", "bigger", "greater", "higher",
                                   "smaller", "lesser", "lower"]) else { return nil }
        let comparative = ["larger", "bigger", "greater", "higher", "smaller", "lesser", "lower"].contains(agg)
        // "the average (mean) of": a synonym in parentheses.
        _ = attempt { p -> Bool? in
            guard p.word("(") != nil, p.anyPhrase(["mean", "average", "arithmetic mean", "maximum", "minimum", "total", "sum"]) != nil,
                  p.word(")") != nil else { return nil }
            return true
        }
        if second, !["largest", "biggest", "greatest", "maximum", "highest", "smallest", "lowest", "minimum", "least"].contains(agg) { return nil }
        let distinct = second && word("distinct", "different", "unique") != nil
        // "the sum of a and b": two numbers.
        if comparative || ["sum", "total", "product", "average", "mean", "largest", "biggest", "greatest", "maximum", "smallest", "minimum", "max", "min"].contains(agg),
           let pair = attempt({ p -> (String, String)? in
               guard p.word("of") != nil else { return nil }
               p.skip(["the", "two", "three", "four", "numbers", "values", "integers", "given"])
               guard let all = p.scalarList(), all.count >= 2 else { return nil }
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
        guard let what = word("area", "perimeter", "circumference", "volume") else { return nil }
        guard word("of") != nil else { return nil }
        skip(["a", "an", "the"])
        guard let shape = word("rectangle", "square", "circle", "triangle", "cube", "box", "cuboid", "rectangular") else { return nil }
        if shape == "rectangular" { guard word("box", "prism", "solid") != nil else { return nil } }
        // The words that name the parameters: "with the given width and height", "whose sides are side long".
        let naming: Set<String> = ["with", "the", "given", "whose", "sides", "side", "are", "is", "long", "of", "radius", "and", "width",
                                   "height", "length", "base", "a", "an", "its", "each", "edge", "edges", "has", "having", "dimensions",
                                   "diameter", ","]
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
            let largest = ["largest", "biggest", "greatest", "maximum", "highest"].contains(agg)
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
        case "first": return Expr(py: "\(l)[0]", ty: elem)
        case "last": return Expr(py: "\(l)[-1]", ty: elem)
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
        guard let a = word("largest", "biggest", "greatest", "maximum", "highest", "smallest", "lowest", "minimum") else { return nil }
        word("one", "value", "number")
        guard word("and") != nil else { return nil }
        skip(["the"])
        guard word("largest", "biggest", "greatest", "maximum", "highest", "smallest", "lowest", "minimum") != nil else { return nil }
        word("in", "of", "among")
        guard let s = seqPhrase() else { return nil }
        let big = ["largest", "biggest", "greatest", "maximum", "highest"].contains(a)
        let l = s.list
        return Expr(py: big ? "max(\(l)) - min(\(l))" : "min(\(l)) - max(\(l))", ty: .num)
    }

    /// "the position of the smallest number in nums", "the index of the largest value".
    mutating func position() -> Expr? {
        guard word("position", "index") != nil, word("of") != nil else { return nil }
        skip(["the"])
        if let agg = word("largest", "biggest", "greatest", "maximum", "highest", "smallest", "lowest", "minimum"), let s = seqPhrase() {
            let l = s.list
            let big = ["largest", "biggest", "greatest", "maximum", "highest"].contains(agg)
            return Expr(py: "\(l).index(\(big ? "max" : "min")(\(l)))", ty: .num)
        }
        // "the index of the first occurrence of x in items", "the position of c in s"
        return attempt { p -> Expr? in
            p.anyPhrase(["first occurrence of", "first appearance of", "first time"])
            guard let x = p.operand(), p.word("in", "within", "inside") != nil, let s = p.source() else { return nil }
            return Expr(py: "\(s.py).index(\(x))", ty: .num)
        }
    }

    // MARK: formulas

    /// Factorial, Fibonacci, gcd and lcm, squares and roots, multiples, series ("1*1 + 2*2 + ... + n*n").
    mutating func formula() -> Expr? {
        if let e = attempt({ p in p.series() }) { return e }
        if let e = attempt({ p in p.geometry() }) { return e }
        if let e = attempt({ p -> Expr? in
            // "the absolute difference between the numbers a and b", "the difference between a and b"
            p.skip(["the"])
            let absolute = p.word("absolute", "positive") != nil
            guard p.word("difference") != nil, p.word("between", "of") != nil, let a = p.operandValue(), p.word("and") != nil,
                  let b = p.operandValue() else { return nil }
            return Expr(py: absolute ? "abs(\(a) - \(b))" : "\(a) - \(b)", ty: .num)
        }) { return e }
        if let e = attempt({ p -> Expr? in
            // "the length of s", "the size of items": a whole parameter's length.
            p.skip(["the"])
            guard p.word("length", "size") != nil, p.word("of") != nil else { return nil }
            // "the length of the longest word in words": of a value read by the aggregates.
            if let a = p.attempt({ q -> Expr? in
                guard let e = q.aggregate(), e.ty == .str || e.ty == .any || e.ty.isList else { return nil }
                return e
            }) { return Expr(py: "len(\(a.py))", ty: .num) }
            guard let s = p.source(), s.ty == .str || s.ty.isList else { return nil }
            return Expr(py: "len(\(s.py))", ty: .num)
        }) { return e }
        if let e = attempt({ p -> Expr? in
            p.skip(["the"])
            guard let f = p.anyPhrase(["factorial", "greatest common divisor", "greatest common factor", "highest common factor", "gcd",
                                       "least common multiple", "lowest common multiple", "smallest common multiple", "lcm",
                                       "square root", "cube root", "square", "cube", "absolute value", "remainder", "quotient", "integer part"]) else { return nil }
            guard p.word("of", "when") != nil else { return nil }
            // "of two positive integers": the two numbers the function takes.
            if ["greatest common divisor", "greatest common factor", "highest common factor", "gcd", "least common multiple",
                "lowest common multiple", "smallest common multiple", "lcm"].contains(f), let (a, b) = p.attempt({ q -> (String, String)? in
                guard q.word("two") != nil else { return nil }
                q.skip(["positive", "non-negative", "whole", "natural", "given"])
                guard q.word("integers", "numbers") != nil else { return nil }
                let nums = q.params.filter { $0.kind == .num }
                guard nums.count == 2, q.params.count == 2 else { return nil }
                // Their names may follow: "of two positive integers a and b".
                _ = q.attempt { r -> Bool? in
                    guard r.param()?.name == nums[0].name, r.word("and") != nil, r.param()?.name == nums[1].name else { return nil }
                    return true
                }
                return (nums[0].name, nums[1].name)
            }) {
                let gcd = f.contains("divisor") || f.contains("factor") || f == "gcd"
                return Expr(py: gcd ? "math.gcd(\(a), \(b))" : "\(a) * \(b) // math.gcd(\(a), \(b))", ty: .num)
            }
            guard let a = p.operandValue() else { return nil }
            switch f {
            case "factorial": return Expr(py: "math.factorial(\(a))", ty: .num)
            case "square root": return Expr(py: "math.sqrt(\(a))", ty: .num)
            case "cube root": return Expr(py: "\(a) ** (1 / 3)", ty: .num)
            case "square": return Expr(py: "\(a) ** 2", ty: .num)
            case "cube": return Expr(py: "\(a) ** 3", ty: .num)
            case "absolute value": return Expr(py: "abs(\(a))", ty: .num)
            case "integer part": return Expr(py: "int(\(a))", ty: .num)
            case "remainder", "quotient":
                p.word("is")
                guard p.phrase("divided by"), let b = p.operandValue() else { return nil }
                return Expr(py: f == "remainder" ? "\(a) % \(b)" : "\(a) // \(b)", ty: .num)
            default:
                guard p.word("and") != nil, let b = p.operandValue() else { return nil }
                let gcd = f.contains("divisor") || f.contains("factor") || f == "gcd"
                return Expr(py: gcd ? "math.gcd(\(a), \(b))" : "\(a) * \(b) // math.gcd(\(a), \(b))", ty: .num)
            }
        }) { return e }
        if let e = attempt({ p -> Expr? in
            guard let a = p.operandValue(), p.word("factorial", "!") != nil else { return nil }
            return Expr(py: "math.factorial(\(a))", ty: .num)
        }) { return e }
        if let e = attempt({ p in p.fibonacci() }) { return e }
        if let e = attempt({ p -> Expr? in
            // "three times n", "twice n", "half of n", "double n".
            let times: String
            if let w = p.word("twice", "double", "triple", "half", "thrice") {
                times = ["twice": "2 * ", "double": "2 * ", "triple": "3 * ", "thrice": "3 * ", "half": "0.5 * "][w]!
                p.word("of")
            } else {
                guard let k = p.number(), p.word("times") != nil else { return nil }
                times = "\(k) * "
            }
            p.skip(["the"])
            guard let a = p.operandValue() else { return nil }
            return Expr(py: "\(times)\(a)", ty: .num)
        }) { return e }
        return nil
    }

    /// A parameter or number as an operand of a formula ("the integer n", "n", "5").
    mutating func operandValue() -> String? {
        attempt { p -> String? in
            p.skip(["the", "a", "an", "given", "number", "integer", "positive", "non-negative", "value", "two", "numbers", "integers"])
            if let q = p.param() { return q.name }
            return p.number()
        }
    }

    /// "the n-th Fibonacci number (with fib(0) = 0 and fib(1) = 1)".
    mutating func fibonacci() -> Expr? {
        skip(["the"])
        var n: String?
        if case .word(let w)? = peek, let q = params.first(where: { w == "\($0.name.lowercased())th" || w == "\($0.name.lowercased())-th" }) {
            n = q.name
            pos += 1
        } else if let q = param(), word("th", "-th") != nil {
            n = q.name
        }
        guard let n, word("fibonacci") != nil, word("number", "term") != nil else { return nil }
        // A stated start must be this one: F(0) = 0, F(1) = 1 (or F(1) = 1, F(2) = 1).
        _ = attempt { p -> Bool? in
            let paren = p.word("(") != nil
            p.word(",")
            p.word("with", "where", "starting", "so")
            p.word("that", "from", "with")
            var stated: [(String, String)] = []
            while let pair = p.attempt({ q -> (String, String)? in
                q.word(",", "and")
                guard case .word? = q.peek else { return nil }
                q.pos += 1
                guard q.word("(") != nil, let i = q.number(), q.word(")") != nil, q.word("=", "is") != nil, let v = q.number() else { return nil }
                return (i, v)
            }) { stated.append(pair) }
            let fib = ["0": "0", "1": "1", "2": "1", "3": "2", "4": "3", "5": "5"]
            guard !stated.isEmpty, stated.allSatisfy({ fib[$0.0] == $0.1 }) else { return nil }
            if paren { guard p.word(")") != nil else { return nil } }
            return true
        }
        return Expr(py: "functools.reduce(lambda _p, _i: (_p[1], _p[0] + _p[1]), range(\(n)), (0, 1))[0]", ty: .num)
    }

    /// "1*1 + 2*2 + ... + n*n", "1**3 + 2**3 + … + n**3", "1 + 2 + ... + n": the sum over 1 … n of the
    /// last term's form, when the first term is that form at 1.
    mutating func series() -> Expr? {
        var terms: [[CodeSpec.Token]] = [[]]
        var dots = false
        while let t = peek {
            if t == .symbol("+") { terms.append([]); pos += 1; continue }
            if t == .symbol("...") { dots = true; pos += 1; continue }
            if case .number = t { terms[terms.count - 1].append(t); pos += 1; continue }
            if case .param = t { terms[terms.count - 1].append(t); pos += 1; continue }
            if case .symbol(let s) = t, ["*", "**", "^", "(", ")"].contains(s) { terms[terms.count - 1].append(t); pos += 1; continue }
            break
        }
        terms.removeAll { $0.isEmpty }
        guard dots, terms.count >= 2, let last = terms.last, let first = terms.first,
              case .param(let n)? = last.first(where: { if case .param = $0 { return true } else { return false } }) else { return nil }
        func python(_ ts: [CodeSpec.Token], _ v: String) -> String {
            ts.map { t -> String in
                switch t {
                case .param: return v
                case .number(let x): return x
                case .symbol("^"): return "**"
                case .symbol(let s): return s
                default: return ""
                }
            }.joined(separator: " ")
        }
        // The first term is the form at 1 (with the parameter's place taken by 1).
        let form = python(last, "_i")
        let atOne = python(last, "1")
        guard python(first, "1") == atOne || first.map({ if case .number(let x) = $0 { return x } else { return "" } }).joined() == "1" && last.count == 1 else { return nil }
        return Expr(py: "sum(\(form) for _i in range(1, \(n) + 1))", ty: .num)
    }

    // MARK: lists

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
            guard p.anyPhrase(["with", "of", "containing", "that contains", "which contains", "holding", "made of", "made up of", "that holds"]) != nil else { return nil }
            p.skip(["only", "just"])
            if !sorted, let both = p.attempt({ q -> Expr? in q.skip(["the"]); return q.coordinated() }) { return both }
            if !sorted, let cut = p.attempt({ q -> Expr? in q.skip(["the"]); return q.slice() }) { return cut } // "a list of the first 10 multiples of n"
            guard let s = p.seqPhrase() else { return nil }
            return done(s)
        }
    }

    /// "a dictionary that maps each key to the value at the same position": keys and values zipped.
    mutating func dictionary() -> Expr? {
        skip(["a", "an", "the"])
        guard word("dictionary", "dict", "mapping") != nil else { return nil }
        word("that", "which")
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

    // MARK: predicates

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
            guard let c = p.adjective() else { return nil }
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
            var cond: String?
            if let c = p.charClass() { cond = c }
            else if let c = p.attempt({ r -> String? in
                var conds: [String] = []
                while let a = r.adjectiveWord(), a != "distinct" { conds.append(a) }
                guard let (_, c) = r.collectionNoun() else { return nil }
                return (conds + (c.map { [$0] } ?? [])).joined(separator: " and ")
            }) { cond = c.isEmpty ? "True" : c }
            guard let cond else { return nil }
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
                                 "upper-case", "lowercase", "lower-case", "sorted") else { return nil }
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
            case "vowel": return "_e in 'aeiouAEIOU'"
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
            if p.anyPhrase(["multiple of", "divisible by", "evenly divisible by", "exactly divisible by"]) != nil, let k = p.operand() { return "_e % \(k) == 0" }
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

    // MARK: conversions

    /// "converts a temperature from degrees Celsius to degrees Fahrenheit", "converts a distance in
    /// kilometers to miles (1 mile = 1.609344 km)".
    mutating func conversion() -> Expr? {
        guard word("converts", "convert", "converting", "turns", "changes") != nil else { return nil }
        let measures = ["temperature", "temperatures", "distance", "distances", "length", "lengths", "weight", "weights", "mass", "duration",
                        "durations", "time", "times", "speed", "volume", "value", "values", "number", "numbers", "amount", "amounts",
                        "measurement", "measurements", "height", "heights", "reading", "readings"]
        // "converts every Celsius temperature in temps to Fahrenheit": each element of a list.
        var each: Src?
        var named: String?
        let x: String
        if word("every", "each", "all") != nil {
            skip(["the", "of"])
            guard let u = convUnit(), oneOf(measures) != nil, word("in", "of", "from") != nil, let s = source(), s.ty.isList else { return nil }
            (x, each) = (u, s)
        } else {
            skip(["a", "an", "the", "given"])
            oneOf(measures)
            word("in", "from", "given", "of")
            if let u = convUnit() { x = u } else {
                named = param()?.name // "converts h hours to seconds"
                guard let u = convUnit() else { return nil }
                x = u
            }
        }
        word("to", "into", "in")
        guard let y = convUnit() else { return nil }
        var factor: String?
        // "(1 mile = 1.609344 km)": the factor the task gives.
        _ = attempt { p -> Bool? in
            guard p.word("(") != nil, let one = p.number(), one == "1", let u = p.convUnit(), p.word("=", "is", "equals") != nil,
                  let k = p.number(), let v = p.convUnit(), p.word(")") != nil else { return nil }
            if u == y && v == x { factor = "_x / \(k)" } else if u == x && v == y { factor = "_x * \(k)" } else { return nil }
            return true
        }
        guard let f = factor ?? CodeSpec.Parser.conversionFormula(from: x, to: y) else { return nil }
        if let each {
            _ = attempt { p -> Bool? in
                p.word(",")
                guard p.word("and") != nil, p.word("returns", "return") != nil else { return nil }
                p.skip(["the", "a", "new", "resulting", "converted"])
                return p.word("list", "them", "result", "values", "temperatures") != nil ? true : nil
            }
            return Expr(py: "[\(f.replacingOccurrences(of: "_x", with: "_e")) for _e in \(each.py)]", ty: .list(.num))
        }
        let nums = params.filter { $0.kind == .num }
        guard let p = named ?? (nums.count == 1 ? nums[0].name : params.count == 1 ? params[0].name : nil) else { return nil }
        return Expr(py: f.replacingOccurrences(of: "_x", with: p), ty: .num)
    }

    /// A conversion between units as a formula over `_x`: temperatures by theirs, the rest by the
    /// conversion table's factors (of one dimension).
    static func conversionFormula(from x: String, to y: String) -> String? {
        let temps: [String: String] = ["c>f": "_x * 9 / 5 + 32", "f>c": "(_x - 32) * 5 / 9", "c>k": "_x + 273.15", "k>c": "_x - 273.15",
                                       "f>k": "(_x - 32) * 5 / 9 + 273.15", "k>f": "(_x - 273.15) * 9 / 5 + 32"]
        if let t = temps["\(x)>\(y)"] { return t }
        guard let a = ArithmeticGrammar.Conversion.table.first(where: { $0.names.contains(x) }),
              let b = ArithmeticGrammar.Conversion.table.first(where: { $0.names.contains(y) }), a.dimension == b.dimension else { return nil }
        return "_x * \(Calculator.format(a.factor)) / \(Calculator.format(b.factor))"
    }

    /// A unit's name as the conversion table has it; temperatures as c, f, k.
    mutating func convUnit() -> String? {
        word("degrees", "degree")
        if word("celsius", "centigrade", "°c") != nil { return "c" }
        if word("fahrenheit", "°f") != nil { return "f" }
        if word("kelvin", "kelvins") != nil { return "k" }
        // A parameter named as a unit ("km") is the unit in "(1 mile = 1.609344 km)".
        let w: String
        switch peek {
        case .word(let x)?: w = x
        case .param(let x)?: w = x.lowercased()
        default: return nil
        }
        guard let u = ArithmeticGrammar.Conversion.table.first(where: { $0.names.contains(w) }) else { return nil }
        pos += 1
        return u.names[0]
    }
}
