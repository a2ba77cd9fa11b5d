import Foundation
import Testing
@testable import DellmCore

/// The calculator's dev set (config/eval/calculator-dev.tsv, 210 phrasings tuned on): every question
/// of the kinds the calculator owns is planned as one part and read to its value; a mixed question has
/// a math part that reads to it.
@Suite struct CalculatorDevSetTests {
    static let rows: [(kind: String, question: String, value: Double)] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config/eval/calculator-dev.tsv")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 3, let v = Double(f[2]) else { return nil }
            return (f[0], f[1], v)
        }
    }()

    @Test func theSetIsThere() { #expect(Self.rows.count >= 210) }

    @Test func everyQuestionReadsToItsValue() {
        var wrong: [String] = []
        for row in Self.rows {
            let plan = Planner.plan(row.question)
            let readings = plan.parts.filter { $0.type == .math }.compactMap { ArithmeticGrammar.reading($0.text) }
            let ok: Bool
            if row.kind == "mixed" {
                ok = readings.contains { $0.values.contains { Swift.abs($0 - row.value) < 1e-9 } }
            } else {
                ok = plan.parts.count == 1 && readings.first.map { Swift.abs($0.values.last! - row.value) < 1e-9 } == true
            }
            if !ok { wrong.append("\(row.question) → \(plan.parts.map { "\($0.type): \($0.text)" })") }
        }
        #expect(wrong.isEmpty, "\(wrong.count) of \(Self.rows.count):\n\(wrong.joined(separator: "\n"))")
    }
}
