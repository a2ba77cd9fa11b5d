/// Trust that acts (BOINC's adaptive replication, in small): how often a node's answers that no check
/// can prove are re-checked by another genome, whether it is quarantined, and what share of its
/// earnings it is paid — all from its standing (trust and how many checked verdicts it has).
///
/// - new nodes (fewer than `probation` checked verdicts) and low-trust nodes are re-checked at three
///   times the base spot rate, trusted nodes at half of it;
/// - below `floor`, once past probation, a node is quarantined: every answer of it is re-checked and it
///   earns nothing, until its trust (recomputed on every verdict) climbs back over the floor.
public enum TrustPolicy {
    /// What the fleet knows of a node.
    public struct Standing: Sendable, Equatable {
        public var trust: Double
        /// Checked verdicts on its attempts so far.
        public var verified: Int

        public init(trust: Double, verified: Int) {
            self.trust = trust
            self.verified = verified
        }
    }

    /// Checked verdicts before a node's trust is taken at its word.
    public static let probation = 20
    /// Below it (after probation) a node is quarantined.
    public static let floor = 0.3
    /// Below it a node is re-checked more often.
    public static let low = 0.6
    /// At or above it a node is re-checked less often.
    public static let trusted = 0.9

    public static func quarantined(_ s: Standing) -> Bool {
        s.verified >= probation && s.trust < floor
    }

    /// The spot rate for this node's undecided passes, from the fleet's base rate.
    public static func spotRate(base: Double, _ s: Standing) -> Double {
        if quarantined(s) { return 1 }
        if s.verified < probation || s.trust < low { return min(1, base * 3) }
        if s.trust >= trusted { return base / 2 }
        return base
    }

    /// The share of a computed earning a node is paid: nothing in quarantine, else its trust (a node
    /// on probation earns in full: its trust is not yet known).
    public static func earningFactor(_ s: Standing) -> Double {
        if quarantined(s) { return 0 }
        if s.verified < probation { return 1 }
        return min(1, max(0, s.trust))
    }
}
