import DellmCore
import Testing

/// Adaptive re-checking and quarantine by a node's standing.
struct TrustPolicyTests {
    typealias S = TrustPolicy.Standing

    @Test func newAndLowTrustNodesAreRecheckedMoreAndTrustedOnesLess() {
        #expect(TrustPolicy.spotRate(base: 0.1, S(trust: 0.95, verified: 5)) == 0.1 * 3, "a new node, whatever its trust")
        #expect(TrustPolicy.spotRate(base: 0.1, S(trust: 0.5, verified: 100)) == 0.1 * 3)
        #expect(TrustPolicy.spotRate(base: 0.1, S(trust: 0.7, verified: 100)) == 0.1)
        #expect(TrustPolicy.spotRate(base: 0.1, S(trust: 0.95, verified: 100)) == 0.05)
        #expect(TrustPolicy.spotRate(base: 0.5, S(trust: 0.5, verified: 100)) == 1, "never above every answer")
    }

    @Test func belowTheFloorANodeIsQuarantinedUntilItRecovers() {
        let bad = S(trust: 0.2, verified: 40)
        #expect(TrustPolicy.quarantined(bad))
        #expect(TrustPolicy.spotRate(base: 0, bad) == 1, "every unprovable answer re-checked, even with no spot checks")
        #expect(TrustPolicy.earningFactor(bad) == 0)
        #expect(!TrustPolicy.quarantined(S(trust: 0.2, verified: 10)), "probation first: trust is not known yet")
        #expect(TrustPolicy.earningFactor(S(trust: 0.2, verified: 10)) == 1)
        let recovered = S(trust: 0.35, verified: 60)
        #expect(!TrustPolicy.quarantined(recovered) && TrustPolicy.earningFactor(recovered) == 0.35)
    }
}
