import DellmCore
import DellmFleet
import DellmRedis
import FlyingFox
import Foundation

/// The console's JSON API: the same read views and controls as the CLI (`Inspector`, `FleetClient`,
/// `QueueControls`), so a control has the same effect from the page as from `dellm ops`.
struct ConsoleAPI: Sendable {
    let client: FleetClient
    let controls: QueueControls
    /// The backlog as last read, shared by every open page for a second: five pages polling every two
    /// seconds cost one set of XINFO calls a second, not five.
    let backlogCache = ResponseCache(maxAge: .seconds(1))

    init(config: FleetConfig) throws {
        client = try FleetClient(config: config)
        controls = QueueControls(config: config, redis: client.redis, store: client.store)
    }

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        do {
            return try await route(request)
        } catch let e as Wire.DecodeError {
            return Self.json(["error": e.reason], status: .badRequest)
        } catch {
            return Self.json(["error": "\(error)"], status: .internalServerError)
        }
    }

    func route(_ r: HTTPRequest) async throws -> HTTPResponse {
        let q = r.query
        switch (r.method, r.path) {
        case (.GET, "/"), (.GET, "/index.html"):
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: Data(ConsolePage.html.utf8))
        case (.GET, "/api/backlog"):
            let client = self.client, controls = self.controls
            return try await backlogCache.get {
                try Self.encoded(Backlog(paused: try await controls.paused(), streams: try await client.backlog()))
            }
        case (.GET, "/api/queries"):
            return try Self.encoded(try await client.inspector.queries(status: q["status"], limit: min(200, Int(q["limit"] ?? "") ?? 30)))
        case (.GET, "/api/trace"):
            guard let t = try await client.inspector.trace(queryID: try Self.id(q["id"])) else { return Self.json(["error": "no such query"], status: .notFound) }
            return try Self.encoded(t)
        case (.GET, "/api/nodes"):
            return try Self.encoded(try await client.inspector.nodes())
        case (.GET, "/api/genomes"):
            return try Self.encoded(try await client.store.genomes.generations(limit: 50))
        case (.GET, "/api/ledger"):
            let user = q["user"] ?? ""
            try QueryJob.validate(user: user)
            return try Self.encoded(Ledger(user: user, balance: try await client.store.ledger.balance(user: user),
                                           entries: try await client.inspector.ledger(user: user, limit: 30)))
        case (.GET, "/api/dead"):
            let letters = try await client.deadLetters(count: 50).map { e in
                ["id": e.id, "stream": e["stream"] ?? "", "reason": e["reason"] ?? "", "replayable": e["truncated"] == nil ? "yes" : "no"]
            }
            return Self.json(letters)
        case (.POST, _):
            return try await control(r)
        default:
            return Self.json(["error": "no route \(r.method.rawValue) \(r.path)"], status: .notFound)
        }
    }

    /// The controls: submit, pause, resume, cancel, retry, replay.
    func control(_ r: HTTPRequest) async throws -> HTTPResponse {
        let q = r.query
        switch r.path {
        case "/api/submit":
            let body = try await r.bodyData
            guard let o = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let text = o["query"] as? String else {
                throw Wire.DecodeError("expected a JSON body with a \"query\"")
            }
            let user = (o["user"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? "console"
            return Self.json(["id": try await client.submit(text, user: user)])
        case "/api/pause":
            try await controls.pause(q["type"] ?? "")
            return Self.json(["paused": try await controls.paused()])
        case "/api/resume":
            let was = try await controls.resume(q["type"] ?? "")
            return Self.json(["was_paused": was, "paused": try await controls.paused()] as [String: Any])
        case "/api/cancel":
            switch try await controls.cancel(queryID: try Self.id(q["id"])) {
            case .cancelled(let user, let refund, let open): return Self.json(["status": "cancelled", "user": user, "refund": refund, "open_parts": open] as [String: Any])
            case .finished(let state): return Self.json(["error": "the query has ended (\(state.rawValue))"], status: .conflict)
            case .unknown: return Self.json(["error": "no such query"], status: .notFound)
            }
        case "/api/retry":
            guard let new = try await controls.retry(queryID: try Self.id(q["id"])) else { return Self.json(["error": "no such query"], status: .notFound) }
            return Self.json(["id": new])
        case "/api/dead/replay":
            guard let stream = try await client.replayDeadLetter(id: q["id"] ?? "") else { return Self.json(["error": "no such dead letter"], status: .notFound) }
            return Self.json(["replayed_to": stream])
        default:
            return Self.json(["error": "no route POST \(r.path)"], status: .notFound)
        }
    }

    struct Backlog: Encodable {
        var paused: [String]
        var streams: [FleetClient.StreamInfo]
    }

    struct Ledger: Encodable {
        var user: String
        var balance: Double
        var entries: [Inspector.LedgerEntry]
    }

    static func id(_ value: String?) throws -> String {
        let id = value ?? ""
        try QueryJob.validate(id: id)
        return id
    }

    static func encoded<T: Encodable>(_ value: T) throws -> HTTPResponse {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json"], body: try enc.encode(value))
    }

    static func json(_ object: Any, status: HTTPStatusCode = .ok) -> HTTPResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return HTTPResponse(statusCode: status, headers: [.contentType: "application/json"], body: data)
    }
}

/// One response kept for `maxAge`, made again by the first request after it.
actor ResponseCache {
    let maxAge: Duration
    private var kept: (response: HTTPResponse, at: ContinuousClock.Instant)?

    init(maxAge: Duration) { self.maxAge = maxAge }

    func get(_ make: @Sendable () async throws -> HTTPResponse) async throws -> HTTPResponse {
        if let kept, ContinuousClock.now - kept.at < maxAge { return kept.response }
        let fresh = try await make()
        kept = (fresh, .now)
        return fresh
    }
}
