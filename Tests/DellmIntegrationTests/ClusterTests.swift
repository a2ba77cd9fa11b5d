import DellmCore
@testable import DellmFleet
import DellmPostgres
import DellmSupport
@testable import DellmRedis
import Foundation
import Logging
import Testing

/// Redis Cluster's key space, without servers: slots (with hash tags), where a command's key is,
/// the slot map's reply and the redirections.
struct ClusterSlotsTests {
    @Test func slotsAreCRC16OfTheKeyOrItsHashTag() {
        #expect(ClusterSlots.crc16(Array("123456789".utf8)[...]) == 0x31C3) // the specification's check value
        #expect(ClusterSlots.slot(of: "foo") == 12182)
        #expect(ClusterSlots.slot(of: "{user1000}.following") == ClusterSlots.slot(of: "{user1000}.followers"))
        #expect(ClusterSlots.slot(of: "{dellm}:queries") == ClusterSlots.slot(of: "dellm"))
        #expect(ClusterSlots.slot(of: "{}:x") == Int(ClusterSlots.crc16(Array("{}:x".utf8)[...]) % 16384)) // an empty tag is no tag
    }

    @Test func aCommandsKeyIsFound() {
        #expect(ClusterSlots.key(of: ["XADD", "k", "*", "f", "v"]) == "k")
        #expect(ClusterSlots.key(of: ["XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "BLOCK", "5", "STREAMS", "a", "b", ">", ">"]) == "a")
        #expect(ClusterSlots.key(of: ["XINFO", "GROUPS", "k"]) == "k")
        #expect(ClusterSlots.key(of: ["XGROUP", "CREATE", "k", "g", "$"]) == "k")
        #expect(ClusterSlots.key(of: ["EVAL", "return 1", "1", "k", "arg"]) == "k")
        #expect(ClusterSlots.key(of: ["EVAL", "return 1", "0"]) == nil)
        #expect(ClusterSlots.key(of: ["PING"]) == nil && ClusterSlots.key(of: ["ACL", "SETUSER", "u"]) == nil)
        #expect(ClusterSlots.patternSlot(of: ["SCAN", "0", "MATCH", "{dellm}:attempts:*"]) == ClusterSlots.slot(of: "dellm"))
        #expect(ClusterSlots.patternSlot(of: ["SCAN", "0", "MATCH", "dellm:*"]) == nil)
    }

    @Test func aReadOfSeveralSlotsIsSplitAndTheKeyLayoutSpreadsTypes() {
        let keys = Keys(namespace: "{dellm}")
        #expect(keys.tasks(.math) == "{dellm:math}:tasks:math" && keys.bulk(.math) == "{dellm:math}:tasks:math:bulk")
        #expect(keys.instant == "{dellm:instant}:tasks:instant" && keys.verify == "{dellm}:verify")
        #expect(keys.short(keys.bulk(.code)) == "tasks:code:bulk" && keys.stream(short: "tasks:code") == keys.tasks(.code))
        #expect(keys.kind(ofTaskStream: keys.bulk(.factual)) == "factual" && keys.kind(ofTaskStream: keys.verify) == nil)
        #expect(Keys(namespace: "dellm").tasks(.math) == "dellm:tasks:math", "one Redis: the layout of before")
        let read = ["XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "BLOCK", "500", "STREAMS",
                    keys.tasks(.math), keys.tasks(.code), keys.bulk(.math), ">", ">", ">"]
        let parts = ClusterSlots.splitRead(read)
        #expect(parts?.count == 2)
        #expect(parts?[0].suffix(4) == [keys.tasks(.math), keys.bulk(.math), ">", ">"])
        #expect(ClusterSlots.withoutBlock(read).contains("BLOCK") == false && ClusterSlots.blockMilliseconds(read) == 500)
        #expect(ClusterSlots.withBlock(ClusterSlots.withoutBlock(read), milliseconds: 50).contains("50"))
        #expect(ClusterSlots.runs(["{a}1", "{a}2", "{b}1", "{a}3"]) == [["{a}1", "{a}2"], ["{b}1"], ["{a}3"]])
    }

    @Test func theSlotMapAndRedirectsAreRead() throws {
        let reply = RedisValue.array([
            .array([.integer(0), .integer(5460), .array([.bulk("127.0.0.1"), .integer(7000), .bulk("a")]), .array([.bulk(""), .integer(7003)])]),
            .array([.integer(5461), .integer(16383), .array([.bulk("127.0.0.1"), .integer(7001), .bulk("b")])]),
        ])
        let map = try ClusterSlots.Map(slotsReply: reply, fallbackHost: "10.0.0.1")
        #expect(map.owners[0]?.port == 7000 && map.owners[5460]?.port == 7000 && map.owners[5461]?.port == 7001)
        #expect(map.replicas[ClusterSlots.Node(host: "127.0.0.1", port: 7000)] == [ClusterSlots.Node(host: "10.0.0.1", port: 7003)])
        #expect(map.masters.count == 2 && map.nodes.count == 3)
        #expect(throws: RedisError.self) { try ClusterSlots.Map(slotsReply: .array([.array([.integer(1)])]), fallbackHost: "h") }
        #expect(ClusterSlots.Redirect(error: "MOVED 3999 127.0.0.1:6381") == .moved(slot: 3999, to: .init(host: "127.0.0.1", port: 6381)))
        #expect(ClusterSlots.Redirect(error: "ASK 3999 127.0.0.1:6381") == .ask(slot: 3999, to: .init(host: "127.0.0.1", port: 6381)))
        #expect(ClusterSlots.Redirect(error: "ERR wrong type") == nil)
        let nodes = """
            a1 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-5460
            b2 :7001@17001 slave a1 0 0 1 connected
            c3 127.0.0.1:7002@17002 master,fail - 0 0 2 disconnected
            d4 127.0.0.1:7003@17003 handshake - 0 0 0 connected
            """
        #expect(ClusterSlots.reachableNodes(clusterNodes: nodes, fallbackHost: "10.0.0.9").map(\.description) == ["10.0.0.9:7001", "127.0.0.1:7000"],
                "replicas too (a user they lack is refused once one is promoted); not failed or handshaking nodes")
    }

    @Test func aURLWithSeveralHostsIsACluster() throws {
        let c = try RedisConfiguration(url: "redis://u:p@h1:7000,h2:7001,:7002/?cluster=1")
        #expect(c.cluster && c.seeds.map(\.description) == ["h1:7000", "h2:7001", "127.0.0.1:7002"] && c.user == "u" && c.password == "p")
        #expect(try RedisConfiguration(url: "redis://h:7000?cluster=1").cluster)
        #expect(try !RedisConfiguration(url: "redis://h:6379/2").cluster)
        #expect(throws: ConfigurationError.self) { try RedisConfiguration(url: "redis://h1:7000,h2:7001/3") }
        #expect(throws: ConfigurationError.self) { try RedisConfiguration(url: "redis://h1:7000,h2/") }
    }
}

enum ClusterEnv {
    /// Seeds of the test cluster (three masters, three replicas), started by ./ops/test.
    static var url: String? { ProcessInfo.processInfo.environment["DELLM_TEST_REDIS_CLUSTER_URL"] }

    static func cli(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/redis-cli")
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// (id, port, master) of every node, from CLUSTER NODES asked of any live node.
    static func nodes(seeds: [Int]) throws -> [(id: String, port: Int, master: Bool, slots: [String])] {
        for port in seeds {
            let text = try cli(["-p", String(port), "cluster", "nodes"])
            guard text.contains("myself") else { continue }
            return text.split(separator: "\n").compactMap { line in
                let f = line.split(separator: " ").map(String.init)
                guard f.count >= 8, let colon = f[1].firstIndex(of: ":"), let at = f[1].firstIndex(of: "@"),
                      let port = Int(f[1][f[1].index(after: colon)..<at]), !f[2].contains("fail") else { return nil }
                return (f[0], port, f[2].contains("master"), Array(f.dropFirst(8)))
            }
        }
        throw RedisError(.connection, "no cluster node answers")
    }
}

/// The whole pipeline on a real local cluster (3 masters + 3 replicas): answers before, during and
/// after a resharding done with `redis-cli --cluster reshard`, and after the master that holds the
/// fleet's keys is killed and its replica takes over. Prints what was submitted, answered, lost and
/// duplicated, and how long the failover took to answer again.
@Suite(.enabled(if: TestEnv.hasServers && ClusterEnv.url != nil, "needs DELLM_TEST_REDIS_CLUSTER_URL (run ./ops/test)"))
struct ClusterFleetTests {
    /// (A submission during a failover meets a broken connection: the client sends it again, same id.)
    static func submitWave(_ client: FleetClient, _ range: Range<Int>, user: String) async throws -> [String: Int] {
        var expected: [String: Int] = [:]
        for i in range {
            let id = "c\(i)-\(UUID().uuidString.prefix(6).lowercased())"
            _ = try await client.submit("What is \(i + 2) times 7?", user: user, id: id)
            expected[id] = (i + 2) * 7
        }
        return expected
    }

    /// A lane of model work reads its partitions on three masters one entry at a time, the first tier
    /// before the bulk tier, with one script per master (streams of several slots) — and takes nothing
    /// twice.
    @Test func aLongJobLaneTakesOneEntryAtATimeAcrossMasters() async throws {
        let url = try #require(ClusterEnv.url)
        let config = try TestEnv.config(extra: ["DELLM_REDIS_URL": url, "DELLM_TASK_PARTITIONS": "3"])
        let role = SpecialistRole(config: config, types: [.factual, .code], node: "sweep-\(UUID().uuidString.prefix(6).lowercased())")
        let loop = ConsumerLoop(role: role, config: config, consumer: "\(role.node)~lane", logger: Logger(label: "sweep"))
        let redis = RedisConnection(configuration: try config.redisConfiguration())
        for s in role.streams { try await redis.ensureGroup(stream: s, group: role.name) }
        let keys = config.keys
        let first = [keys.taskStream("factual", partition: 1), keys.taskStream("code", partition: 2), keys.taskStream("factual", partition: 0)]
        let bulk = keys.taskStream("code", partition: 0, bulk: true)
        for s in [bulk] + first { _ = try await redis.xadd(s, [("v", "1"), ("job", "{}")]) }
        #expect(try await redis.groupedByMaster(role.streams).count == 3, "the lane's streams lie on the 3 masters")
        // Scripts a master refused (then swept slot by slot): failed or rejected EVALs, over all nodes.
        func refusedScripts() throws -> Int {
            try ClusterEnv.nodes(seeds: try RedisConfiguration(url: url).seeds.map(\.port)).reduce(0) { sum, node in
                let line = try ClusterEnv.cli(["-p", String(node.port), "INFO", "commandstats"]).split(whereSeparator: \.isNewline)
                    .first { $0.hasPrefix("cmdstat_eval:") } ?? ""
                return sum + line.split(separator: ",").compactMap { f -> Int? in
                    f.hasPrefix("rejected_calls=") || f.hasPrefix("failed_calls=") ? Int(f.split(separator: "=").last ?? "") : nil
                }.reduce(0, +)
            }
        }
        let refusedBefore = try refusedScripts()
        var taken: [String] = []
        for _ in 0..<4 {
            let got = try await loop.readNew(redis: redis, blockMilliseconds: 50)
            #expect(got.count == 1, "one entry per read: \(got.map(\.stream))")
            taken += got.map(\.stream)
        }
        #expect(Set(taken.prefix(3)) == Set(first) && taken.last == bulk, "the first tier first, the bulk tier last: \(taken)")
        #expect(try await loop.readNew(redis: redis, blockMilliseconds: 50).isEmpty)
        #expect(try refusedScripts() == refusedBefore, "every master ran its script (no sweep slot by slot)")
    }

    @Test func thePipelineAnswersThroughAReshardAndAFailover() async throws {
        let url = try #require(ClusterEnv.url)
        let seeds = try RedisConfiguration(url: url).seeds.map(\.port)
        // The task streams have a tag per type, so the types spread over the masters. A namespace whose
        // types land on all three is taken (most do: 74%), so a lane's read spans masters.
        let masters = try ClusterEnv.nodes(seeds: seeds).filter(\.master)
        func master(ofSlot slot: Int) -> Int? {
            masters.first { m in m.slots.contains { r in
                let b = r.split(separator: "-").compactMap { Int($0) }
                return b.count == 2 ? (b[0]...b[1]).contains(slot) : b.first == slot
            } }?.port
        }
        // With 3 partitions per type, each type's partitions lie on the 3 masters of a cluster made by
        // redis-cli (equal slot ranges): every lane's read spans all masters.
        func taskMasters(_ ns: String, _ kind: String) -> Set<Int> {
            Set(Keys(namespace: "{\(ns)}", partitions: 3).taskStreams(kind).compactMap { master(ofSlot: ClusterSlots.slot(of: $0)) })
        }
        let namespace = "t" + UUID().uuidString.prefix(8).lowercased()
        let config = try TestEnv.config(namespace: namespace, extra: ["DELLM_REDIS_URL": url, "DELLM_SPOT_RATE": "0", "DELLM_TASK_DEADLINE_MS": "3000",
                                                                      "DELLM_TASK_PARTITIONS": "3"])
        #expect(config.namespace == "{\(namespace)}", "on a cluster the namespace is a hash tag")
        #expect(Keys.taskKinds.allSatisfy { taskMasters(namespace, $0).count == masters.count }, "each type's partitions on every master")
        print("cluster: the \(config.keys.taskStreams.count) task streams of \(config.namespace) (3 partitions per type) on "
              + "\(Set(config.keys.taskStreams.compactMap { master(ofSlot: ClusterSlots.slot(of: $0)) }).count) of \(masters.count) masters; "
              + "the instant partitions on \(taskMasters(namespace, "instant").sorted()); the namespace's other keys on :\(master(ofSlot: ClusterSlots.slot(of: config.keys.queries)) ?? 0)")
        // Users go to every node, replicas included, and are saved in each node's ACL file.
        let admin = try FleetClient(config: config).redis
        _ = try await Store(db: PostgresConnection(url: config.databaseURL)).migrate()
        let roles = try await RoleAccess.setUp(config: config, redis: admin)
        #expect(roles.persisted, "the test cluster's nodes have ACL files")
        for node in try ClusterEnv.nodes(seeds: seeds) {
            #expect(try ClusterEnv.cli(["-p", String(node.port), "ACL", "GETUSER", RoleAccess.redisUser("ingest")]).contains("flags"),
                    "node :\(node.port) (\(node.master ? "master" : "replica")) has the role users")
        }
        let fleet = try await InProcessFleet.start(config)
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        let answers = Collector<AnswerEvent>()
        let user = "cluster-\(UUID().uuidString.prefix(6).lowercased())"
        let slot = ClusterSlots.slot(of: config.keys.queries)
        func owner() throws -> (id: String, port: Int) {
            let nodes = try ClusterEnv.nodes(seeds: seeds)
            let o = try #require(nodes.first { n in n.master && n.slots.contains { r in
                let b = r.split(separator: "-").compactMap { Int($0) }
                return b.count == 2 ? (b[0]...b[1]).contains(slot) : b.first == slot
            } })
            return (o.id, o.port)
        }

        var expected = try await Self.submitWave(client, 0..<20, user: user)
        #expect(try await client.waitForAnswers(Array(expected.keys), after: cursor, timeout: .seconds(60)) { answers.add($0) }.isEmpty)

        // Resharding while work flows: the fleet's slot moves to another master, with the slots below it
        // in its range (redis-cli moves a source's slots from the lowest). Every master keeps some slots,
        // so a majority of them can still elect a replica below.
        let from = try owner()
        let to = try #require(try ClusterEnv.nodes(seeds: seeds).first { $0.master && $0.id != from.id })
        let start = try #require(try ClusterEnv.nodes(seeds: seeds).first { $0.id == from.id }?.slots.compactMap { r -> Int? in
            let b = r.split(separator: "-").compactMap { Int($0) }
            return b.count == 2 && (b[0]...b[1]).contains(slot) ? b[0] : nil
        }.first)
        async let reshard = Task.detached {
            try ClusterEnv.cli(["--cluster", "reshard", "127.0.0.1:\(from.port)", "--cluster-from", from.id, "--cluster-to", to.id,
                                "--cluster-slots", String(slot - start + 1), "--cluster-yes"])
        }.value
        let wave2 = try await Self.submitWave(client, 20..<40, user: user)
        let reshardLog = try await reshard
        #expect(try owner().id == to.id, "the fleet's slot moved: \(reshardLog.suffix(300))")
        expected.merge(wave2) { a, _ in a }
        #expect(try await client.waitForAnswers(Array(wave2.keys), after: cursor, timeout: .seconds(60)) { answers.add($0) }.isEmpty)

        // Failover: the master now holding the fleet's keys is killed; its replica takes over.
        let victim = try owner()
        let pid = try #require(Int32(ClusterEnv.cli(["-p", String(victim.port), "info", "server"]).split(whereSeparator: \.isNewline)
            .first { $0.hasPrefix("process_id:") }?.dropFirst("process_id:".count).trimmingCharacters(in: .whitespacesAndNewlines) ?? ""))
        // Killed while the third wave is being submitted and worked on (after its 5th query is in). A
        // write the master acknowledged but had not replicated is lost with it; a part whose task no
        // stream holds any more is issued again from PostgreSQL after the task deadline (3 s here).
        let submitting = Task { try await Self.submitWave(client, 40..<60, user: user) }
        let db0 = PostgresConnection(url: config.databaseURL)
        for _ in 0..<200 { // (the 5th query recorded by ingest: bounded by 200 × 50 ms)
            if let n = try await db0.query("SELECT count(*) FROM queries WHERE namespace = $1 AND (id LIKE 'c4_-%' OR id LIKE 'c5_-%')",
                                           [config.namespace]).first?[0].flatMap({ Int($0) }), n >= 5 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        await db0.close()
        let killedAt = ContinuousClock.now
        kill(pid, SIGKILL)
        let wave3 = try await submitting.value
        expected.merge(wave3) { a, _ in a }
        let missing = try await client.waitForAnswers(Array(wave3.keys), after: cursor, timeout: .seconds(90)) { answers.add($0) }
        let recovered = ContinuousClock.now - killedAt
        await fleet.stop()

        let got = Dictionary(grouping: answers.all, by: \.queryID)
        let wrong = expected.filter { id, v in got[id]?.first.flatMap { $0.answer.map { Answers.numbers(in: $0).last } } != Double(v) }
        // A duplicate effect: a query charged twice, or a part answered twice.
        let db = PostgresConnection(url: config.databaseURL)
        let ids = PostgresArray.literal(Array(expected.keys))
        let duplicated = try await db.query("""
            SELECT count(*) FROM (SELECT query_id FROM credit_ledger WHERE kind = 'charge' AND query_id = ANY($1::text[])
                                  GROUP BY query_id HAVING count(*) > 1) d
            """, [ids]).first?[0].flatMap { Int($0) } ?? -1
        let twiceVerified = try await db.query("""
            SELECT count(*) FROM (SELECT subtask_id FROM verdicts v JOIN subtasks s ON s.id = v.subtask_id
                                  WHERE s.query_id = ANY($1::text[]) AND v.passed GROUP BY subtask_id HAVING count(*) > 1) d
            """, [ids]).first?[0].flatMap { Int($0) } ?? -1
        for id in missing.sorted() { // what became of a query not answered
            let q = try await db.query("SELECT status FROM queries WHERE id = $1", [id]).first?[0] ?? "not recorded by ingest"
            let parts = try await db.query("SELECT status FROM subtasks WHERE query_id = $1", [id]).rows.map { $0[0] ?? "-" }
            print("cluster: lost \(id): query \(q), parts \(parts)")
        }
        await db.close()
        print("cluster: \(expected.count) submitted, \(got.count) answered, \(missing.count) lost after the failover, \(duplicated) charged twice, "
              + "\(twiceVerified) parts passed twice, "
              + "\(wrong.count) wrong or missing; the slot moved \(from.port) → \(to.port) under load; after the kill of \(victim.port) "
              + "the last of 20 queries was answered \(recovered) later")
        #expect(missing.isEmpty && wrong.isEmpty && duplicated == 0 && twiceVerified == 0)
    }
}
