@testable import DellmCore
import Testing

/// What a node hands in, and the genome a task carries to it: the wire forms round-trip, and what a
/// node cannot be trusted to send is refused.
struct NodeReportTests {
    static let genome = Genome(id: "g.3", species: "math-specialist", generation: 2, parents: ["a", "b"], specialization: .math,
                               models: ["default", "other"], prompts: ["math-steps", "Solve it: \"x\"\n"], temperatures: [0, 0.7], maxTokens: 192)

    @Test func aTaskCarriesItsGenome() throws {
        let t = TaskJob(queryID: "q", subtaskID: "q.0", index: 0, type: .math, text: "3 apples", attempt: 1, genome: "g.3", budget: 100, spec: Self.genome)
        let back = try Wire.decode(TaskJob.self, v: "1", job: Wire.encode(t))
        #expect(back == t)
        #expect(back.spec?.systemPrompt(1) == "Solve it: \"x\"\n")
    }

    @Test func aGenomeOfAnotherTypeOrBeyondLimitsIsRefused() {
        var wrongType = TaskJob(queryID: "q", subtaskID: "q.0", index: 0, type: .code, text: "t", attempt: 1)
        wrongType.spec = Self.genome
        #expect(throws: Wire.DecodeError.self) { try Wire.decode(TaskJob.self, v: "1", job: Wire.encode(wrongType)) }
        for bad in [Genome.maxTokensLimit + 1, 0] {
            var g = Self.genome
            g.maxTokens = bad
            let t = TaskJob(queryID: "q", subtaskID: "q.0", index: 0, type: .math, text: "t", attempt: 1, spec: g)
            #expect(throws: Wire.DecodeError.self) { try Wire.decode(TaskJob.self, v: "1", job: Wire.encode(t)) }
        }
        var hot = Self.genome
        hot.temperatures = [0, 9]
        #expect(throws: Wire.DecodeError.self) {
            try Wire.decode(TaskJob.self, v: "1", job: Wire.encode(TaskJob(queryID: "q", subtaskID: "q.0", index: 0, type: .math, text: "t", attempt: 1, spec: hot)))
        }
    }

    @Test func anAttemptRoundTripsWithoutTheGenome() throws {
        let task = TaskJob(queryID: "q", subtaskID: "q.2", index: 2, type: .math, text: "3 apples", attempt: 2, spec: Self.genome)
        let record = AttemptRecord(answer: "Answer: 3", votes: [Vote(source: "g.3#1", answer: "3", milliseconds: 12, tokens: 40), Vote(source: "calc", answer: "3", milliseconds: 0)],
                                   confidence: 0.9, tool: nil, error: nil, latencyMilliseconds: 30)
        let a = AttemptJob(task: task, taskStream: "ns:tasks:math", taskEntry: "1-2", genome: "g.3", record: record, owner: "alice", species: "s")
        #expect(a.task.spec == nil) // the node does not send the genome back
        #expect(try Wire.decode(AttemptJob.self, v: "1", job: Wire.encode(a)) == a)
    }

    @Test func anAttemptOutsideItsBoundsIsRefused() throws {
        let task = TaskJob(queryID: "q", subtaskID: "q.0", index: 0, type: .factual, text: "t", attempt: 1)
        let many = AttemptRecord(answer: "x", votes: Array(repeating: Vote(source: "s", answer: "x", milliseconds: 1), count: AttemptJob.maxVotes + 1),
                                 confidence: 0.5, tool: nil, error: nil, latencyMilliseconds: 1)
        #expect(throws: Wire.DecodeError.self) {
            try Wire.decode(AttemptJob.self, v: "1", job: Wire.encode(AttemptJob(task: task, taskStream: "s", taskEntry: "1-1", genome: "g", record: many)))
        }
        let sure = AttemptRecord(answer: "x", votes: [], confidence: 7, tool: nil, error: nil, latencyMilliseconds: 1)
        #expect(throws: Wire.DecodeError.self) {
            try Wire.decode(AttemptJob.self, v: "1", job: Wire.encode(AttemptJob(task: task, taskStream: "s", taskEntry: "1-1", genome: "g", record: sure)))
        }
        let owner = AttemptRecord(answer: "x", votes: [], confidence: 1, tool: nil, error: nil, latencyMilliseconds: 1)
        #expect(throws: Wire.DecodeError.self) {
            try Wire.decode(AttemptJob.self, v: "1", job: Wire.encode(AttemptJob(task: task, taskStream: "s", taskEntry: "1-1", genome: "g", record: owner, owner: "a b")))
        }
    }

    @Test func nodeNamesAndStreams() throws {
        let keys = Keys(namespace: "ns")
        #expect(keys.node(ofAttempts: keys.attempts(node: "n-1")) == "n-1")
        #expect(keys.node(ofAttempts: "ns:verify") == nil)
        try Wire.checkNode("laptop.alice+gpu_2-x")
        for bad in ["", "a:b", "a/b", "a*", "a b", "a~b", String(repeating: "n", count: 65)] {
            #expect(throws: Wire.DecodeError.self) { try Wire.checkNode(bad) }
        }
    }
}
