import CHiredis
import DellmSupport

/// Where and how to reach Redis: `redis://[user:password@]host:port[/db]`, or a cluster:
/// `redis://[user:password@]host:port,host:port,…` (several seed nodes) or `redis://host:port?cluster=1`.
public struct RedisConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var user: String?
    public var password: String?
    public var database: Int
    public var connectTimeoutMilliseconds: Int
    /// A Redis Cluster: commands go to the node that serves their key's slot (`ClusterSlots`).
    public var cluster: Bool
    /// The nodes a cluster's slot map is first asked of (the first is host:port).
    public var seeds: [ClusterSlots.Node]

    public init(host: String = "127.0.0.1", port: Int = 6379, user: String? = nil, password: String? = nil,
                database: Int = 0, connectTimeoutMilliseconds: Int = 2_000, cluster: Bool = false, seeds: [ClusterSlots.Node] = []) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        self.cluster = cluster
        self.seeds = seeds.isEmpty ? [ClusterSlots.Node(host: host, port: port)] : seeds
    }

    public init(url: String) throws(ConfigurationError) {
        let (single, seeds) = try Self.seeds(in: url)
        let u = try ConnectionURL(parsing: single)
        guard u.scheme == "redis" else {
            throw ConfigurationError("DELLM_REDIS_URL must start with redis:// (got \(u.scheme)://)")
        }
        let db = u.path.count > 1 ? Int(u.path.dropFirst()) : 0
        guard let db else { throw ConfigurationError("DELLM_REDIS_URL has an invalid database number '\(u.path)'") }
        let cluster = seeds.count > 1 || ["1", "yes", "true"].contains(u.query["cluster"]?.lowercased() ?? "")
        if cluster && db != 0 { throw ConfigurationError("DELLM_REDIS_URL: a cluster has only database 0 (got /\(db))") }
        self.init(host: u.host, port: u.port ?? 6379, user: u.user, password: u.password, database: db, cluster: cluster,
                  seeds: seeds.isEmpty ? [] : seeds)
    }

    /// "redis://u:p@h1:7000,h2:7001/x" → ("redis://u:p@h1:7000/x", [h1:7000, h2:7001]); one host: no seeds.
    static func seeds(in url: String) throws(ConfigurationError) -> (String, [ClusterSlots.Node]) {
        guard let schemeEnd = url.range(of: "://") else { return (url, []) }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let hostsStart = authority.lastIndex(of: "@").map { authority.index(after: $0) } ?? authority.startIndex
        let hosts = authority[hostsStart...]
        guard hosts.contains(",") else { return (url, []) }
        var nodes: [ClusterSlots.Node] = []
        for h in hosts.split(separator: ",") {
            guard let colon = h.lastIndex(of: ":"), let port = Int(h[h.index(after: colon)...]), (1...65535).contains(port) else {
                throw ConfigurationError("DELLM_REDIS_URL: seed '\(h)' needs host:port")
            }
            nodes.append(.init(host: h[..<colon].isEmpty ? "127.0.0.1" : String(h[..<colon]), port: port))
        }
        let first = "\(nodes[0].host):\(nodes[0].port)"
        return (String(url[..<hostsStart]) + first + String(rest[authorityEnd...]), nodes)
    }

    /// host:port, never the password.
    public var endpoint: String { "\(host):\(port)" }
}

/// One connection to Redis over hiredis' blocking API.
///
/// The `redisContext` is owned by this object and touched only on its private `BlockingThread`,
/// one command at a time; that serialisation is why the class can be `@unchecked Sendable`.
/// Blocking reads (XREADGROUP BLOCK) therefore never occupy the cooperative thread pool.
/// A broken connection is dropped and re-established on the next command.
public final class RedisConnection: @unchecked Sendable {
    public let configuration: RedisConfiguration
    private let lane: BlockingThread
    // Only touched on `lane`.
    private var context: UnsafeMutablePointer<redisContext>?
    // A cluster's connection per node and its slot map: only touched on `lane` (RedisConnection+Cluster).
    var nodeContexts: [ClusterSlots.Node: UnsafeMutablePointer<redisContext>] = [:]
    var slotMap: ClusterSlots.Map?
    // A blocking read's connection per (node, slot) of a split read, with its client id (RedisConnection+BlockingRead).
    var blockingContexts: [BlockingKey: (context: UnsafeMutablePointer<redisContext>, clientID: String)] = [:]

    public init(configuration: RedisConfiguration, name: String = "redis") {
        // hiredis writes with write(2): a server that closed the connection must not raise SIGPIPE.
        BrokenPipes.ignore()
        self.configuration = configuration
        self.lane = BlockingThread(label: "dellm.redis.\(name)")
    }

    deinit {
        if let context { redisFree(context) }
        for c in nodeContexts.values { redisFree(c) }
        for b in blockingContexts.values { redisFree(b.context) }
    }

    /// Sends one command and returns its reply; an error reply is thrown as `RedisError(.server)`.
    /// `timeoutMilliseconds` bounds the wait for the reply (use it above any BLOCK argument).
    @discardableResult
    public func command(_ args: [String], timeoutMilliseconds: Int = 10_000) async throws -> RedisValue {
        let replies = try await pipeline([args], timeoutMilliseconds: timeoutMilliseconds)
        if case .error(let e) = replies[0] { throw RedisError(.server, e) }
        return replies[0]
    }

    @discardableResult
    public func command(_ args: String..., timeoutMilliseconds: Int = 10_000) async throws -> RedisValue {
        try await command(args, timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Sends several commands in one round trip and returns their replies in order. Error replies
    /// are returned as `.error` values, not thrown, so the caller sees which command failed.
    public func pipeline(_ commands: [[String]], timeoutMilliseconds: Int = 10_000) async throws -> [RedisValue] {
        try await lane.run { [self] in try self.pipelineBlocking(commands, timeoutMilliseconds: timeoutMilliseconds) }
    }

    /// Runs `body` on the connection's lane (where its contexts and slot map live).
    func onLane<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await lane.run(body)
    }

    /// Closes the connection now; the next command reconnects.
    public func close() async {
        _ = try? await lane.run { [self] in self.drop() }
    }

    // MARK: - On the lane only

    private func drop() {
        if let context { redisFree(context) }
        context = nil
        for c in nodeContexts.values { redisFree(c) }
        nodeContexts = [:]
        dropBlockingContexts()
        slotMap = nil
    }

    private func connectBlocking() throws -> UnsafeMutablePointer<redisContext> {
        if let context { return context }
        let c = try open(host: configuration.host, port: configuration.port)
        context = c
        return c
    }

    /// A new connection, authenticated (and on its database): on the lane only.
    func open(host: String, port: Int) throws -> UnsafeMutablePointer<redisContext> {
        let endpoint = "\(host):\(port)"
        guard let c = dellm_redis_connect_ms(host, Int32(port), configuration.connectTimeoutMilliseconds) else {
            throw RedisError(.connection, "cannot allocate a connection to \(endpoint)")
        }
        if c.pointee.err != 0 {
            let message = Self.errorString(c)
            redisFree(c)
            throw RedisError(.connection, "cannot connect to \(endpoint): \(message)")
        }
        var setup: [[String]] = []
        if let password = configuration.password {
            setup.append(configuration.user.map { ["AUTH", $0, password] } ?? ["AUTH", password])
        }
        if configuration.database != 0 { setup.append(["SELECT", String(configuration.database)]) }
        if !setup.isEmpty {
            let replies: [RedisValue]
            do { replies = try exchange(c, setup, timeoutMilliseconds: configuration.connectTimeoutMilliseconds) } catch {
                redisFree(c)
                throw error
            }
            for r in replies {
                if case .error(let e) = r {
                    redisFree(c)
                    // The reply never contains the password; the command is not echoed.
                    throw RedisError(.server, "connection setup to \(endpoint) refused: \(e)")
                }
            }
        }
        return c
    }

    private func pipelineBlocking(_ commands: [[String]], timeoutMilliseconds: Int) throws -> [RedisValue] {
        if configuration.cluster { return try clusterPipeline(commands, timeoutMilliseconds: timeoutMilliseconds) }
        let c = try connectBlocking()
        do {
            return try exchange(c, commands, timeoutMilliseconds: timeoutMilliseconds)
        } catch {
            drop()
            throw error
        }
    }

    func exchange(_ c: UnsafeMutablePointer<redisContext>, _ commands: [[String]],
                          timeoutMilliseconds: Int) throws -> [RedisValue] {
        dellm_redis_set_timeout_ms(c, timeoutMilliseconds)
        for args in commands {
            let status = Self.withArgv(args) { argc, argv, lens in
                redisAppendCommandArgv(c, argc, argv, lens)
            }
            if status != REDIS_OK { throw RedisError(.connection, Self.errorString(c)) }
        }
        var out: [RedisValue] = []
        out.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            if redisGetReply(c, &raw) != REDIS_OK || raw == nil {
                throw RedisError(.connection, Self.errorString(c))
            }
            let reply = raw!.assumingMemoryBound(to: redisReply.self)
            out.append(Self.convert(reply))
            freeReplyObject(raw)
        }
        return out
    }

    static func errorString(_ c: UnsafeMutablePointer<redisContext>) -> String {
        let message = withUnsafeBytes(of: c.pointee.errstr) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        return message.isEmpty ? "connection lost" : message
    }

    static func withArgv<R>(_ args: [String],
                                    _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> R) -> R {
        // One contiguous buffer for all arguments; argv points into it. Binary-safe thanks to lengths.
        var lengths = [Int]()
        lengths.reserveCapacity(args.count)
        var buffer = [UInt8]()
        buffer.reserveCapacity(args.reduce(0) { $0 + $1.utf8.count })
        for a in args {
            lengths.append(a.utf8.count)
            buffer.append(contentsOf: a.utf8)
        }
        if buffer.isEmpty { buffer.append(0) }
        return buffer.withUnsafeBufferPointer { buf in
            let base = UnsafeRawPointer(buf.baseAddress!).assumingMemoryBound(to: CChar.self)
            var argv = [UnsafePointer<CChar>?]()
            argv.reserveCapacity(args.count)
            var offset = 0
            for l in lengths {
                argv.append(base + offset)
                offset += l
            }
            return argv.withUnsafeMutableBufferPointer { av in
                lengths.withUnsafeBufferPointer { lp in
                    body(Int32(args.count), av.baseAddress!, lp.baseAddress!)
                }
            }
        }
    }

    static func convert(_ r: UnsafeMutablePointer<redisReply>) -> RedisValue {
        let reply = r.pointee
        switch reply.type {
        case REDIS_REPLY_STRING:
            return .bulk(string(reply.str, reply.len))
        case REDIS_REPLY_STATUS:
            return .status(string(reply.str, reply.len))
        case REDIS_REPLY_ERROR:
            return .error(string(reply.str, reply.len))
        case REDIS_REPLY_INTEGER:
            return .integer(Int(reply.integer))
        case REDIS_REPLY_NIL:
            return .null
        case REDIS_REPLY_ARRAY:
            var items: [RedisValue] = []
            items.reserveCapacity(Int(reply.elements))
            for i in 0..<Int(reply.elements) {
                if let e = reply.element[i] { items.append(convert(e)) } else { items.append(.null) }
            }
            return .array(items)
        default:
            return .null
        }
    }

    private static func string(_ p: UnsafeMutablePointer<CChar>?, _ len: Int) -> String {
        guard let p else { return "" }
        return p.withMemoryRebound(to: UInt8.self, capacity: len) {
            String(decoding: UnsafeBufferPointer(start: $0, count: len), as: UTF8.self)
        }
    }
}
