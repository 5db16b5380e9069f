import SystemPackage

/// One request's outcome, copied out of the completion ring.
///
/// ``result`` is what the operation returned (bytes read, a new descriptor,
/// 0) or a negated errno; ``value(for:)`` turns the latter into a thrown
/// ``UringError``, like the Python wrapper's `trap_error`.
@frozen
public struct Completion: Sendable {
    /// The `user_data` the request was submitted with.
    public var userData: UInt64
    /// `res`: the result, or a negated errno.
    public var result: Int32
    /// `flags`: the `IORING_CQE_F_*` bits (and the buffer id above bit 16).
    public var flags: CompletionFlags
    /// `big_cqe`: the two extra words of a 32-byte completion (`IORING_SETUP_CQE32`,
    /// or `IORING_CQE_F_32` in a mixed ring); nil for 16-byte completions.
    public var extra: (UInt64, UInt64)?

    /// A completion from the ring's entry and, for 32-byte entries, its extra words.
    @inlinable
    public init(_ entry: CompletionQueueEntry, extra: (UInt64, UInt64)? = nil) {
        userData = entry.userData
        result = entry.result
        flags = CompletionFlags(rawValue: entry.flags)
        self.extra = extra
    }

    /// The provided buffer the kernel picked (`IORING_CQE_F_BUFFER`), or nil.
    @inlinable
    public var bufferID: UInt16? {
        flags.contains(.buffer) ? UInt16(truncatingIfNeeded: flags.rawValue >> CompletionFlags.bufferIDShift) : nil
    }

    /// `IORING_CQE_F_MORE`: a multishot request will post more completions.
    @inlinable
    public var hasMore: Bool { flags.contains(.more) }

    /// `IORING_CQE_F_NOTIF`: a zero-copy send's notification that its buffer is free.
    @inlinable
    public var isNotification: Bool { flags.contains(.notification) }

    /// `IORING_CQE_F_SOCK_NONEMPTY`: the socket still had data after this receive.
    @inlinable
    public var isSocketNonEmpty: Bool { flags.contains(.socketNonEmpty) }

    /// The error the request failed with, or nil when ``result`` is not negative.
    @inlinable
    public var error: Errno? { result < 0 ? Errno(rawValue: -result) : nil }

    /// The result when it is not an error.
    /// - Parameter operation: the name the error should carry, for example
    ///   ``Opcode/operationName`` (`read`); evaluated only for an error.
    /// - Throws: ``UringError`` with the completion's errno when ``result`` is negative.
    @inlinable
    public func value(for operation: @autoclosure () -> String) throws(UringError) -> Int32 {
        if result < 0 { throw UringError(negatedErrno: result, operation: operation()) }
        return result
    }
}
