/// The kinds of subtask the fleet routes; each has a stream `{ns}:tasks:<type>`.
public enum TaskType: String, Sendable, Codable, CaseIterable, Comparable {
    case math, code, factual, reasoning, creative

    public static func < (a: TaskType, b: TaskType) -> Bool { a.rawValue < b.rawValue }
}
