import DellmCore
import DellmFleet
import DellmModel
import Foundation
import Testing

/// Through all four roles with the real llama.cpp server and SmolLM2-135M-Instruct.
@Suite(.enabled(if: TestEnv.hasModel, "needs DELLM_TEST_MODEL_URL: a llama.cpp server (run ./ops/test)"))
struct ModelEndToEndTests {
    @Test func theModelServerAnswersOverLibcurl() async throws {
        let model = ModelClient(baseURL: TestEnv.modelURL!)
        #expect(try await model.health())
        let r = try await model.chat(ChatRequest(messages: [.user("Say hello.")], maxTokens: 16))
        #expect(!r.text.isEmpty)
    }

    @Test func aMixedQueryIsAnsweredRightByTheFleet() async throws {
        let config = try TestEnv.config()
        let fleet = try await InProcessFleet.start(config)
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        let id = try await client.submit("What is 15 times 23, and what is the capital of France?", user: "e2e-\(config.namespace)")
        let answers = Collector<AnswerEvent>()
        let missing = try await client.waitForAnswers([id], after: cursor, timeout: .seconds(240)) { answers.add($0) }
        #expect(missing.isEmpty)
        let text = try #require(answers.all.first?.answer)
        #expect(text.contains("345"), "the calculator computed it: \(text)")
        #expect(text.lowercased().contains("paris"), "the model knew it: \(text)")
        await fleet.stop()
    }

    @Test func aCodeRequestComesBackAsCodeThatRunsInTheSandbox() async throws {
        let config = try TestEnv.config()
        let fleet = try await InProcessFleet.start(config)
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        let id = try await client.submit("Write a Python function add(a, b) that returns the sum of a and b.", user: "e2e-\(config.namespace)")
        let answers = Collector<AnswerEvent>()
        _ = try await client.waitForAnswers([id], after: cursor, timeout: .seconds(240)) { answers.add($0) }
        let text = try #require(answers.all.first?.answer)
        let code = try #require(Answers.code(in: text))
        let run = await Sandbox.shared.check(code: code, tests: "assert add(2, 3) == 5")
        #expect(run.passed, "\(text)")
        await fleet.stop()
    }

    /// The real counterpart of GenomeTests' critical query: three attempts by the real model, settled by
    /// their majority (or failed with the reason when no two agree).
    @Test func aCriticalQueryAsksThreeTimesAndSettlesOnTheMajority() async throws {
        let config = try TestEnv.config(extra: ["DELLM_SPOT_RATE": "0"])
        let fleet = try await InProcessFleet.start(config)
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        let id = try await client.submit("What is the capital of France?", user: "e2e-\(config.namespace)", critical: true)
        let answers = Collector<AnswerEvent>()
        let missing = try await client.waitForAnswers([id], after: cursor, timeout: .seconds(240)) { answers.add($0) }
        await fleet.stop()
        #expect(missing.isEmpty)
        let trace = try #require(try await client.store.trace(queryID: id))
        #expect(trace.parts.count == 1 && trace.parts[0].mode == "critical")
        #expect(trace.parts[0].attempts.count >= 2, "a majority needs two answers at least")
        if trace.parts[0].status == "verified" {
            #expect(answers.all.first?.answer?.lowercased().contains("paris") == true, "\(String(describing: answers.all.first))")
        } else {
            #expect(trace.parts[0].note?.contains("no majority") == true)
        }
    }
}
