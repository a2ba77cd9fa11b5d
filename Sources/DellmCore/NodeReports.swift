/// What a node hands in, on its own stream `{ns}:attempts:<node>` (the only key it may write): its
/// attempts, its heartbeats, and tasks it could not read. The coordinator's recorder reads these
/// streams, attributes each entry to the node whose stream it is (never to a name written in it),
/// records it in PostgreSQL and acknowledges the task for the node.

/// A node's attempt at one task.
public struct AttemptJob: Sendable, Equatable, WireJSON {
    /// The task as the node read it (without its genome spec).
    public var task: TaskJob
    /// Where the task was read: the recorder acknowledges that entry once the attempt is recorded.
    public var taskStream: String
    public var taskEntry: String
    /// The genome the node expressed.
    public var genome: String
    public var record: AttemptRecord
    /// An open fleet's node states its owner and species; a registered node's come from its registration.
    public var owner: String?
    public var species: String?

    enum CodingKeys: String, CodingKey {
        case task, taskStream = "task_stream", taskEntry = "task_entry", genome, record, owner, species
    }

    public init(task: TaskJob, taskStream: String, taskEntry: String, genome: String, record: AttemptRecord,
                owner: String? = nil, species: String? = nil) {
        var t = task
        t.spec = nil
        self.task = t
        self.taskStream = taskStream
        self.taskEntry = taskEntry
        self.genome = genome
        self.record = record
        self.owner = owner
        self.species = species
    }

    /// Votes one attempt may carry (self-consistency asks at most 9, code 4).
    public static let maxVotes = 32

    public init(fields f: JSONFields) throws(Wire.DecodeError) {
        let task = try TaskJob(fields: f.object("task"))
        let r = try f.object("record")
        let votes = try r.objects("votes")
        guard votes.count <= Self.maxVotes else { throw Wire.DecodeError("the attempt has more than \(Self.maxVotes) votes") }
        var decoded: [Vote] = []
        for v in votes {
            decoded.append(Vote(source: try v.string("source"), answer: try v.string("answer"), milliseconds: try v.int("milliseconds"),
                                tokens: try v.optionalInt("tokens")))
        }
        let record = AttemptRecord(answer: try r.optionalString("answer"), votes: decoded, confidence: try r.double("confidence"),
                                   tool: try r.optionalString("tool"), error: try r.optionalString("error"),
                                   latencyMilliseconds: try r.int("latency_ms"))
        guard (0...1).contains(record.confidence) else { throw Wire.DecodeError("the attempt's confidence must be 0–1") }
        self.init(task: task, taskStream: try f.string("task_stream"), taskEntry: try f.string("task_entry"), genome: try f.string("genome"),
                  record: record, owner: try f.optionalString("owner"), species: try f.optionalString("species"))
        if let owner { try QueryJob.validate(user: owner) }
    }

    public var json: JSONValue {
        let r = JSONValue.members([
            ("answer", record.answer.map(JSONValue.string)), ("votes", .array(record.votes.map(\.json))),
            ("confidence", .number(String(record.confidence))), ("tool", record.tool.map(JSONValue.string)),
            ("error", record.error.map(JSONValue.string)), ("latency_ms", .int(record.latencyMilliseconds)),
        ])
        return .members([
            ("task", task.json), ("task_stream", .string(taskStream)), ("task_entry", .string(taskEntry)), ("genome", .string(genome)),
            ("record", r), ("owner", owner.map(JSONValue.string)), ("species", species.map(JSONValue.string)),
        ])
    }
}

/// A node saying it is up (its uptime feeds the availability bonus), every 30 s.
public struct NodeHeartbeat: Sendable, Equatable, WireJSON {
    public var owner: String?
    public var species: String?

    public init(owner: String?, species: String?) {
        self.owner = owner
        self.species = species
    }

    public init(fields f: JSONFields) throws(Wire.DecodeError) {
        self.init(owner: try f.optionalString("owner"), species: try f.optionalString("species"))
        if let owner { try QueryJob.validate(user: owner) }
    }

    public var json: JSONValue { .members([("owner", owner.map(JSONValue.string)), ("species", species.map(JSONValue.string))]) }
}

extension Wire {
    /// A node name: 1–64 of `A–Z a–z 0–9 . _ + -` (it is part of a stream key and a Redis user name).
    public static func checkNode(_ name: String) throws(Wire.DecodeError) {
        try checkName(name, what: "the node name", max: 64, extra: "._+-", hint: "")
    }
}
