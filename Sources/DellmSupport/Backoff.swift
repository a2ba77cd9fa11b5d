/// Exponential backoff with jitter, the one formula of the code base: attempt n waits a random time
/// between half and all of min(cap, base·2ⁿ) (never nothing, so a retry storm still spreads out).
public struct Backoff: Sendable {
    public var baseMilliseconds: Int
    public var capMilliseconds: Int

    public init(baseMilliseconds: Int = 100, capMilliseconds: Int = 5_000) {
        self.baseMilliseconds = baseMilliseconds
        self.capMilliseconds = capMilliseconds
    }

    public func delayMilliseconds(attempt: Int) -> Int {
        let exp = min(attempt, 20)
        let ceiling = min(capMilliseconds, baseMilliseconds << exp)
        return Int.random(in: (ceiling / 2)...max(ceiling / 2, ceiling))
    }

    public func sleep(attempt: Int) async throws {
        try await Task.sleep(for: .milliseconds(delayMilliseconds(attempt: attempt)))
    }
}

extension Duration {
    /// In seconds, for figures and rates.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    /// Whole milliseconds.
    public var milliseconds: Int { Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000) }
    /// Whole nanoseconds, for metrics.
    public var nanoseconds: Int64 {
        let c = components
        return c.seconds * 1_000_000_000 + c.attoseconds / 1_000_000_000
    }
}
