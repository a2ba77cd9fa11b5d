import Foundation

/// Arithmetic as people say it, read by a small grammar — or declined. The reading must account for
/// every word of the text: a word it cannot place ("apples", "per", "profit") makes it decline with
/// that word named, never guess, so a part it declines goes to the model path whole.
///
/// The grammar (lower case; fillers such as "what is", "please", "compute", "the" are dropped first):
///
///     text       := clause (SEP clause)*        SEP: ; . ? ! :  "then"  and ", " or "and" before a verb
///     clause     := value-clause | step-clause | conversion
///     step       := a verb phrase on the running value, named ("it", "that", "the result", "the answer",
///                   "that number", "the total", "one share") or left out ("add 5", "then double")
///     value      := sum ("and" sum)*            several results: "15 times 4 and 3 times 2"
///     sum        := product (("+" | plus | minus | "-") product)*
///     product    := power (("*" | times | x | multiplied by | "/" | divided by | over | mod) power)*
///     power      := unary [("^" | to the power of | raised to | to the N(th) power) unary | squared | cubed]
///     unary      := "-" unary | primary
///     primary    := NUMBER ["%" | percent] [of primary] | NUMBER COUNT | "(" sum ")" | REF
///                 | (sum | total | product | average | mean) of LIST | difference between X and Y
///                 | quotient of X and Y | remainder (when|of) X divided by Y | square|cube root of X
///                 | FRACTION of X (half, a third, two thirds, a quarter) | double|twice|triple|quadruple|halve|square|cube X
///     verbs      := add LIST [to X] | subtract|take away|take off|deduct X [from Y] | take X from Y
///                 | multiply X (by|and|with) Y | divide X (by|into) Y | split X [equally] (into|among|between) Y
///                 | increase|raise|decrease|reduce X by Y [percent] | start|begin with X | take X
///                 | LIST add up to | X more|less|fewer than Y
///     conversion := quantities of one dimension to another unit of it: time, length, mass, volume,
///                   money, temperature, and counts (dozen, score, pair, gross) of any one thing
///
/// Numbers are digits (1,200 · 3.5 · $4.25 · 20%) or words ("thirty-seven", "two hundred and five").
/// A running value starts with the first value and each step applies to it; a value that names no
/// earlier result starts a new result, so "Multiply 11 by 11, add 5 to 10" has two.
public enum ArithmeticGrammar {
    /// One computed step: `12 × 4 = 48`.
    public struct Step: Sendable, Equatable {
        public var display: String
        public var value: Double
        public var statement: String { "\(display) = \(Calculator.format(value))" }
    }

    /// One result: its steps in order (a running value), the last one's value.
    public struct Chain: Sendable, Equatable {
        public var steps: [Step]
        public var value: Double { steps.last?.value ?? .nan }
    }

    /// All results a text asks for.
    public struct Reading: Sendable, Equatable {
        public var chains: [Chain]
        public var values: [Double] { chains.map(\.value) }
        /// Every step, one per line.
        public var working: String { chains.flatMap(\.steps).map(\.statement).joined(separator: "\n") }
        /// The calculator's answer: the working, then the result(s).
        public var answer: String {
            let results = values.map(Calculator.format)
            return working + "\n" + (results.count == 1 ? "Answer: \(results[0])" : "Answers: " + results.joined(separator: "; "))
        }
        /// A short form for the trace: `12 × 4 = 48 → 48 + 9 = 57`.
        public var summary: String { chains.map { $0.steps.map(\.statement).joined(separator: " → ") }.joined(separator: "; ") }
    }

    /// Why a text was not read as arithmetic.
    public struct Declined: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// The reading of `text`, or why there is none.
    public static func read(_ text: String) -> Result<Reading, Declined> {
        guard text.utf8.count <= 2_000 else { return .failure(.init(reason: "too long for the calculator")) }
        let tokens = Lexer.tokens(text)
        // The reader recurses once per parenthesis: a bound keeps a hostile text off the stack's end.
        var depth = 0
        for tok in tokens {
            if tok == .symbol("(") { depth += 1 } else if tok == .symbol(")") { depth -= 1 }
            if depth > 24 { return .failure(.init(reason: "parentheses nested more than 24 deep")) }
        }
        var chains: [Chain] = []
        var running: Double?
        var pendingStart = false // a bare starting value ("Begin with 9") not yet used by a step
        for clause in Lexer.clauses(tokens) {
            let meaning: Meaning
            do { meaning = try ClauseReader.read(clause) } catch { return .failure(error) }
            switch meaning {
            case .nothing:
                continue
            case .start(let e):
                if pendingStart { return .failure(.init(reason: "a starting value with nothing done to it")) }
                do { running = try e.value() } catch { return .failure(error) }
                pendingStart = true
            case .values(let es):
                if pendingStart { return .failure(.init(reason: "a starting value with nothing done to it")) }
                for e in es {
                    do {
                        let v = try e.value()
                        chains.append(Chain(steps: [Step(display: e.display, value: v)]))
                        running = v
                    } catch { return .failure(error) }
                }
            case .step(let e):
                guard let r = running else {
                    return .failure(.init(reason: "a step refers to an earlier result, but there is none"))
                }
                let bound = e.substituting(r)
                do {
                    let v = try bound.value()
                    let step = Step(display: bound.display, value: v)
                    if pendingStart || chains.isEmpty { chains.append(Chain(steps: [step])) } else { chains[chains.count - 1].steps.append(step) }
                    pendingStart = false
                    running = v
                } catch { return .failure(error) }
            }
        }
        if pendingStart { return .failure(.init(reason: "a starting value with nothing done to it")) }
        guard !chains.isEmpty else { return .failure(.init(reason: "no arithmetic")) }
        return .success(Reading(chains: chains))
    }

    /// Whether a text asks for nothing of its own: only words like "what do you get", "equals?".
    public static func asksNothing(_ text: String) -> Bool {
        let tokens = Lexer.tokens(text)
        return !tokens.isEmpty && tokens.allSatisfy { t in
            if let w = t.word { return fillers.contains(w) || w == "result" || w == "answer" || w == "it" }
            if case .symbol = t { return true }
            return false
        }
    }

    /// The reading, or nil.
    public static func reading(_ text: String) -> Reading? {
        if case .success(let r) = read(text) { return r }
        return nil
    }
}

// MARK: - Expressions

extension ArithmeticGrammar {
    /// An arithmetic expression; `.ref` stands for the running value.
    indirect enum Expr: Sendable, Equatable {
        case number(Double)
        case percent(Double)
        case ref
        case binary(Character, Expr, Expr)
        case negate(Expr)
        case root(Expr, Int)

        func value() throws(Declined) -> Double {
            let v: Double
            switch self {
            case .number(let n): v = n
            case .percent(let p): v = p / 100
            case .ref: throw Declined(reason: "a step refers to an earlier result, but there is none")
            case .negate(let e): v = -(try e.value())
            case .root(let e, let n):
                let x = try e.value()
                guard x >= 0 || n % 2 == 1 else { throw Declined(reason: "the square root of a negative number") }
                v = n == 2 ? x.squareRoot() : (x < 0 ? -Foundation.pow(-x, 1 / Double(n)) : Foundation.pow(x, 1 / Double(n)))
            case .binary(let op, let l, let r):
                let a = try l.value(), b = try r.value()
                switch op {
                case "+": v = a + b
                case "-": v = a - b
                case "*": v = a * b
                case "/":
                    guard b != 0 else { throw Declined(reason: "division by zero") }
                    v = a / b
                case "%":
                    guard b != 0 else { throw Declined(reason: "division by zero") }
                    v = a.truncatingRemainder(dividingBy: b)
                default: v = Foundation.pow(a, b)
                }
            }
            guard v.isFinite, Swift.abs(v) < 1e300 else { throw Declined(reason: "the result is out of range") }
            // Cube roots and the like: 343^(1/3) is 6.999999999999999.
            let r = v.rounded()
            return Swift.abs(v - r) < 1e-9 * max(1, Swift.abs(v)) ? r : v
        }

        func substituting(_ value: Double) -> Expr {
            switch self {
            case .ref: return .number(value)
            case .number, .percent: return self
            case .negate(let e): return .negate(e.substituting(value))
            case .root(let e, let n): return .root(e.substituting(value), n)
            case .binary(let op, let l, let r): return .binary(op, l.substituting(value), r.substituting(value))
            }
        }

        var refers: Bool {
            switch self {
            case .ref: return true
            case .number, .percent: return false
            case .negate(let e), .root(let e, _): return e.refers
            case .binary(_, let l, let r): return l.refers || r.refers
            }
        }

        var precedence: Int {
            switch self {
            case .binary(let op, _, _): return op == "+" || op == "-" ? 1 : op == "^" ? 3 : 2
            case .negate: return 2
            default: return 4
            }
        }

        /// In calculator notation with × ÷ (recomputable by `ArithmeticClaims`).
        var display: String {
            switch self {
            case .number(let n): return Calculator.format(n)
            case .percent(let p): return Calculator.format(p) + "%"
            case .ref: return "(the result)"
            case .negate(let e): return "-" + (e.precedence < 4 ? "(\(e.display))" : e.display)
            case .root(let e, let n): return (n == 2 ? "sqrt" : "cbrt") + "(\(e.display))"
            case .binary(let op, let l, let r):
                let p = precedence
                let left = l.precedence < p || (op == "^" && l.precedence == p) ? "(\(l.display))" : l.display
                let right = r.precedence < p || (r.precedence == p && op != "+" && op != "*") ? "(\(r.display))" : r.display
                let symbol: String = switch op {
                case "*": "×"
                case "/": "÷"
                case "%": "mod"
                default: String(op)
                }
                return op == "^" ? "\(left)^\(right)" : "\(left) \(symbol) \(right)"
            }
        }
    }

    /// What one clause means.
    enum Meaning: Sendable, Equatable {
        case nothing
        /// A value to start from, not yet a result ("Begin with 9", "Take 64").
        case start(Expr)
        /// Complete values, each a result of its own.
        case values([Expr])
        /// An operation on the running value.
        case step(Expr)
    }
}

// MARK: - Words

extension ArithmeticGrammar {
    enum Token: Sendable, Equatable {
        case number(Double)
        case word(String)
        case symbol(Character)

        var word: String? { if case .word(let w) = self { return w } else { return nil } }
        var number: Double? { if case .number(let n) = self { return n } else { return nil } }
    }

    enum Lexer {
        static let small: [String: Double] = [
            "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
            "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
            "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
        ]
        static let scales: [String: Double] = ["hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000]

        /// Lower-cased tokens: numbers (digits with thousands commas, decimals; number words joined),
        /// words, and symbols. "$5" is 5 dollars, "x" between numbers is a product.
        static func tokens(_ text: String) -> [Token] {
            var raw: [Token] = []
            let chars = Array(text.lowercased().replacingOccurrences(of: "’", with: "'"))
            var i = 0
            while i < chars.count {
                let c = chars[i]
                if c.isWhitespace { i += 1; continue }
                if c.isASCII && c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isASCII && chars[i + 1].isNumber) {
                    let (n, next) = number(chars, from: i)
                    raw.append(.number(n))
                    i = next
                    continue
                }
                if c.isLetter || c == "'" {
                    var j = i
                    while j < chars.count, chars[j].isLetter || chars[j] == "'" { j += 1 }
                    raw += word(String(chars[i..<j]))
                    i = j
                    continue
                }
                switch c {
                case "-", "−", "–":
                    // A hyphen between words joins them ("thirty-seven", "half-dozen"); otherwise a minus.
                    if i > 0, chars[i - 1].isLetter, i + 1 < chars.count, chars[i + 1].isLetter { break }
                    raw.append(.symbol("-"))
                case "×", "·", "∙", "✕", "*": raw.append(.symbol("*"))
                case "÷", "/": raw.append(.symbol("/"))
                case "+", "^", "%", "(", ")", ",", ";", ".", "?", "!", ":", "=": raw.append(.symbol(c))
                case "$": raw.append(.word("$"))
                case "[": raw.append(.symbol("("))
                case "]": raw.append(.symbol(")"))
                case "°": break
                default: raw.append(.word(String(c)))
                }
                i += 1
            }
            return joinNumberWords(dollars(raw))
        }

        /// The number starting at `i` (digits, a thousands comma before exactly three digits, one decimal
        /// point; an ordinal suffix skipped), and the index after it.
        static func number(_ chars: [Character], from i: Int) -> (Double, Int) {
            var s = ""
            var j = i
            var seenDot = false
            func isDigit(_ k: Int) -> Bool { k < chars.count && chars[k].isASCII && chars[k].isNumber }
            while j < chars.count {
                let d = chars[j]
                if isDigit(j) {
                    s.append(d)
                } else if d == ",", !seenDot, !s.isEmpty, isDigit(j + 1), isDigit(j + 2), isDigit(j + 3), !isDigit(j + 4) {
                    // A thousands separator: exactly three digits follow.
                } else if d == ".", !seenDot, isDigit(j + 1) {
                    seenDot = true
                    s.append(d)
                } else { break }
                j += 1
            }
            // Ordinal suffixes: "4th", "2nd".
            if j + 1 < chars.count, ["th", "st", "nd", "rd"].contains(String(chars[j...j + 1])), j + 2 >= chars.count || !chars[j + 2].isLetter { j += 2 }
            return (Double(s) ?? 0, j)
        }

        /// A word's tokens: a possessive's "'s" dropped, "what's" as "what is", "let's" as nothing.
        static func word(_ raw: String) -> [Token] {
            var w = raw
            if w.hasSuffix("'s") && w != "what's" && w != "it's" && w != "that's" && w != "let's" { w.removeLast(2) }
            switch w {
            case "what's", "whats": return [.word("what"), .word("is")]
            case "it's", "that's": return [.word(w == "it's" ? "it" : "that"), .word("is")]
            case "let's", "lets", "'": return []
            default: return [.word(w)]
            }
        }

        /// "$ 5" → "5 dollars".
        static func dollars(_ t: [Token]) -> [Token] {
            var out: [Token] = []
            var i = 0
            while i < t.count {
                if t[i] == .word("$"), i + 1 < t.count, case .number = t[i + 1] {
                    out += [t[i + 1], .word("dollars")]
                    i += 2
                    continue
                }
                out.append(t[i])
                i += 1
            }
            return out
        }

        /// Number words to numbers: "thirty seven" → 37, "two hundred and five" → 205, "a hundred" → 100,
        /// "2 million" → 2000000. "**" becomes "^"; an "x" between numbers a product.
        static func joinNumberWords(_ t: [Token]) -> [Token] {
            var out: [Token] = []
            var i = 0
            while i < t.count {
                if t[i] == .symbol("*"), i + 1 < t.count, t[i + 1] == .symbol("*") { out.append(.symbol("^")); i += 2; continue }
                if t[i] == .word("x"), out.last?.number != nil || out.last == .symbol(")"),
                   i + 1 < t.count, t[i + 1].number != nil || t[i + 1] == .symbol("(") || small[t[i + 1].word ?? ""] != nil {
                    out.append(.symbol("*")); i += 1; continue
                }
                if let (value, next) = numberPhrase(t, at: i) {
                    out.append(.number(value))
                    i = next
                } else {
                    out.append(t[i])
                    i += 1
                }
            }
            return out
        }

        enum Kind { case none, digits, units, teen, tens, hundred, scale }

        /// The number phrase starting at `start` and the index after it, or nil.
        static func numberPhrase(_ t: [Token], at start: Int) -> (Double, Int)? {
            var j = start
            var total = 0.0, current = 0.0
            var last = Kind.none
            if let n = t[j].number {
                current = n; last = .digits; j += 1
            } else if t[j] == .word("a"), j + 1 < t.count, let w = t[j + 1].word, scales[w] != nil {
                current = 1; last = .units; j += 1
            }
            while j < t.count, let w = t[j].word {
                if let v = small[w] {
                    let allowed: Bool = switch (v < 10, v < 20) {
                    case (true, _): last == .none || last == .tens || last == .hundred || last == .scale
                    case (false, true): last == .none || last == .hundred || last == .scale
                    default: last == .none || last == .hundred || last == .scale
                    }
                    guard allowed else { break }
                    current += v
                    last = v < 10 ? .units : v < 20 ? .teen : .tens
                    j += 1
                } else if let s = scales[w], last != .none {
                    if s == 100 {
                        guard last != .hundred, last != .scale else { break }
                        current *= 100
                        last = .hundred
                    } else {
                        total += current * s
                        current = 0
                        last = .scale
                    }
                    j += 1
                    // "two hundred and five"
                    if j + 1 < t.count, t[j] == .word("and"), let nw = t[j + 1].word, small[nw] != nil { j += 1 }
                } else { break }
            }
            guard last != .none, j > start else { return nil }
            if last == .digits { return (current, j) }
            return (total + current, j)
        }

        /// Words that start a clause of their own after "and" or a comma.
        static let verbs: Set<String> = [
            "add", "subtract", "multiply", "divide", "double", "triple", "quadruple", "halve", "square", "cube",
            "take", "then", "increase", "decrease", "reduce", "raise", "split", "compute", "calculate", "evaluate",
            "what", "find", "tell", "deduct", "remove", "work", "give", "how", "convert", "plus", "minus", "times",
            "finally", "next", "after", "start", "begin", "cut", "lower", "share", "put", "doubled", "halved", "tripled",
        ]

        /// The clauses of a text: cut at ; . ? ! :  "then", and at "and" or a comma before a verb.
        static func clauses(_ t: [Token]) -> [[Token]] {
            var out: [[Token]] = []
            var current: [Token] = []
            func flush() { if !current.isEmpty { out.append(current); current = [] } }
            var i = 0
            while i < t.count {
                let tok = t[i]
                switch tok {
                case .symbol(";"), .symbol("."), .symbol("?"), .symbol("!"), .symbol(":"):
                    flush()
                case .word("then"):
                    flush()
                case .word("and"), .symbol(","):
                    var k = i + 1
                    while k < t.count, t[k] == .word("and") || t[k] == .symbol(",") || t[k] == .word("also") { k += 1 }
                    if k < t.count, let w = t[k].word, verbs.contains(w) {
                        // "3 and 4 add up to", "halve 70 and tell": a verb after "and" opens a clause,
                        // except the "add up to" of a list.
                        if w == "add", k + 1 < t.count, t[k + 1] == .word("up") { current.append(tok) } else { flush() }
                    } else {
                        current.append(tok)
                    }
                default:
                    current.append(tok)
                }
                i += 1
            }
            flush()
            return out
        }
    }
}

// MARK: - Clauses

extension ArithmeticGrammar {
    /// Words that carry no arithmetic: dropped before a clause is read.
    static let fillers: Set<String> = [
        "what", "is", "are", "was", "be", "equals", "equal", "the", "a", "an", "please", "compute", "calculate",
        "evaluate", "work", "out", "figure", "find", "determine", "tell", "give", "show", "me", "us", "you", "i", "we",
        "do", "does", "did", "get", "got", "if", "would", "will", "can", "could", "how", "much", "exactly", "now",
        "again", "first", "next", "finally", "also", "just", "so", "ok", "okay", "hey", "quick", "question",
        "when", "whats", "together", "need", "want", "know", "like", "wondering", "wonder", "i'd", "once", "curious", "tell", "another", "its", "come", "comes", "coming", "altogether", "combined", "value", "then", "after", "that's", "let",
        "kindly", "solve", "here", "simply", "=", "you'll", "end", 
    ]

    /// Words naming the running value.
    static let references: Set<String> = ["it", "that", "this", "result", "answer", "left", "remains", "rest", "remaining", "leftover", "everything"]
    /// Words that follow a reference word and are part of it ("that number").
    static let referenceNouns: Set<String> = ["number", "value", "amount", "result", "answer", "figure", "sum", "total"]
    /// What one share of a split is called.
    static let shareNouns: Set<String> = ["share", "part", "portion", "piece", "group", "person", "one"]

    static let fractions: [String: Double] = [
        "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4, "fourths": 4,
        "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8, "tenth": 10, "tenths": 10,
    ]
    static let multiples: [String: Double] = [
        "double": 2, "twice": 2, "triple": 3, "thrice": 3, "quadruple": 4, "halve": 0.5,
        "doubled": 2, "tripled": 3, "quadrupled": 4, "halved": 0.5,
    ]
    /// "-ing" forms read as their verbs: "by subtracting 28 from 90", "after doubling it".
    static let gerunds: [String: String] = [
        "adding": "add", "subtracting": "subtract", "multiplying": "multiply", "dividing": "divide", "doubling": "double",
        "halving": "halve", "tripling": "triple", "squaring": "square", "cubing": "cube", "taking": "take",
        "increasing": "increase", "decreasing": "decrease", "splitting": "split", "reducing": "reduce",
    ]
    static let counts: [String: Double] = ["dozen": 12, "dozens": 12, "score": 20, "scores": 20, "pair": 2, "pairs": 2, "gross": 144]

    struct ClauseReader {
        var t: [Token]
        var i = 0
        /// Units written after numbers ("15 dollars"): one clause may not mix them.
        var units: Set<String> = []

        static func read(_ clause: [Token]) throws(Declined) -> Meaning {
            if let e = try Conversion.read(clause) { return .values([e]) }
            var words: [Token] = []
            let clause = clause.map { tok -> Token in
                if let w = tok.word, let base = gerunds[w] { return .word(base) }
                return tok
            }
            for (k, tok) in clause.enumerated() {
                if let w = tok.word {
                    if fillers.contains(w) { continue }
                    // "equal to", "add up to" keep their meaning without the filler.
                    if w == "to", k > 0, clause[k - 1] == .word("equal") || clause[k - 1] == .word("equals") { continue }
                    // "by subtracting 28 from 90", "after doubling it"
                    if w == "by" || w == "after", k + 1 < clause.count, let next = clause[k + 1].word, gerunds.values.contains(next),
                       k == 0 || clause[k - 1].number == nil { continue }
                    // "what would 48 plus 52 come to"
                    if w == "to", k > 0, ["come", "comes", "amount", "amounts", "add", "adds"].contains(clause[k - 1].word ?? ""), k + 1 >= clause.count || clause[k + 1].number == nil { continue }
                    // "I want to know", "for me"
                    if w == "to", k > 0, ["want", "like", "need", "wants", "going", "have"].contains(clause[k - 1].word ?? "") { continue }
                    if w == "for", k + 1 < clause.count, ["me", "us", "you"].contains(clause[k + 1].word ?? "") { continue }
                    // "take off 50 more", but "15 more than 27"
                    if w == "more", k + 1 >= clause.count || clause[k + 1] != .word("than") { continue }
                    // "the number 12"
                    if w == "number", k + 1 < clause.count, clause[k + 1].number != nil { continue }
                    // "what number is …"
                    if w == "number", k > 0, clause[k - 1] == .word("what") || clause[k - 1] == .word("which") { continue }
                }
                if tok == .symbol("=") { continue }
                words.append(tok)
            }
            while let f = words.first, f == .word("and") || f == .symbol(",") { words.removeFirst() }
            while let l = words.last, l == .symbol(",") || l == .word("and") { words.removeLast() }
            if words.isEmpty { return .nothing }
            var r = ClauseReader(t: words)
            let meaning = try r.clause()
            while r.i < r.t.count, r.t[r.i] == .symbol(",") { r.i += 1 }
            if r.i < r.t.count { throw Declined(reason: "cannot place '\(r.t[r.i].text)' in arithmetic") }
            if r.units.count > 1 { throw Declined(reason: "the numbers have different units (\(r.units.sorted().joined(separator: ", ")))") }
            return meaning
        }

        var peek: Token? { i < t.count ? t[i] : nil }
        var word: String? { peek?.word }
        var atEnd: Bool { i >= t.count || t[i] == .symbol(",") && i == t.count - 1 }

        mutating func accept(_ w: String) -> Bool {
            if word == w { i += 1; return true }
            return false
        }

        mutating func symbol(_ s: Character) -> Bool {
            if peek == .symbol(s) { i += 1; return true }
            return false
        }

        mutating func expect(_ w: String, after what: String) throws(Declined) {
            guard accept(w) else { throw Declined(reason: "expected '\(w)' after \(what)") }
        }

        // MARK: clause level

        /// A clause by its first word: a verb phrase, or a value.
        mutating func clause() throws(Declined) -> Meaning {
            guard let w = word else { return try valueClause() }
            let start = i
            switch w {
            case "start", "begin", "starting", "beginning":
                i += 1
                _ = accept("off")
                _ = accept("with") || accept("from") || accept("at")
                return startOrValue(try sum())
            case "take": i += 1; return try taking()
            case "add": i += 1; return try addition()
            case "plus", "minus", "times", "multiplied", "divided", "over", "+", "*", "/":
                return .step(try sumContinuing(.ref))
            case "subtract", "deduct", "remove": i += 1; return try subtraction()
            case "multiply": i += 1; return try multiplication()
            case "divide": i += 1; return try division()
            case "split", "share", "cut": i += 1; return try splitting()
            case "increase", "raise", "decrease", "reduce", "lower": i += 1; return try growth(w)
            default:
                if let m = try otherVerb(w) { return m }
                i = start
                return try valueClause()
            }
        }

        /// "take away 5 (from X)", "take 5 from X", "take 64" (a start).
        mutating func taking() throws(Declined) -> Meaning {
            if accept("away") || accept("off") { return try subtraction() }
            let x = try sum()
            if accept("from") || accept("off") || accept("away") {
                let from = accept("from") ? try operand() : (atEnd ? .ref : try operand())
                return meaning(.binary("-", from, x))
            }
            return startOrValue(x)
        }

        /// "add 3 and 4", "add 9 to the result", "add 5" (to the running value), "add up 12, 15 and 18".
        mutating func addition() throws(Declined) -> Meaning {
            _ = accept("up")
            let list = try list()
            if accept("to") || accept("onto") { return meaning(.binary("+", try operand(), sumOf(list))) }
            if list.count == 1 { return .step(grow(.ref, by: list[0], sign: "+")) }
            return meaning(sumOf(list))
        }

        /// "multiply 15 by 3", "multiply by 4", "multiply 2, 3 and 4", "multiply it by itself".
        mutating func multiplication() throws(Declined) -> Meaning {
            if accept("by") || accept("times") { return .step(.binary("*", .ref, try power())) }
            let o = try operand(level: .power)
            if accept("by") || accept("with") || accept("times") {
                if accept("itself") { return meaning(.binary("^", o, .number(2))) }
                return meaning(.binary("*", o, try power()))
            }
            var list = [o]
            while symbol(",") || accept("and") { list.append(try power()) }
            guard list.count >= 2 else { throw Declined(reason: "multiply by what?") }
            return meaning(list.dropFirst().reduce(list[0]) { .binary("*", $0, $1) })
        }

        /// "divide 225 by 15", "divide by 5", "divide it equally into 9 groups".
        mutating func division() throws(Declined) -> Meaning {
            if accept("by") { return .step(.binary("/", .ref, try power())) }
            let o = try operand(level: .power)
            _ = accept("equally") || accept("evenly")
            guard accept("by") || accept("into") || accept("among") || accept("between") else { throw Declined(reason: "divide by what?") }
            let d = try power()
            _ = shareWords()
            return meaning(.binary("/", o, d))
        }

        /// "split it equally into 4", "share 60 between 4 people".
        mutating func splitting() throws(Declined) -> Meaning {
            let o: Expr = isPreposition(word) || word == "equally" || word == "evenly" ? .ref : try operand(level: .power)
            _ = accept("equally") || accept("evenly")
            guard accept("into") || accept("among") || accept("between") || accept("by") || accept("in") else { throw Declined(reason: "split into how many?") }
            let d = try power()
            _ = accept("equal")
            _ = shareWords()
            return meaning(.binary("/", o, d))
        }

        /// "increase 80 by 25 percent", "reduce it by 15", "raise 2 to the power of 8".
        mutating func growth(_ w: String) throws(Declined) -> Meaning {
            let o: Expr = word == "by" ? .ref : try operand(level: .power)
            if w == "raise", case .binary("^", _, _) = o, word != "by" { return meaning(o) }
            if w == "raise", accept("to") { return meaning(.binary("^", o, try exponent())) }
            try expect("by", after: "'\(w)'")
            return meaning(grow(o, by: try power(), sign: w == "increase" || w == "raise" ? "+" : "-"))
        }

        /// "sum up 4, 4 and 4", "double 38", "halve it", "square 6"; nil when `w` is none of them here.
        mutating func otherVerb(_ w: String) throws(Declined) -> Meaning? {
            if ["sum", "total", "tally"].contains(w), i + 1 < t.count, t[i + 1] == .word("up") || t[i + 1].number != nil {
                i += 1
                _ = accept("up")
                return meaning(sumOf(try list()))
            }
            if let k = multiples[w] {
                i += 1
                let o: Expr = atEnd || word == "," ? .ref : try operand(level: .power)
                return meaning(k == 0.5 ? .binary("/", o, .number(2)) : .binary("*", o, .number(k)))
            }
            if w == "square" || w == "cube", t.count > i + 1 ? t[i + 1] != .word("root") && t[i + 1] != .word("of") : true {
                i += 1
                let o: Expr = atEnd ? .ref : try operand(level: .power)
                return meaning(.binary("^", o, .number(w == "square" ? 2 : 3)))
            }
            return nil
        }

        /// A start that is a plain number waits for a step; a computed one is a result already.
        func startOrValue(_ e: Expr) -> Meaning {
            if case .number = e { return .start(e) }
            return meaning(e)
        }

        func meaning(_ e: Expr) -> Meaning { e.refers ? .step(e) : .values([e]) }

        /// `o` increased (or decreased) by `x`: by a percentage, a share of itself.
        func grow(_ o: Expr, by x: Expr, sign: Character) -> Expr {
            if case .percent = x { return .binary("*", o, .binary(sign, .number(1), x)) }
            return .binary(sign, o, x)
        }

        mutating func subtraction() throws(Declined) -> Meaning {
            let x = try sum()
            if accept("from") { return meaning(.binary("-", try operand(), x)) }
            return .step(grow(.ref, by: x, sign: "-"))
        }

        func isPreposition(_ w: String?) -> Bool { ["into", "among", "between", "by", "in"].contains(w ?? "") }

        /// "parts", "equal shares", "people": what a split makes.
        mutating func shareWords() -> Bool {
            var any = false
            while let w = word, ["parts", "shares", "groups", "pieces", "portions", "people", "persons", "equal", "ways", "kids", "children", "friends", "bags", "boxes", "teams"].contains(w) { i += 1; any = true }
            return any
        }

        mutating func valueClause() throws(Declined) -> Meaning {
            var list = [try sum()]
            while symbol(",") || accept("and") { list.append(try sum()) }
            // "45 and 55 add up to", "3, 4 and 5 summed"
            if accept("add") || accept("added") || accept("sum") || accept("summed") || accept("adds") {
                _ = accept("up")
                _ = accept("to")
                return meaning(sumOf(list))
            }
            if list.count == 1 { return meaning(list[0]) }
            if list.contains(where: \.refers) { throw Declined(reason: "several values and a reference to an earlier result") }
            return .values(list)
        }

        mutating func list() throws(Declined) -> [Expr] {
            var list = [try sum()]
            while peek == .symbol(",") || word == "and" {
                let save = i
                i += 1
                _ = accept("and")
                guard peek?.number != nil || peek == .symbol("(") || peek == .symbol("-") || isReference(at: i) else { i = save; break }
                list.append(try sum())
            }
            return list
        }

        func sumOf(_ list: [Expr]) -> Expr { list.dropFirst().reduce(list[0]) { .binary("+", $0, $1) } }

        enum Level { case sum, power }

        /// What an operation is applied to: a value or a reference to the running value.
        mutating func operand(level: Level = .sum) throws(Declined) -> Expr {
            level == .sum ? try sum() : try power()
        }

        // MARK: expressions

        mutating func sum() throws(Declined) -> Expr {
            try sumContinuing(try product())
        }

        mutating func sumContinuing(_ first: Expr) throws(Declined) -> Expr {
            var e = try productContinuing(first)
            while true {
                // "45 minus 15, divided by 3": an operation after a comma applies to everything before it.
                if peek == .symbol(","), i + 1 < t.count, let next = t[i + 1].word, ["divided", "multiplied", "times", "over", "plus", "minus"].contains(next) {
                    i += 1
                    if ["divided", "multiplied", "times", "over"].contains(next) { e = try productContinuing(e) }
                    continue
                }
                if symbol("+") || accept("plus") { e = .binary("+", e, try product()); continue }
                if symbol("-") || accept("minus") { e = .binary("-", e, try product()); continue }
                if word == "take", i + 1 < t.count, t[i + 1] == .word("away") { i += 2; e = .binary("-", e, try product()); continue }
                if word == "less", i + 1 < t.count, t[i + 1] != .word("than") { i += 1; e = .binary("-", e, try product()); continue }
                // "45 plus 55, all divided by 10": the operation applies to everything before it.
                if word == "all", i + 1 < t.count {
                    let save = i
                    i += 1
                    let whole = try productContinuing(e)
                    if whole != e { e = whole; continue }
                    i = save
                }
                // "250 increased by 10%", "80 reduced by 15"
                if let w = word, ["increased", "decreased", "reduced", "raised", "lowered"].contains(w), i + 1 < t.count, t[i + 1] == .word("by") {
                    i += 2
                    e = grow(e, by: try power(), sign: w == "increased" || w == "raised" ? "+" : "-")
                    continue
                }
                if let w = word, ["more", "less", "fewer"].contains(w), i + 1 < t.count, t[i + 1] == .word("than") {
                    i += 2
                    let base = try product()
                    e = .binary(w == "more" ? "+" : "-", base, e)
                    continue
                }
                return e
            }
        }

        mutating func product() throws(Declined) -> Expr { try productContinuing(try power()) }

        mutating func productContinuing(_ first: Expr) throws(Declined) -> Expr {
            var e = first
            if first == .ref, i < t.count, word != "times", peek != .symbol("*"), word != "multiplied", word != "divided", word != "over", peek != .symbol("/") {
                return e
            }
            while true {
                if symbol("*") || accept("times") { e = .binary("*", e, try power()); continue }
                if accept("multiplied") { try expect("by", after: "'multiplied'"); e = .binary("*", e, try power()); continue }
                if symbol("/") || accept("over") {
                    e = .binary("/", e, try power())
                    // "3/4 of 100": a fraction of something
                    if case .binary("/", .number, .number) = e, accept("of") { e = .binary("*", e, try power()) }
                    continue
                }
                // "48 split equally among 6", "60 shared between 4"
                if let w = word, ["split", "shared", "divided"].contains(w), i + 1 < t.count {
                    let save = i
                    i += 1
                    _ = accept("equally") || accept("evenly")
                    if accept("among") || accept("between") || accept("into") || (w != "divided" && accept("by")) {
                        e = .binary("/", e, try power())
                        _ = shareWords()
                        continue
                    }
                    i = save
                }
                if accept("divided") { try expect("by", after: "'divided'"); e = .binary("/", e, try power()); continue }
                if accept("mod") || accept("modulo") { e = .binary("%", e, try power()); continue }
                return e
            }
        }

        mutating func power() throws(Declined) -> Expr {
            let base = try unary()
            if symbol("^") { return .binary("^", base, try unary()) }
            // "250 doubled"
            if let w = word, w.hasSuffix("ed"), let k = multiples[w] {
                i += 1
                return k == 0.5 ? .binary("/", base, .number(2)) : .binary("*", base, .number(k))
            }
            if accept("squared") { return .binary("^", base, .number(2)) }
            if accept("cubed") { return .binary("^", base, .number(3)) }
            // "to the power of 3", "to the 4th power" ("the" is a filler): never a bare "to 3".
            if word == "to", i + 1 < t.count, t[i + 1] == .word("power") || (t[i + 1].number != nil && i + 2 < t.count && t[i + 2] == .word("power")) {
                i += 1
                return .binary("^", base, try exponent())
            }
            if accept("raised") {
                try expect("to", after: "'raised'")
                return .binary("^", base, try exponent())
            }
            return base
        }

        /// "power of 3", "3rd power", "3", after "to".
        mutating func exponent() throws(Declined) -> Expr {
            if accept("power") { try expect("of", after: "'power'"); return try unary() }
            let e = try unary()
            _ = accept("power")
            return e
        }

        mutating func unary() throws(Declined) -> Expr {
            if symbol("-") || accept("negative") { return .negate(try unary()) }
            return try primary()
        }

        func isReference(at k: Int) -> Bool {
            guard k < t.count, let w = t[k].word else {
                // "one share"
                if k + 1 < t.count, t[k].number == 1, let n = t[k + 1].word, shareNouns.contains(n), n != "one" { return true }
                return false
            }
            if references.contains(w) { return true }
            if ["total", "sum", "product", "difference"].contains(w) { return k + 1 >= t.count || (t[k + 1] != .word("of") && t[k + 1] != .word("between")) }
            if w == "each", k + 1 < t.count, let n = t[k + 1].word, shareNouns.contains(n) { return true }
            return false
        }

        mutating func primary() throws(Declined) -> Expr {
            guard let tok = peek else { throw Declined(reason: "a number is missing") }
            if isReference(at: i) {
                i += 1
                while let w = word, referenceNouns.contains(w) || shareNouns.contains(w) && w != "one" { i += 1 }
                return .ref
            }
            switch tok {
            case .symbol("("):
                i += 1
                let e = try sum()
                guard symbol(")") else { throw Declined(reason: "a parenthesis is not closed") }
                return e
            case .number(let n):
                i += 1
                return try afterNumber(n)
            case .word(let w):
                if let k = counts[w] { i += 1; return .number(k) }
                if let d = fractions[w] { i += 1; return try fraction(numerator: 1, denominator: d) }
                if let k = multiples[w] {
                    i += 1
                    let o = try power()
                    return k == 0.5 ? .binary("/", o, .number(2)) : .binary("*", o, .number(k))
                }
                return try named(w)
            default:
                throw Declined(reason: "cannot place '\(tok.text)' in arithmetic")
            }
        }

        /// A named operation: "the sum of", "the product of", "the average of", "the difference between",
        /// "the quotient of", "the remainder of", "the square (root) of", "the cube of".
        mutating func named(_ w: String) throws(Declined) -> Expr {
            switch w {
            case "sum", "total":
                i += 1
                try expect("of", after: "'\(w)'")
                return sumOf(try list())
            case "product":
                i += 1
                try expect("of", after: "'product'")
                let l = try list()
                return l.dropFirst().reduce(l[0]) { .binary("*", $0, $1) }
            case "average", "mean":
                i += 1
                try expect("of", after: "'\(w)'")
                let l = try list()
                guard l.count >= 2 else { throw Declined(reason: "an average of one number") }
                return .binary("/", sumOf(l), .number(Double(l.count)))
            case "difference":
                i += 1
                guard accept("between") || accept("of") else { throw Declined(reason: "expected 'between' after 'difference'") }
                let a = try product()
                guard accept("and") || symbol(",") else { throw Declined(reason: "expected 'and' in a difference") }
                return .binary("-", a, try product())
            case "quotient", "ratio":
                i += 1
                _ = accept("of") || accept("between")
                let a = try power()
                guard accept("and") || accept("by") || accept("to") || (accept("divided") && accept("by")) else { throw Declined(reason: "expected 'and' in a quotient") }
                return .binary("/", a, try power())
            case "remainder":
                i += 1
                _ = accept("of")
                let a = try unary()
                guard symbol("/") || (accept("divided") && accept("by")) || accept("by") else { throw Declined(reason: "expected 'divided by' in a remainder") }
                return .binary("%", a, try unary())
            case "square", "cube":
                i += 1
                if accept("root") {
                    // "take the square root" of the running value
                    if !accept("of"), atEnd { return .root(.ref, w == "square" ? 2 : 3) }
                    return .root(try power(), w == "square" ? 2 : 3)
                }
                _ = accept("of")
                return .binary("^", try power(), .number(w == "square" ? 2 : 3))
            case "sqrt", "root":
                i += 1
                _ = accept("of")
                return .root(try power(), 2)
            default:
                throw Declined(reason: "cannot place '\(w)' in arithmetic")
            }
        }

        /// What may follow a number: a percent sign, a fraction word, a count, a unit.
        mutating func afterNumber(_ n: Double) throws(Declined) -> Expr {
            if symbol("%") || accept("percent") || accept("pct") || (word == "per" && i + 1 < t.count && t[i + 1] == .word("cent") && { i += 2; return true }()) {
                if accept("of") { return .binary("*", .percent(n), try power()) }
                // "15% off 80"
                if accept("off") { return .binary("*", try power(), .binary("-", .number(1), .percent(n))) }
                return .percent(n)
            }
            if let w = word, let d = fractions[w] {
                i += 1
                return try fraction(numerator: n, denominator: d)
            }
            if let w = word, let k = counts[w] {
                i += 1
                return .binary("*", .number(n), .number(k))
            }
            if let w = word, let unit = Conversion.unit(named: w) {
                i += 1
                units.insert(unit.name)
            }
            return .number(n)
        }

        /// "half of 70", "two thirds of 90", "a quarter of 360".
        mutating func fraction(numerator: Double, denominator: Double) throws(Declined) -> Expr {
            _ = accept("of")
            let o: Expr = atEnd ? .ref : try power()
            if numerator == 1 { return .binary("/", o, .number(denominator)) }
            return .binary("/", .binary("*", o, .number(numerator)), .number(denominator))
        }
    }
}

extension ArithmeticGrammar.Token {
    var text: String {
        switch self {
        case .number(let n): return Calculator.format(n)
        case .word(let w): return w
        case .symbol(let c): return String(c)
        }
    }
}
