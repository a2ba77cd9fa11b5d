import Foundation

/// Turns a query into a plan: its parts in order, and which parts use an earlier part's result.
///
/// The splitter cuts a query into parts; the planner then reads each part that refers back ("add 9
/// to the result", "double it", "then divide that by 3"):
/// - When the earlier part and the referring part read together as one calculation, they become one
///   part whose steps carry the value from one to the next ("12 × 4 = 48", "48 + 9 = 57").
/// - When the referring part is no calculation ("name the element with that atomic number"), it
///   names its input: the earlier part's index. An input the calculator reads is computed at once
///   and written into the part ("Use 48, the result of part 1: …"), so the part can be answered at
///   once; an input a model must answer is still open, so the part says so in its rule.
/// A part that refers back with no earlier part to refer to is a plan that cannot be made: it says so.
public enum Planner {
    public struct Plan: Sendable, Equatable {
        public var parts: [Splitter.Part]
        /// For each part, the indices of the parts whose results it uses.
        public var inputs: [[Int]]
        /// A reason when the plan cannot be made (a reference to nothing).
        public var problem: String?
    }

    public static func plan(_ query: String) -> Plan {
        var parts = Splitter.split(query)
        guard parts.count <= Wire.maxParts else { return Plan(parts: parts, inputs: parts.map { _ in [] }, problem: nil) }
        var merged: [Splitter.Part] = []
        var inputs: [[Int]] = []
        var problem: String?
        for part in parts {
            // "Start with 40." is no task on its own: the part after it carries it, whatever that part
            // asks, so no model is ever asked to answer a bare starting value.
            if let previous = merged.last, isBareStart(previous.text) {
                let joined = previous.text.trimmingCharacters(in: CharacterSet(charactersIn: " .;,")) + ", then " + part.text
                let d = Classifier.classify(joined)
                merged[merged.count - 1].text = joined
                merged[merged.count - 1].type = d.type
                merged[merged.count - 1].rule = d.rule + "; a starting value joined with the step after it"
                merged[merged.count - 1].confidence = d.confidence
                continue
            }
            // "… Then take away 11. What do you get?": a question that asks for nothing of its own asks
            // for the result before it.
            if let previous = merged.last, previous.type == .math, ArithmeticGrammar.asksNothing(part.text) {
                merged[merged.count - 1].text = previous.text.trimmingCharacters(in: .whitespaces) + " " + part.text
                continue
            }
            guard refersBack(part.text) else {
                merged.append(part)
                inputs.append([])
                continue
            }
            guard let previous = merged.last else {
                // Only a calculation that needs an earlier result is sure to have lost one ("Double it");
                // "this number" in a first part may be the question's own.
                guard calculationRefersBack(part.text) else {
                    merged.append(part)
                    inputs.append([])
                    continue
                }
                problem = problem ?? "part \(merged.count + 1) ('\(part.text.prefix(60))') uses an earlier result, but nothing comes before it"
                merged.append(part)
                inputs.append([])
                continue
            }
            if let chain = chained(previous, part) {
                merged[merged.count - 1] = chain
                continue
            }
            merged.append(usingResult(of: previous, at: merged.count - 1, in: part))
            inputs.append([merged.count - 2])
        }
        for i in merged.indices { merged[i].index = i }
        parts = merged
        return Plan(parts: parts, inputs: inputs, problem: problem)
    }

    /// A part that uses the result before it, joined with that part into one chain when the calculator
    /// reads the whole ("Add 5 to 12, then double it"); nil when it does not.
    static func chained(_ previous: Splitter.Part, _ part: Splitter.Part) -> Splitter.Part? {
        let joined = previous.text.trimmingCharacters(in: CharacterSet(charactersIn: " .;,")) + ", then " + part.text
        guard ArithmeticGrammar.reading(joined) != nil else { return nil }
        var chain = previous
        chain.text = joined
        chain.type = .math
        chain.rule = "a chain: each step uses the result before it (calculator reads every word)"
        chain.confidence = 1
        return chain
    }

    /// A part that uses the result of part `from`: given that result when the calculator computes it now,
    /// else waiting for it (a model answers it).
    static func usingResult(of previous: Splitter.Part, at from: Int, in part: Splitter.Part) -> Splitter.Part {
        var part = part
        if let value = ArithmeticGrammar.reading(previous.text)?.values.last {
            part.text = withInput(Calculator.format(value), from: from, text: part.text, type: part.type)
            part.rule += "; uses the result of part \(from + 1) (\(Calculator.format(value)), computed at planning)"
        } else {
            part.waitsFor = from
            part.rule += "; uses the result of part \(from + 1) once it is settled (a model answers it)"
        }
        return part
    }

    /// What of a settled answer a waiting part is given: a number when either part is math (the
    /// answer's last number: "The prime between 10 and 14 is 11." gives 11), else the answer's first line
    /// (at most 160 characters). Nil when there is nothing to give.
    public static func inputValue(_ answer: String, type: TaskType, for dependent: TaskType = .factual) -> String? {
        if type == .math || dependent == .math, let n = Answers.numbers(in: answer).last { return Calculator.format(n) }
        if type == .math { return nil }
        var line = answer.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty } ?? ""
        if line.lowercased().hasPrefix("answer:") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
        guard !line.isEmpty else { return nil }
        return line.count > 160 ? String(line.prefix(157)) + "…" : line
    }

    /// A waiting part's text with its input put in: a number starts a calculation ("Start with 13, then
    /// add 5 to that number", which the calculator reads); anything else is named for the model.
    public static func withInput(_ value: String, from index: Int, text: String, type: TaskType) -> String {
        if Double(value) != nil {
            if type == .math { return "Start with \(value), then \(text.prefix(1).lowercased() + text.dropFirst())" }
            return "Use \(value), the result of part \(index + 1): \(text)"
        }
        return "Use the result of part \(index + 1) (\"\(value)\"): \(text)"
    }

    /// Words that name an earlier result, and verbs that act on one when their operand is left out.
    static let referenceNouns: Set<String> = [
        "number", "value", "amount", "many", "result", "answer", "total", "figure", "name", "city", "country",
        "word", "person", "element", "planet", "year", "date", "sum", "product", "animal", "language", "place",
    ]

    /// Whether a part uses a result that comes before it: the calculator says so, or it names one
    /// ("the result", "that number", "it") after an operation word.
    /// "Start with 40.", "Take 64.": a value to start from, with nothing done to it.
    static func isBareStart(_ text: String) -> Bool {
        if case .failure(let d) = ArithmeticGrammar.read(text), d.reason.contains("a starting value with nothing done to it") { return true }
        return false
    }

    static func calculationRefersBack(_ text: String) -> Bool {
        if case .failure(let d) = ArithmeticGrammar.read(text), d.reason.contains("refers to an earlier result") { return true }
        return false
    }

    static func refersBack(_ text: String) -> Bool {
        switch ArithmeticGrammar.read(text) {
        case .success: return false // a chain complete in itself
        case .failure(let d): if d.reason.contains("refers to an earlier result") { return true }
        }
        let w = Classifier.words(text)
        for (k, word) in w.enumerated() where ["result", "answer"].contains(word) {
            if k > 0, ["the", "that", "this"].contains(w[k - 1]) { return true }
        }
        // "that number", "that atomic number", "this city's name"
        for (i, word) in w.enumerated() where word == "that" || word == "this" {
            if w[(i + 1)..<min(w.count, i + 4)].contains(where: { referenceNouns.contains($0) }) { return true }
        }
        return false
    }
}
