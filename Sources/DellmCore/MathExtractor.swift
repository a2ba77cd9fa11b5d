import Foundation

/// Turns arithmetic as people type it ("Subtract 387 from 1000", "12.5% of 96", "37 times 41")
/// into an expression for `Calculator`. Returns nil when the text holds no calculation.
public enum MathExtractor {
    public struct Calculation: Sendable, Equatable {
        /// The expression that was evaluated, in calculator syntax.
        public var expression: String
        public var value: Double
        /// The expression as shown to people: `15 × 23`.
        public var display: String { MathExtractor.pretty(expression) }
        /// `15 × 23 = 345`
        public var statement: String { "\(display) = \(Calculator.format(value))" }
    }

    static let num = #"(-?\d+(?:\.\d+)?)"#

    /// Rewrites applied in order; `$1`, `$2` are numbers. Each comes with the literals (in lower
    /// case) of which every match holds one: a text without any is not searched.
    static let rewrites: [(NSRegularExpression, String, [String])] = {
        let n = num
        let rules: [(String, String, [String])] = [
            (#"(\d),(\d{3})(?!\d)"#, "$1$2", [","]),
            (#"(\d),(\d{3})(?!\d)"#, "$1$2", [","]),
            (#"[×✕∙·]"#, " * ", ["×", "✕", "∙", "·"]),
            ("÷", " / ", ["÷"]),
            ("−", "-", ["−"]),
            (#"\bsubtract \#(n) from \#(n)"#, "($2 - $1)", ["subtract"]),
            (#"\btake away \#(n) from \#(n)"#, "($2 - $1)", ["take away"]),
            (#"\btake \#(n) (?:away )?from \#(n)"#, "($2 - $1)", ["take "]),
            (#"\b\#(n) less than \#(n)"#, "($2 - $1)", ["less than"]),
            (#"\b\#(n) more than \#(n)"#, "($2 + $1)", ["more than"]),
            (#"\bincrease \#(n) by \#(n)%"#, "($1 * (1 + $2/100))", ["increase"]),
            (#"\bdecrease \#(n) by \#(n)%"#, "($1 * (1 - $2/100))", ["decrease"]),
            (#"\bincrease \#(n) by \#(n)"#, "($1 + $2)", ["increase"]),
            (#"\bdecrease \#(n) by \#(n)"#, "($1 - $2)", ["decrease"]),
            (#"\bhalf of \#(n)"#, "($1 / 2)", ["half of"]),
            (#"\b(?:double|twice) \#(n)"#, "($1 * 2)", ["double", "twice"]),
            (#"\btriple \#(n)"#, "($1 * 3)", ["triple"]),
            (#"\b(?:average|mean) of \#(n) and \#(n)"#, "(($1 + $2) / 2)", ["average", "mean"]),
            (#"\b\#(n) subtracted from \#(n)"#, "($2 - $1)", ["subtracted from"]),
            (#"\bdifference (?:between|of) \#(n) and \#(n)"#, "($1 - $2)", ["difference"]),
            (#"\badd \#(n) (?:and|to|plus) \#(n)"#, "($1 + $2)", ["add "]),
            (#"\bsum of \#(n) and \#(n)"#, "($1 + $2)", ["sum of"]),
            (#"\bmultiply \#(n) (?:by|and|with|times) \#(n)"#, "($1 * $2)", ["multiply "]),
            (#"\bproduct of \#(n) and \#(n)"#, "($1 * $2)", ["product of"]),
            (#"\bdivide \#(n) (?:by|into) \#(n)"#, "($1 / $2)", ["divide "]),
            (#"\bquotient of \#(n) (?:and|by) \#(n)"#, "($1 / $2)", ["quotient of"]),
            (#"\b(?:the )?square root of \#(n)"#, "sqrt($1)", ["square root of"]),
            (#"\b(?:the )?cube root of \#(n)"#, "($1^(1/3))", ["cube root of"]),
            (#"\#(n) squared\b"#, "($1^2)", ["squared"]),
            (#"\#(n) cubed\b"#, "($1^3)", ["cubed"]),
            (#"\#(n) (?:to the power of|raised to(?: the power of)?|to the) \#(n)(?:st|nd|rd|th)?(?: power)?"#, "($1^$2)", ["to the", "raised to"]),
            (#"\#(n) ?(?:%|percent) of \#(n)"#, "($1% * $2)", ["%", "percent"]),
            (#"\#(n) ?percent\b"#, "$1%", ["percent"]),
            (#"\bmultiplied by\b"#, " * ", ["multiplied by"]),
            (#"\bdivided by\b"#, " / ", ["divided by"]),
            (#"\btimes\b"#, " * ", ["times"]),
            (#"\bplus\b"#, " + ", ["plus"]),
            (#"\bminus\b"#, " - ", ["minus"]),
            (#"\bover\b"#, " / ", ["over"]),
            (#"(\d)\s*x\s*(?=[\d(])"#, "$1 * ", ["x"]),
        ]
        return rules.map { (try! NSRegularExpression(pattern: $0.0, options: [.caseInsensitive]), $0.1, $0.2) }
    }()

    static let runPattern = try! NSRegularExpression(pattern: #"(?:sqrt|[\d.+\-*/^()% ])+"#, options: [.caseInsensitive])

    /// The arithmetic in `text`, computed, or nil when there is none (a word problem, a fact).
    public static func calculation(in text: String) -> Calculation? {
        guard let expression = expression(in: text) else { return nil }
        guard let v = try? Calculator.evaluate(expression) else { return nil }
        return Calculation(expression: expression, value: v)
    }

    /// Units of time, in seconds.
    static let timeUnits: [(pattern: String, seconds: Double)] = [
        ("milliseconds?|ms", 0.001), ("seconds?|secs?", 1), ("minutes?|mins?", 60), ("hours?|hrs?", 3600),
        ("days?", 86_400), ("weeks?", 604_800), ("fortnights?", 1_209_600), ("leap years?", 31_622_400), ("years?", 31_536_000),
        ("decades?", 315_360_000), ("centuries|century", 3_153_600_000),
    ]
    static let unitAlternation = timeUnits.map(\.pattern).joined(separator: "|")

    static let unitMatchers: [(NSRegularExpression, Double)] = timeUnits.map {
        (try! NSRegularExpression(pattern: "^(?:\($0.pattern))$", options: [.caseInsensitive]), $0.seconds)
    }

    static func seconds(of unit: String) -> Double? {
        unitMatchers.first { $0.0.firstMatch(in: unit, range: NSRange(unit.startIndex..., in: unit)) != nil }?.1
    }

    /// With the literals (in lower case) of which every match holds one.
    static let unitRules: [(NSRegularExpression, [String])] = {
        let n = num, u = "(\(unitAlternation))"
        return zip([
            // how many minutes are in 3 hours and 20 minutes / how many seconds in 2 days
            "\\bhow many \(u) (?:are |is )?(?:there )?in (?:a |an |one )?\(n)? ?\(u)(?: and \(n) \(u))?",
            // 3 hours and 20 minutes in minutes / convert 90 minutes to hours
            "\(n) \(u)(?: and \(n) \(u))? (?:in|to|into|as|expressed in) \(u)\\b",
        ], [["how many"], [" in", " to", " as"]]).map { (try! NSRegularExpression(pattern: $0, options: [.caseInsensitive]), $1) }
    }()

    /// Rewrites conversions between units of time into arithmetic: "how many minutes in 3 hours" → (3 * 60).
    static func rewriteUnits(_ text: String) -> String {
        var s = text
        for (i, (re, literals)) in unitRules.enumerated() where TextScan.containsAny(s, literals) {
            for m in re.matches(in: s, range: NSRange(s.startIndex..., in: s)).reversed() {
                func group(_ k: Int) -> String? {
                    guard m.range(at: k).location != NSNotFound, let r = Range(m.range(at: k), in: s) else { return nil }
                    return String(s[r])
                }
                var terms: [(Double, Double)] = []
                let target: String
                if i == 0 {
                    target = group(1)!
                    terms.append((Double(group(2) ?? "1") ?? 1, seconds(of: group(3)!) ?? 1))
                    if let n2 = group(4), let u2 = group(5) { terms.append((Double(n2) ?? 0, seconds(of: u2) ?? 1)) }
                } else {
                    terms.append((Double(group(1)!) ?? 0, seconds(of: group(2)!) ?? 1))
                    if let n2 = group(3), let u2 = group(4) { terms.append((Double(n2) ?? 0, seconds(of: u2) ?? 1)) }
                    target = group(5)!
                }
                guard let to = seconds(of: target) else { continue }
                let parts = terms.map { value, from -> String in
                    let v = Calculator.format(value)
                    if from == to { return v }
                    if from > to, (from / to).rounded() == from / to { return "\(v) * \(Calculator.format(from / to))" }
                    if to > from, (to / from).rounded() == to / from { return "\(v) / \(Calculator.format(to / from))" }
                    return "\(v) * \(Calculator.format(from)) / \(Calculator.format(to))"
                }
                let replacement = parts.count == 1 ? "(\(parts[0]))" : "(" + parts.map { "(\($0))" }.joined(separator: " + ") + ")"
                s.replaceSubrange(Range(m.range, in: s)!, with: " " + replacement + " ")
            }
        }
        return s
    }

    /// The best arithmetic expression found in `text`: the run with the most operators.
    public static func expression(in text: String) -> String? {
        // No digit, no calculation (a unit question like "days in a leap year" has an implicit 1).
        let lowered = text.lowercased()
        guard lowered.contains(where: TextScan.isNumber) || TextScan.containsAny(lowered, ["how many", " in "]) else { return nil }
        var s = rewriteUnits(lowered)
        guard s.contains(where: TextScan.isNumber) else { return nil }
        for (re, template, literals) in rewrites where TextScan.containsAny(s, literals) {
            s = re.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: template)
        }
        var best: (String, Int)?
        for m in runPattern.matches(in: s, range: NSRange(s.startIndex..., in: s)) {
            guard let r = Range(m.range, in: s) else { continue }
            var run = TextScan.trimmed(s[r], TextScan.whitespaces)
            // Sentence punctuation at the ends is not arithmetic.
            while let l = run.last, l == "." || l == " " || l == "-" || l == "+" || l == "*" || l == "/" { run.removeLast() }
            while let f = run.first, f == "." || f == " " || f == ")" { run.removeFirst() }
            let ops = operatorCount(run)
            guard ops > 0, run.contains(where: { TextScan.isNumber($0) }) else { continue }
            guard (try? Calculator.evaluate(run)) != nil else { continue }
            if best == nil || ops > best!.1 { best = (run, ops) }
        }
        return best?.0
    }

    static func operatorCount(_ run: String) -> Int {
        var count = 0
        var previous: Character = " "
        for c in run {
            if "+*/^%".contains(c) { count += 1 }
            // '-' is an operator between operands, a sign otherwise.
            if c == "-", TextScan.isNumber(previous) || previous == ")" || previous == " " { count += 1 }
            if !TextScan.isWhitespace(c) { previous = c }
        }
        if TextScan.contains(run, "sqrt") { count += 1 }
        // A lone negative number has no operator.
        if count == 1, run.hasPrefix("-"), Double(run) != nil { return 0 }
        return count
    }

    static func pretty(_ expression: String) -> String {
        var expression = expression.trimmingCharacters(in: .whitespaces)
        while expression.hasPrefix("("), expression.hasSuffix(")"), closingParen(of: expression) == expression.count - 1 {
            expression = String(expression.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
        }
        var out = ""
        let tokens = (try? Calculator.tokenize(expression)) ?? []
        if tokens.isEmpty { return expression }
        var previous: Calculator.Token?
        for t in tokens {
            switch t {
            case .op("*"): out += " × "
            case .op("/"): out += " ÷ "
            case .op("+"): out += " + "
            case .op("-"):
                if let p = previous, p != .lparen, !(p.isOperator) { out += " - " } else { out += "-" }
            case .op("^"): out += "^"
            case .op("%"): out += "%"
            default: out += t.text
            }
            previous = t
        }
        return out.replacingOccurrences(of: "  ", with: " ").trimmingCharacters(in: .whitespaces)
    }
}

/// The offset of the parenthesis that closes the one at offset 0.
func closingParen(of s: String) -> Int? {
    var depth = 0
    for (i, c) in s.enumerated() {
        if c == "(" { depth += 1 }
        if c == ")" {
            depth -= 1
            if depth == 0 { return i }
        }
    }
    return nil
}

extension Calculator.Token {
    var isOperator: Bool { if case .op = self { return true } else { return false } }
}
