import Foundation
import Testing
@testable import DellmCore

/// The shared eval file, if present beside the checkout: every arithmetic query must be computed by the
/// calculator with the expected value, and multi-part queries must split into the parts their checks need.
@Suite struct EvalShapeTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/eval/queries.jsonl").standardized.path

    static var lines: [[String: Any]] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test(.enabled(if: !lines.isEmpty, "../shared/eval/queries.jsonl not found"))
    func everyArithmeticQueryIsComputed() throws {
        for q in Self.lines where q["type"] as? String == "math" {
            let text = q["query"] as! String
            let check = q["check"] as! [String: Any]
            let parts = Splitter.split(text)
            #expect(parts.count == 1, "\(text)")
            let calc = MathExtractor.calculation(in: text)
            #expect(calc?.value == (check["value"] as? NSNumber)?.doubleValue, "\(text)")
        }
    }

    @Test(.enabled(if: !lines.isEmpty, "../shared/eval/queries.jsonl not found"))
    func multiPartQueriesSplit() throws {
        for q in Self.lines where q["type"] as? String == "mixed" {
            let text = q["query"] as! String
            let parts = Splitter.split(text)
            #expect(parts.count == 2, "\(text) → \(parts.map(\.text))")
        }
    }
}
