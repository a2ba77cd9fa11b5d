import Foundation
import Testing
@testable import DellmCore

/// `dellm eval` must score exactly as ../shared/eval/score.py does.
@Suite struct EvalCheckTests {
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/eval").standardized
    static var available: Bool {
        FileManager.default.fileExists(atPath: shared.appendingPathComponent("score.py").path) && Sandbox.shared.isAvailable
    }

    @Test(.enabled(if: available, "needs ../shared/eval/score.py and bubblewrap"))
    func agreesWithScorePy() async throws {
        let queries = try String(contentsOf: Self.shared.appendingPathComponent("queries.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        // Candidate answers of every shape: right, wrong, numbers out of order, code, refusals.
        let candidates = ["345", "The answer is 345.", "345 or 12", "Paris, 42 and 100 Tokyo", "```python\ndef is_even(n):\n    return n % 2 == 0\n```",
                          "def add(a, b):\n    return a + b", "1,517", "12.0", "I cannot", "Roses are red, the sea is blue", "144\n```python\ndef double(x):\n    return 2*x\n```",
                          "425 and 401", "Au", "Shakespeare wrote it", "366 days", "Mars", ""]
        var qlines: [String] = [], alines: [String] = []
        var expected: [String: Bool] = [:]
        for q in queries {
            let check = try EvalCheck(json: q["check"]!)
            for (i, c) in candidates.enumerated() {
                let id = "\(q["id"]!)#\(i)"
                var q2 = q
                q2["id"] = id
                qlines.append(String(decoding: try JSONSerialization.data(withJSONObject: q2), as: UTF8.self))
                alines.append(String(decoding: try JSONSerialization.data(withJSONObject: ["id": id, "answer": c]), as: UTF8.self))
                expected[id] = await check.passes(c)
            }
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evalcheck-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try qlines.joined(separator: "\n").write(to: dir.appendingPathComponent("q.jsonl"), atomically: true, encoding: .utf8)
        try alines.joined(separator: "\n").write(to: dir.appendingPathComponent("a.jsonl"), atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = [Self.shared.appendingPathComponent("score.py").path, dir.appendingPathComponent("q.jsonl").path,
                       dir.appendingPathComponent("a.jsonl").path, "--verbose"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        var compared = 0
        for line in out.split(separator: "\n") where line.hasPrefix("PASS ") || line.hasPrefix("FAIL ") {
            let id = String(line.dropFirst(5).prefix { $0 != ":" })
            #expect(expected[id] == line.hasPrefix("PASS"), "\(id): score.py says \(line.prefix(4))")
            compared += 1
        }
        #expect(compared == expected.count)
    }
}
