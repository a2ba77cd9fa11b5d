import Foundation

// MARK: - Sequences

extension ExactTools {
    /// "What comes next in 5, 10, 15, 20?", "Find the missing number: 4, 8, ?, 16", "the 10th term of
    /// 3, 7, 11, 15": a list of terms (a gap marked "?" or "__") fitted by the first of four rules that
    /// fits every known term — a constant difference, a constant ratio, each term the sum of the two
    /// before it, a constant second difference — and the term asked for (the gap, the nth, or the next).
    enum Sequences {
        static let cues = ["next", "sequence", "series", "pattern", "continue", "follow", "missing", "blank", "term", "comes", "come after"]
        typealias Token = ArithmeticGrammar.Token

        static func solve(_ text: String) -> Solution? {
            let lower = text.lowercased()
            let tokens = ArithmeticGrammar.Lexer.tokens(text)
            guard let items = longestList(tokens), items.compactMap({ $0 }).count >= 3 else { return nil }
            let gaps = items.indices.filter { items[$0] == nil }
            // A cue word, a gap, or an nth term asked for ("What is the 8th number?").
            guard gaps.count <= 1, cues.contains(where: { lower.contains($0) }) || !gaps.isEmpty || nthTerm(lower) != nil else { return nil }
            // The term asked for: the gap, else the nth term named, else the next.
            let target: Int
            if let g = gaps.first, g < items.count - 1 { target = g }
            else if let n = nthTerm(lower) { guard n >= 1, n <= 10_000 else { return nil }; target = n - 1 }
            else { target = gaps.first ?? items.count }
            let known = items.enumerated().compactMap { k, v in v.map { (k, $0) } }
            for rule in Rule.allCases {
                guard let term = rule.fit(known) else { continue }
                guard let value = term(target), value.isFinite, Swift.abs(value) < 1e15 else { return nil }
                let v = Calculator.format(value)
                let asked = target == items.count || (target == items.count - 1 && gaps.first == target) ? "the next term" : gaps.first == target ? "the missing term" : "term \(target + 1)"
                return Solution(tool: "sequence", result: v, working: "\(rule.describe(known)); \(asked) is \(v).")
            }
            return nil
        }

        enum Rule: CaseIterable {
            case difference, ratio, sumOfTwo, secondDifference

            /// The rule fitted to the known terms (index, value), as a function of the index, or nil when
            /// it does not fit them all.
            func fit(_ known: [(Int, Double)]) -> ((Int) -> Double?)? {
                func close(_ a: Double, _ b: Double) -> Bool { Swift.abs(a - b) <= 1e-9 * max(1, Swift.abs(a), Swift.abs(b)) }
                func fitsAll(_ f: (Int) -> Double?) -> Bool { known.allSatisfy { k, v in f(k).map { close($0, v) } ?? false } }
                let (i0, v0) = known[0], (i1, v1) = known[1]
                switch self {
                case .difference:
                    let d = (v1 - v0) / Double(i1 - i0)
                    let f: (Int) -> Double? = { v0 + Double($0 - i0) * d }
                    return fitsAll(f) ? f : nil
                case .ratio:
                    // The ratio from the first two neighbouring known terms (a gap may come between others).
                    guard known.count >= 3, !known.contains(where: { $0.1 == 0 }),
                          let p = known.indices.dropLast().first(where: { known[$0 + 1].0 - known[$0].0 == 1 }) else { return nil }
                    let (ia, va) = known[p], r = known[p + 1].1 / va
                    let f: (Int) -> Double? = { va * pow(r, Double($0 - ia)) }
                    return fitsAll(f) ? f : nil
                case .sumOfTwo:
                    guard known.count >= 4 else { return nil }
                    var t: [Int: Double] = Dictionary(uniqueKeysWithValues: known)
                    let last = known.last!.0
                    // Fill a gap from its neighbours, then check every term from the third on.
                    for k in 0...last where t[k] == nil {
                        if let a = t[k - 1], let b = t[k - 2] { t[k] = a + b } else if let a = t[k + 1], let b = t[k + 2] { t[k] = b - a } else { return nil }
                    }
                    guard (2...last).allSatisfy({ close(t[$0]!, t[$0 - 1]! + t[$0 - 2]!) }) else { return nil }
                    let filled = t
                    return { n in
                        if let v = filled[n] { return v }
                        guard n > last else { return nil }
                        var (a, b) = (filled[last - 1]!, filled[last]!)
                        for _ in 0..<(n - last) { (a, b) = (b, a + b) }
                        return b
                    }
                case .secondDifference:
                    guard known.count >= 4 else { return nil }
                    // The quadratic through the first three known terms (Lagrange), checked on the rest.
                    let (i2, v2) = known[2]
                    let x0 = Double(i0), x1 = Double(i1), x2 = Double(i2)
                    let f: (Int) -> Double? = { n in
                        let x = Double(n)
                        return v0 * (x - x1) * (x - x2) / ((x0 - x1) * (x0 - x2)) + v1 * (x - x0) * (x - x2) / ((x1 - x0) * (x1 - x2))
                            + v2 * (x - x0) * (x - x1) / ((x2 - x0) * (x2 - x1))
                    }
                    return fitsAll(f) ? f : nil
                }
            }

            /// One line on the rule, from the known terms.
            func describe(_ known: [(Int, Double)]) -> String {
                func f(_ v: Double) -> String { Calculator.format(v) }
                let (i0, v0) = known[0], (i1, v1) = known[1]
                switch self {
                case .difference:
                    let d = (v1 - v0) / Double(i1 - i0)
                    return "Each term \(d >= 0 ? "adds" : "subtracts") \(f(Swift.abs(d)))"
                case .ratio:
                    guard let p = known.indices.dropLast().first(where: { known[$0 + 1].0 - known[$0].0 == 1 }) else { return "" }
                    let r = known[p + 1].1 / known[p].1
                    if Swift.abs(r) < 1, (1 / r).rounded() == 1 / r { return "Each term is divided by \(f(1 / r))" }
                    return "Each term is multiplied by \(f(r))"
                case .sumOfTwo:
                    return "Each term is the sum of the two before it"
                case .secondDifference:
                    let v = known.map(\.1)
                    let d = zip(v.dropFirst(), v).map { $0 - $1 }
                    return "The differences \(d.map(f).joined(separator: ", ")) change by the same amount each time"
                }
            }
        }

        /// "the 10th term", "the tenth number", "term 12": the position asked for.
        static func nthTerm(_ lower: String) -> Int? {
            let nouns = "(?:term|number|element|value|item|entry)"
            if let m = lower.firstMatch(of: try! Regex("(\\d+)(?:st|nd|rd|th) \(nouns)")), let n = Int(m.output[1].substring ?? "") { return n }
            if let m = lower.firstMatch(of: try! Regex("\(nouns) (?:number |no\\.? |#)?(\\d+)\\b(?!,)")), let n = Int(m.output[1].substring ?? "") { return n }
            for (k, word) in ordinals.enumerated() where lower.contains("\(word) term") || lower.contains("\(word) number") { return k + 1 }
            return nil
        }

        static let ordinals = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
                               "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"]

        /// The longest run of terms joined by commas (or a last "and") in the tokens: a number (a minus
        /// right after a comma is its sign), or nil for a gap ("?", "_", "__"). Trailing dots or "…" end
        /// the run and ask for what follows.
        static func longestList(_ tokens: [Token]) -> [Double?]? {
            var best: [Double?] = [], current: [Double?] = []
            var expectItem = true, negative = false
            func close() {
                if current.compactMap({ $0 }).count > best.compactMap({ $0 }).count { best = current }
                current = []; expectItem = true; negative = false
            }
            for tok in tokens {
                switch tok {
                case .number(let n):
                    if !expectItem { close() }
                    current.append(negative ? -n : n)
                    expectItem = false; negative = false
                case .symbol(","):
                    if expectItem && !current.isEmpty { close() } else { expectItem = true }
                case .symbol("-") where expectItem:
                    negative = true
                case .symbol("?") where expectItem && !current.isEmpty, .word("_") where expectItem && !current.isEmpty:
                    current.append(nil)
                    expectItem = false
                case .word("_") where current.last.map { $0 == nil } == true:
                    continue // "__": one gap
                case .word("and") where !current.isEmpty && !expectItem:
                    expectItem = true
                default:
                    close()
                }
            }
            close()
            return best.isEmpty ? nil : best
        }
    }
}
