@testable import DellmCore
import Foundation
import Testing

/// The seeded generator of the economy's properties (SplitMix64): a failing input is found again from the seed printed.
typealias SplitMix = EconomyTests.Rng

/// Bounded randomized fuzzing of what reads untrusted text: the wire decoder, the splitter, the
/// calculator and the answer scanners. Each run is bounded in count and time and prints how many
/// inputs it tried; a crash or a hang fails the suite (the test runner dies or times out).
struct FuzzTests {
    static let seed = UInt64(ProcessInfo.processInfo.environment["DELLM_FUZZ_SEED"] ?? "") ?? 0x5EED_D311
    static let budget = Duration.seconds(Double(ProcessInfo.processInfo.environment["DELLM_FUZZ_SECONDS"] ?? "") ?? 5)

    /// Pieces a hostile input is made of: JSON syntax, wire keys, escapes, NUL, huge numbers, nesting,
    /// words the splitter and the calculator act on, non-ASCII digits and separators.
    static let atoms: [String] = [
        "{", "}", "[", "]", ":", ",", "\"", "\\", "\\u0000", "\\ud800", "\\u00e9", "\u{0}", "null", "true", "false",
        "\"id\"", "\"query\"", "\"user\"", "\"query_id\"", "\"subtask_id\"", "\"attempt\"", "\"index\"", "\"type\"", "\"text\"",
        "\"math\"", "\"code\"", "1", "-1", "0", "3000000000", "1e308", "-0.5", "99999999999999999999", "2.5e-3",
        "(", ")", "+", "-", "*", "/", "^", "%", "sqrt", "x", "×", "÷", "−", " and ", " then ", "; ", "? ", ". ", " also ",
        "What is ", "Compute ", "Write a Python function f(x) ", "times", "plus", "percent of", "half of", "twice",
        "١٢", "٣", "\u{00A0}", "\r\n", "\n", "😀", "é", "'", "returns ", "def ", "```", " ",
    ]

    static func input<G: RandomNumberGenerator>(_ rng: inout G, maxAtoms: Int = 40) -> String {
        var s = ""
        for _ in 0..<Int.random(in: 0...maxAtoms, using: &rng) {
            if Int.random(in: 0..<8, using: &rng) == 0 {
                s.unicodeScalars.append(Unicode.Scalar(UInt8.random(in: 0...127, using: &rng)))
            } else {
                s += atoms.randomElement(using: &rng)!
            }
        }
        return s
    }

    /// A valid job with one field replaced by fuzz, so the decoder's deeper paths are reached.
    static func job<G: RandomNumberGenerator>(_ rng: inout G) -> String {
        let fuzz = input(&rng, maxAtoms: 6).replacingOccurrences(of: "\"", with: "\\\"")
        let templates = [
            #"{"id":"F","query":"What is 2 + 2?","user":"u"}"#,
            #"{"id":"q1","query":"F","user":"F"}"#,
            #"{"query_id":"q1","subtask_id":"q1.F","index":0,"type":"math","text":"F","attempt":1}"#,
            #"{"query_id":"F","subtask_id":"q1.0","attempt":F}"#,
            #"{"query_id":"q1","status":"F","answer":"F"}"#,
        ]
        return templates.randomElement(using: &rng)!.replacingOccurrences(of: "F", with: fuzz)
    }

    /// Runs `body` on a thread of its own (not the cooperative pool, which the other tests share),
    /// until the count or the time budget is spent.
    /// `body` returns what is wrong with one input, or nil; the first few are reported.
    func run(_ name: String, _ body: @escaping @Sendable (inout SplitMix) -> String?) async -> Int {
        let seed = name.utf8.reduce(Self.seed) { $0 &* 31 &+ UInt64($1) }
        let budget = Self.budget
        let (n, failures): (Int, [String]) = await withCheckedContinuation { done in
            Thread.detachNewThread {
                var rng = SplitMix(state: seed)
                let start = ContinuousClock.now
                var n = 0
                var failures: [String] = []
                while n < 200_000 && ContinuousClock.now - start < budget {
                    if let f = body(&rng), failures.count < 5 { failures.append(f) }
                    n += 1
                }
                print("fuzz \(name): \(n) inputs in \(ContinuousClock.now - start), \(failures.count) failing (seed \(Self.seed))")
                done.resume(returning: (n, failures))
            }
        }
        #expect(failures.isEmpty, "\(failures)")
        return n
    }

    @Test func theWireDecoderRefusesOrReadsEveryInput() async {
        let n = await run("wire") { rng in
            let text = Bool.random(using: &rng) ? Self.job(&rng) : Self.input(&rng)
            if let q = try? Wire.decode(QueryJob.self, v: "1", job: text) {
                if q.id.utf8.contains(0) || q.query.utf8.contains(0) || q.user?.utf8.contains(0) == true { return "NUL passed: \(text)" }
                if (try? QueryJob.validate(id: q.id)) == nil { return "an invalid id passed: \(text)" }
            }
            if let t = try? Wire.decode(TaskJob.self, v: "1", job: text),
               !(t.attempt >= 1 && t.attempt <= Wire.maxAttempt && t.subtaskID.hasPrefix(t.queryID + ".")) {
                return "an invalid task passed: \(text)"
            }
            _ = try? Wire.decode(VerifyJob.self, v: "1", job: text)
            _ = try? Wire.decode(SynthesizeJob.self, v: "1", job: text)
            _ = try? Wire.decode(AnswerEvent.self, v: "1", job: text)
            return nil
        }
        #expect(n > 100)
    }

    @Test func theSplitterAndTheCalculatorTakeAnyText() async {
        let n = await run("text") { rng in
            let text = Self.input(&rng, maxAtoms: 80)
            if Splitter.split(text).isEmpty { return "no part: \(text)" }
            if let c = MathExtractor.calculation(in: text), !c.value.isFinite { return "not finite: \(text)" }
            if let v = try? Calculator.evaluate(text), !v.isFinite { return "not finite: \(text)" }
            _ = Answers.numbers(in: text)
            _ = Answers.cleaned(text)
            _ = Answers.isLooping(text)
            _ = Answers.majority(.factual, [text, String(text.reversed()), text], quorum: 2, question: text)
            return nil
        }
        #expect(n > 100)
    }

    /// Inputs built to be deep or long, which random ones rarely are.
    @Test func deepAndLongInputsAreBounded() throws {
        #expect(throws: Calculator.Failure.self) { try Calculator.evaluate(String(repeating: "(", count: 50_000) + "1" + String(repeating: ")", count: 50_000)) }
        #expect(throws: Calculator.Failure.self) { try Calculator.evaluate(String(repeating: "-", count: 50_000) + "1") }
        _ = MathExtractor.calculation(in: "What is " + String(repeating: "(", count: 30_000) + "2" + String(repeating: ")", count: 30_000) + "?")
        let nested = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: Wire.DecodeError.self) { try Wire.decode(QueryJob.self, v: "1", job: nested) }
        // A 64 KiB question of thousands of parts splits in bounded time (it was quadratic).
        let many = String(repeating: "What is 2 + 2? ", count: 4_300).prefix(Wire.maxQueryBytes)
        let start = ContinuousClock.now
        let parts = Splitter.split(String(many))
        let took = ContinuousClock.now - start
        print("split a \(many.utf8.count)-byte query into \(parts.count) parts in \(took)")
        #expect(parts.count > Wire.maxParts, "ingest refuses it by its part count")
    }
}
