import DellmSupport
import Foundation
import Metrics

/// A counting semaphore for async code: at most `limit` holders at once, waiters served in order.
public actor AsyncLimiter {
    private let limit: Int
    private var inUse = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(limit: Int) { self.limit = max(1, limit) }

    public func acquire() async {
        if inUse < limit {
            inUse += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    public func release() {
        if waiters.isEmpty {
            inUse -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }

    public var current: Int { inUse }
}

/// Calls to one model endpoint with the fleet's manners: at most `maxConcurrent` requests in flight
/// from this process, retries with exponential backoff and jitter within a per-call budget, and a
/// breaker that skips an endpoint that keeps failing for a while. A 503 while the model loads is
/// "busy": it is waited out, and does not trip the breaker.
public actor ModelEndpoint {
    public let client: ModelClient
    public let retry: RetryPolicy
    private let limiter: AsyncLimiter
    private var consecutiveFailures = 0
    private var openUntil: ContinuousClock.Instant?

    public struct RetryPolicy: Sendable {
        /// Attempts per call (the first included).
        public var attempts: Int
        public var backoff: Backoff
        /// Failures in a row after which the endpoint is skipped…
        public var breakerThreshold: Int
        /// …for this long.
        public var breakerCooldown: Duration
        /// The time one call may spend retrying and waiting out the breaker or a loading model.
        public var budget: Duration

        public init(attempts: Int = 4, backoff: Backoff = Backoff(baseMilliseconds: 200, capMilliseconds: 5_000),
                    breakerThreshold: Int = 5, breakerCooldown: Duration = .seconds(5), budget: Duration = .seconds(30)) {
            self.attempts = attempts
            self.backoff = backoff
            self.breakerThreshold = breakerThreshold
            self.breakerCooldown = breakerCooldown
            self.budget = budget
        }
    }

    private func record(_ result: Result<ChatResponse, Error>, elapsed: Duration) {
        let endpoint = [("endpoint", client.baseURL)]
        Timer(label: "dellm_model_call_duration_seconds", dimensions: endpoint).recordNanoseconds(elapsed.nanoseconds)
        switch result {
        case .success(let r):
            Counter(label: "dellm_model_calls_total", dimensions: endpoint + [("outcome", "ok")]).increment()
            let seconds = elapsed.seconds
            if let tokens = r.completionTokens, seconds > 0 {
                Recorder(label: "dellm_model_tokens_per_second", dimensions: endpoint, aggregate: false).record(Double(tokens) / seconds)
            }
        case .failure(let e):
            let kind = (e as? ModelError).map { "\($0.kind)" } ?? "error"
            Counter(label: "dellm_model_calls_total", dimensions: endpoint + [("outcome", kind)]).increment()
        }
    }

    public init(client: ModelClient, maxConcurrent: Int = 4, retry: RetryPolicy = RetryPolicy()) {
        self.client = client
        self.retry = retry
        self.limiter = AsyncLimiter(limit: maxConcurrent)
    }

    /// Whether the breaker currently skips this endpoint.
    public var isOpen: Bool {
        if let until = openUntil, ContinuousClock.now < until { return true }
        return false
    }

    public func chat(_ request: ChatRequest) async throws -> ChatResponse {
        let deadline = ContinuousClock.now + retry.budget
        var lastError: Error = ModelError(.unavailable, "no attempt made")
        var attempt = 0
        var waits = 0
        while true {
            if let until = openUntil, ContinuousClock.now < until {
                // Skipped for a while: wait it out if the budget allows, else give up with the reason.
                guard until < deadline else {
                    throw ModelError(.unavailable, "model at \(client.baseURL) is skipped after \(consecutiveFailures) failures in a row; last: \(lastError)")
                }
                try await Task.sleep(until: until, clock: .continuous)
                continue
            }
            await limiter.acquire()
            let result: Result<ChatResponse, Error>
            let started = ContinuousClock.now
            do {
                result = .success(try await client.chat(request))
            } catch {
                result = .failure(error)
            }
            await limiter.release()
            record(result, elapsed: ContinuousClock.now - started)
            switch result {
            case .success(let r):
                consecutiveFailures = 0
                openUntil = nil
                return r
            case .failure(let error):
                lastError = error
                switch (error as? ModelError)?.kind ?? .unavailable {
                case .rejected:
                    throw error // the request is wrong; retrying will not help
                case .loading:
                    waits += 1 // busy, not dead: wait within the budget, without counting it against the endpoint
                case .unavailable, .badResponse:
                    attempt += 1
                    consecutiveFailures += 1
                    if consecutiveFailures >= retry.breakerThreshold { openUntil = ContinuousClock.now + retry.breakerCooldown }
                }
                if attempt >= retry.attempts { throw lastError }
                let pause = Duration.milliseconds(retry.backoff.delayMilliseconds(attempt: attempt + waits))
                if ContinuousClock.now + pause > deadline { throw lastError }
                try await Task.sleep(for: pause)
            }
        }
    }
}
