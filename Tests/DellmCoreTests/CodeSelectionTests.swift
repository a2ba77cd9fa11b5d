import Testing
@testable import DellmCore

@Suite struct CodeSelectionTests {
    @Test func parametersAndInputsComeFromTheSignature() throws {
        let task = "Write a Python function count_char(s, c) that counts how often c occurs in s."
        #expect(CodeSelection.parameters(in: task, function: "count_char") == ["s", "c"])
        let inputs = try #require(CodeSelection.inputs(task: task, function: "count_char"))
        #expect(inputs.count == 8)
        #expect(inputs[2] == "'hello world', ' '")
        #expect(CodeSelection.inputs(task: "Write a function apply(f, x) that calls f on x.", function: "apply") == nil)
        #expect(try #require(CodeSelection.inputs(task: "Write a function total(nums).", function: "total")).contains("[1, 2, 3]"))
    }

    @Test func theBehaviourMostShareWins() {
        let a = ["1", "2", "3"], b = ["1", "2", "4"], broken = ["error:TypeError", "error:TypeError", "error:TypeError"]
        #expect(CodeSelection.choose([b, a, a])?.index == 1)
        #expect(CodeSelection.choose([b, a, a])?.agreeing == 2)
        #expect(CodeSelection.choose([broken, broken, a])?.index == 2)
        #expect(CodeSelection.choose([a, b])?.index == 0)
        #expect(CodeSelection.choose([broken]) == nil)
    }
}
