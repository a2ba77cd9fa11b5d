import Testing
@testable import DellmCore

/// The exact tools on phrasings written for these tests (not the dev or held-out questions).
@Suite struct ExactToolsTests {
    @Test(arguments: [
        ("What is the next number in the series 3, 7, 11, 15?", "19"), ("Continue this sequence: 81, 27, 9, 3, ...", "1"),
        ("Find the next term: 2, 5, 10, 17, 26", "37"), ("What number follows 50, 45, 40, 35?", "30"),
        ("Which number comes next: 1, 2, 4, 8, 16, 32?", "64"), ("Next in the pattern 0.5, 1, 1.5, 2?", "2.5"),
        ("What comes next: -3, -1, 1, 3?", "5"),
    ])
    func sequences(_ q: String, _ want: String) {
        let s = ExactTools.solve(q)
        #expect(s?.tool == "sequence" && s?.result == want, "\(q): \(String(describing: s))")
    }

    @Test(arguments: [
        ("Today is Wednesday. What day of the week will it be in 5 days?", "Monday"),
        ("If it is Saturday today, what day was it 3 days ago?", "Wednesday"),
        ("If tomorrow is Monday, what day was yesterday?", "Saturday"),
        ("If yesterday was Thursday, what day will it be the day after tomorrow?", "Sunday"),
        ("What day of the week is 10 days after Tuesday?", "Friday"),
        ("What day comes 2 weeks after Sunday?", "Sunday"),
        ("Today is Friday. What day was it one week and 1 day ago?", nil),
    ] as [(String, String?)])
    func weekdays(_ q: String, _ want: String?) {
        let s = ExactTools.solve(q)
        if let want { #expect(s?.tool == "weekday" && s?.result == want, "\(q): \(String(describing: s))") }
        else { #expect(s == nil || s?.tool != "weekday" || s?.result == "Thursday", "\(q): \(String(describing: s))") }
    }

    @Test(arguments: [
        ("Kim is older than Lou. Lou is older than Max. Who is the youngest?", "Max"),
        ("Kim is older than Lou. Lou is older than Max. Who is the oldest?", "Kim"),
        ("Rex ran faster than Sam, and Tia ran slower than Sam. Who was the fastest?", "Rex"),
        ("A truck is heavier than a car. A car is heavier than a bike. Which one is the lightest?", "bike"),
        ("Pat arrived after Quinn. Quinn arrived after Rae. Who arrived first?", "Rae"),
        ("Oslo is colder than Rome. Rome is colder than Cairo. Which city is the warmest?", "Cairo"),
    ])
    func orderings(_ q: String, _ want: String) {
        let s = ExactTools.solve(q)
        #expect(s?.tool == "ordering" && s?.result == want, "\(q): \(String(describing: s))")
    }

    @Test func anOrderingTheComparisonsDoNotFixIsDeclined() {
        #expect(ExactTools.solve("Ann is taller than Bob. Cy is taller than Bob. Who is the tallest?") == nil)
    }

    @Test(arguments: [
        ("All roses are flowers. Rosie is a rose. Is Rosie a flower? Answer yes or no.", "yes"),
        ("No reptiles have fur. A gecko is a reptile. Does a gecko have fur?", "no"),
        ("Every dog is a mammal. All mammals are animals. Rex is a dog. Is Rex an animal?", "yes"),
        ("No birds are cats. Tweety is a bird. Is Tweety a cat?", "no"),
        ("Some cars are red. Zed is a car. Is Zed red?", "cannot be known"),
    ])
    func syllogisms(_ q: String, _ want: String) {
        let s = ExactTools.solve(q)
        #expect(s?.tool == "syllogism" && s?.result == want, "\(q): \(String(describing: s))")
    }

    @Test(arguments: ["What is the capital of France?", "Why is the sky blue?", "What is 15 times 4?",
                      "Tom has 3 apples. He eats one. How many are left?", "Write a poem about Monday."])
    func declinesWhatItDoesNotRead(_ q: String) {
        #expect(ExactTools.solve(q) == nil, "\(q): \(String(describing: ExactTools.solve(q)))")
    }

    @Test func answersAreComparedByWhatTheyGive() throws {
        let s = try #require(ExactTools.solve("What comes next: 2, 4, 6, 8?"))
        #expect(ExactTools.answerGives("The next number is 10.", s))
        #expect(!ExactTools.answerGives("The next number is 12.", s))
        let y = try #require(ExactTools.solve("All cats are animals. Tom is a cat. Is Tom an animal?"))
        #expect(ExactTools.answerGives("Yes, Tom is an animal.", y))
        #expect(!ExactTools.answerGives("No. Yes it is.", y))
    }
}
