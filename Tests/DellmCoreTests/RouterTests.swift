import Testing
@testable import DellmCore

@Suite struct RouterTests {
    @Test func oneOrNoSpeciesIsNoChoice() {
        var rng = EconomyTests.Rng(state: 1)
        #expect(Router().choose([], using: &rng) == nil)
        #expect(Router().choose([.init(id: "math", score: 0.1, load: 9)], using: &rng)?.id == "math")
    }

    @Test func prefersTheBetterSpeciesAndExplores() {
        var rng = EconomyTests.Rng(state: 7)
        let router = Router(epsilon: 0.1)
        let candidates: [Router.Candidate] = [
            .init(id: "good", score: 0.9, load: 0), .init(id: "poor", score: 0.1, load: 0),
            .init(id: "mid", score: 0.5, load: 0), .init(id: "worst", score: 0.01, load: 0),
        ]
        var counts: [String: Int] = [:]
        for _ in 0..<10_000 { counts[router.choose(candidates, using: &rng)!.id, default: 0] += 1 }
        #expect(counts["good", default: 0] > counts["mid", default: 0])
        #expect(counts["mid", default: 0] > counts["poor", default: 0])
        // Outside the top 3, a species is reached only by exploration (about ε / 4 of the time).
        #expect((150...400).contains(counts["worst", default: 0]))
    }

    @Test func loadShiftsWorkAway() {
        var rng = EconomyTests.Rng(state: 3)
        let router = Router(epsilon: 0)
        let candidates: [Router.Candidate] = [.init(id: "a", score: 0.8, load: 50), .init(id: "b", score: 0.8, load: 0)]
        var b = 0
        for _ in 0..<1_000 where router.choose(candidates, using: &rng)!.id == "b" { b += 1 }
        #expect(b > 900)
    }
}
