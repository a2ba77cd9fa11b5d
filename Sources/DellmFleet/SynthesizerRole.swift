import DellmCore
import DellmModel
import DellmRedis
import Foundation
import Logging

/// The announcement of a query's end on `{ns}:answers`.
func announce(_ e: AnswerEvent, _ config: FleetConfig) -> Emit {
    Emit(config.keys.answers, e, maxLengthApprox: config.followStreamMaxLength)
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
