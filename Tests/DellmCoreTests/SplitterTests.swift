import Testing
@testable import DellmCore

@Suite struct SplitterTests {
    func texts(_ q: String) -> [String] { Splitter.split(q).map(\.text) }
    func types(_ q: String) -> [TaskType] { Splitter.split(q).map(\.type) }

    @Test func keepsASingleTaskWhole() {
        #expect(texts("What is 15 times 23?") == ["What is 15 times 23?"])
        #expect(texts("Add 250 and 175") == ["Add 250 and 175"])
        #expect(texts("Who wrote Romeo and Juliet?") == ["Who wrote Romeo and Juliet?"])
    }

    @Test func splitsOnAndBeforeAQuestion() {
        #expect(texts("What is 15 times 23, and what is the capital of France?") == ["What is 15 times 23", "what is the capital of France?"])
        #expect(types("What is the capital of France and what is 6 times 7?") == [.factual, .math])
    }

    @Test func splitsOnSemicolonAndThen() {
        #expect(texts("Add 250 and 175; then subtract 99 from 500.") == ["Add 250 and 175", "subtract 99 from 500."])
        #expect(texts("Calculate 10% of 1000 then tell me the capital of Japan.") == ["Calculate 10% of 1000", "tell me the capital of Japan."])
        #expect(types("Compute 12 * 12, then write a Python function double(x) that returns 2*x.") == [.math, .code])
    }

    @Test func splitsSeveralQuestions() {
        #expect(texts("What is the capital of Japan? Who wrote Hamlet?") == ["What is the capital of Japan?", "Who wrote Hamlet?"])
    }

    @Test func keepsWordProblemsWhole() {
        let q = "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?"
        #expect(texts(q) == [q])
        #expect(types(q) == [.math])
    }

    @Test func keepsCodeRequestsWhole() {
        let q = "Write a Python function add(a, b) that returns the sum of a and b."
        #expect(texts(q) == [q])
        #expect(types(q) == [.code])
    }

    @Test func indexesFollowTheQueryOrder() {
        #expect(Splitter.split("What is 1 plus 1; what is 2 plus 2; what is 3 plus 3").map(\.index) == [0, 1, 2])
    }
}

@Suite struct ClassifierTests {
    @Test(arguments: [
        ("Compute 15 * 23.", TaskType.math), ("What is the capital of France?", .factual),
        ("Write a Python function is_even(n) that returns True if n is even.", .code),
        ("Write a two-line poem about the sea.", .creative), ("Suggest a name for a coffee shop.", .creative),
        ("Write one sentence describing autumn.", .creative), ("How many moons does Mars have?", .factual),
        ("Why is the sky blue?", .reasoning), ("Who wrote Romeo and Juliet?", .factual),
    ])
    func classifies(_ text: String, _ expected: TaskType) {
        #expect(Classifier.classify(text).type == expected)
    }
}

@Suite struct WireTests {
    @Test func roundTripsAJob() throws {
        let job = TaskJob(queryID: "q", subtaskID: "q.0", index: 0, type: .math, text: "1+1", attempt: 1)
        let f = Wire.fields(job)
        let back = try Wire.decode(TaskJob.self, v: f[0].1, job: f[1].1)
        #expect(back == job)
    }

    @Test func refusesUnknownVersionsAndMalformedJSON() {
        #expect(throws: Wire.DecodeError("unknown schema version v=2 (this worker reads v=1)")) {
            try Wire.decode(QueryJob.self, v: "2", job: "{}")
        }
        #expect(throws: Wire.DecodeError("malformed JSON in 'job'")) { try Wire.decode(QueryJob.self, v: "1", job: "{nope") }
        #expect(throws: Wire.DecodeError("job is missing 'query'")) { try Wire.decode(QueryJob.self, v: "1", job: #"{"id":"x"}"#) }
        #expect(throws: Wire.DecodeError.self) { try Wire.decode(QueryJob.self, v: nil, job: "{}") }
    }

    @Test func validatesQueries() {
        #expect(throws: Wire.DecodeError.self) { try QueryJob.validate(query: "  \n") }
        #expect(throws: Wire.DecodeError.self) { try QueryJob.validate(query: String(repeating: "a", count: 64 * 1024 + 1)) }
        #expect(throws: Never.self) { try QueryJob.validate(query: String(repeating: "a", count: 64 * 1024)) }
    }
}

@Suite struct AnswersTests {
    @Test func extractsCode() {
        #expect(Answers.code(in: "Here:\n```python\ndef f(x):\n    return x\n```\nDone") == "def f(x):\n    return x")
        #expect(Answers.code(in: "def g():\n  pass") == "def g():\n  pass")
        #expect(Answers.requestedFunction(in: "Write a Python function is_even(n) that returns True") == "is_even")
    }

    @Test func normalisesVotes() {
        #expect(Answers.normalized("The answer is 345.") == Answers.normalized("345"))
        #expect(Answers.normalized("Paris.") == Answers.normalized("paris"))
    }

    @Test func cutsRepetitionLoops() {
        let looped = "Roses are red and blue today\nThe sea is wide and deep and blue\nThe sea is wide and deep and blue\nThe sea is wide and deep and blue"
        #expect(Answers.cleaned(looped) == "Roses are red and blue today\nThe sea is wide and deep and blue")
    }
}
