import Testing
@testable import DellmCore

/// Properties of the economy's formulas, over generated inputs (a seeded generator, so a failure repeats).
@Suite struct EconomyTests {
    struct Rng: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test(arguments: 0..<5)
    func pricesArePositiveAndMembersPayLess(seed: Int) {
        var rng = Rng(state: UInt64(seed))
        for _ in 0..<500 {
            let parts = (0..<Int.random(in: 1...6, using: &rng)).map { _ in TaskType.allCases.randomElement(using: &rng)! }
            let member = Economy.price(parts, runsNodes: true)
            let other = Economy.price(parts, runsNodes: false)
            #expect(member > 0)
            #expect(abs(other - Economy.rounded(member * 1.5)) < 0.0002)
        }
    }

    @Test(arguments: 0..<5)
    func earningsFollowTheDesign(seed: Int) {
        var rng = Rng(state: UInt64(seed))
        for _ in 0..<500 {
            let c = Double.random(in: 0.5...3, using: &rng), s = Double.random(in: 0...30, using: &rng), a = Double.random(in: 0...1, using: &rng)
            #expect(Economy.earning(complexity: c, correct: false, seconds: s, accuracy: a) == 0, "a wrong answer earns nothing")
            let e = Economy.earning(complexity: c, correct: true, seconds: s, accuracy: a)
            #expect(e > 0)
            #expect(Economy.earning(complexity: c, correct: true, seconds: s + 5, accuracy: a) <= e, "slower earns no more")
            #expect(Economy.earning(complexity: c, correct: true, seconds: s, accuracy: 0.99) >= e, "the most accurate earn the most")
        }
    }

    @Test func multipliersHaveTheDesignsBands() {
        #expect(Economy.qualityMultiplier(accuracy: 0.96) == 1.3)
        #expect(Economy.qualityMultiplier(accuracy: 0.92) == 1.1)
        #expect(Economy.qualityMultiplier(accuracy: 0.85) == 1.0)
        #expect(Economy.qualityMultiplier(accuracy: 0.79) == 0.8)
    }

    @Test(arguments: 0..<3)
    func trustStaysInRangeAndWeighsRecentWork(seed: Int) {
        var rng = Rng(state: UInt64(seed))
        for _ in 0..<500 {
            let r = Double.random(in: -0.5...1.5, using: &rng), l = Double.random(in: 0...1, using: &rng), u = Double.random(in: 0...1, using: &rng)
            let t = Economy.trust(recentAccuracy: r, lifetimeAccuracy: l, uptime: u)
            #expect(t >= 0 && t <= 1)
        }
        #expect(Economy.trust(recentAccuracy: 1, lifetimeAccuracy: 0, uptime: 0) == 0.6)
        #expect(abs(Economy.trust(recentAccuracy: 1, lifetimeAccuracy: 1, uptime: 1) - 1) < 1e-12)
    }

    @Test func levelsGrowWithExperience() {
        #expect(Economy.experience(earned: 0, trust: 0).level == 1)
        #expect(Economy.experience(earned: 10, trust: 0.9).level > Economy.experience(earned: 1, trust: 0.9).level)
    }

    @Test func availabilityAndContributionBonusesFollowTheDesign() {
        #expect(Economy.availabilityMultiplier(uptime: 1) == 1.2)
        #expect(Economy.availabilityMultiplier(uptime: 0.95) == 1.2)
        #expect(Economy.availabilityMultiplier(uptime: 0.7) == 1.0)
        #expect(Economy.availabilityMultiplier(uptime: 0.2) == 0.9)
        #expect(Economy.contributionMultiplier(verified: 3) == 1.0)
        #expect(Economy.contributionMultiplier(verified: TrustPolicy.probation) == 1.2)
    }
}
