import Foundation

/// A value shared between tasks and threads, read and written under a lock.
///
/// `@unchecked Sendable`: `stored` is only touched inside `lock`, and `Value` is itself Sendable.
/// Its accessors are inlinable: they sit on the consumer loop's hot path (metric handles per job), and
/// a generic call across the module boundary would not be specialised.
public final class Locked<Value: Sendable>: @unchecked Sendable {
    @usableFromInline let lock = NSLock()
    @usableFromInline var stored: Value

    public init(_ value: Value) { stored = value }

    @inlinable
    public var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }

    /// Reads and changes the value in one step.
    @inlinable
    public func withLock<R>(_ body: (inout Value) -> R) -> R {
        lock.withLock { body(&stored) }
    }
}
