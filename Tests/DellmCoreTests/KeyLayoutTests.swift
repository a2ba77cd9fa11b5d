import DellmCore
import DellmSupport
import Testing

/// The task streams' names: one partition keeps the layout of before; several spread a type over the
/// slot space (on a cluster) and its tasks over the partitions, and every name reads back.
struct KeyLayoutTests {
    @Test func onePartitionIsTheLayoutOfBefore() {
        let single = Keys(namespace: "dellm"), cluster = Keys(namespace: "{dellm}")
        #expect(single.tasks(.math) == "dellm:tasks:math" && single.bulk(.code) == "dellm:tasks:code:bulk" && single.instant == "dellm:tasks:instant")
        #expect(cluster.tasks(.math) == "{dellm:math}:tasks:math" && cluster.instant == "{dellm:instant}:tasks:instant")
        #expect(single.taskStreams.count == 1 + 2 * TaskType.allCases.count)
        #expect(single.partition(of: "q1.0") == 0)
    }

    @Test func partitionsOfATypeLieInEqualRangesOfTheSlotSpace() {
        for n in [2, 3, 4, 6] {
            let keys = Keys(namespace: "{dellm}", partitions: n)
            for kind in Keys.taskKinds {
                let slots = keys.taskStreams(kind).map(KeySlot.slot(of:))
                // Partition k's slot in the k-th of n ranges: with masters holding equal ranges, one per master.
                #expect(slots.enumerated().allSatisfy { k, s in s >= k * 16_384 / n && s < (k + 1) * 16_384 / n }, "\(kind) of \(n): \(slots)")
                #expect(zip(keys.taskStreams(kind), keys.taskStreams(kind, bulk: true)).allSatisfy { KeySlot.slot(of: $0) == KeySlot.slot(of: $1) },
                        "a partition's bulk tier shares its slot")
            }
            #expect(Set(keys.taskStreams).count == n * (1 + 2 * TaskType.allCases.count))
        }
        #expect(Keys(namespace: "dellm", partitions: 3).taskStreams("math") == ["dellm:tasks:math:p0", "dellm:tasks:math:p1", "dellm:tasks:math:p2"])
    }

    @Test func everyNameReadsBackWhateverThePartitionCount() {
        for keys in [Keys(namespace: "ns"), Keys(namespace: "ns", partitions: 4), Keys(namespace: "{ns}"), Keys(namespace: "{ns}", partitions: 3)] {
            for s in keys.taskStreams {
                let parts = keys.taskStreamParts(s)
                #expect(parts != nil, "\(s)")
                #expect(keys.stream(short: keys.short(s)) == s)
                // A reader that does not know the fleet's count still reads the name.
                #expect(Keys(namespace: keys.namespace).kind(ofTaskStream: s) == parts?.kind)
                #expect(parts?.partition == (keys.partitions > 1 ? parts?.partition : nil))
            }
            #expect(keys.taskStreamParts(keys.verify) == nil && keys.taskStreamParts(keys.queries) == nil)
        }
        let keys = Keys(namespace: "ns", partitions: 2)
        #expect(keys.short(keys.taskStream("code", partition: 1, bulk: true)) == "tasks:code:p1:bulk")
        for foreign in ["other:tasks:math", "ns:tasks:poetry", "ns:tasks:instant:bulk", "ns:tasks:math:q1", "ns:tasks:math:p01", "ns:tasks:math:p1:x",
                        "{ns}:tasks:math"] {
            #expect(keys.taskStreamParts(foreign) == nil, "\(foreign)")
        }
        #expect(Keys(namespace: "{ns}").taskStreamParts("{other:math}:tasks:math") == nil)
        #expect(Keys(namespace: "{ns}").taskStreamParts("{ns:code}:tasks:math") == nil, "a tag of another type")
    }

    @Test func tasksSpreadOverPartitionsByTheirSubtask() {
        let keys = Keys(namespace: "ns", partitions: 4)
        var counts = [Int](repeating: 0, count: 4)
        for i in 0..<4_000 { counts[keys.partition(of: "q\(i).\(i % 3)")] += 1 }
        #expect(counts.allSatisfy { $0 > 800 && $0 < 1_200 }, "\(counts)")
        let task = TaskJob(queryID: "q9", subtaskID: "q9.1", index: 1, type: .factual, text: "Who wrote Hamlet?", attempt: 1)
        let k = keys.partition(of: "q9.1")
        #expect(keys.stream(for: task) == keys.taskStream("factual", partition: k))
        #expect(keys.stream(for: task, tier: .bulk) == keys.taskStream("factual", partition: k, bulk: true))
        var sum = task
        sum.type = .math
        sum.text = "What is 17 times 3?"
        #expect(keys.stream(for: sum) == keys.taskStream("instant", partition: k) && keys.isInstant(sum))
    }
}
