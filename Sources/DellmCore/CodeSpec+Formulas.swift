import Foundation

/// Formulas: factorial, Fibonacci, gcd and lcm, roots, areas, series, the difference of two numbers.
extension CodeSpec.Parser {
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
            case "absolute value":
                // "the absolute value of x minus y": of the difference, as said aloud.
                if let (op, b) = p.attempt({ q -> (String, String)? in
                    guard let o = q.word("minus", "plus", "-", "+"), let b = q.operandValue() else { return nil }
                    return (o == "minus" || o == "-" ? "-" : "+", b)
                }) { return Expr(py: "abs(\(a) \(op) \(b))", ty: .num) }
                return Expr(py: "abs(\(a))", ty: .num)
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
}
