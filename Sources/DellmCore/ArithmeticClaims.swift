import Foundation

/// The arithmetic an answer states, recomputed: every "expression = number" in it, whoever wrote it
/// (the calculator, a model, a program's output). A claim is an expression of at least two numbers
/// joined by operators (`+ - * / ^ % × ÷ −`, parentheses), an `=`, and a number; "x = 5" or
/// "Step 2 = done" state nothing to recompute.
public enum ArithmeticClaims {
    public struct Claim: Sendable, Equatable {
        /// The expression as the answer wrote it.
        public var expression: String
        public var stated: Double
        public var actual: Double
        public var holds: Bool { Swift.abs(stated - actual) <= 1e-6 * max(1, Swift.abs(actual)) }
    }

    static let expressionCharacters = Set("0123456789.,+-*/^%()×÷−·[] \t")
    static let operators = Set("+-*/^%×÷−·")

    /// Every recomputable claim in `text`, in order.
    public static func claims(in text: String) -> [Claim] {
        let chars = Array(text)
        var out: [Claim] = []
        var i = 0
        while i < chars.count {
            defer { i += 1 }
            guard chars[i] == "=", i + 1 >= chars.count || chars[i + 1] != "=", i == 0 || !"<>!=".contains(chars[i - 1]) else { continue }
            // The longest run of expression characters before the '='.
            var start = i
            while start > 0, expressionCharacters.contains(chars[start - 1]) { start -= 1 }
            var left = String(chars[start..<i]).trimmingCharacters(in: .whitespaces)
            // A run that starts with an operator ("by - 3 = …") or a comma belongs to the words before it.
            while let f = left.first, operators.contains(f) || f == "," { left.removeFirst(); left = left.trimmingCharacters(in: .whitespaces) }
            let expression = left.replacingOccurrences(of: ",", with: "")
            guard Answers.numbers(in: expression).count >= 2, expression.contains(where: { operators.contains($0) }),
                  let stated = number(after: i + 1, in: chars) else { continue }
            guard let actual = try? Calculator.evaluate(expression) else { continue }
            out.append(Claim(expression: left, stated: stated, actual: actual))
        }
        return out
    }

    /// The number right after an '=' (spaces, a sign, digits with thousands separators, decimals).
    static func number(after index: Int, in chars: [Character]) -> Double? {
        var j = index
        while j < chars.count, chars[j] == " " { j += 1 }
        var s = ""
        if j < chars.count, chars[j] == "-" || chars[j] == "−" { s = "-"; j += 1 }
        let digitsStart = j
        while j < chars.count, chars[j].isASCII, chars[j].isNumber || chars[j] == "." || (chars[j] == "," && j + 1 < chars.count && chars[j + 1].isNumber) {
            if chars[j] != "," { s.append(chars[j]) }
            j += 1
        }
        guard j > digitsStart else { return nil }
        if s.hasSuffix(".") { s.removeLast() }
        return Double(s)
    }
}
