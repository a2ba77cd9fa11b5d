import DellmCore
import DellmModel
import Foundation
import Logging

/// How a node answers one subtask, whoever asks: the specialist for its tasks, probation for a child
/// genome's probes. Tools first (the calculator, the exact tools), then programs for word problems,
/// then the genome's votes (more while they disagree and the task's budget lasts), code chosen by
/// execution. Arithmetic is computed by the calculator, never by the model.
public struct Answerer: Sendable {
    public let config: FleetConfig
    public let model: ModelEndpoint

    public init(config: FleetConfig, model: ModelEndpoint) {
        self.config = config
        self.model = model
    }

    /// The node's answer to one subtask. Model failures become an attempt with an error, which the
    /// verifier fails and retries, so a dead model never loses the subtask.
    public func answer(_ job: TaskJob, genome: Genome, logger: Logger) async -> AttemptRecord {
        if let exact = Self.exactAnswer(job) { return exact }
        if job.type == .code, let compiled = await Self.taskWords(job) { return compiled }
        var budget = SelfConsistency.Budget(limit: job.budget ?? 0)
        if job.type == .math, config.programSamples > 0, let r = await programAided(job, genome: genome, budget: &budget) { return r }
        let genomes = VotePlan.pair(genome, attempt: job.attempt)
        var errors: [String] = []
        var votes = await ask(genomes, text: job.text, type: job.type, budget: &budget, errors: &errors)
        guard !votes.isEmpty else {
            logger.warning("model failed", metadata: ["subtask": "\(job.subtaskID)", "error": "\(errors.first ?? "")"])
            return .init(answer: nil, votes: [], confidence: 0, tool: nil, error: errors.first ?? "no vote", latencyMilliseconds: 0)
        }
        var (chosen, confidence) = (votes[0], 0.5)
        let sameVote = VotePlan.repeats(genomes)
        if votes.count == 2, !sameVote, let i = agreeing(votes, job, quorum: 2) {
            (chosen, confidence) = (votes[i], 0.9)
        } else if votes.count == 2, job.type == .factual || job.type == .reasoning || job.type == .math {
            (chosen, confidence) = await resolve(job, genome: genome, votes: &votes, sameVote: sameVote, budget: &budget, errors: &errors)
        }
        // A looping or refusing vote loses to one that is not.
        if Answers.isLooping(chosen.answer) || Answers.isRefusal(chosen.answer),
           let better = votes.first(where: { !Answers.isLooping($0.answer) && !Answers.isRefusal($0.answer) }) {
            chosen = better
        }
        if job.type == .code, let (best, agreement) = await chooseByExecution(job, genome: genome, votes: &votes, budget: &budget) {
            chosen = best
            confidence = max(confidence, agreement)
        }
        return .init(answer: chosen.answer, votes: votes, confidence: confidence, tool: job.type == .code ? "sandbox" : nil,
                     error: nil, latencyMilliseconds: 0)
    }

    /// A tool's exact answer (the calculator for arithmetic it reads, an exact tool for reasoning), or nil.
    static func exactAnswer(_ job: TaskJob) -> AttemptRecord? {
        if job.type == .math, let reading = ArithmeticGrammar.reading(job.text) {
            let vote = Vote(source: "calculator", answer: reading.answer, milliseconds: 0)
            return .init(answer: reading.answer, votes: [vote], confidence: 1, tool: "calculator", error: nil, latencyMilliseconds: 0)
        }
        if job.type == .math, let w = WordChains.wordProblem(job.text) {
            let answer = w.answer
            let vote = Vote(source: "word-problem", answer: answer, milliseconds: 0)
            return .init(answer: answer, votes: [vote], confidence: 1, tool: "word-problem", error: nil, latencyMilliseconds: 0)
        }
        if job.type == .reasoning, let s = ExactTools.solve(job.text) {
            let vote = Vote(source: s.tool, answer: s.answer, milliseconds: 0)
            return .init(answer: s.answer, votes: [vote], confidence: 1, tool: s.tool, error: nil, latencyMilliseconds: 0)
        }
        return nil
    }

    /// Code read from the task's words (`CodeSpec`), when every word is read and the program passes what
    /// the sandbox checks (the task's examples, the smoke call) and, on inputs of the kinds it read for the
    /// parameters, fails on at most half and does not answer None to all. Nil otherwise: the model writes
    /// the code. Without an example in the task the verifier still calls it unproven.
    static func taskWords(_ job: TaskJob) async -> AttemptRecord? {
        guard let program = CodeSpec.compile(job.text) else { return nil }
        let started = ContinuousClock.now
        // One box runs both: what the verifier checks (the task's examples, the smoke call), then the harness
        // on inputs of the kinds the words gave the parameters (not guessed from their names: "weeks" is a
        // number there), without the kind guessed from the words after "returns" ("returns the words in
        // words joined with '-'" is a string): the compiler read both. The harness runs only if the checks pass.
        let tests = Verifier.codeTests(task: job.text).joined(separator: "\n")
        let harness = CodeSelection.harness(candidates: [program.code], function: program.function, inputs: program.inputs)
        let run = await Sandbox.shared.check(code: program.code, tests: tests + "\n" + harness)
        guard run.passed, let rows = CodeSelection.outputs(from: run.output), let row = rows.first, CodeSelection.plausible(row, expected: nil)
        else { return nil }
        let answer = "```python\n\(program.code)\n```"
        let vote = Vote(source: "task-words", answer: answer, milliseconds: (ContinuousClock.now - started).milliseconds)
        return .init(answer: answer, votes: [vote], confidence: 0.9, tool: "task-words", error: nil, latencyMilliseconds: 0)
    }

    /// Two votes that disagree: a third vote decides by majority, then more samples while they still
    /// disagree and the budget lasts (self-consistency); without a majority, the first vote stands with
    /// low confidence (the verifier's check decides whether it is retried). The same vote said twice
    /// (`VotePlan.repeats`) counts once.
    func resolve(_ job: TaskJob, genome: Genome, votes: inout [Vote], sameVote: Bool, budget: inout SelfConsistency.Budget,
                 errors: inout [String]) async -> (Vote, Double) {
        let tiebreak = await ask([VotePlan.tiebreak(genome, attempt: job.attempt)], text: job.text, type: job.type, budget: &budget, errors: &errors)
        guard !tiebreak.isEmpty else { return (votes[0], 0.5) } // no third vote: the first stands, unsure
        votes += tiebreak
        var distinct = sameVote ? votes.enumerated().filter { $0.offset != 1 }.map(\.element) : votes
        if agreeing(distinct, job, quorum: 2) == nil {
            var round = 0
            while case let n = budget.more(round: 2, cap: SelfConsistency.cap, estimate: genome.maxTokens), n > 0 {
                let extra = (0..<n).map { VotePlan.sample(genome, attempt: job.attempt, number: 2 * round + $0) }
                let more = await ask(extra, text: job.text, type: job.type, budget: &budget, errors: &errors)
                if more.isEmpty { break }
                votes += more
                distinct += more
                round += 1
                if agreeing(distinct, job, quorum: SelfConsistency.quorum(of: distinct.count)) != nil { break }
            }
        }
        if let i = agreeing(distinct, job, quorum: SelfConsistency.quorum(of: distinct.count)) {
            return (distinct[i], VerdictStore.tiebreakConfidence)
        }
        // A fact asked as a number: the number most votes give, when two or more give it and no other as
        // often (a plurality, still unsure).
        if job.type == .factual, Answers.asksForNumber(job.text), let i = Answers.numericPlurality(distinct.map(\.answer)) {
            return (distinct[i], 0.4)
        }
        return (votes[0], 0.3)
    }
}

extension Answerer {
    /// One vote per plan, asked together; each vote's cost is recorded in `budget`, failures in `errors`.
    func ask(_ plans: [VotePlan], text: String, type: TaskType, budget: inout SelfConsistency.Budget, errors: inout [String]) async -> [Vote] {
        var results: [(Int, Result<ChatResponse, Error>)] = []
        await withTaskGroup(of: (Int, Result<ChatResponse, Error>).self) { group in
            for (i, p) in plans.enumerated() {
                group.addTask { (i, await Result { try await model.chat(p.request(for: text, type: type)) }) }
            }
            for await r in group { results.append(r) }
        }
        var votes: [Vote] = []
        for (i, r) in results.sorted(by: { $0.0 < $1.0 }) {
            switch r {
            case .success(let resp):
                let tokens = resp.completionTokens ?? plans[i].maxTokens
                budget.record(tokens: tokens)
                votes.append(.init(source: plans[i].name, answer: VotePlan.finish(resp.text, for: type), milliseconds: resp.milliseconds, tokens: tokens))
            case .failure(let e):
                errors.append("\(e)")
            }
        }
        return votes
    }

    /// Which vote `quorum` votes agree with: facts by what they name or say (their wording differs from
    /// vote to vote), other types by their normalised text (math: the final number).
    func agreeing(_ vs: [Vote], _ job: TaskJob, quorum: Int) -> Int? {
        SelfConsistency.agreeing(vs.map(\.answer), type: job.type, question: job.text, quorum: quorum)
    }

    /// A word problem the calculator does not read, answered by programs (`ProgramAided`): three samples
    /// (the first at temperature 0, the others at 0.7), two more only when no two agree, up to
    /// `DELLM_PROGRAM_SAMPLES`; each read as an expression over the problem's numbers and computed; the
    /// value most give wins, its program shown. Nil when no sample is a program (the votes then answer).
    func programAided(_ job: TaskJob, genome: Genome, budget: inout SelfConsistency.Budget) async -> AttemptRecord? {
        var messages: [ChatMessage] = [.system(ProgramAided.system)]
        for e in ProgramAided.examples { messages += [.user(e.problem), .assistant(e.program)] }
        messages.append(.user(job.text))
        let modelName = genome.model(0)
        var replies: [(index: Int, text: String, milliseconds: Int, tokens: Int)] = []
        var asked = 0
        while true {
            // The first samples (`DELLM_PROGRAM_SAMPLES`): three, then two more when no two agree. Beyond
            // them, two at a time while no value has more than half of the programs and the budget lasts.
            let round = asked < config.programSamples
                ? (asked == 0 ? min(3, config.programSamples) : min(2, config.programSamples - asked))
                : budget.more(round: 2, cap: max(SelfConsistency.cap, config.programSamples), estimate: ProgramAided.maxTokens)
            if round == 0 { break }
            let first = asked
            var got: [(index: Int, text: String, milliseconds: Int, tokens: Int)] = []
            await withTaskGroup(of: (Int, ChatResponse?).self) { group in
                for k in first..<first + round {
                    let request = ChatRequest(messages: messages, temperature: k == 0 ? 0 : 0.7, maxTokens: ProgramAided.maxTokens,
                                              seed: 101 * job.attempt + k, stop: ["\n"], model: modelName)
                    group.addTask { (k, try? await model.chat(request)) }
                }
                for await (k, r) in group { if let r { got.append((k, r.text, r.milliseconds, r.completionTokens ?? ProgramAided.maxTokens)) } }
            }
            for g in got { budget.record(tokens: g.tokens) }
            replies += got
            asked += round
            if replies.isEmpty { break } // the model is down: the votes path reports it
            let programs = replies.sorted { $0.index < $1.index }.compactMap { ProgramAided.program(in: $0.text, problem: job.text) }
            if programs.isEmpty, asked >= config.programSamples { break } // no program to agree with: the votes answer
            guard let v = ProgramAided.vote(programs, problem: job.text), v.count >= 2 else { continue }
            if asked <= config.programSamples || SelfConsistency.settled(support: v.count, of: programs.count) { break }
        }
        replies.sort { $0.index < $1.index }
        let programs = replies.compactMap { ProgramAided.program(in: $0.text, problem: job.text) }
        guard let (best, count) = ProgramAided.vote(programs, problem: job.text) else { return nil }
        let votes = replies.map { r in
            Vote(source: "program#\(r.index + 1)", answer: r.text.split(separator: "\n").first.map(String.init) ?? "",
                       milliseconds: r.milliseconds, tokens: r.tokens)
        }
        let answer = "\(best.statement)\nAnswer: \(Calculator.format(best.value))"
        return .init(answer: answer, votes: votes, confidence: Double(count) / Double(max(1, replies.count)), tool: "program",
                     error: nil, latencyMilliseconds: 0)
    }
}

extension Answerer {
    /// Code chosen by execution: two more candidates (temperature 0.8) beside the genome's votes, chosen
    /// by `selectByExecution`; when no behaviour is shared by two of them, up to two more samples within
    /// the budget, and the choice again. The chosen vote and the agreement (a share of the passing
    /// candidates); nil when no candidate passes or none is plausible.
    func chooseByExecution(_ job: TaskJob, genome: Genome, votes: inout [Vote], budget: inout SelfConsistency.Budget) async -> (Vote, Double)? {
        votes += await samples(job, genome: genome, numbers: 0..<2, budget: &budget)
        let expected = CodeSelection.expectedKind(task: job.text)
        // Which programs passed the sandbox's check, kept for the second choice (each is checked once).
        var checked: [String: Bool] = [:]
        let first = await selectByExecution(job, votes: votes, expected: expected, checked: &checked)
        // A behaviour two candidates share stands. Otherwise (none plausible, or every plausible one alone
        // in what it does) one more round of samples, within the budget, and the choice again.
        if let first, first.agreeing >= 2 { return (first.vote, first.confidence) }
        // Two, not four: on code2-test four more made 732 completion tokens a query, 7.5 times the single model's 97.
        let n = budget.more(round: 2, cap: SelfConsistency.cap, estimate: genome.maxTokens)
        guard n > 0 else { return first.map { ($0.vote, $0.confidence) } }
        votes += await samples(job, genome: genome, numbers: 2..<(2 + n), budget: &budget)
        return (await selectByExecution(job, votes: votes, expected: expected, checked: &checked) ?? first).map { ($0.vote, $0.confidence) }
    }

    /// A candidate chosen by execution: how many candidates behave as it does, and the confidence that
    /// gives (the share agreeing; 0.8 when no inputs could be made to compare them).
    struct Selection {
        var vote: Vote
        var agreeing: Int
        var confidence: Double
    }

    /// Warm samples of the genome's first prompt (temperature 0.8, a seed per number), their tokens
    /// recorded in the budget.
    func samples(_ job: TaskJob, genome: Genome, numbers: Range<Int>, budget: inout SelfConsistency.Budget) async -> [Vote] {
        let plan = VotePlan.pair(genome, attempt: job.attempt)[0]
        let plans = numbers.map { k in
            var extra = plan
            extra.name = "\(genome.id)#sample\(k + 1)"
            extra.temperature = 0.8
            extra.seed = 53 + 7 * k + 100 * job.attempt
            return extra
        }
        var errors: [String] = []
        return await ask(plans, text: job.text, type: .code, budget: &budget, errors: &errors)
    }

    /// Among the votes whose program passes the task's own tests (or the smoke call), the one whose
    /// behaviour on inputs made from the signature most plausible candidates share (`CodeSelection`), with
    /// the share agreeing; nil when no candidate passes, or when inputs could be made and none is plausible.
    func selectByExecution(_ job: TaskJob, votes: [Vote], expected: CodeSelection.ResultKind?, checked: inout [String: Bool]) async -> Selection? {
        let tests = Verifier.codeTests(task: job.text).joined(separator: "\n")
        let function = Answers.requestedFunction(in: job.text)
        // The same program twice is two samples agreeing: both stay; the sandbox checks it once.
        var passing: [(vote: Vote, code: String)] = []
        for var v in votes {
            guard let raw = Answers.code(in: v.answer) else { continue }
            // Its definitions alone, and a lone function under another name renamed to the one asked for
            // (the answer shows the code so).
            var code = Answers.withMissingImports(Answers.definitionsOnly(raw))
            if let function { code = Answers.renamingFunction(code, to: function) }
            if code != raw { v.answer = "```python\n\(code)\n```" }
            if checked[code] == nil { checked[code] = await Sandbox.shared.check(code: code, tests: tests).passed }
            if checked[code] == true { passing.append((v, code)) }
        }
        guard let first = passing.first else { return nil }
        let unchecked = Selection(vote: first.vote, agreeing: passing.count, confidence: 0.8)
        guard let function, let inputs = CodeSelection.inputs(task: job.text, function: function) else { return unchecked }
        let run = await Sandbox.shared.run(CodeSelection.harness(candidates: passing.map(\.code), function: function, inputs: inputs))
        guard let outputs = CodeSelection.outputs(from: run.stdout), outputs.count == passing.count else { return unchecked }
        guard let (i, agreeing) = CodeSelection.choose(outputs, expected: expected, inputs: inputs) else { return nil }
        return Selection(vote: passing[i].vote, agreeing: agreeing, confidence: Double(agreeing) / Double(passing.count))
    }
}

