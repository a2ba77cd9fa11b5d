import DellmCore
import DellmFleet
import DellmModel
import DellmPostgres
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

    /// The real counterpart of the fault suite's slow-model scenario: a queue longer than the lanes, two
    /// model lanes, claims idle after a second (a real answer takes longer): every vote is asked of
    /// the real model once, counted by a pass-through in front of it.
    @Test func aQueueLongerThanTheLanesAsksTheModelOncePerVote() async throws {
        let proxy = try CountingProxy(upstream: TestEnv.modelURL!)
        defer { proxy.stop() }
        let config = try TestEnv.config(extra: ["DELLM_MODEL_URL": proxy.url, "DELLM_CLAIM_MIN_IDLE_MS": "1000",
                                                "DELLM_CONSUMER_HEARTBEAT_MS": "300", "DELLM_SPOT_RATE": "0"])
        let specialist = SpecialistRole(config: config, types: TaskType.allCases, node: "e2e-\(config.namespace)", owner: "o-\(config.namespace)")
        let fleet = try await InProcessFleet.start(config, roles: [
            IngestRole(config: config, askModelWhenUnsure: false), specialist, specialist, specialist.instantLane,
            VerifierRole(config: config, verifierID: "v"), SynthesizerRole(config: config),
        ])
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        let questions = ["What is the capital of France?", "What is the capital of Japan?", "Which planet is known as the Red Planet?",
                         "Who wrote Romeo and Juliet?", "What is the largest ocean on Earth?", "What is 15 times 23?"]
        var ids: [String] = []
        for q in questions { ids.append(try await client.submit(q, user: "e2e-\(config.namespace)")) }
        let missing = try await client.waitForAnswers(ids, after: cursor, timeout: .seconds(300)) { _ in }
        await fleet.stop()
        #expect(missing.isEmpty)
        let needed = Int(try await client.db.query("""
            SELECT coalesce(sum(a.model_calls), 0) FROM attempts a JOIN subtasks s ON s.id = a.subtask_id WHERE s.query_id = ANY($1::text[])
            """, [PostgresArray.literal(ids)]).first?[0] ?? "") ?? -1
        print("real model, queue of 6 on 2 lanes: \(proxy.answerRequests) model calls for \(needed) votes recorded")
        #expect(proxy.answerRequests == needed, "\(proxy.answerRequests) calls for \(needed) votes")
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
        let trace = try #require(try await client.inspector.trace(queryID: id))
        #expect(trace.parts.count == 1 && trace.parts[0].mode == "critical")
        #expect(trace.parts[0].attempts.count >= 2, "a majority needs two answers at least")
        if trace.parts[0].status == "verified" {
            #expect(answers.all.first?.answer?.lowercased().contains("paris") == true, "\(String(describing: answers.all.first))")
        } else {
            #expect(trace.parts[0].note?.contains("no majority") == true)
        }
    }
}
