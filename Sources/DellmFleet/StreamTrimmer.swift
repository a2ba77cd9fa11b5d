import DellmRedis
import Logging
import ServiceLifecycle

/// Keeps a process's streams small: every few seconds each stream is trimmed below the oldest entry
/// some group still needs (its oldest pending entry, or what it has not been delivered yet), so no
/// unacknowledged or undelivered work is dropped. One per process, whatever its number of lanes.
public struct StreamTrimmer: Sendable {
    public let streams: [String]
    public var interval: Duration = .seconds(5)
    /// Streams that come and go (the recorder's node streams), asked each round.
    public var more: @Sendable () -> [String] = { [] }

    public init(streams: [String], more: @escaping @Sendable () -> [String] = { [] }) {
        self.streams = Array(Set(streams)).sorted()
        self.more = more
    }

    /// Trimming as a service of the process: a round every `interval` until shutdown; a failed round
    /// (Redis away) is logged and tried again at the next.
    public func service(redis: RedisConnection, logger: Logger) -> any Service {
        PeriodicService(name: "stream trimming", every: interval, logger: logger) { try await trimOnce(redis: redis) }
    }

    public func trimOnce(redis: RedisConnection) async throws {
        for stream in Array(Set(streams + more())).sorted() {
            guard try await redis.command("EXISTS", stream).int == 1 else { continue } // no group reads it yet
            var floor: String?
            for g in try await redis.xinfoGroups(stream: stream) {
                var keep = g.lastDeliveredID
                if g.pending > 0, let oldest = try await redis.xpending(stream: stream, group: g.name, count: 1).first?.id { keep = oldest }
                if let f = floor, StreamID(f) < StreamID(keep) { continue }
                floor = keep
            }
            if let floor, floor != "0-0" {
                try await redis.xtrim(stream: stream, approximateMinID: floor)
            }
        }
    }
}
