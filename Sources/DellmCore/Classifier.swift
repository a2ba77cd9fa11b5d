import Foundation

/// Rule-based classification of a piece of a query into a task type, with how sure the rules are.
public enum Classifier {
    public struct Decision: Sendable, Equatable, Codable {
        public var type: TaskType
        /// 0…1: how strongly the rules matched.
        public var confidence: Double
        /// Which rule decided, for the trace.
        public var rule: String
    }

    static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !TextScan.isLetter($0) && !TextScan.isNumber($0) && $0 != "'" }).map(String.init)
    }

    static let codeWords: Set<String> = ["python", "function", "code", "script", "program", "def", "class", "regex",
                                         "javascript", "swift", "sql", "implement", "algorithm", "bash"]
    static let creativeStarts = ["write a poem", "write a two-line poem", "write a haiku", "write a story", "write a short story",
                                 "write one sentence", "write a sentence", "write a limerick", "write a slogan",
                                 "suggest a name", "suggest a title", "suggest", "compose", "describe", "imagine",
                                 "invent", "come up with", "write a"]
    static let creativeWords: Set<String> = ["poem", "haiku", "story", "limerick", "slogan", "lyrics", "tagline", "joke", "describing", "describe"]
    static let mathWords: Set<String> = ["compute", "calculate", "evaluate", "plus", "minus", "times", "multiply", "multiplied",
                                         "divide", "divided", "subtract", "add", "sum", "product", "quotient", "percent",
                                         "sqrt", "squared", "cubed", "root", "power", "solve", "total", "average"]
    static let reasoningStarts = ["why", "explain", "compare", "if ", "suppose", "which is", "should", "is it"]

    /// Whether the text asks for code (the cheap part of `classify`).
    public static func asksForCode(_ text: String) -> Bool {
        let wordSet = Set(words(text))
        return !wordSet.isDisjoint(with: codeWords) && (wordSet.contains("write") || wordSet.contains("function")
            || wordSet.contains("implement") || wordSet.contains("python") || wordSet.contains("code"))
    }

    public static func classify(_ text: String) -> Decision {
        let lower = text.lowercased()
        let w = words(text)
        let wordSet = Set(w)
        let hasDigits = lower.contains(where: { TextScan.isNumber($0) })

        if !wordSet.isDisjoint(with: codeWords) && (wordSet.contains("write") || wordSet.contains("function")
            || wordSet.contains("implement") || wordSet.contains("python") || wordSet.contains("code")) {
            return Decision(type: .code, confidence: 0.9, rule: "code words")
        }
        if let s = ExactTools.solve(text) {
            return Decision(type: .reasoning, confidence: 0.95, rule: "an exact tool reads it (\(s.tool))")
        }
        if ArithmeticGrammar.reading(text) != nil {
            return Decision(type: .math, confidence: 0.95, rule: "the calculator reads every word")
        }
        if MathExtractor.calculation(in: text) != nil {
            return Decision(type: .math, confidence: 0.85, rule: "an expression among other words (a model answers)")
        }
        if hasDigits && !wordSet.isDisjoint(with: mathWords) {
            return Decision(type: .math, confidence: 0.8, rule: "numbers and arithmetic words")
        }
        if hasDigits && TextScan.containsAny(lower, ["how many", "how much", "how long", "how far", "how old"]) && digitCount(lower) >= 1 {
            return Decision(type: .math, confidence: 0.7, rule: "word problem with numbers")
        }
        if hasDigits && Splitter.isWordProblem(text) {
            return Decision(type: .math, confidence: 0.7, rule: "word problem")
        }
        if creativeStarts.contains(where: { lower.hasPrefix($0) }) || !wordSet.isDisjoint(with: creativeWords) {
            return Decision(type: .creative, confidence: 0.8, rule: "creative request")
        }
        if reasoningStarts.contains(where: { lower.hasPrefix($0) }) {
            return Decision(type: .reasoning, confidence: 0.7, rule: "reasoning question")
        }
        let factualStarts = ["what", "who", "when", "where", "which", "how many", "how much", "name", "list", "tell me", "define", "is ", "are ", "does ", "do "]
        if factualStarts.contains(where: { lower.hasPrefix($0) }) {
            return Decision(type: .factual, confidence: 0.75, rule: "question word")
        }
        if hasDigits && digitCount(lower) >= 2 {
            return Decision(type: .math, confidence: 0.5, rule: "several numbers")
        }
        return Decision(type: .factual, confidence: 0.4, rule: "default")
    }

    /// How many separate numbers the text holds.
    public static func digitCount(_ text: String) -> Int {
        var count = 0
        var inNumber = false
        for c in text {
            if TextScan.isNumber(c) { if !inNumber { count += 1 }; inNumber = true } else if c != "." && c != "," { inNumber = false }
        }
        return count
    }
}
