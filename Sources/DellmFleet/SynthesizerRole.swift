import DellmCore
import DellmModel
import DellmRedis
import Foundation
import Logging

/// The announcement of a query's end on `{ns}:answers`, and on its user's own answers stream (capped
/// at about 1,000 events: a submitter's client reads it as it goes).
func announce(_ e: AnswerEvent, _ config: FleetConfig) -> [Emit] {
    [Emit(config.keys.answers, e, maxLengthApprox: config.followStreamMaxLength)]
        + (e.user.map { [Emit(config.keys.answers(user: $0), e, maxLengthApprox: 1_000)] } ?? [])
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
        guard let user = event.user, try await context.redis.command("SISMEMBER", config.keys.submitters, user).int == 1,
              let trace = try await context.store.inspector.trace(queryID: job.queryID) else { return announce(event, config) }
        // A registered submitter reads no database: its own answers stream carries the query's trace too.
        var own = Emit(config.keys.answers(user: user), event, maxLengthApprox: 1_000)
        own.fields.append(("trace", Wire.encode(trace)))
        return [Emit(config.keys.answers, event, maxLengthApprox: config.followStreamMaxLength), own]
    }
}
