@testable import DellmCore
import Foundation
import Testing

/// The hand-written JSON of the wire jobs against Foundation's: the same text written, the same jobs
/// read, the same errors.
struct WireJSONTests {
    static let awkward = "say \"hi\"\\ / \n\t\r\u{08}\u{0C}\u{01}\u{1F} é 😀 \u{2028}"

    func foundation<T: Encodable>(_ v: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try e.encode(v), as: UTF8.self)
    }

    @Test func writesWhatJSONEncoderWrites() throws {
        let jobs = [
            TaskJob(queryID: "q", subtaskID: "q.0", index: 3, type: .code, text: Self.awkward, attempt: 2, genome: "g1.2", avoid: ["a", Self.awkward], budget: 266),
            TaskJob(queryID: "q", subtaskID: "q.1", index: 0, type: .math, text: "", attempt: 1),
        ]
        for j in jobs { #expect(Wire.encode(j) == (try foundation(j))) }
        let q = QueryJob(id: "id", query: Self.awkward, user: nil, critical: true)
        #expect(Wire.encode(q) == (try foundation(q)))
        let a = AnswerEvent(queryID: "id", status: "failed", answer: nil, error: Self.awkward)
        #expect(Wire.encode(a) == (try foundation(a)))
        #expect(Wire.encode(VerifyJob(queryID: "x", subtaskID: "x.0", attempt: 7)) == (try foundation(VerifyJob(queryID: "x", subtaskID: "x.0", attempt: 7))))
    }

    @Test func readsWhatJSONEncoderWrites() throws {
        let j = TaskJob(queryID: "q", subtaskID: "q.3", index: 3, type: .factual, text: Self.awkward, attempt: 2, avoid: [], budget: 10)
        #expect(try Wire.decode(TaskJob.self, v: "1", job: try foundation(j)) == j)
        // Escapes JSONEncoder does not write but other clients may: \u, surrogate pairs, \/.
        let other = #"{"id":"a\u002d1","query":"a\u00e9\ud83d\ude00\/","user":null,"extra":{"nested":[1,2.5e3,true]}}"#
        let q = try Wire.decode(QueryJob.self, v: "1", job: other)
        #expect(q.id == "a-1")
        #expect(q.query == "aé😀/")
        #expect(q.user == nil)
    }

    @Test func refusesWhatIsNotAJob() {
        let cases: [(String, String)] = [
            ("{nope", "malformed JSON in 'job'"),
            ("", "malformed JSON in 'job'"),
            (#"{"id":"a","query":"b"} trailing"#, "malformed JSON in 'job'"),
            (#"{"id":"a","query":"b\ud800"}"#, "malformed JSON in 'job'"), // a lone surrogate
            ("{\"id\":\"a\",\"query\":\"tab\tinside\"}", "malformed JSON in 'job'"), // a raw control character
            (#"{"id":01,"query":"b"}"#, "malformed JSON in 'job'"),
            (String(repeating: "[", count: 100) + String(repeating: "]", count: 100), "malformed JSON in 'job'"),
            ("[]", "job has a wrong type at ''"),
            (#"{"id":1,"query":"x"}"#, "job has a wrong type at 'id'"),
            (#"{"id":"x"}"#, "job is missing 'query'"),
            (#"{"id":null,"query":"x"}"#, "job has null at 'id'"),
            (#"{"id":"a","query":"b","critical":"yes"}"#, "job has a wrong type at 'critical'"),
        ]
        for (json, reason) in cases {
            #expect(throws: Wire.DecodeError(reason), "\(json)") { try Wire.decode(QueryJob.self, v: "1", job: json) }
        }
        #expect(throws: Wire.DecodeError("job has a wrong type at 'avoid.Index 1'")) {
            try Wire.decode(TaskJob.self, v: "1", job: #"{"query_id":"q","subtask_id":"q.0","index":0,"type":"math","text":"t","attempt":1,"avoid":["a",2]}"#)
        }
        #expect(throws: Wire.DecodeError("job has a wrong type at 'attempt'")) {
            try Wire.decode(TaskJob.self, v: "1", job: #"{"query_id":"q","subtask_id":"q.0","index":0,"type":"math","text":"t","attempt":1.5}"#)
        }
        #expect(throws: Wire.DecodeError("job has an unknown task type 'poetry' at 'type'")) {
            try Wire.decode(TaskJob.self, v: "1", job: #"{"query_id":"q","subtask_id":"q.0","index":0,"type":"poetry","text":"t","attempt":1}"#)
        }
    }

    @Test func numbersAreScannedAsTheScorerReadsThem() {
        #expect(Answers.numbers(in: "15 × 23 = 345.") == [15, 23, 345])
        #expect(Answers.numbers(in: "-5, 1,234.5 and 3. then 0.25") == [-5, 1234.5, 3, 0.25])
        #expect(Answers.numbers(in: "a-b --7 x-") == [-7])
        #expect(Answers.numbers(in: "١٢ apples") == [], "other scripts' digits are matched, as by \\d, but are no Double")
        #expect(Answers.numbers(in: "") == [])
    }
}
