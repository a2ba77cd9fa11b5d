import Foundation

/// A serial lane for blocking C calls (hiredis, libpq): a thread of its own, never one of Swift's
/// cooperative pool, that runs one thing at a time, in order.
///
/// A connection that owns a C handle owns (or shares) one of these and touches the handle only from
/// inside `run`, which is what makes such a handle safe to share between tasks.
///
/// It is also a `TaskExecutor`. A task that prefers it (`withTaskExecutorPreference`, or
/// `addTask(executorPreference:)`) runs its Swift code on this same thread, so its `run` calls execute
/// in place: a worker lane's loop, its Redis and its PostgreSQL connection share one thread, and a
/// job's dozen C calls cost no thread hand-offs (two context switches each otherwise: to the lane and
/// back to the pool). Calls from any other task are queued to the thread and awaited, as before.
public final class BlockingThread: TaskExecutor, @unchecked Sendable {
    // `@unchecked Sendable`: the only state is `core`, whose mutable fields are guarded by its lock.
    private let core: Core

    public init(label: String) {
        core = Core()
        let core = self.core
        let thread = Thread { core.loop() }
        thread.name = label
        thread.start()
    }

    deinit {
        // The thread finishes what is queued and exits.
        core.stop()
    }

    /// Whether the caller is on this lane's thread.
    public var isCurrent: Bool { core.isCurrent }

    /// Runs `body` on this lane and returns its result to the awaiting task: in place when the task
    /// already runs on the lane, else queued behind what the lane is doing.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        if core.isCurrent { return try body() }
        return try await withCheckedThrowingContinuation { continuation in
            core.push(.block { continuation.resume(with: Result { try body() }) })
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        core.push(.job(UnownedJob(job), asUnownedTaskExecutor()))
    }

    private enum Work: @unchecked Sendable {
        // `UnownedTaskExecutor` is a reference to this executor, which outlives its jobs (a task that
        // prefers an executor keeps it alive).
        case job(UnownedJob, UnownedTaskExecutor)
        case block(@Sendable () -> Void)
    }

    /// The queue and the thread's identity. Shared with the thread, which must not keep the lane alive.
    private final class Core: @unchecked Sendable {
        // All fields guarded by `condition`, except `thread`, written once by the thread before it
        // takes any work and read only to compare with the current thread.
        private let condition = NSCondition()
        private var queue: [Work] = []
        private var head = 0
        private var stopping = false
        private var thread: pthread_t?

        var isCurrent: Bool {
            condition.lock()
            defer { condition.unlock() }
            guard let thread else { return false }
            return pthread_equal(thread, pthread_self()) != 0
        }

        func push(_ work: Work) {
            condition.lock()
            queue.append(work)
            condition.signal()
            condition.unlock()
        }

        func stop() {
            condition.lock()
            stopping = true
            condition.signal()
            condition.unlock()
        }

        func loop() {
            condition.lock()
            thread = pthread_self()
            condition.unlock()
            while true {
                condition.lock()
                while head == queue.count && !stopping { condition.wait() }
                if head == queue.count {
                    condition.unlock()
                    return
                }
                let next = queue[head]
                head += 1
                if head == queue.count {
                    queue.removeAll(keepingCapacity: true)
                    head = 0
                } else if head >= 1_024 {
                    queue.removeFirst(head)
                    head = 0
                }
                condition.unlock()
                switch next {
                case .job(let job, let executor): job.runSynchronously(on: executor)
                case .block(let body): body()
                }
            }
        }
    }
}
