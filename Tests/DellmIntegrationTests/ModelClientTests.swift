import DellmModel
import Foundation
import DellmSupport
import Testing

/// The model client and its retry/breaker manners against the fake server's faults.
@Suite struct ModelClientTests {
    func request() -> ChatRequest { ChatRequest(messages: [.user("What is the capital of France?")], maxTokens: 8) }

    @Test func parsesAnOpenAIAnswer() async throws {
        let fake = try FakeModelServer(.answer("Paris."))
        defer { fake.stop() }
        let r = try await ModelClient(baseURL: fake.url).chat(request())
        #expect(r.text == "Paris.")
        #expect(r.completionTokens == 7)
    }

    @Test(arguments: [
        (FakeModelServer.Behaviour.status(500), ModelError.Kind.unavailable),
        (.status(503), .loading), (.status(400), .rejected), (.close, .unavailable),
        (.malformed, .badResponse), (.empty, .badResponse),
    ])
    func classifiesFaults(_ behaviour: FakeModelServer.Behaviour, _ kind: ModelError.Kind) async throws {
        let fake = try FakeModelServer(behaviour)
        defer { fake.stop() }
        await #expect { try await ModelClient(baseURL: fake.url, timeoutMilliseconds: 2_000).chat(request()) } throws: {
            ($0 as? ModelError)?.kind == kind
        }
    }

    /// Easy handles are reused: sequential calls use one, calls in flight together one each.
    @Test func curlHandlesAreReused() async throws {
        let fake = try FakeModelServer(.answer("Paris."))
        defer { fake.stop() }
        let http = HTTPClient()
        for _ in 0..<10 { #expect(try await http.request(url: fake.url + "/health", timeoutMilliseconds: 5_000).status == 200) }
        #expect(http.handlesCreated == 1)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<3 { group.addTask { try await http.request(url: fake.url + "/health", timeoutMilliseconds: 5_000).status } }
            for try await status in group { #expect(status == 200) }
        }
        #expect((1...3).contains(http.handlesCreated))
        // A handle reset between requests keeps no option of the previous one: a POST, then a GET.
        #expect(try await http.postJSON(url: fake.url + "/v1/chat/completions", json: Array("{}".utf8), timeoutMilliseconds: 5_000).status == 200)
        #expect(try await http.request(url: fake.url + "/health", timeoutMilliseconds: 5_000).text.contains("ok"))
    }

    @Test func aHangingServerTimesOut() async throws {
        let fake = try FakeModelServer(.hang)
        defer { fake.stop() }
        // The call ends with a timeout error instead of hanging (the suite's own time limit is the bound).
        await #expect { try await ModelClient(baseURL: fake.url, timeoutMilliseconds: 300).chat(request()) } throws: {
            "\($0)".contains("timed out")
        }
    }

    @Test func retriesWithBackoffThenSucceeds() async throws {
        let fake = try FakeModelServer(.status(500))
        defer { fake.stop() }
        let endpoint = ModelEndpoint(client: ModelClient(baseURL: fake.url),
                                     retry: .init(attempts: 5, backoff: .init(baseMilliseconds: 5, capMilliseconds: 20)))
        let answer = Task { try await endpoint.chat(request()) }
        try await waitFor { fake.requests >= 2 }
        fake.set(.answer("Paris."))
        #expect(try await answer.value.text == "Paris.")
    }

    @Test func aRejectedRequestIsNotRetried() async throws {
        let fake = try FakeModelServer(.status(400))
        defer { fake.stop() }
        let endpoint = ModelEndpoint(client: ModelClient(baseURL: fake.url), retry: .init(attempts: 5, backoff: .init(baseMilliseconds: 1, capMilliseconds: 2)))
        await #expect(throws: ModelError.self) { try await endpoint.chat(request()) }
        #expect(fake.requests == 1)
    }

    @Test func theBreakerSkipsAnEndpointThatKeepsFailing() async throws {
        let fake = try FakeModelServer(.status(500))
        defer { fake.stop() }
        let endpoint = ModelEndpoint(client: ModelClient(baseURL: fake.url),
                                     retry: .init(attempts: 2, backoff: .init(baseMilliseconds: 1, capMilliseconds: 2),
                                                  breakerThreshold: 3, breakerCooldown: .seconds(60)))
        for _ in 0..<3 { _ = try? await endpoint.chat(request()) }
        let before = fake.requests
        #expect(await endpoint.isOpen)
        // The cooldown (60 s) is longer than the call's budget (30 s): it gives up at once.
        await #expect { try await endpoint.chat(request()) } throws: { "\($0)".contains("skipped") }
        #expect(fake.requests == before, "no request while the breaker is open")
    }

    @Test func anOutageShorterThanTheBudgetIsWaitedOut() async throws {
        let fake = try FakeModelServer(.status(500))
        defer { fake.stop() }
        let endpoint = ModelEndpoint(client: ModelClient(baseURL: fake.url),
                                     retry: .init(attempts: 100, backoff: .init(baseMilliseconds: 1, capMilliseconds: 5),
                                                  breakerThreshold: 2, breakerCooldown: .milliseconds(200), budget: .seconds(20)))
        let answer = Task { try await endpoint.chat(request()) }
        // The breaker has opened at least once. Bounded generously: under the whole suite's load the
        // client's blocking curl calls wait for threads of the shared global queue (issue #18).
        try await waitFor(timeout: .seconds(30)) { fake.requests >= 4 }
        fake.set(.answer("Paris."))
        #expect(try await answer.value.text == "Paris.")
    }

    @Test func loadingIsBusyNotDead() async throws {
        let fake = try FakeModelServer(.status(503))
        defer { fake.stop() }
        let endpoint = ModelEndpoint(client: ModelClient(baseURL: fake.url),
                                     retry: .init(attempts: 2, backoff: .init(baseMilliseconds: 1, capMilliseconds: 5), breakerThreshold: 1))
        let answer = Task { try await endpoint.chat(request()) }
        // More 503s than attempts or the breaker allow: they are waited out, not counted.
        try await waitFor(timeout: .seconds(30)) { fake.requests >= 4 }
        #expect(await !endpoint.isOpen)
        fake.set(.answer("Paris."))
        #expect(try await answer.value.text == "Paris.")
    }

    @Test func theLimiterBoundsConcurrency() async throws {
        let limiter = AsyncLimiter(limit: 2)
        let peak = PeakCounter()
        await withTaskGroup(of: Void.self) { g in
            for _ in 0..<10 {
                g.addTask {
                    await limiter.acquire()
                    await peak.enter()
                    await Task.yield()
                    await peak.leave()
                    await limiter.release()
                }
            }
        }
        #expect(await peak.peak <= 2)
        #expect(await limiter.current == 0)
    }
}

actor PeakCounter {
    var now = 0
    var peak = 0
    func enter() { now += 1; peak = max(peak, now) }
    func leave() { now -= 1 }
}

/// Waits for a condition that has no event to await, bounded in time.
func waitFor(timeout: Duration = .seconds(10), _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        if ContinuousClock.now > deadline { Issue.record("condition not met"); return }
        try await Task.sleep(for: .milliseconds(5))
    }
}

@Suite struct MetricsServerTests {
    @Test func servesMetricsAndNothingElse() async throws {
        let server = try MetricsServer(host: "127.0.0.1", port: 0) { Array("dellm_up 1\n".utf8) }
        defer { server.stop() }
        let http = HTTPClient()
        let ok = try await http.request(url: "http://127.0.0.1:\(server.port)/metrics", timeoutMilliseconds: 2_000)
        #expect(ok.status == 200)
        #expect(ok.text == "dellm_up 1\n")
        #expect(try await http.request(url: "http://127.0.0.1:\(server.port)/other", timeoutMilliseconds: 2_000).status == 404)
    }
}
