import DellmSupport
import Foundation

/// The stream wire contract: every entry has `v` (schema version) and `job` (JSON).
public enum Wire {
    public static let version = "1"
    /// Queries longer than this are refused: a small model cannot use them and they bloat streams.
    public static let maxQueryBytes = 64 * 1024
    /// A whole job: a query of the largest size, JSON-escaped, with its other fields.
    public static let maxJobBytes = 6 * maxQueryBytes + 16 * 1024

    /// Why an entry could not be read; such an entry goes to the dead-letter stream with this reason.
    public struct DecodeError: Error, CustomStringConvertible, Equatable, Sendable {
        public var reason: String
        public init(_ reason: String) { self.reason = reason }
        public var description: String { reason }
    }

    public static func fields<J: Encodable>(_ job: J) -> [(String, String)] {
        [("v", version), ("job", encode(job))]
    }

    public static func encode<J: Encodable>(_ job: J) -> String {
        if let w = job as? any WireJSON { return w.json.serialized }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(job)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// Decodes a stream entry's fields into a job, checking the version first.
    public static func decode<J: Decodable>(_ type: J.Type, v: String?, job: String?) throws(DecodeError) -> J {
        guard let v else { throw DecodeError("missing field 'v' (schema version)") }
        guard v == version else { throw DecodeError("unknown schema version v=\(v.prefix(20)) (this worker reads v=\(version))") }
        guard let job else { throw DecodeError("missing field 'job'") }
        // An oversized job is refused before it is parsed: reading megabytes would hold up the lane.
        if job.utf8.count > maxJobBytes { throw DecodeError("the job is \(job.utf8.count) bytes; the limit is \(maxJobBytes)") }
        if let t = J.self as? any WireJSON.Type { return try t.init(fields: JSONFields(job)) as! J }
        do {
            return try JSONDecoder().decode(J.self, from: Data(job.utf8))
        } catch let DecodingError.keyNotFound(key, _) {
            throw DecodeError("job is missing '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(_, ctx) {
            throw DecodeError("job has a wrong type at '\(ctx.codingPath.map(\.stringValue).joined(separator: "."))'")
        } catch let DecodingError.valueNotFound(_, ctx) {
            throw DecodeError("job has null at '\(ctx.codingPath.map(\.stringValue).joined(separator: "."))'")
        } catch {
            throw DecodeError("malformed JSON in 'job'")
        }
    }
}

/// `{ns}:queries` — what a user submits.
public struct QueryJob: Codable, Sendable, Equatable {
    public var id: String
    public var query: String
    public var user: String?
    /// Ask three genomes for every subtask and keep the majority answer (costs three times as much).
    public var critical: Bool?

    public init(id: String, query: String, user: String? = nil, critical: Bool? = nil) {
        self.id = id
        self.query = query
        self.user = user
        self.critical = critical
    }

    /// Checks what the CLI and the ingest worker both refuse.
    public static func validate(query: String) throws(Wire.DecodeError) {
        if query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw Wire.DecodeError("the query is empty") }
        if query.utf8.count > Wire.maxQueryBytes {
            throw Wire.DecodeError("the query is \(query.utf8.count) bytes; the limit is \(Wire.maxQueryBytes) (64 KiB)")
        }
    }

    /// A query id: 1–128 of `A–Z a–z 0–9 . _ : -` (a UUID fits).
    public static func validate(id: String) throws(Wire.DecodeError) {
        try Wire.checkName(id, what: "the query id", max: Wire.maxIDBytes, extra: "._:-", hint: " (a UUID)")
    }

    /// A user name: 1–64 of `A–Z a–z 0–9 . _ @ + -`.
    public static func validate(user: String) throws(Wire.DecodeError) {
        try Wire.checkName(user, what: "the user name", max: Wire.maxUserBytes, extra: "._@+-", hint: "")
    }
}

extension Wire {
    public static let maxIDBytes = 128
    public static let maxUserBytes = 64
    /// Attempts of one subtask a job may name (the verifier issues a handful).
    public static let maxAttempt = 1_000
    /// Parts of one query.
    public static let maxParts = 256

    /// Ids and names are refused, never cut or cleaned: an empty, over-long, or odd one (a NUL, a
    /// space, a quote) is a clear error before it reaches PostgreSQL or a key.
    static func checkName(_ s: String, what: String, max: Int, extra: StaticString, hint: String) throws(Wire.DecodeError) {
        // Every job's ids pass here: the few extra bytes are compared in place, no set is built.
        let ok = !s.isEmpty && s.utf8.count <= max && s.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || extra.withUTF8Buffer { $0.contains(b) }
        }
        if !ok {
            throw Wire.DecodeError("\(what) must be 1–\(max) characters of A–Z a–z 0–9 \("\(extra)".map { String($0) }.joined(separator: " "))\(hint)")
        }
    }

    /// A subtask id is its query's id, a dot and the part's index (as ingest makes them).
    static func checkSubtask(_ subtaskID: String, queryID: String) throws(Wire.DecodeError) {
        try QueryJob.validate(id: queryID)
        guard subtaskID.hasPrefix(queryID + "."), let n = Int(subtaskID.dropFirst(queryID.count + 1)), n >= 0, n < maxParts,
              subtaskID == "\(queryID).\(n)" else {
            throw Wire.DecodeError("the subtask id must be the query id, a dot and the part's index")
        }
    }

    static func checkAttempt(_ attempt: Int) throws(Wire.DecodeError) {
        if attempt < 1 || attempt > maxAttempt { throw Wire.DecodeError("the attempt must be 1–\(maxAttempt)") }
    }
}

/// `{ns}:tasks:<type>` — one subtask for a specialist.
public struct TaskJob: Codable, Sendable, Equatable {
    public var queryID: String
    public var subtaskID: String
    public var index: Int
    public var type: TaskType
    public var text: String
    public var attempt: Int
    /// The genome routing chose; absent: the specialist takes the best genome of the type it knows.
    public var genome: String?
    /// Genomes that already answered this subtask (a second opinion must come from another one).
    public var avoid: [String]?
    /// Completion tokens this attempt may spend on model samples in all: its share of the query's budget
    /// (`DELLM_QUERY_TOKENS`). Beyond its first votes (or programs) it asks more only while they disagree
    /// and the share lasts (`SelfConsistency`). Absent (a retry, an older job): the first votes only.
    public var budget: Int?
    /// The genome to express, in full, filled by the coordinator when it issues the task: a node reads
    /// nothing but its task (it holds no database credential). Absent: the seed genome of the type.
    public var spec: Genome?
    /// Nodes that answered this subtask before: a re-asked attempt (a retry, a spot check) is a second
    /// opinion, so they decline it before any model call and it goes to another node.
    public var avoidNodes: [String]?

    enum CodingKeys: String, CodingKey {
        case queryID = "query_id", subtaskID = "subtask_id", index, type, text, attempt, genome, avoid, budget, spec = "genome_spec"
        case avoidNodes = "avoid_nodes"
    }

    public init(queryID: String, subtaskID: String, index: Int, type: TaskType, text: String, attempt: Int,
                genome: String? = nil, avoid: [String]? = nil, budget: Int? = nil, spec: Genome? = nil, avoidNodes: [String]? = nil) {
        self.spec = spec
        self.avoidNodes = avoidNodes
        self.queryID = queryID
        self.subtaskID = subtaskID
        self.index = index
        self.type = type
        self.text = text
        self.attempt = attempt
        self.genome = genome
        self.avoid = avoid
        self.budget = budget
    }
}

/// `{ns}:verify` — an attempt to check.
public struct VerifyJob: Codable, Sendable, Equatable {
    public var queryID: String
    public var subtaskID: String
    public var attempt: Int

    enum CodingKeys: String, CodingKey { case queryID = "query_id", subtaskID = "subtask_id", attempt }

    public init(queryID: String, subtaskID: String, attempt: Int) {
        self.queryID = queryID
        self.subtaskID = subtaskID
        self.attempt = attempt
    }
}

/// `{ns}:synthesize` — every subtask of a query is settled.
public struct SynthesizeJob: Codable, Sendable, Equatable {
    public var queryID: String
    enum CodingKeys: String, CodingKey { case queryID = "query_id" }
    public init(queryID: String) { self.queryID = queryID }
}

/// `{ns}:answers` — a query ended, answered or failed. Read by `submit --wait` and any follower.
public struct AnswerEvent: Codable, Sendable, Equatable {
    public var queryID: String
    public var status: String
    public var answer: String?
    public var error: String?
    /// Whose query it is: the event is also announced on that user's own answers stream.
    public var user: String?
    enum CodingKeys: String, CodingKey { case queryID = "query_id", status, answer, error, user }
    public init(queryID: String, status: String, answer: String?, error: String?, user: String? = nil) {
        self.queryID = queryID
        self.status = status
        self.answer = answer
        self.error = error
        self.user = user
    }
}

/// Fair share between users, as a pure policy: a user's parts go to their type's stream while fewer
/// than `share` parts of theirs are running, to the type's bulk tier after that. Specialist lanes take
/// the bulk tier only when no stream of the first tier has work, so one user's batch of hundreds
/// waits behind another user's single query instead of before it; a lone user's batch is served as
/// fast as ever (the first tier is then empty). Re-asked attempts (retries, spot checks) stay first-tier.
public enum Admission {
    public enum Tier: Sendable, Equatable { case primary, bulk }

    public static func tier(userBacklog: Int, share: Int) -> Tier {
        userBacklog >= share ? .bulk : .primary
    }
}

/// Stream and group names under a namespace prefix.
public struct Keys: Sendable {
    public var namespace: String
    /// Partitions of each kind of task stream (`DELLM_TASK_PARTITIONS`, 1 by default): a busy type's
    /// tasks spread over N streams (`tasks:math:p0` … `p<N-1>`, each with its bulk tier), so on a
    /// cluster one type's work lands on several masters. A task's partition is a hash of its subtask
    /// id. With 1 the layout is that of before (`tasks:math`). Every process of a fleet must use the
    /// same N (`partitionsKey` holds the fleet's).
    public var partitions: Int
    public init(namespace: String, partitions: Int = 1) {
        self.namespace = namespace
        self.partitions = max(1, partitions)
    }

    public var queries: String { "\(namespace):queries" }
    /// A registered submitter's own query stream: what arrives there is charged to that user, whatever it names.
    public func queries(user: String) -> String { "\(namespace):queries:\(user)" }
    /// The user whose query stream `key` is, if it is one.
    public func user(ofQueries key: String) -> String? {
        let prefix = "\(namespace):queries:"
        return key.hasPrefix(prefix) ? String(key.dropFirst(prefix.count)) : nil
    }
    /// A user's own answers stream: the ends of that user's queries (the only answers a submitter may read).
    public func answers(user: String) -> String { "\(namespace):answers:\(user)" }
    /// The task types (and `instant`) the operator paused: specialists do not read their streams.
    public var paused: String { "\(namespace):paused" }
    /// The set of registered submitters, whose query streams ingest reads.
    public var submitters: String { "\(namespace):submitters" }
    /// On a Redis Cluster the namespace is a hash tag ("{dellm}"): every key of the fleet shares its
    /// slot, except the task streams, which get a tag per type ("{dellm:math}:tasks:math", its bulk tier
    /// beside it) — and per partition — so the types' work spreads over the masters.
    var clusterTag: String? {
        namespace.count > 2 && namespace.hasPrefix("{") && namespace.hasSuffix("}") ? String(namespace.dropFirst().dropLast()) : nil
    }

    /// The kinds of task stream: the instant stream's and each type's.
    public static let taskKinds = ["instant"] + TaskType.allCases.map(\.rawValue)

    /// The fleet's partition count, as the first process of the fleet wrote it (`FleetLayout`).
    public var partitionsKey: String { "\(namespace):partitions" }

    /// A task stream: of `kind`, partition `k`, the first tier or the bulk tier.
    public func taskStream(_ kind: String, partition k: Int = 0, bulk: Bool = false) -> String {
        let name = kind + (partitions > 1 ? ":p\(k)" : "") + (bulk ? ":bulk" : "")
        guard let tag = clusterTag else { return "\(namespace):tasks:" + name }
        return "{\(Self.partitionTag(tag + ":" + kind, k, of: partitions))}:tasks:" + name
    }

    /// The hash tag of partition `k` of `n`: with one partition the base; with several, `base:j` for
    /// the smallest j whose slot lies in the k-th of n equal ranges of the slot space — so the
    /// partitions lie on n different masters of a cluster whose masters hold equal ranges, as
    /// `redis-cli --cluster create` makes them (choose n = the number of masters, or a multiple).
    static func partitionTag(_ base: String, _ k: Int, of n: Int) -> String {
        guard n > 1 else { return base }
        let low = k * KeySlot.count / n, high = (k + 1) * KeySlot.count / n
        for j in 0... {
            let tag = "\(base):\(j)"
            if (low..<high).contains(KeySlot.slot(of: "{\(tag)}")) { return tag }
        }
        return base
    }

    /// The partition of a subtask (FNV-1a of its id): stable, so a retry goes where its task went.
    public func partition(of subtaskID: String) -> Int {
        guard partitions > 1 else { return 0 }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in subtaskID.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int(h % UInt64(partitions))
    }

    /// Every partition of a kind's first tier (or bulk tier).
    public func taskStreams(_ kind: String, bulk: Bool = false) -> [String] {
        (bulk ? layout.bulk : layout.first)[kind] ?? (0..<partitions).map { taskStream(kind, partition: $0, bulk: bulk) }
    }

    /// The task streams' names, made once per namespace and partition count: a specialist lists its
    /// streams on every read and the recorder checks each attempt's stream against them (33 names with
    /// 3 partitions took 69 µs to build).
    private struct Layout: Sendable {
        var all: [String], first: [String: [String]], bulk: [String: [String]]
    }
    private static let layouts = Locked<[String: Layout]>([:])
    private var layout: Layout {
        let key = "\(partitions)|\(namespace)"
        if let known = Self.layouts.withLock({ $0[key] }) { return known }
        var first: [String: [String]] = [:], bulk: [String: [String]] = [:]
        for kind in Self.taskKinds {
            first[kind] = (0..<partitions).map { taskStream(kind, partition: $0) }
            bulk[kind] = (0..<partitions).map { taskStream(kind, partition: $0, bulk: true) }
        }
        let all = first["instant", default: []] + TaskType.allCases.flatMap { first[$0.rawValue, default: []] + bulk[$0.rawValue, default: []] }
        let made = Layout(all: all, first: first, bulk: bulk)
        Self.layouts.withLock { $0[key] = made }
        return made
    }

    public func tasks(_ t: TaskType) -> String { taskStream(t.rawValue) }
    public var verify: String { "\(namespace):verify" }
    public var synthesize: String { "\(namespace):synthesize" }
    public var answers: String { "\(namespace):answers" }
    public var dead: String { "\(namespace):dead" }
    /// Subtasks the calculator answers: their own stream and lanes, never queued behind model calls
    /// (the first partition; `taskStreams("instant")` lists them all).
    public var instant: String { taskStream("instant") }
    /// A consumer's liveness key (set with a time to live by its lane while it runs).
    public func alive(group: String, consumer: String) -> String { "\(namespace):alive:\(group):\(consumer)" }

    /// A node's own stream: its attempts, heartbeats and unreadable tasks (the one key it may write).
    public func attempts(node: String) -> String { "\(namespace):attempts:\(node)" }
    /// The set of nodes whose streams the recorder reads.
    public var nodes: String { "\(namespace):nodes" }
    /// The node whose stream `key` is, if it is one.
    public func node(ofAttempts key: String) -> String? {
        let prefix = "\(namespace):attempts:"
        return key.hasPrefix(prefix) ? String(key.dropFirst(prefix.count)) : nil
    }

    /// Every task stream: the instant stream's partitions, then each type's partitions and their bulk tiers.
    public var taskStreams: [String] { layout.all }

    /// The second tier of a type: tasks of users who already have many parts running (`Admission`).
    public func bulk(_ t: TaskType) -> String { taskStream(t.rawValue, bulk: true) }

    /// A task stream's kind, partition (nil with one partition) and tier, read from its name, whatever
    /// the partition count; nil for any other key.
    public func taskStreamParts(_ stream: String) -> (kind: String, partition: Int?, bulk: Bool)? {
        let rest: Substring
        if let tag = clusterTag {
            guard stream.hasPrefix("{\(tag):"), let end = stream.range(of: "}:tasks:") else { return nil }
            rest = stream[end.upperBound...]
        } else {
            guard stream.hasPrefix("\(namespace):tasks:") else { return nil }
            rest = stream.dropFirst(namespace.count + 7)
        }
        var words = rest.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard let kind = words.first, Self.taskKinds.contains(kind) else { return nil }
        if let tag = clusterTag, !stream.hasPrefix("{\(tag):\(kind)") { return nil }
        words.removeFirst()
        let bulk = words.last == "bulk" && kind != "instant"
        if bulk { words.removeLast() }
        var partition: Int?
        if let p = words.first, p.hasPrefix("p"), let k = Int(p.dropFirst()), k >= 0, String(k) == p.dropFirst() {
            partition = k
            words.removeFirst()
        }
        return words.isEmpty ? (kind, partition, bulk) : nil
    }

    /// The type (or `instant`) whose task stream `stream` is, in either layout, of any partition.
    public func kind(ofTaskStream stream: String) -> String? { taskStreamParts(stream)?.kind }

    /// A stream's name without its namespace ("tasks:math", "tasks:math:p1:bulk", "verify"), as the CLI
    /// and the console show it; and back.
    public func short(_ stream: String) -> String {
        if let p = taskStreamParts(stream) { return "tasks:" + p.kind + (p.partition.map { ":p\($0)" } ?? "") + (p.bulk ? ":bulk" : "") }
        return stream.hasPrefix(namespace + ":") ? String(stream.dropFirst(namespace.count + 1)) : stream
    }
    public func stream(short name: String) -> String {
        for s in taskStreams where short(s) == name { return s }
        return namespace + ":" + name
    }

    /// Whether the calculator or an exact tool answers a task (the instant streams), not a model.
    public func isInstant(_ task: TaskJob) -> Bool {
        (task.type == .math && (ArithmeticGrammar.reading(task.text) != nil || WordChains.wordProblem(task.text) != nil))
            || (task.type == .reasoning && ExactTools.solve(task.text) != nil)
    }

    /// Where a task goes: arithmetic the calculator computes, and questions an exact tool answers, to
    /// the instant streams; the rest to its type's, or to its bulk tier when `Admission` says the user
    /// has had their share; the partition by the subtask's id.
    public func stream(for task: TaskJob, tier: Admission.Tier = .primary) -> String {
        let k = partition(of: task.subtaskID)
        if isInstant(task) { return taskStream("instant", partition: k) }
        return taskStream(task.type.rawValue, partition: k, bulk: tier == .bulk)
    }

    /// Every stream the fleet uses, in pipeline order.
    public var allStreams: [String] {
        [queries] + taskStreams + [verify, synthesize, answers, dead]
    }
}

extension Error {
    /// The reason to show: a decode error's own words, else the error's description.
    public var reason: String {
        if let d = self as? Wire.DecodeError { return d.reason }
        return "\(self)"
    }
}

// The wire jobs' JSON, by hand (see `JSONValue`): the same text JSONEncoder writes, read with the
// same error messages as JSONDecoder's.

extension QueryJob: WireJSON {
    public init(fields f: JSONFields) throws(Wire.DecodeError) {
        self.init(id: try f.string("id"), query: try f.string("query"), user: try f.optionalString("user"), critical: try f.optionalBool("critical"))
        try QueryJob.validate(id: id)
        if let user, !user.isEmpty { try QueryJob.validate(user: user) }
    }

    public var json: JSONValue {
        .members([("id", .string(id)), ("query", .string(query)), ("user", user.map(JSONValue.string)), ("critical", critical.map(JSONValue.bool))])
    }
}

extension TaskJob: WireJSON {
    public init(fields f: JSONFields) throws(Wire.DecodeError) {
        let raw = try f.string("type")
        guard let type = TaskType(rawValue: raw) else {
            throw Wire.DecodeError("job has an unknown task type '\(raw.prefix(20))' at 'type'")
        }
        self.init(queryID: try f.string("query_id"), subtaskID: try f.string("subtask_id"), index: try f.int("index"), type: type,
                  text: try f.string("text"), attempt: try f.int("attempt"), genome: try f.optionalString("genome"),
                  avoid: try f.optionalStrings("avoid"), budget: try f.optionalInt("budget"),
                  spec: try f.optionalObject("genome_spec").map { o throws(Wire.DecodeError) in try Genome(fields: o) },
                  avoidNodes: try f.optionalStrings("avoid_nodes"))
        if let spec, spec.specialization != type { throw Wire.DecodeError("the genome_spec is not of the task's type") }
        if let budget, budget < 0 { throw Wire.DecodeError("job has a negative budget") }
        try Wire.checkSubtask(subtaskID, queryID: queryID)
        try Wire.checkAttempt(attempt)
        if subtaskID != "\(queryID).\(index)" { throw Wire.DecodeError("the index does not match the subtask id") }
    }

    public var json: JSONValue {
        .members([
            ("query_id", .string(queryID)), ("subtask_id", .string(subtaskID)), ("index", .int(index)), ("type", .string(type.rawValue)),
            ("text", .string(text)), ("attempt", .int(attempt)), ("genome", genome.map(JSONValue.string)),
            ("avoid", avoid.map { .array($0.map(JSONValue.string)) }), ("budget", budget.map(JSONValue.int)),
            ("genome_spec", spec?.json), ("avoid_nodes", avoidNodes.map { .array($0.map(JSONValue.string)) }),
        ])
    }
}

extension VerifyJob: WireJSON {
    public init(fields f: JSONFields) throws(Wire.DecodeError) {
        self.init(queryID: try f.string("query_id"), subtaskID: try f.string("subtask_id"), attempt: try f.int("attempt"))
        try Wire.checkSubtask(subtaskID, queryID: queryID)
        try Wire.checkAttempt(attempt)
    }

    public var json: JSONValue {
        .members([("query_id", .string(queryID)), ("subtask_id", .string(subtaskID)), ("attempt", .int(attempt))])
    }
}

extension SynthesizeJob: WireJSON {
    public init(fields f: JSONFields) throws(Wire.DecodeError) {
        self.init(queryID: try f.string("query_id"))
        try QueryJob.validate(id: queryID)
    }

    public var json: JSONValue { .members([("query_id", .string(queryID))]) }
}

extension AnswerEvent: WireJSON {
    public init(fields f: JSONFields) throws(Wire.DecodeError) {
        self.init(queryID: try f.string("query_id"), status: try f.string("status"), answer: try f.optionalString("answer"),
                  error: try f.optionalString("error"), user: try f.optionalString("user"))
        try QueryJob.validate(id: queryID)
        if let user { try QueryJob.validate(user: user) }
    }

    public var json: JSONValue {
        .members([("query_id", .string(queryID)), ("status", .string(status)), ("answer", answer.map(JSONValue.string)),
                  ("error", error.map(JSONValue.string)), ("user", user.map(JSONValue.string))])
    }
}
