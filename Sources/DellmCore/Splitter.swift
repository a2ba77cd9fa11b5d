import Foundation

/// Splits a query into subtasks on natural separators (";", "then", "and", "also", several
/// questions) — but only where every piece is a task of its own, so a phrase is never cut into
/// fragments and a word problem stays whole.
public enum Splitter {
    public struct Part: Sendable, Equatable, Codable {
        public init(index: Int, text: String, type: TaskType, rule: String) {
            self.index = index
            self.text = text
            self.type = type
            self.rule = rule
        }
        public var index: Int
        public var text: String
        public var type: TaskType
        public var rule: String
        /// How sure the rules were (0…1).
        public var confidence: Double = 1
        /// The earlier part whose result this part needs and that a model answers: the part waits,
        /// and is enqueued with the result put in once that part is settled.
        public var waitsFor: Int?
    }

    /// Words that open a task: imperatives and question words.
    static let heads: Set<String> = [
        "what", "what's", "who", "whom", "whose", "which", "when", "where", "why", "how",
        "compute", "calculate", "evaluate", "add", "subtract", "multiply", "divide", "find", "tell", "write",
        "name", "list", "give", "explain", "describe", "suggest", "translate", "summarize", "summarise",
        "convert", "solve", "create", "define", "determine", "compose", "implement", "count", "sum",
        "halve", "double", "triple", "quadruple", "square", "cube", "increase", "decrease", "reduce", "split",
        "start", "begin", "work",
    ]
    /// Words that join a task to the one before it and say nothing of it: skipped when reading a head.
    static let connectors: Set<String> = ["also", "and", "then", "first", "next", "finally", "now", "so", "plus", "lastly", "second", "third"]
    /// Heads that also open a question but are too common inside a clause to split on after "and".
    static let sentenceOnlyHeads: Set<String> = ["is", "are", "does", "do", "can", "could", "please", "now"]

    /// The separators, tried in order, each with a literal every match contains (in lower case): a
    /// piece without it is not searched.
    static let separators: [(regex: NSRegularExpression, literal: String)] = [
        (#";\s*(?:and\s+|then\s+|also\s+)*"#, ";"),
        (#"\?\s+(?:and\s+|then\s+|also\s+)*"#, "?"),
        (#"(?<=[a-z0-9)\]])\.\s+(?:and\s+|then\s+|also\s+)*(?=[A-Z])"#, "."),
        (#",?\s+(?:and\s+)?then\s+"#, "then"),
        (#",?\s+and\s+also\s+"#, "also"),
        (#",?\s+also\s+"#, "also"),
        (#",\s+and\s+"#, "and"),
        (#"\s+and\s+"#, "and"),
    ].map { (try! NSRegularExpression(pattern: $0.0, options: [.caseInsensitive]), $0.1) }

    /// The subtasks of `query`, in the query's order. Always at least one part.
    public static func split(_ query: String) -> [Part] {
        let trimmed = TextScan.trimmed(query, TextScan.whitespacesAndNewlines)
        var pieces = [trimmed]
        // A word problem (numbers in a sentence that is no task of its own) stays whole.
        if !isWordProblem(trimmed) {
            for sep in separators {
                var next: [String] = []
                for piece in pieces {
                    if TextScan.contains(piece.lowercased(), sep.literal) { next += cut(piece, on: sep.regex) } else { next.append(piece) }
                }
                pieces = next
            }
        }
        // More parts than a query may have: ingest refuses it by their count, so they are not classified.
        if pieces.count > Wire.maxParts {
            return pieces.enumerated().map { Part(index: $0, text: $1, type: .factual, rule: "not classified: more than \(Wire.maxParts) parts") }
        }
        return pieces.enumerated().map { i, text in
            let d = Classifier.classify(text)
            var p = Part(index: i, text: text, type: d.type, rule: d.rule)
            p.confidence = d.confidence
            return p
        }
    }

    /// Cuts `text` at every match of `sep` where both sides stand as tasks; otherwise keeps it whole.
    static func cut(_ text: String, on sep: NSRegularExpression) -> [String] {
        let ns = text as NSString
        let matches = sep.matches(in: text, range: NSRange(location: 0, length: ns.length))
        if matches.isEmpty { return [text] }
        // Code requests are one task: their "and"s describe the function — unless what follows is a
        // calculation the calculator reads whole ("…, and compute 17 times 3").
        let codeRequest = Classifier.asksForCode(text) && !text.contains(";") && !text.lowercased().contains("then")
        var out: [String] = []
        var start = 0
        for m in matches {
            let leftHead = ns.substring(with: NSRange(location: start, length: min(Splitter.lookahead, m.range.location - start)))
            let rightStart = m.range.location + m.range.length
            // Only the right side's first words decide (a bounded look, so a long query is not quadratic).
            let rightRest = ns.substring(with: NSRange(location: rightStart, length: min(Splitter.lookahead, ns.length - rightStart)))
            let sepText = ns.substring(with: m.range)
            let strong = sepText.contains(";") || sepText.contains("?") || sepText.contains(".")
            if codeRequest, ArithmeticGrammar.reading(ns.substring(from: rightStart)) == nil { continue }
            if isTask(leftHead, strong: true) && isTask(rightRest, strong: strong) {
                let left = ns.substring(with: NSRange(location: start, length: m.range.location - start))
                var piece = TextScan.trimmed(left, TextScan.whitespaces)
                if sepText.contains("?") { piece += "?" }
                if sepText.contains(".") && !piece.hasSuffix(".") { piece += "." }
                out.append(piece)
                start = rightStart
            }
        }
        out.append(TextScan.trimmed(ns.substring(from: start), TextScan.whitespaces))
        return out.filter { !$0.isEmpty }
    }

    /// How much of a piece's start `isTask` reads.
    static let lookahead = 256

    static func firstWords(_ text: String) -> [String] {
        TextScan.trimmed(String(text.prefix(Splitter.lookahead * 4)), TextScan.whitespaces).prefix(Splitter.lookahead).lowercased().split(whereSeparator: { TextScan.isWhitespace($0) || $0 == "," }).prefix(3).map {
            TextScan.trimmed($0, TextScan.punctuation)
        }
    }

    /// A piece stands as a task when it opens with a head word and has something after it.
    static func isTask(_ text: String, strong: Bool) -> Bool {
        var w = firstWords(text)
        while let f = w.first, connectors.contains(f), w.count > 1 { w.removeFirst() }
        guard let first = w.first, w.count >= 2 else { return false }
        if heads.contains(first) { return true }
        if strong && sentenceOnlyHeads.contains(first) { return true }
        return false
    }

    /// Numbers in a statement followed by a question: "Natalia sold 48 clips … How many …?"
    public static func isWordProblem(_ text: String) -> Bool {
        let sentences = text.split(whereSeparator: { $0 == "." || $0 == "?" || $0 == "!" }).map { TextScan.trimmed($0, TextScan.whitespaces) }.filter { !$0.isEmpty }
        guard sentences.count >= 2, Classifier.digitCount(text) >= 1 else { return false }
        // The first sentence is a statement, not a task.
        return !isTask(sentences[0], strong: true)
    }
}
