import DellmCore
import Testing

struct SelfConsistencyTests {
    @Test func moreSamplesOnlyAsFarAsTheBudgetGoes() {
        var b = SelfConsistency.Budget(limit: 100)
        // Before any sample, the estimate prices one.
        #expect(b.more(round: 2, cap: 9, estimate: 40) == 2)
        #expect(b.more(round: 2, cap: 9, estimate: 60) == 1)
        #expect(b.more(round: 2, cap: 9, estimate: 101) == 0)
        for t in [20, 30, 10] { b.record(tokens: t) }
        #expect(b.spent == 60 && b.samples == 3)
        // 40 left at a mean of 20 a sample: two more.
        #expect(b.more(round: 2, cap: 9, estimate: 1_000) == 2)
        #expect(b.more(round: 5, cap: 9, estimate: 1) == 2)
        // Never past the cap.
        #expect(b.more(round: 2, cap: 4, estimate: 1) == 1)
        #expect(b.more(round: 2, cap: 3, estimate: 1) == 0)
        b.record(tokens: 40)
        #expect(b.more(round: 2, cap: 9, estimate: 1) == 0, "spent all of it")
    }

    @Test func noBudgetAsksNothingMore() {
        let b = SelfConsistency.Budget(limit: 0)
        #expect(b.more(round: 2, cap: 9, estimate: 1) == 0)
        #expect(SelfConsistency.Budget(limit: -5).limit == 0)
        #expect(SelfConsistency.share(of: 0, parts: 3) == nil)
        #expect(SelfConsistency.share(of: 800, parts: 3) == 266)
        #expect(SelfConsistency.share(of: 800, parts: 0) == 800)
    }

    @Test func anAnswerIsSettledByMoreThanHalfAndAtLeastTwo() {
        #expect(SelfConsistency.settled(support: 2, of: 3))
        #expect(!SelfConsistency.settled(support: 2, of: 4))
        #expect(!SelfConsistency.settled(support: 2, of: 5))
        #expect(SelfConsistency.settled(support: 3, of: 5))
        #expect(!SelfConsistency.settled(support: 1, of: 1), "one sample agrees with nobody")
    }

    @Test func samplesAgreeByWhatTheyNameOrByTheirNumber() {
        let facts = ["The Red Planet is Jupiter.", "It is known as Mars.", "Mars is called the Red Planet.", "Venus."]
        #expect(SelfConsistency.agreeing(facts, type: .factual, question: "Which planet is the Red Planet?", quorum: 2) == 1)
        #expect(SelfConsistency.agreeing(facts, type: .factual, question: "Which planet is the Red Planet?", quorum: 3) == nil)
        let sums = ["Answer: 42", "6 × 7 = 42\nAnswer: 42", "Answer: 48"]
        #expect(SelfConsistency.agreeing(sums, type: .math, question: "6 times 7", quorum: 2) == 0, "the same final number, in other words")
        #expect(SelfConsistency.agreeing(sums, type: .math, question: "6 times 7", quorum: 3) == nil)
        #expect(SelfConsistency.quorum(of: 3) == 2 && SelfConsistency.quorum(of: 5) == 3 && SelfConsistency.quorum(of: 7) == 4)
    }
}
