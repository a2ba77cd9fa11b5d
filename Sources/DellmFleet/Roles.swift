import DellmCore
import DellmModel
import DellmRedis
import Foundation
import Logging

/// The announcement of a query's end on `{ns}:answers`.
func announce(_ e: AnswerEvent, _ config: FleetConfig) -> Emit {
    Emit(config.keys.answers, e, maxLengthApprox: config.followStreamMaxLength)
}

/// ingest: reads `{ns}:queries`, splits each query into typed subtasks by rule, records the query,
/// charges its user once, and enqueues the subtasks on `{ns}:tasks:<type>`.
public struct IngestRole: Role {
    public let config: FleetConfig
    /// Asked to classify a part only where the rules are unsure; nil to use the rules alone.
    public let model: ModelEndpoint?
    /// Where subtasks go: genomes chosen by the performance matrix.
    let routes: RoutingTable
    public var name: String { "ingest" }
    public var streams: [String] { [config.keys.queries] }

    public init(config: FleetConfig, askModelWhenUnsure: Bool = true) {
        self.config = config
        // Classification is one word: when the model is busy with long answers it is skipped after a
        // few seconds (the rule stands), so ingest never waits behind model work.
        self.model = askModelWhenUnsure
            ? ModelEndpoint(client: config.model(timeoutMilliseconds: min(3_000, config.modelTimeoutMilliseconds)),
                            maxConcurrent: config.modelConcurrency, retry: .init(attempts: 1, budget: .seconds(3)))
            : nil
        self.routes = RoutingTable(router: config.router, refreshEvery: .milliseconds(config.routingRefreshMilliseconds))
    }

    /// Where the rules fell back to their default, a tiny model names the type; the rules check that it
    /// is one of the known types, and the decision is recorded either way.
    func refine(_ parts: [Splitter.Part], logger: Logger) async -> [Splitter.Part] {
        guard let model else { return parts }
        var out = parts
        for (i, p) in parts.enumerated() where p.confidence < 0.5 {
            let prompt = "Classify the request as one word: math, code, factual, reasoning or creative.\nRequest: \(p.text)\nType:"
            guard let r = try? await model.chat(ChatRequest(messages: [.user(prompt)], temperature: 0, maxTokens: 4)) else { continue }
            let word = r.text.lowercased().split(whereSeparator: { !$0.isLetter }).first.map(String.init) ?? ""
            if let t = TaskType(rawValue: word), t != .math || Classifier.digitCount(p.text) > 0 {
                out[i].type = t
                out[i].rule = "model (rules unsure): \(t.rawValue)"
            } else {
                out[i].rule += "; model said '\(word.prefix(20))', kept the rule"
            }
        }
        return out
    }

    public func handle(_ entry: StreamEntry, context: LaneContext) async throws -> [Emit] {
        let job: QueryJob
        do {
            job = try Wire.decode(QueryJob.self, v: entry["v"], job: entry["job"])
            try QueryJob.validate(id: job.id)
        } catch {
            throw Poison(error.reason)
        }
        do {
            try QueryJob.validate(query: job.query)
        } catch {
            // A query we can name but not answer: it ends failed, visibly, and the entry is dead-lettered.
            let event = try await context.store.failQuery(id: job.id, user: job.user, text: job.query, reason: error.reason)
            throw Poison(error.reason, emits: event.map { [announce($0, config)] } ?? [])
        }
        let plan = Planner.plan(job.query)
        var parts = plan.parts
        if let problem = plan.problem {
            let reason = "the query cannot be planned: \(problem)"
            let event = try await context.store.failQuery(id: job.id, user: job.user, text: job.query, reason: reason)
            throw Poison(reason, emits: event.map { [announce($0, config)] } ?? [])
        }
        if parts.count > Wire.maxParts {
            let reason = "the query has \(parts.count) parts; the limit is \(Wire.maxParts)"
            let event = try await context.store.failQuery(id: job.id, user: job.user, text: job.query, reason: reason)
            throw Poison(reason, emits: event.map { [announce($0, config)] } ?? [])
        }
        parts = await refine(parts, logger: context.logger)
        let count = job.critical == true ? Store.criticalAnswers : 1
        var genomes: [[String]] = []
        for i in parts.indices {
            let choices = await routes.route(parts[i].type, count: count, store: context.store, logger: context.logger)
            genomes.append(choices.map(\.id))
            if !choices.isEmpty {
                parts[i].rule += "; routed to " + choices.map { "\($0.id) (\($0.reason))" }.joined(separator: ", ")
            }
        }
        let outcome: Store.IngestOutcome
        do { outcome = try await context.store.ingest(job, parts: parts, genomes: genomes) } catch let e as Store.IDTaken { throw Poison(e.description) }
        switch outcome {
        case .finished(let event):
            return [announce(event, config)]
        case .enqueue(let tasks, let backlog):
            context.logger.info("query split", metadata: [
                "query": "\(job.id)", "subtasks": "\(tasks.count)", "types": "\(tasks.map(\.type.rawValue).joined(separator: ","))",
            ])
            let tier = Admission.tier(userBacklog: backlog, share: config.fairShareParts)
            return tasks.map { Emit(config.keys.stream(for: $0, tier: tier), $0) }
        }
    }
}


/// synthesizer: reads `{ns}:synthesize`, assembles the settled parts into one answer, stores it once,
/// and announces it on `{ns}:answers`.
public struct SynthesizerRole: Role {
    public let config: FleetConfig
    public var name: String { "synthesizer" }
    public var streams: [String] { [config.keys.synthesize] }

    public init(config: FleetConfig) { self.config = config }

    public func handle(_ entry: StreamEntry, context: LaneContext) async throws -> [Emit] {
        let job: SynthesizeJob
        do { job = try Wire.decode(SynthesizeJob.self, v: entry["v"], job: entry["job"]) } catch { throw Poison(error.reason) }
        guard let event = try await context.store.synthesize(queryID: job.queryID) else { return [] }
        context.logger.info("query finished", metadata: ["query": "\(job.queryID)", "status": "\(event.status)"])
        return [announce(event, config)]
    }
}

/// verifier: reads `{ns}:verify`, checks each attempt programmatically, records one verdict per
/// attempt, moves the node's trust, and either settles the subtask, asks for another attempt, or —
/// when the whole query is settled — hands it to the synthesizer.
public struct VerifierRole: Role {
    public let config: FleetConfig
    public let verifierID: String
    public var name: String { "verifier" }
    public var streams: [String] { [config.keys.verify] }

    public init(config: FleetConfig, verifierID: String) {
        self.config = config
        self.verifierID = verifierID
    }

    public func handle(_ entry: StreamEntry, context: LaneContext) async throws -> [Emit] {
        let job: VerifyJob
        do { job = try Wire.decode(VerifyJob.self, v: entry["v"], job: entry["job"]) } catch { throw Poison(error.reason) }
        // Checks that take no time are made inside the settling transaction (one round trip fewer); code
        // is checked in the sandbox outside it, so no lock is held while it runs.
        let outcome: Store.VerifyOutcome
        let verdict: Store.Verdict?
        switch try await context.store.settle(job, judge: { Verifier.instantCheck($0) }, verifier: verifierID,
                                              maxAttempts: config.maxAttempts, spotRate: config.spotRate) {
        case .noAttempt:
            throw Poison("no recorded attempt \(job.attempt) of subtask \(job.subtaskID)")
        case .settled(let o, let v):
            (outcome, verdict) = (o, v)
        case .needsCheck(let attempt):
            let v = await Verifier.check(type: attempt.type, task: attempt.text, answer: attempt.answer, error: attempt.error, tool: attempt.tool)
            outcome = try await context.store.settle(job, attempt: attempt, verdict: v, verifier: verifierID,
                                                     maxAttempts: config.maxAttempts, spotRate: config.spotRate)
            verdict = v
        }
        context.logger.info("verdict", metadata: [
            "query": "\(job.queryID)", "subtask": "\(job.subtaskID)", "attempt": "\(job.attempt)",
            "passed": "\(verdict.map { "\($0.passed)" } ?? "-")", "reason": "\(verdict?.reason ?? "the query is gone")",
        ])
        switch outcome {
        case .ask(let tasks): return tasks.map { Emit(config.keys.stream(for: $0), $0) }
        case .synthesize: return [Emit(config.keys.synthesize, SynthesizeJob(queryID: job.queryID))]
        case .nothing: return []
        }
    }
}

/// The programmatic checks of the verifier, per task type.
public enum Verifier {
    /// What code must pass: define the requested function, and satisfy the examples the task states.
    public static func codeTests(task: String) -> [String] {
        guard let name = Answers.requestedFunction(in: task) else { return [] }
        // A smoke call with small arguments: any exception may be a type mismatch, but endless recursion is a bug.
        let arity = Answers.requestedArity(in: task, function: name)
        let smoke = """
            for _arg in (0, 3):
                try:
                    \(name)(*([_arg] * \(arity)))
                except RecursionError:
                    raise AssertionError('\(name) recurses without end')
                except AssertionError:
                    raise
                except Exception:
                    pass
            """
        // A function asked for must not wait on standard input (small models like to add input()).
        let noInput = """
            import builtins
            def _no_input(*_a):
                raise AssertionError('\(name) reads from standard input')
            builtins.input = _no_input
            """
        var tests = [noInput, "assert callable(\(name)), '\(name) is not defined as a function'",
                     exampleTests(Answers.examples(in: task, function: name), function: name), smoke]
        // A function asked to return something computed from its arguments does not return the same
        // value whatever they are (`return x ** 0` for "x squared"). Inputs it cannot take are skipped;
        // at least four must succeed for the check to count.
        if arity > 0, task.range(of: "return", options: .caseInsensitive) != nil {
            tests.append("""
                _outs = []
                for _arg in (-7, -1, 0, 1, 2, 3, 10, 25, 100):
                    try:
                        _outs.append(repr(\(name)(*([_arg] * \(arity)))))
                    except Exception:
                        pass
                if len(_outs) >= 4 and len(set(_outs)) == 1:
                    raise AssertionError('\(name) returns ' + _outs[0] + ' whatever its input')
                """)
        }
        return tests
    }

    /// The task's examples checked as data: each part is read with `ast.literal_eval` inside the box (the
    /// text travels base64-encoded, so no character of it can become code) and the function's result is
    /// compared with the expected value. Prints how many were checked; an example that is not a
    /// Python literal is named and not counted.
    static func exampleTests(_ examples: [Answers.Example], function name: String) -> String {
        let data = JSONValue.array(examples.map { .array([.string($0.arguments), .string($0.expected)]) }).serialized
        let encoded = Data(data.utf8).base64EncodedString()
        return """
            import ast as _ast, base64 as _b64, json as _json
            _checked = 0
            for _i, (_args, _want) in enumerate(_json.loads(_b64.b64decode('\(encoded)').decode('utf-8'))):
                try:
                    _a = _ast.literal_eval('(' + _args + ',)') if _args.strip() else ()
                    _w = _ast.literal_eval(_want)
                except Exception:
                    print('\(exampleUnreadable)', _i + 1)
                    continue
                _got = \(name)(*_a)
                assert _got == _w, 'example %d: \(name)(%s) returned %r, expected %r' % (_i + 1, _args[:80], _got, _w)
                _checked += 1
            print('\(examplesChecked)', _checked)
            """
    }

    static let examplesChecked = "DELLM-EXAMPLES-CHECKED"
    static let exampleUnreadable = "DELLM-EXAMPLE-UNREADABLE"

    /// How many examples a passing run checked, from its output.
    static func checkedExamples(in output: String) -> Int {
        output.split(separator: "\n").last { $0.hasPrefix(examplesChecked + " ") }.flatMap { Int($0.dropFirst(examplesChecked.count + 1)) } ?? 0
    }

    /// The verdict when the check takes no time: every check but running code in the sandbox (nil).
    public static func instantCheck(_ a: Store.AttemptToVerify) -> Store.Verdict? {
        quickCheck(type: a.type, task: a.text, answer: a.answer, error: a.error)
    }

    public static func check(type: TaskType, task: String, answer: String?, error: String?, tool: String?) async -> Store.Verdict {
        if let v = quickCheck(type: type, task: task, answer: answer, error: error) { return v }
        let answer = answer ?? ""
        guard let code = Answers.code(in: answer) else { return .init(passed: false, reason: "no code in the answer") }
        if let name = Answers.requestedFunction(in: task), !code.contains("def \(name)(") {
            return .init(passed: false, reason: "the code does not define \(name)()")
        }
        let tests = Verifier.codeTests(task: task)
        let r = await Sandbox.shared.check(code: code, tests: tests.joined(separator: "\n"))
        guard r.passed else { return .init(passed: false, reason: "sandbox: \(r.detail)") }
        let stated = Answers.requestedFunction(in: task).map { Answers.examples(in: task, function: $0).count } ?? 0
        let checked = Verifier.checkedExamples(in: r.output)
        var what = checked > 0 ? "passes \(checked) example\(checked == 1 ? "" : "s") from the task" : "defines what was asked and runs"
        if stated > checked { what += " (\(stated - checked) example\(stated - checked == 1 ? "" : "s") not readable as Python literals, not checked)" }
        // Running proves little without an example to compare with: such code is not verified.
        if checked == 0 { return .init(passed: true, reason: "unproven: \(what) in the sandbox, but no example from the task tests it", decisive: false) }
        return .init(passed: true, reason: "\(what) in the sandbox")
    }

    /// Every check but running code (nil for an answer to a code task).
    static func quickCheck(type: TaskType, task: String, answer: String?, error: String?) -> Store.Verdict? {
        guard let answer, !answer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return .init(passed: false, reason: "no answer: \(error ?? "empty")")
        }
        // Every arithmetic statement the answer makes is recomputed, whoever wrote it: a wrong one fails
        // (after the task's own expression, where there is one: its reason says more).
        let wrongClaim: Store.Verdict? = type == .code ? nil : ArithmeticClaims.claims(in: answer).first { !$0.holds }.map {
            .init(passed: false, reason: "the answer states \($0.expression) = \(Calculator.format($0.stated)), but it is \(Calculator.format($0.actual))")
        }
        // The task read by the calculator's grammar, once (only math tasks have one to recompute).
        let reading: Result<ArithmeticGrammar.Reading, ArithmeticGrammar.Declined>? = type == .math ? ArithmeticGrammar.read(task) : nil
        if let wrongClaim, case .success = reading {} else if let wrongClaim { return wrongClaim }
        switch type {
        case .math:
            let numbers = Answers.numbers(in: answer)
            if case .success(let r) = reading {
                guard let last = numbers.last else {
                    return .init(passed: false, reason: "the answer has no number; expected \(r.values.map(Calculator.format).joined(separator: " and "))")
                }
                func same(_ a: Double, _ b: Double) -> Bool { Swift.abs(a - b) <= 1e-6 * max(1, Swift.abs(b)) }
                if r.values.count == 1 {
                    if same(last, r.values[0]) { return wrongClaim ?? .init(passed: true, reason: "recomputed \(r.summary)") }
                    return .init(passed: false, reason: "recomputed \(r.summary), the answer says \(Calculator.format(last))")
                }
                // Several results asked for: every one must be in the answer.
                let missing = r.values.filter { v in !numbers.contains { same($0, v) } }
                if missing.isEmpty { return wrongClaim ?? .init(passed: true, reason: "recomputed \(r.summary)") }
                return .init(passed: false, reason: "the answer leaves out \(missing.map(Calculator.format).joined(separator: ", ")) (recomputed \(r.summary))")
            }
            guard !numbers.isEmpty else { return .init(passed: false, reason: "a word problem answered without a number") }
            let claims = ArithmeticClaims.claims(in: answer)
            // A one-line program must be over the problem's own numbers (and common constants).
            if claims.count == 1, !ProgramAided.usesOnlyProblemNumbers(Answers.numbers(in: claims[0].expression).map(Swift.abs), problem: task) {
                return .init(passed: false, reason: "the program \(claims[0].expression) uses numbers the problem does not have")
            }
            let checked = claims.count
            let why: String
            if case .failure(let d) = reading { why = d.reason } else { why = "no reading" }
            return .init(passed: true, reason: "unproven: the calculator does not read the task (\(why)); "
                + (checked > 0 ? "the answer's \(checked) arithmetic statement\(checked == 1 ? "" : "s") hold" : "the answer states no arithmetic to recompute"),
                decisive: false)
        case .code:
            return nil
        case .factual, .reasoning, .creative:
            // A question an exact tool reads is recomputed by it, whoever answered.
            if type == .reasoning, let s = ExactTools.solve(task) {
                if ExactTools.answerGives(answer, s) { return .init(passed: true, reason: "recomputed with the \(s.tool) tool: \(s.working)") }
                return .init(passed: false, reason: "the \(s.tool) tool says \(s.result): \(s.working)")
            }
            if Answers.isRefusal(answer) { return .init(passed: false, reason: "the model refused") }
            if answer.count < 2 { return .init(passed: false, reason: "the answer is too short") }
            if Answers.isLooping(answer) { return .init(passed: false, reason: "the answer repeats itself (a loop)") }
            return .init(passed: true, reason: "unproven: a well-formed \(type.rawValue) answer; no check can prove it", decisive: false)
        }
    }
}

/// The ingest worker's view of the performance matrix: the active genomes with their scores and
/// loads, re-read at most every two seconds; routes made since count toward the load at once.
actor RoutingTable {
    let router: Router
    let refreshEvery: Duration
    private var candidates: [TaskType: [Router.Candidate]] = [:]
    private var loadedAt: ContinuousClock.Instant?
    private var rng = SystemRandomNumberGenerator()

    init(router: Router, refreshEvery: Duration) {
        self.router = router
        self.refreshEvery = refreshEvery
    }

    func route(_ type: TaskType, count: Int, store: Store, logger: Logger) async -> [Router.Choice] {
        if loadedAt == nil || ContinuousClock.now - loadedAt! >= refreshEvery {
            loadedAt = .now
            do {
                var fresh: [TaskType: [Router.Candidate]] = [:]
                for (g, c) in try await store.routingCandidates() { fresh[g.specialization, default: []].append(c) }
                candidates = fresh
            } catch {
                logger.warning("routing table not readable; routing on the last one", metadata: ["error": "\(error)"])
            }
        }
        let choices = router.choose(candidates[type] ?? [], count: count, using: &rng)
        for c in choices {
            if let i = candidates[type]?.firstIndex(where: { $0.id == c.id }) { candidates[type]![i].load += 1 }
        }
        return choices
    }
}
