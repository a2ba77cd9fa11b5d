import Testing
@testable import DellmCore

@Suite struct EvolutionTests {
    typealias Rng = EconomyTests.Rng

    func genome(_ id: String, _ type: TaskType = .factual, temps: [Double] = [0.2, 0.5]) -> Genome {
        Genome(id: id, species: String(id.prefix { $0 != "." }), specialization: type,
               prompts: Prompts.names(for: type).prefix(2).map { $0 }, temperatures: temps, maxTokens: 64)
    }

    @Test func fitnessIsCorrectnessOverLatencyAndCost() {
        // A tool-like instant answer that costs nothing: its correctness alone.
        #expect(Evolution.Stats(attempts: 10, correct: 9, totalMilliseconds: 0, modelCalls: 0).fitness == 0.9)
        // 10 s per answer halves it; two model calls per answer cost a further 0.2.
        let slow = Evolution.Stats(attempts: 4, correct: 4, totalMilliseconds: 40_000, modelCalls: 8)
        #expect(abs(slow.fitness - 1 / 2.2) < 1e-9)
        #expect(Evolution.Stats().fitness == 0)
    }

    @Test func aLongRecordOutranksALuckyStart() {
        let proven = Evolution.Stats(attempts: 40, correct: 38, totalMilliseconds: 40_000, modelCalls: 80)
        let lucky = Evolution.Stats(attempts: 3, correct: 3, totalMilliseconds: 2_400, modelCalls: 6)
        #expect(lucky.fitness > proven.fitness)
        #expect(proven.provenFitness > lucky.provenFitness)
        #expect(Evolution.wilsonLowerBound(correct: 0, of: 10) == 0)
        #expect(Evolution.wilsonLowerBound(correct: 10, of: 10) < 1)
    }

    @Test func bandsFollowTheDesign() {
        #expect(Evolution.Band(fitness: 0.8) == .normal)
        #expect(Evolution.Band(fitness: 0.7) == .increased)
        #expect(Evolution.Band(fitness: 0.6) == .aggressive)
        #expect(Evolution.Band(fitness: 0.3) == .crisis)
        #expect(Evolution.Band.allCases.map(\.mutationRate) == Evolution.Band.allCases.map(\.mutationRate).sorted())
    }

    @Test func nothingToJudgeIsNoGeneration() {
        var rng = Rng(state: 1)
        let plan = Evolution.plan(population: [genome("a")], stats: ["a": .init(attempts: 2, correct: 2)], generation: 1, using: &rng)
        #expect(plan.fleetFitness == nil && plan.culled.isEmpty && plan.spawned.isEmpty)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func cullsTheBottomBreedsTheTopAndKeepsEveryType(seed: UInt64) {
        var rng = Rng(state: seed)
        // Five judged factual genomes of rising fitness, one young one, and a lone math genome.
        let facts = (1...5).map { genome("f\($0)") }
        let young = genome("young")
        let math = genome("m", .math)
        var stats: [String: Evolution.Stats] = [:]
        for (i, g) in facts.enumerated() { stats[g.id] = .init(attempts: 10, correct: 5 + i, totalMilliseconds: 10_000, modelCalls: 20) }
        stats[young.id] = .init(attempts: 1, correct: 0)
        stats[math.id] = .init(attempts: 10, correct: 2, totalMilliseconds: 1_000, modelCalls: 20)
        // Room for every child of the top genome and the cross of the best two: 6 now, 1 culled, 4 born.
        let settings = Evolution.Settings(minimumAttempts: 3, maxPerType: 9, models: ["default", "other"])
        let plan = Evolution.plan(population: facts + [young, math], stats: stats, generation: 4, settings: settings, using: &rng)
        // The weakest judged factual genome goes; the young one is not judged, the lone math one stays.
        #expect(plan.culled.contains("f1"))
        #expect(!plan.culled.contains("young"))
        #expect(!plan.culled.contains("m"))
        #expect(!plan.culled.contains("f5"))
        // The top genome of each type breeds; every child is new, of its parent's type, and differs from it.
        let children = plan.spawned.filter { $0.parents == ["f5"] }
        #expect(children.count == plan.band!.variants)
        for c in plan.spawned {
            #expect(c.generation == 4)
            #expect(c.id.contains(".g4."))
            let parent = (facts + [math]).first { $0.id == c.parents[0] }!
            #expect(c.specialization == parent.specialization)
            if c.parents.count == 1 {
                #expect(c.temperatures != parent.temperatures || c.prompts != parent.prompts || c.models != parent.models)
            }
            #expect(c.temperatures.allSatisfy { (0...1.5).contains($0) })
            #expect(c.votesCanDisagree, "\(c.summary)")
            #expect(c.prompts.allSatisfy { Prompts.names(for: c.specialization).contains($0) })
        }
        #expect(plan.spawned.contains { $0.parents == ["f5", "f4"] }, "the best two cross")
        #expect(Set(plan.spawned.map(\.id)).count == plan.spawned.count)
        // The cap holds per type.
        let factsAfter = facts.count + 1 - plan.culled.filter { $0.hasPrefix("f") }.count + plan.spawned.filter { $0.specialization == .factual }.count
        #expect(factsAfter <= settings.maxPerType)
        // A poor fleet pushes harder.
        #expect(plan.band == Evolution.Band(fitness: plan.fleetFitness!))
    }

    /// A full population (6 judged genomes of a type, at the cap of 6) loses its weakest one, not more
    /// (17%, within the design's 20%; the old cap culled 4 of 6), and gets one child in its place; over
    /// ten generations the type stays at the cap and never loses more than one genome a generation.
    @Test(arguments: [1, 2, 3])
    func aFullPopulationCullsTwentyPercentNotWhatTheCapWants(seed: UInt64) {
        var rng = Rng(state: seed)
        var population = (1...6).map { genome("f\($0)") }
        var stats: [String: Evolution.Stats] = [:]
        for (i, g) in population.enumerated() { stats[g.id] = .init(attempts: 20, correct: 8 + i, totalMilliseconds: 20_000, modelCalls: 40) }
        let settings = Evolution.Settings(minimumAttempts: 3, maxPerType: 6)
        for generation in 1...10 {
            let plan = Evolution.plan(population: population, stats: stats, generation: generation, settings: settings, using: &rng)
            #expect(plan.culled.count == 1, "generation \(generation): culled \(plan.culled)")
            #expect(plan.spawned.count <= 1)
            if generation == 1 { #expect(plan.culled == ["f1"], "the weakest goes") }
            population = population.filter { !plan.culled.contains($0.id) } + plan.spawned
            #expect(population.count == 6)
            // The newborn is judged before the next generation, as a middling genome.
            for c in plan.spawned { stats[c.id] = .init(attempts: 20, correct: 10, totalMilliseconds: 20_000, modelCalls: 40) }
        }
    }

    @Test func theTokenBudgetMutatesInStepsWithinBounds() {
        var rng = Rng(state: 11)
        var parent = genome("p")
        parent.maxTokens = 64
        let budgets = (0..<200).map { Evolution.mutate(parent, id: "c\($0)", generation: 1, band: .crisis, models: ["default"], using: &rng).maxTokens }
        // Both ways, by a quarter, in steps of 16, and never outside 32…1024.
        #expect(Set(budgets).isSuperset(of: [48, 80]))
        #expect(budgets.allSatisfy { $0 == 64 || ($0 % 16 == 0 && (32...1024).contains($0)) })
        parent.maxTokens = 32
        let low = (0..<100).map { Evolution.mutate(parent, id: "l\($0)", generation: 1, band: .crisis, models: ["default"], using: &rng).maxTokens }
        #expect(low.allSatisfy { $0 >= 32 })
    }

    @Test func identicalVotesAreMadeToDiffer() {
        var rng = Rng(state: 2)
        var same = genome("same")
        same.prompts = ["fact-sentence", "fact-sentence"]
        same.temperatures = [0, 0.1]
        #expect(!same.votesCanDisagree)
        let fixed = Evolution.diversified(same, using: &rng)
        #expect(fixed.votesCanDisagree && fixed.prompts[0] == "fact-sentence" && fixed.prompts[1] != "fact-sentence")
        for s in Genome.seeds { #expect(s.votesCanDisagree, "seed \(s.id)") }
    }

    @Test func thompsonSamplingPrefersTheProvenAndStillTriesTheYoung() {
        var rng = Rng(state: 5)
        let router = Router(strategy: .thompson)
        let candidates: [Router.Candidate] = [
            .init(id: "proven", score: 0.9, load: 0, attempts: 200, correct: 180, meanSeconds: 0.5),
            .init(id: "poor", score: 0.2, load: 0, attempts: 200, correct: 40, meanSeconds: 0.5),
            .init(id: "young", score: nil, load: 0, attempts: 1, correct: 1, meanSeconds: 0.5),
        ]
        var counts: [String: Int] = [:]
        for _ in 0..<5_000 { counts[router.choose(candidates, using: &rng)!.id, default: 0] += 1 }
        #expect(counts["proven", default: 0] > 2_500)
        #expect(counts["young", default: 0] > 100, "an untried genome is still explored")
        #expect(counts["poor", default: 0] < 50)
    }

    @Test func criticalRoutesToDistinctGenomes() {
        var rng = Rng(state: 9)
        let router = Router()
        let c = (1...5).map { Router.Candidate(id: "g\($0)", score: Double($0) / 10, load: 0) }
        for _ in 0..<100 {
            let picks = router.choose(c, count: 3, using: &rng).map(\.id)
            #expect(picks.count == 3 && Set(picks).count == 3)
        }
        #expect(router.choose(Array(c.prefix(2)), count: 3, using: &rng).count == 2)
    }

    @Test func answersAgreeByMeaningNotSpelling() {
        #expect(Answers.agree(.math, "15 × 23 = 345", "Answer: 345"))
        #expect(!Answers.agree(.math, "Answer: 345", "Answer: 375"))
        #expect(Answers.agree(.factual, "Paris.", "The capital of France is Paris."))
        #expect(!Answers.agree(.factual, "Paris.", "The capital of France is Lyon."))
        #expect(Answers.agree(.reasoning, "Yes, all roses are flowers.", "Yes, all roses are flowers, so it follows."))
        #expect(Answers.majority(.factual, ["Lyon.", "Paris.", "It is Paris."], quorum: 2) == 1)
        #expect(Answers.majority(.factual, ["Lyon.", "Paris.", "Rome."], quorum: 2) == nil)
        // Seen in an evolution run: an answer that only restates the question shares its words with the
        // right one, and must not count as agreeing with it.
        let q = "What planet is known as the Red Planet?"
        let echo = "The Red Planet is the planet in the solar system known as the Red Planet."
        #expect(!Answers.agree(.factual, echo, "Mars is known as the Red Planet.", question: q))
        #expect(Answers.agree(.factual, "Mars.", "Mars is known as the Red Planet.", question: q))
        #expect(Answers.majority(.factual, [echo, "Mars is the Red Planet.", "It is Mars."], quorum: 2, question: q) == 1)
        // Seen in the next run: the echo says less than "… in the solar system known as Mars" and nothing
        // against it, so the two agree; the majority keeps the one that names the planet, not the first.
        let named = "The Red Planet is the planet in the solar system known as Mars."
        #expect(Answers.agree(.factual, echo, named, question: q))
        #expect(Answers.majority(.factual, [echo, named], quorum: 2, question: q) == 1)
        #expect(Answers.majority(.factual, [named, echo], quorum: 2, question: q) == 0)
    }

    /// Stop 28's fact2 run: "How many continents are there on Earth?" got two votes that agree in their
    /// words and not in their numbers ("121.4 Earths", "7 … 12 continents"), and the fleet said they
    /// agreed. A question that asks for a number is agreed on by the first number each answer gives.
    @Test func aNumberQuestionIsAgreedOnByItsNumber() {
        let q = "How many continents are there on Earth?"
        let votes = ["The Earth is home to approximately 121.3989608660000002 Earths.",
                     "The answer to this question is 7. Earth is a planet with a total of 12 confirmed continents."]
        #expect(Answers.majority(.factual, votes, quorum: 2, question: q) == nil)
        #expect(Answers.majority(.factual, votes + ["There are seven continents on Earth."], quorum: 2, question: q) == 1)
        #expect(Answers.asksForNumber("In what year did the war end?") && !Answers.asksForNumber("Who wrote Hamlet?"))
        // No majority among nine, but 7 twice and every other number once: the plurality.
        let nine = ["The answer is 7. Earth has 12 continents.", "About 129.99 continents.", "There are 16 planets.", "7,982 kilometers of Earth.",
                    "Its size is measured in kilometers.", "There are four main continents.", "About 146.79 million kilometers.",
                    "There are seven continents on Earth.", "There are five continents."]
        #expect(Answers.majority(.factual, nine, quorum: 5, question: q) == nil)
        #expect(Answers.numericPlurality(nine) == 0)
        #expect(Answers.numericPlurality(["5 of them", "7 of them", "5 again", "7 again"]) == nil) // a tie settles nothing
        // Answers without any number are left to the words, as before.
        #expect(Answers.majority(.factual, ["Many.", "Many."], quorum: 2, question: "How many stars are there?") == 0)
    }

    /// The votes of evolution runs where the first vote's hallucination was kept although the other two
    /// named Mars: the majority goes to what most of the answers name.
    @Test func factsAgreeOnWhatTheyName() {
        let q = "What planet is known as the Red Planet?"
        let isa = "The Red Planet is the planet designated by the International Space Observatory (ISA) as Perseverance"
        let votes1 = [isa, "The Red Planet is actually a planet in the solar system known as Mars.",
                      "The Red Planet is often referred to as Mars, but it's actually a planet in its own right."]
        #expect(Answers.majority(.factual, votes1, quorum: 2, question: q) == 1)
        let votes2 = ["The Red Planet is designated as Mars by the International Space Observatory.",
                      "The Red Planet is the planet designated by the International Space Exploration Association (IS Auror",
                      "The Red Planet is also known as Mars."]
        // "International Space" is named twice too, but the Mars answer with nothing unsupported is kept.
        #expect(Answers.majority(.factual, votes2, quorum: 2, question: q) == 2)
        // One answer naming something is no majority; names in the question are not names.
        #expect(Answers.namedConsensus([isa, "Mars."], quorum: 2, question: q) == nil)
        #expect(Answers.namedConsensus(["The Red Planet.", "Red Planet"], quorum: 2, question: q) == nil)
        let romeo = "Who wrote Romeo and Juliet?"
        #expect(Answers.majority(.factual, ["Actor Robert Pincus, who played the lead.", "William Shakespeare wrote it.",
                                            "It was written by Shakespeare."], quorum: 2, question: romeo) == 2)
        // Round 3 of an evolution run: three genomes' answers, no two agreeing (the echo was kept, being
        // first). Their nine votes name Mars four times: the answer naming Mars is the one to keep.
        let echo = "The Red Planet is the planet in the solar system known as the Red Planet."
        let answers = [echo, "The Red Planet is also known as Mars.",
                       "The Red Planet is the planet designated by the Roman numeral representing the planet's designation"]
        #expect(Answers.majority(.factual, answers, quorum: 2, question: q) == nil)
        let votes = ["The Red Planet is the planet designated by the International Space Union (ISAU) as the planet", echo,
                     "The Red Planet is often referred to as Mars, but it's actually a planet in its own right.",
                     "The Red Planet is designated as Mars by the International Space Observatory.",
                     "The Red Planet is the planet designated by the International Space Exploration Association (IS Auror",
                     answers[1], answers[2],
                     "The Red Planet is a fictional planet in the TV series \"Blade Runner\" created by Eric Bledsok.",
                     "The Red Planet is also sometimes referred to as Mars, which refers to the planet in the solar system"]
        #expect(Answers.namedConsensus(answers, quorum: 2, question: q, evidence: votes) == 1)
        // A capitalised common word at the start of a sentence is not a name.
        #expect(Answers.namedConsensus(["Actually, Mars.", "It is actually Mars."], quorum: 2, question: q) == 0)
        #expect(Answers.namedConsensus(["Actually it is Venus.", "Actually, Mars."], quorum: 2, question: q) == nil)
    }

    @Test func genomesRoundTripAndSeedEveryType() throws {
        for t in TaskType.allCases { #expect(Genome.seed(for: t).specialization == t) }
        let g = Genome.seeds[0]
        #expect(g.systemPrompt(0) == Prompts.catalogue[g.prompts[0]])
        var custom = g
        custom.prompts = ["Reply with a haiku.", "fact-words"]
        #expect(custom.systemPrompt(0) == "Reply with a haiku.")
    }
}
