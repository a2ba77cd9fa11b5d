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
        for var part in parts {
            guard refersBack(part.text) else {
                merged.append(part)
                inputs.append([])
                continue
            }
            guard let previous = merged.last else {
                problem = problem ?? "part \(merged.count + 1) ('\(part.text.prefix(60))') uses an earlier result, but nothing comes before it"
                merged.append(part)
                inputs.append([])
                continue
            }
            let joined = previous.text.trimmingCharacters(in: CharacterSet(charactersIn: " .;,")) + ", then " + part.text
            if ArithmeticGrammar.reading(joined) != nil {
                var chain = previous
                chain.text = joined
                chain.type = .math
                chain.rule = "a chain: each step uses the result before it (calculator reads every word)"
                chain.confidence = 1
                merged[merged.count - 1] = chain
                continue
            }
            let from = merged.count - 1
            if let value = ArithmeticGrammar.reading(previous.text)?.values.last {
                part.text = "Use \(Calculator.format(value)), the result of part \(from + 1): \(part.text)"
                part.rule += "; uses the result of part \(from + 1) (\(Calculator.format(value)), computed at planning)"
            } else {
                part.rule += "; uses the result of part \(from + 1), which a model answers: not put in"
            }
            merged.append(part)
            inputs.append([from])
        }
        for i in merged.indices { merged[i].index = i }
        parts = merged
        return Plan(parts: parts, inputs: inputs, problem: problem)
    }

    /// Words that name an earlier result, and verbs that act on one when their operand is left out.
    static let referenceWords: Set<String> = ["it", "that", "this", "result", "answer", "total", "sum", "product"]

    /// Whether a part uses a result that comes before it: the calculator says so, or it names one
    /// ("the result", "that number", "it") after an operation word.
    static func refersBack(_ text: String) -> Bool {
        switch ArithmeticGrammar.read(text) {
        case .success: return false // a chain complete in itself
        case .failure(let d): if d.reason.contains("refers to an earlier result") { return true }
        }
        let w = Classifier.words(text)
        for (k, word) in w.enumerated() where ["result", "answer"].contains(word) {
            if k > 0, ["the", "that", "this"].contains(w[k - 1]) { return true }
        }
        if let i = w.firstIndex(where: { ["that", "this"].contains($0) }), i + 1 < w.count, ["number", "value", "amount", "many"].contains(w[i + 1]) { return true }
        return false
    }
}
