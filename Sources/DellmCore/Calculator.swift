import Foundation

/// A safe calculator: a tokenizer and a recursive-descent parser over numbers, + - * / ^ %,
/// parentheses and a few functions. It never evaluates text as code.
public enum Calculator {
    public struct Failure: Error, Equatable, CustomStringConvertible, Sendable {
        public var message: String
        public init(_ m: String) { message = m }
        public var description: String { message }
    }

    enum Token: Equatable {
        case number(Double)
        case op(Character)
        case lparen, rparen
        case function(String)
    }

    static let functions: Set<String> = ["sqrt", "abs", "round", "floor", "ceil"]

    static func tokenize(_ text: String) throws(Failure) -> [Token] {
        var tokens: [Token] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if c.isASCII && (c.isNumber || c == ".") {
                var j = i
                var seenDot = false
                while j < chars.count, chars[j].isASCII, chars[j].isNumber || (chars[j] == "." && !seenDot) {
                    if chars[j] == "." { seenDot = true }
                    j += 1
                }
                // A trailing '.' that is not followed by a digit ends a sentence, not a number.
                var end = j
                if chars[end - 1] == "." { end -= 1 }
                guard end > i, let v = Double(String(chars[i..<end])) else { throw Failure("bad number near '\(String(chars[i..<j]))'") }
                tokens.append(.number(v))
                i = j
                continue
            }
            if c.isLetter {
                var j = i
                while j < chars.count, chars[j].isLetter { j += 1 }
                let word = String(chars[i..<j]).lowercased()
                if word == "x" {
                    tokens.append(.op("*"))
                    i = j
                    continue
                }
                guard functions.contains(word) else { throw Failure("unknown word '\(word)'") }
                tokens.append(.function(word))
                i = j
                continue
            }
            switch c {
            case "+", "-", "*", "/", "^", "%": tokens.append(.op(c))
            case "×", "·", "∙": tokens.append(.op("*"))
            case "÷": tokens.append(.op("/"))
            case "−": tokens.append(.op("-"))
            case "(", "[": tokens.append(.lparen)
            case ")", "]": tokens.append(.rparen)
            default: throw Failure("unexpected character '\(c)'")
            }
            i += 1
        }
        // '**' is a power, as in Python.
        var merged: [Token] = []
        for t in tokens {
            if t == .op("*"), merged.last == .op("*") { merged[merged.count - 1] = .op("^") } else { merged.append(t) }
        }
        return merged
    }

    /// Evaluates an arithmetic expression such as `(12 + 8) * 3`, `2^10 - 24`, `12.5% * 96`.
    public static func evaluate(_ text: String) throws(Failure) -> Double {
        var p = Parser(tokens: try tokenize(text))
        let v = try p.expression()
        if p.index != p.tokens.count { throw Failure("unexpected input after a complete expression") }
        guard v.isFinite else { throw Failure("the result is not a finite number") }
        // 12 significant digits: 7% of 300 is 21, not 21.000000000000004.
        return Double(String(format: "%.12g", v)) ?? v
    }

    struct Parser {
        let tokens: [Token]
        var index = 0
        /// Nesting so far (parentheses, signs): bounded, so no input can exhaust the stack.
        var depth = 0
        static let maxDepth = 200

        mutating func enter() throws(Failure) {
            depth += 1
            if depth > Parser.maxDepth { throw Failure("the expression nests more than \(Parser.maxDepth) levels deep") }
        }

        init(tokens: [Token]) { self.tokens = tokens }

        var peek: Token? { index < tokens.count ? tokens[index] : nil }

        mutating func expression() throws(Failure) -> Double {
            try enter()
            defer { depth -= 1 }
            var v = try term()
            while let t = peek, t == .op("+") || t == .op("-") {
                index += 1
                let r = try term()
                v = t == .op("+") ? v + r : v - r
            }
            return v
        }

        mutating func term() throws(Failure) -> Double {
            var v = try unary()
            while true {
                guard let t = peek else { break }
                if t == .op("*") || t == .op("/") {
                    index += 1
                    let r = try unary()
                    if t == .op("/") {
                        if r == 0 { throw Failure("division by zero") }
                        v /= r
                    } else {
                        v *= r
                    }
                } else if t == .lparen || t.isFunction {
                    // Implicit multiplication: 2(3 + 4)
                    v *= try unary()
                } else {
                    break
                }
            }
            return v
        }

        mutating func unary() throws(Failure) -> Double {
            try enter()
            defer { depth -= 1 }
            if peek == .op("-") { index += 1; return -(try unary()) }
            if peek == .op("+") { index += 1; return try unary() }
            return try power()
        }

        mutating func power() throws(Failure) -> Double {
            let base = try postfix()
            if peek == .op("^") {
                index += 1
                let exponent = try unary() // right-associative
                return Foundation.pow(base, exponent)
            }
            return base
        }

        mutating func postfix() throws(Failure) -> Double {
            var v = try primary()
            while peek == .op("%") {
                index += 1
                v /= 100
            }
            return v
        }

        mutating func primary() throws(Failure) -> Double {
            guard let t = peek else { throw Failure("the expression ends too early") }
            index += 1
            switch t {
            case .number(let v):
                return v
            case .lparen:
                let v = try expression()
                guard peek == .rparen else { throw Failure("missing ')'") }
                index += 1
                return v
            case .function(let name):
                let arg: Double
                if peek == .lparen {
                    index += 1
                    arg = try expression()
                    guard peek == .rparen else { throw Failure("missing ')' after \(name)(") }
                    index += 1
                } else {
                    arg = try postfix()
                }
                switch name {
                case "sqrt":
                    if arg < 0 { throw Failure("square root of a negative number") }
                    return arg.squareRoot()
                case "abs": return Swift.abs(arg)
                case "round": return arg.rounded()
                case "floor": return arg.rounded(.down)
                default: return arg.rounded(.up)
                }
            default:
                throw Failure("unexpected '\(t.text)'")
            }
        }
    }

    /// A number as people write it: integers without a decimal point, others to 10 significant decimals.
    public static func format(_ v: Double) -> String {
        if v == v.rounded(), Swift.abs(v) < 1e15 {
            return String(Int64(v))
        }
        var s = String(format: "%.10f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }
}

extension Calculator.Token {
    var isFunction: Bool { if case .function = self { return true } else { return false } }
    var text: String {
        switch self {
        case .number(let v): return Calculator.format(v)
        case .op(let c): return String(c)
        case .lparen: return "("
        case .rparen: return ")"
        case .function(let f): return f
        }
    }
}
