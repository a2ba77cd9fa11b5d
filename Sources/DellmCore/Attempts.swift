/// What a node made of one subtask, and what the verifier said of it: the domain types every role
/// shares (the store only records them).

/// One call to the model (or a tool) behind an attempt.
public struct Vote: Sendable, Codable, Equatable {
    public var source: String
    public var answer: String
    public var milliseconds: Int
    /// The completion tokens the model spent on it (nil: a tool's, or a server that does not say).
    public var tokens: Int?

    public init(source: String, answer: String, milliseconds: Int, tokens: Int? = nil) {
        self.source = source
        self.answer = answer
        self.milliseconds = milliseconds
        self.tokens = tokens
    }

    /// As JSONEncoder writes it, without its cost (every attempt writes its votes).
    public var json: JSONValue {
        var m: [(String, JSONValue)] = [("source", .string(source)), ("answer", .string(answer)), ("milliseconds", .int(milliseconds))]
        if let tokens { m.append(("tokens", .int(tokens))) }
        return .members(m)
    }
}

/// A node's attempt at a subtask: its answer (nil when the model failed: `error` says why), the votes
/// behind it, how sure the node was, and the tool that made it, if any.
public struct AttemptRecord: Sendable, Codable, Equatable {
    public var answer: String?
    public var votes: [Vote]
    public var confidence: Double
    public var tool: String?
    public var error: String?
    public var latencyMilliseconds: Int

    public init(answer: String?, votes: [Vote], confidence: Double, tool: String?, error: String?, latencyMilliseconds: Int) {
        self.answer = answer
        self.votes = votes
        self.confidence = confidence
        self.tool = tool
        self.error = error
        self.latencyMilliseconds = latencyMilliseconds
    }
}

/// The verifier's judgement of one attempt.
public struct Verdict: Sendable, Equatable {
    public var passed: Bool
    public var reason: String
    /// Whether the check settles correctness (a recomputation, tests run) rather than form alone.
    /// Passes that are not decisive are the ones spot verification may re-check.
    public var decisive: Bool

    public init(passed: Bool, reason: String, decisive: Bool = true) {
        self.passed = passed
        self.reason = reason
        self.decisive = decisive
    }

    /// Passed, but no check proves it: not counted for trust, credits or accuracy.
    public var unproven: Bool { passed && !decisive }
}
