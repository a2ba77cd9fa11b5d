import Foundation

/// Small exact tools for questions where a rule is exact and a tiny model is not: the next number of
/// a sequence, weekday arithmetic, an ordering from comparisons, and yes/no syllogisms. Each reads the
/// whole question by its own small grammar or declines (nil); what no tool reads goes to the model.
/// An answer ends with "Answer: …", so the verifier can recompute and compare it.
public enum ExactTools {
    /// Tools that answer exactly and need no model (the calculator and these): their answers say
    /// nothing about a genome and earn nothing (the verifier recomputes them).
    /// Tools that answer without a model (the word-problem rule among them: no model call, no earning,
    /// nothing said about a genome; its answers are not proven, so spot checks still reach them), and
    /// code read from the task's words ("task-words", `CodeSpec`), unproven unless the task has examples.
    public static let names: Set<String> = ["calculator", "sequence", "weekday", "date", "ordering", "syllogism", "word-problem", "task-words"]

    /// Whether an attempt's tool is one of them.
    public static func isExact(_ tool: String?) -> Bool { tool.map(names.contains) ?? false }

    public struct Solution: Sendable, Equatable {
        /// The tool's name, as the trace shows it: "sequence", "weekday", "ordering", "syllogism".
        public var tool: String
        /// The result alone: "25", "Thursday", "Mia", "yes".
        public var result: String
        /// How it was found, one line.
        public var working: String
        public var answer: String { "\(working)\nAnswer: \(result)" }
    }

    /// The first tool that reads `text`, or nil.
    public static func solve(_ text: String) -> Solution? {
        guard text.utf8.count <= 2_000 else { return nil }
        return Sequences.solve(text) ?? Dates.solve(text) ?? Weekdays.solve(text) ?? Orderings.solve(text) ?? Syllogisms.solve(text)
    }

    /// Whether an answer gives the tool's result: its last number for a number, else the result as a
    /// word of the answer's last line that names one (case-insensitive).
    public static func answerGives(_ answer: String, _ s: Solution) -> Bool {
        if let want = Double(s.result) {
            return Answers.numbers(in: answer).last.map { Swift.abs($0 - want) < 1e-9 } ?? false
        }
        let words = Classifier.words(answer)
        let result = s.result.lowercased()
        if result == "yes" || result == "no" {
            // The first yes or no the answer says.
            return words.first { $0 == "yes" || $0 == "no" } == result
        }
        let resultWords = Classifier.words(result)
        return words.indices.contains { i in i + resultWords.count <= words.count && Array(words[i..<i + resultWords.count]) == resultWords }
    }

    static func sentences(_ text: String) -> [String] {
        text.split(whereSeparator: { ".?!;".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
