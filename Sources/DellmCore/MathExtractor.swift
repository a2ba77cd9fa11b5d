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

    /// Rewrites applied in order; `$1`, `$2` are numbers.
    static let rewrites: [(NSRegularExpression, String)] = {
        let n = num
        let rules: [(String, String)] = [
            (#"(\d),(\d{3})(?!\d)"#, "$1$2"),
            (#"(\d),(\d{3})(?!\d)"#, "$1$2"),
            (#"[×✕∙·]"#, " * "),
            ("÷", " / "),
            ("−", "-"),
            (#"\bsubtract \#(n) from \#(n)"#, "($2 - $1)"),
            (#"\btake away \#(n) from \#(n)"#, "($2 - $1)"),
            (#"\b\#(n) subtracted from \#(n)"#, "($2 - $1)"),
            (#"\bdifference (?:between|of) \#(n) and \#(n)"#, "($1 - $2)"),
            (#"\badd \#(n) (?:and|to|plus) \#(n)"#, "($1 + $2)"),
            (#"\bsum of \#(n) and \#(n)"#, "($1 + $2)"),
            (#"\bmultiply \#(n) (?:by|and|with|times) \#(n)"#, "($1 * $2)"),
            (#"\bproduct of \#(n) and \#(n)"#, "($1 * $2)"),
            (#"\bdivide \#(n) (?:by|into) \#(n)"#, "($1 / $2)"),
            (#"\bquotient of \#(n) (?:and|by) \#(n)"#, "($1 / $2)"),
            (#"\b(?:the )?square root of \#(n)"#, "sqrt($1)"),
            (#"\b(?:the )?cube root of \#(n)"#, "($1^(1/3))"),
            (#"\#(n) squared\b"#, "($1^2)"),
            (#"\#(n) cubed\b"#, "($1^3)"),
            (#"\#(n) (?:to the power of|raised to(?: the power of)?|to the) \#(n)(?:st|nd|rd|th)?(?: power)?"#, "($1^$2)"),
            (#"\#(n) ?(?:%|percent) of \#(n)"#, "($1% * $2)"),
            (#"\#(n) ?percent\b"#, "$1%"),
            (#"\bmultiplied by\b"#, " * "),
            (#"\bdivided by\b"#, " / "),
            (#"\btimes\b"#, " * "),
            (#"\bplus\b"#, " + "),
            (#"\bminus\b"#, " - "),
            (#"\bover\b"#, " / "),
            (#"(\d)\s*x\s*(?=[\d(])"#, "$1 * "),
        ]
        return rules.map { (try! NSRegularExpression(pattern: $0.0, options: [.caseInsensitive]), $0.1) }
    }()

    static let runPattern = try! NSRegularExpression(pattern: #"(?:sqrt|[\d.+\-*/^()% ])+"#, options: [.caseInsensitive])

    /// The arithmetic in `text`, computed, or nil when there is none (a word problem, a fact).
    public static func calculation(in text: String) -> Calculation? {
        guard let expression = expression(in: text) else { return nil }
        guard let v = try? Calculator.evaluate(expression) else { return nil }
        return Calculation(expression: expression, value: v)
    }

    /// The best arithmetic expression found in `text`: the run with the most operators.
    public static func expression(in text: String) -> String? {
        var s = text.lowercased()
        for (re, template) in rewrites {
            s = re.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: template)
        }
        var best: (String, Int)?
        for m in runPattern.matches(in: s, range: NSRange(s.startIndex..., in: s)) {
            guard let r = Range(m.range, in: s) else { continue }
            var run = String(s[r]).trimmingCharacters(in: .whitespaces)
            // Sentence punctuation at the ends is not arithmetic.
            while let l = run.last, l == "." || l == " " || l == "-" || l == "+" || l == "*" || l == "/" { run.removeLast() }
            while let f = run.first, f == "." || f == " " || f == ")" { run.removeFirst() }
            let ops = operatorCount(run)
            guard ops > 0, run.contains(where: { $0.isNumber }) else { continue }
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
            if c == "-", previous.isNumber || previous == ")" || previous == " " { count += 1 }
            if !c.isWhitespace { previous = c }
        }
        if run.contains("sqrt") { count += 1 }
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
