import Foundation

/// The answer checks of the shared eval (`score.py`), with the same rules: the last number, every
/// number, keywords, Python tests (run here in the sandbox), a minimum length, or all of several.
public indirect enum EvalCheck: Sendable, Equatable {
    case finalNumber(Double)
    case numbers([Double])
    case keywords([String])
    case pythonTests(String)
    case nonempty(Int)
    case all([EvalCheck])

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public init(json: Any) throws {
        guard let o = json as? [String: Any], let kind = o["kind"] as? String else { throw Invalid(description: "a check needs a \"kind\"") }
        func num(_ v: Any?) -> Double? { (v as? NSNumber)?.doubleValue }
        switch kind {
        case "final_number":
            guard let v = num(o["value"]) else { throw Invalid(description: "final_number needs a numeric value") }
            self = .finalNumber(v)
        case "numbers": self = .numbers(((o["values"] as? [Any]) ?? []).compactMap(num))
        case "keywords": self = .keywords((o["all"] as? [String]) ?? [])
        case "python_tests": self = .pythonTests(o["tests"] as? String ?? "")
        case "nonempty": self = .nonempty(o["min_chars"] as? Int ?? 1)
        case "all": self = .all(try ((o["of"] as? [Any]) ?? []).map { try EvalCheck(json: $0) })
        default: throw Invalid(description: "unknown check kind '\(kind)'")
        }
    }

    static func close(_ a: Double, _ b: Double) -> Bool { Swift.abs(a - b) <= 1e-6 * max(1, Swift.abs(b)) }

    public func passes(_ answer: String, sandbox: Sandbox = .shared) async -> Bool {
        switch self {
        case .finalNumber(let v):
            guard let last = Answers.numbers(in: answer).last else { return false }
            return Self.close(last, v)
        case .numbers(let values):
            let found = Answers.numbers(in: answer)
            return values.allSatisfy { v in found.contains { Self.close($0, v) } }
        case .keywords(let words):
            let low = answer.lowercased()
            return words.allSatisfy { low.contains($0.lowercased()) }
        case .pythonTests(let tests):
            return await sandbox.check(code: Self.scorerCode(answer), tests: tests).passed
        case .nonempty(let n):
            return answer.trimmingCharacters(in: .whitespacesAndNewlines).count >= n
        case .all(let checks):
            for c in checks where !(await c.passes(answer, sandbox: sandbox)) { return false }
            return true
        }
    }

    /// score.py's code_in: fenced blocks, else from the first line starting def/import/from, else the text.
    static func scorerCode(_ text: String) -> String {
        let fence = try! NSRegularExpression(pattern: "```(?:python|py)?\\s*\\n(.*?)```", options: [.dotMatchesLineSeparators])
        let ns = text as NSString
        let blocks = fence.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) }
        if !blocks.isEmpty { return blocks.joined(separator: "\n") }
        let start = try! NSRegularExpression(pattern: "^(def |import |from )", options: [.anchorsMatchLines])
        if let m = start.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) { return ns.substring(from: m.range.location) }
        return text
    }
}
