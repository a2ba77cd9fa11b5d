import DellmCore
import DellmFleet
import DellmRedis
import DellmSupport
import FlyingFox
import Foundation
import Logging

/// `dellm console`: the fleet live in a browser, served by this binary. One page (plain HTML, CSS and
/// a small script, no build step, no external requests); a JSON API over the same stores and controls
/// the CLI uses; and `/events`, a WebSocket that forwards each new entry of the fleet's streams as it is
/// written (XREAD BLOCK, no polling of the database). Bound to 127.0.0.1 by default; bound elsewhere it
/// refuses to start without a token, and every request must carry it (`?token=` or a Bearer header).
public struct ConsoleServer: Sendable {
    public let config: FleetConfig
    public let host: String
    public let port: UInt16
    public let token: String?
    let logger: Logger

    public struct Refused: Error, CustomStringConvertible {
        public var description: String
    }

    public init(config: FleetConfig, host: String = "127.0.0.1", port: UInt16 = 8090, token: String?, logger: Logger) throws {
        let loopback = ["127.0.0.1", "localhost", "::1"].contains(host)
        if !loopback && (token ?? "").isEmpty {
            throw Refused(description: "refusing to serve the console on \(host) without a token: set DELLM_CONSOLE_TOKEN or --token (anyone who reaches the port could cancel queries and read answers)")
        }
        self.config = config
        self.host = host == "localhost" ? "127.0.0.1" : host
        self.port = port
        self.token = (token ?? "").isEmpty ? nil : token
        self.logger = logger
    }

    /// Builds the server with its routes (not yet listening).
    public func makeServer() async throws -> HTTPServer {
        let address: sockaddr_in = try .inet(ip4: host, port: port)
        let server = HTTPServer(address: address, timeout: 60)
        let api = try ConsoleAPI(config: config)
        let token = self.token, config = self.config, logger = self.logger
        await server.appendRoute("GET /events") { request in
            guard Self.authorized(request, token: token) else { return Self.refused() }
            return try await WebSocketHTTPHandler(handler: MessageFrameWSHandler(handler: StreamEvents(config: config, logger: logger)))
                .handleRequest(request)
        }
        await server.appendRoute("*") { request in
            guard Self.authorized(request, token: token) else { return Self.refused() }
            return await api.handle(request)
        }
        return server
    }

    public func run() async throws {
        let server = try await makeServer()
        logger.notice("console listening", metadata: ["url": "http://\(host):\(port)/", "token": "\(token == nil ? "none" : "required")"])
        try await server.run()
    }

    static func authorized(_ request: HTTPRequest, token: String?) -> Bool {
        guard let token else { return true }
        if request.query["token"] == token { return true }
        return request.headers[.authorization] == "Bearer \(token)"
    }

    static func refused() -> HTTPResponse {
        HTTPResponse(statusCode: .unauthorized, headers: [.contentType: "application/json"],
                     body: Data(#"{"error":"a token is required: open the console with ?token=…"}"#.utf8))
    }
}

/// The `/events` WebSocket: every new entry of the fleet's streams, as one JSON message each —
/// `{"stream":"tasks:math","id":"…","at":ms,"query":"…","job":{…}}` (`at`: when Redis stored it).
struct StreamEvents: WSMessageHandler {
    let config: FleetConfig
    let logger: Logger

    var streams: [String] {
        let k = config.keys
        return [k.queries, k.verify, k.synthesize, k.answers, k.dead] + k.taskStreams
    }

    func makeMessages(for client: AsyncStream<WSMessage>) async throws -> AsyncStream<WSMessage> {
        let redis = RedisConnection(configuration: try config.redisConfiguration(), name: "console-events")
        let (out, continuation) = AsyncStream<WSMessage>.makeStream()
        let streams = self.streams, namespace = config.namespace
        let reader = Task {
            var last = Dictionary(uniqueKeysWithValues: streams.map { ($0, "$") })
            while !Task.isCancelled {
                do {
                    let entries = try await redis.xread(streams: streams, afterIDs: streams.map { last[$0] ?? "$" }, count: 200, blockMilliseconds: 1_000)
                    for e in entries {
                        last[e.stream] = e.id
                        continuation.yield(.text(Self.message(e, namespace: namespace)))
                    }
                } catch {
                    try? await Task.sleep(for: .milliseconds(500))
                }
            }
            await redis.close()
        }
        Task {
            for await _ in client {} // the page closed the socket
            reader.cancel()
            continuation.finish()
        }
        return out
    }

    static func message(_ e: StreamEntry, namespace: String) -> String {
        let short = Keys(namespace: namespace).short(e.stream)
        let at = Int(e.id.split(separator: "-").first ?? "") ?? 0
        var members: [(String, DellmCore.JSONValue?)] = [("stream", .string(short)), ("id", .string(e.id)), ("at", .int(at))]
        if let job = e["job"], let parsed = DellmCore.JSONValue.parse(job) {
            members.append(("job", parsed))
            if case .object(let o) = parsed {
                let q: DellmCore.JSONValue? = o["query_id"] ?? (short.hasPrefix("queries") ? o["id"] : nil)
                if case .string(let id)? = q { members.append(("query", .string(id))) }
            }
        }
        if let reason = e["reason"] { members.append(("reason", .string(reason))) }
        return DellmCore.JSONValue.members(members).serialized
    }
}
