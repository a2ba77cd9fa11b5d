import DellmCore
import DellmModel
import DellmRedis
import Foundation
import Logging

/// verifier: reads `{ns}:verify`, checks each attempt programmatically, records one verdict per
/// attempt, moves the node's trust, and either settles the subtask, asks for another attempt, or —
/// when the whole query is settled — hands it to the synthesizer.
public struct VerifierRole: Role {
    public let config: FleetConfig
    public let verifierID: String
    /// The genomes re-asked tasks carry to their nodes.
    let directory = GenomeDirectory()
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
        let outcome: VerdictStore.VerifyOutcome
        let verdict: Verdict?
        switch try await context.store.verdicts.settle(job, judge: { Verifier.instantCheck($0) }, verifier: verifierID,
                                              maxAttempts: config.maxAttempts, spotRate: config.spotRate) {
        case .noAttempt:
            throw Poison("no recorded attempt \(job.attempt) of subtask \(job.subtaskID)")
        case .settled(let o, let v):
            (outcome, verdict) = (o, v)
        case .needsCheck(let attempt):
            let v = await Verifier.check(type: attempt.type, task: attempt.text, answer: attempt.answer, error: attempt.error, tool: attempt.tool)
            outcome = try await context.store.verdicts.settle(job, attempt: attempt, verdict: v, verifier: verifierID,
                                                     maxAttempts: config.maxAttempts, spotRate: config.spotRate)
            verdict = v
        }
        context.logger.info("verdict", metadata: [
            "query": "\(job.queryID)", "subtask": "\(job.subtaskID)", "attempt": "\(job.attempt)",
            "passed": "\(verdict.map { "\($0.passed)" } ?? "-")", "reason": "\(verdict?.reason ?? "the query is gone")",
        ])
        switch outcome {
        case .ask(let tasks):
            return await directory.issue(tasks, keys: config.keys, store: context.store, logger: context.logger).map { Emit(config.keys.stream(for: $0), $0) }
        case .synthesize: return [Emit(config.keys.synthesize, SynthesizeJob(queryID: job.queryID))]
        case .nothing: return []
        }
    }
}
