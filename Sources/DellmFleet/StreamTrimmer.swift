import DellmRedis
import Logging

/// Keeps a process's streams small: every few seconds each stream is trimmed below the oldest entry
/// some group still needs (its oldest pending entry, or what it has not been delivered yet), so no
/// unacknowledged or undelivered work is dropped. One per process, whatever its number of lanes.
public struct StreamTrimmer: Sendable {
    public let streams: [String]
    public var interval: Duration = .seconds(5)

    public init(streams: [String]) {
        self.streams = Array(Set(streams)).sorted()
    }

    /// Trims until cancelled; a failed round (Redis away) is logged and tried again next interval.
    public func run(redis: RedisConnection, logger: Logger) async {
        while !Task.isCancelled {
            do { try await trimOnce(redis: redis) } catch {
                logger.warning("stream trimming failed; trying again later", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }

    public func trimOnce(redis: RedisConnection) async throws {
        for stream in streams {
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
