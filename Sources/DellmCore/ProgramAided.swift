import Foundation

/// Program-aided answers to word problems (PAL with self-consistency): the model is asked for one
/// arithmetic expression over the problem's quantities, not for the answer; several samples are read
/// and computed by the calculator, and the value most of them give wins.
///
/// The worked examples are this project's own, written for the prompt; none comes from a file the
/// fleet is evaluated on.
public enum ProgramAided {
    /// Most completion tokens one sample may take: an expression fits in a line.
    public static let maxTokens = 40

    public static let system = "You turn a word problem into one arithmetic expression over its numbers. Reply with the expression only."

    public static let examples: [(problem: String, program: String)] = [
        ("Lena has 14 stickers and buys 9 more. How many stickers does she have?", "14 + 9"),
        ("A crate holds 6 melons. How many melons are in 7 crates?", "6 * 7"),
        ("Omar had 50 dollars and spent 18. How much money is left?", "50 - 18"),
        ("40 candies are packed in bags of 5. How many bags are there?", "40 / 5"),
        ("A shop sells 3 shirts at 12 dollars each and a hat for 5 dollars. What is the total?", "3 * 12 + 5"),
        ("A rope is 30 meters long. 4 pieces of 6 meters are cut off. How much rope remains?", "30 - 4 * 6"),
    ]

    /// Numbers a program may use besides the problem's own: units and counts people leave unsaid.
    public static let constants: Set<Double> = [1, 2, 7, 10, 12, 24, 52, 60, 100, 365, 1000]

    /// One sample read as a program.
    public struct Program: Sendable, Equatable {
        /// In calculator notation: `3 * 12 + 5`.
        public var expression: String
        public var value: Double
        public var display: String { MathExtractor.pretty(expression) }
        public var statement: String { "\(display) = \(Calculator.format(value))" }
    }

    /// The expression a reply states (its first line, left of any '='; words and units dropped), computed;
    /// nil when it is no expression of two numbers or more, or uses a number the problem does not have.
    public static func program(in reply: String, problem: String) -> Program? {
        guard let line = reply.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }).first(where: { !$0.isEmpty }) else { return nil }
        var text = String(line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        text = text.replacingOccurrences(of: "×", with: "*").replacingOccurrences(of: "÷", with: "/").replacingOccurrences(of: "−", with: "-")
        // "3 hours * 80 km per hour" → "3 * 80"; "6 x 45" → "6 * 45"; "$1,200" → "1200".
        var kept = ""
        var previous: Character = " "
        let chars = Array(text)
        for (i, c) in chars.enumerated() {
            if c == "x" || c == "X", i > 0, i + 1 < chars.count, !chars[i - 1].isLetter, !chars[i + 1].isLetter { kept.append("*"); previous = "*"; continue }
            if c == ",", previous.isNumber, i + 1 < chars.count, chars[i + 1].isNumber { continue }
            if c.isASCII, c.isNumber || "+-*/().% ^".contains(c) { kept.append(c); if c != " " { previous = c } }
        }
        let expression = kept.split(separator: " ").joined(separator: " ")
        guard MathExtractor.operatorCount(expression) >= 1, let value = try? Calculator.evaluate(expression), value.isFinite else { return nil }
        let used = Answers.numbers(in: expression).map(Swift.abs)
        guard used.count >= 2, usesOnlyProblemNumbers(used, problem: problem) else { return nil }
        return counted(Program(expression: expression, value: value), problem: problem)
    }

    /// A count is never negative nor a fraction: when the question asks "how many", a one-step program
    /// whose operands are the wrong way round ("35 - 90" for "had 90 and gave 35", "6 / 48" for "48 in
    /// boxes of 6") is turned round when that gives a whole, non-negative count. The small model writes
    /// the numbers in the order the problem mentions them, whatever the operation. Anything else as is.
    public static func counted(_ p: Program, problem: String) -> Program {
        guard problem.range(of: "how many", options: .caseInsensitive) != nil else { return p }
        let wrong = p.value < 0 || p.value.rounded() != p.value
        guard wrong else { return p }
        let compact = p.expression.filter { $0 != " " }
        guard let op = compact.dropFirst().firstIndex(where: { $0 == "-" || $0 == "/" }),
              let left = Double(compact[..<op]), let right = Double(compact[compact.index(after: op)...]) else { return p }
        let swapped = "\(Calculator.format(right)) \(compact[op]) \(Calculator.format(left))"
        guard let v = try? Calculator.evaluate(swapped), v >= 0, v.rounded() == v else { return p }
        return Program(expression: swapped, value: v)
    }

    /// Whether every number is the problem's (digits or words) or a common constant, and at least one is the problem's.
    public static func usesOnlyProblemNumbers(_ used: [Double], problem: String) -> Bool {
        let own = Set(ArithmeticGrammar.Lexer.tokens(problem).compactMap(\.number))
        return used.contains { own.contains($0) } && used.allSatisfy { own.contains($0) || constants.contains($0) }
    }

    /// The program whose value most samples give, with how many give it; ties go to the earlier sample.
    /// With `problem`, programs that use every number the problem states are preferred: a one-step
    /// program that leaves a quantity out (3 × 60 for "80 km per hour for 3 hours") is the usual wrong one.
    /// (On 20 one-step problems written for this: 13 right with the preference, 12 without, 5 samples.)
    public static func vote(_ programs: [Program], problem: String? = nil) -> (program: Program, count: Int)? {
        var pool = programs
        if let problem {
            let own = Set(ArithmeticGrammar.Lexer.tokens(problem).compactMap(\.number))
            let whole = programs.filter { own.isSubset(of: Set(Answers.numbers(in: $0.expression).map(Swift.abs))) }
            if !whole.isEmpty { pool = whole }
        }
        // Equal support goes to the program that brings in fewer numbers the problem does not state
        // ("200 - 65" over "200 - 65 + 100"), then to the earlier sample.
        let own = problem.map { Set(ArithmeticGrammar.Lexer.tokens($0).compactMap(\.number)) }
        func extras(_ p: Program) -> Int {
            guard let own else { return 0 }
            return Answers.numbers(in: p.expression).map(Swift.abs).filter { !own.contains($0) }.count
        }
        var best: (program: Program, count: Int, extras: Int)?
        for p in pool {
            let n = pool.filter { Swift.abs($0.value - p.value) <= 1e-9 * max(1, Swift.abs(p.value)) }.count
            let e = extras(p)
            if let b = best, n < b.count || (n == b.count && e >= b.extras) { continue }
            best = (p, n, e)
        }
        return best.map { ($0.program, $0.count) }
    }
}
