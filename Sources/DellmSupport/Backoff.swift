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

    /// Runs `body` until it succeeds, waiting this backoff between attempts while `retryable` says the
    /// error is worth waiting out (an unreachable server) and `deadline`, if any, is not past; `onRetry`
    /// hears each such error with its attempt number. Any other error is thrown at once.
    public func retrying<T>(until deadline: ContinuousClock.Instant? = nil, _ retryable: (any Error) -> Bool,
                            onRetry: (any Error, Int) -> Void = { _, _ in }, _ body: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do { return try await body() } catch {
                guard retryable(error), deadline.map({ ContinuousClock.now < $0 }) ?? true else { throw error }
                attempt += 1
                onRetry(error, attempt)
                try await sleep(attempt: attempt)
            }
        }
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
