/// The DELLM economy's formulas (from the DELLM design), as pure functions.
public enum Economy {
    /// Days since a user's node last contributed after which the user pays non-member prices again.
    public static let membershipDays = 7

    /// Credits a new user starts with.
    public static let startingCredits = 100.0
    /// The credit value of one unit of complexity: prices and earnings share it.
    public static let creditsPerUnit = 0.1

    /// How much work a subtask of this type is.
    public static func complexity(_ t: TaskType) -> Double {
        switch t {
        case .math, .factual: return 1
        case .creative: return 1.5
        case .reasoning: return 2
        case .code: return 3
        }
    }

    /// What a query costs before any work: its parts' complexity; users who also run nodes pay 1×,
    /// others 1.5×.
    public static func price(_ parts: [TaskType], runsNodes: Bool) -> Double {
        let units = parts.reduce(0) { $0 + complexity($1) }
        return rounded(units * creditsPerUnit * (runsNodes ? 1 : 1.5))
    }

    /// The design's quality multiplier by a node's accuracy: × 1.3 above 95%, × 1.1 at 90–95%,
    /// × 0.8 below 80%, × 1 otherwise.
    public static func qualityMultiplier(accuracy: Double) -> Double {
        if accuracy > 0.95 { return 1.3 }
        if accuracy >= 0.90 { return 1.1 }
        if accuracy < 0.80 { return 0.8 }
        return 1
    }

    /// The design's availability bonus, from a node's uptime (the share of the last hour's minutes with
    /// a heartbeat): around the clock (≥ 95%) 1.2×, regular (≥ 50%) 1.0×, sporadic 0.9×.
    public static func availabilityMultiplier(uptime: Double) -> Double {
        if uptime >= 0.95 { return 1.2 }
        if uptime >= 0.5 { return 1.0 }
        return 0.9
    }

    /// The design's contribution bonus: a regular contributor (past probation, `TrustPolicy.probation`
    /// checked verdicts) earns 1.2×, a newer or sporadic one 1.0×.
    public static func contributionMultiplier(verified: Int) -> Double {
        verified >= TrustPolicy.probation ? 1.2 : 1.0
    }

    /// A node's earning for one verified attempt: complexity × correctness ÷ response time (seconds,
    /// at least 1) × its quality multiplier, in credits. A wrong answer earns 0.
    public static func earning(complexity: Double, correct: Bool, seconds: Double, accuracy: Double) -> Double {
        guard correct else { return 0 }
        return rounded(creditsPerUnit * complexity / max(1, seconds) * qualityMultiplier(accuracy: accuracy))
    }

    /// Trust = 0.6 × accuracy over the last 100 verified attempts + 0.3 × lifetime accuracy + 0.1 × uptime.
    public static func trust(recentAccuracy: Double, lifetimeAccuracy: Double, uptime: Double) -> Double {
        0.6 * clamp(recentAccuracy) + 0.3 * clamp(lifetimeAccuracy) + 0.1 * clamp(uptime)
    }

    /// Experience and level of a node's operator, from credits earned and trust (gamification).
    public static func experience(earned: Double, trust: Double) -> (xp: Int, level: Int) {
        let xp = Int((earned * 100 + trust * 100).rounded())
        var level = 1
        while xp >= 100 * level * level { level += 1 }
        return (xp, level)
    }

    /// What a new user name receives, and how many new names may receive it per hour across the fleet.
    /// Until submitters authenticate, a name is all there is to a submitter, so the rate is fleet-wide:
    /// it bounds what inventing names can draw (`credits` × `perHour` an hour); past it a new name starts
    /// with nothing and its query fails with insufficient credits, saying why.
    public struct Grant: Sendable, Equatable {
        public var credits: Double
        public var perHour: Int
        public init(credits: Double = Economy.startingCredits, perHour: Int = 600) {
            self.credits = credits
            self.perHour = perHour
        }
    }

    /// The invariant that keeps credits from being minted: what nodes earn on a part never exceeds what
    /// the query's user paid for that part (its share of the charge by complexity). An earning is
    /// capped by what is left of the share; nothing is earned once it is spent.
    public static func cappedEarning(_ earned: Double, share: Double, earnedSoFar: Double) -> Double {
        guard earned.isFinite, share.isFinite, earnedSoFar.isFinite else { return 0 }
        return rounded(max(0, min(earned, share - earnedSoFar)))
    }

    /// A part's share of its query's charge.
    public static func share(of charge: Double, part: TaskType, parts: [TaskType]) -> Double {
        let units = parts.reduce(0) { $0 + complexity($1) }
        return units > 0 ? charge * complexity(part) / units : 0
    }

    /// `complexity` as an SQL expression over a column holding the type's name (the same table).
    public static func complexitySQL(_ column: String) -> String {
        "(CASE \(column) " + TaskType.allCases.map { "WHEN '\($0.rawValue)' THEN \(complexity($0))" }.joined(separator: " ") + " ELSE 1 END)"
    }

    static func clamp(_ v: Double) -> Double { min(1, max(0, v)) }
    /// Ledger amounts have four decimals.
    public static func rounded(_ v: Double) -> Double { (v * 10_000).rounded() / 10_000 }
}
