/// The `FUTEX2_*` flags of futex operations.
public enum FutexFlags {
    /// `FUTEX2_SIZE_U32`: a 32-bit futex word (the usual size).
    public static let size32: UInt32 = 0x02
    /// `FUTEX2_PRIVATE`: the futex is not shared between processes.
    public static let isPrivate: UInt32 = 128
    /// `FUTEX_BITSET_MATCH_ANY`: the mask that matches every waiter.
    public static let matchAny: UInt64 = 0xffff_ffff
}

/// Sleeps while a futex word holds a value: `IORING_OP_FUTEX_WAIT`, like
/// futex_wait(2) (Linux 6.7).
///
/// Completes with 0 when woken, or `-EAGAIN` when the word did not hold `expected`.
/// **Ownership**: the word stays valid until the completion is consumed.
public struct FutexWait: RingOperation {
    /// `IORING_OP_FUTEX_WAIT`.
    public var opcode: Opcode { .futexWait }
    /// The futex word.
    public var word: UnsafeMutablePointer<UInt32>
    /// Sleep only while the word equals this.
    public var expected: UInt64
    /// Wake only for wakes whose mask intersects this.
    public var mask: UInt64
    /// `FUTEX2_*` flags.
    public var futexFlags: UInt32

    /// A wait on `word` while it equals `expected`.
    @unsafe @inlinable
    public init(
        _ word: UnsafeMutablePointer<UInt32>, expected: UInt32, mask: UInt64 = FutexFlags.matchAny,
        futexFlags: UInt32 = FutexFlags.size32 | FutexFlags.isPrivate
    ) {
        self.word = word
        self.expected = UInt64(expected)
        self.mask = mask
        self.futexFlags = futexFlags
    }

    /// Writes the futex flags in `fd`, the word in `addr`, the value in `off`, the mask in `addr3`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.setFutex(word, value: expected, mask: mask, futexFlags: futexFlags)
    }
}

/// Wakes futex waiters: `IORING_OP_FUTEX_WAKE`, like futex_wake(2) (Linux 6.7).
///
/// Completes with the number of waiters woken.
public struct FutexWake: RingOperation {
    /// `IORING_OP_FUTEX_WAKE`.
    public var opcode: Opcode { .futexWake }
    /// The futex word.
    public var word: UnsafeMutablePointer<UInt32>
    /// The most waiters to wake.
    public var count: UInt64
    /// Wake only waiters whose mask intersects this.
    public var mask: UInt64
    /// `FUTEX2_*` flags.
    public var futexFlags: UInt32

    /// A wake of up to `count` waiters on `word`.
    @unsafe @inlinable
    public init(
        _ word: UnsafeMutablePointer<UInt32>, count: UInt64 = 1, mask: UInt64 = FutexFlags.matchAny,
        futexFlags: UInt32 = FutexFlags.size32 | FutexFlags.isPrivate
    ) {
        self.word = word
        self.count = count
        self.mask = mask
        self.futexFlags = futexFlags
    }

    /// Writes the futex flags in `fd`, the word in `addr`, the count in `off`, the mask in `addr3`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.setFutex(word, value: count, mask: mask, futexFlags: futexFlags)
    }
}

/// One futex of a ``FutexWaitVector``: the kernel's `struct futex_waitv` (24 bytes).
@frozen
public struct FutexWaitEntry: Sendable, Equatable {
    /// `val`: sleep only while the word equals this.
    public var expected: UInt64
    /// `uaddr`: the word's address.
    public var address: UInt64
    /// `flags`: `FUTEX2_*` flags.
    public var flags: UInt32
    /// `__reserved`: 0.
    public var reserved: UInt32

    /// An entry for `word` and `expected`.
    @unsafe @inlinable
    public init(_ word: UnsafeMutablePointer<UInt32>, expected: UInt32, flags: UInt32 = FutexFlags.size32 | FutexFlags.isPrivate) {
        self.expected = UInt64(expected)
        self.address = .address(word)
        self.flags = flags
        self.reserved = 0
    }
}

/// Sleeps on several futexes at once: `IORING_OP_FUTEX_WAITV`, like futex_waitv(2) (Linux 6.7).
///
/// Completes with the index of the futex that woke it.
/// **Ownership**: the entries and their words stay valid until the completion is consumed.
public struct FutexWaitVector: RingOperation {
    /// `IORING_OP_FUTEX_WAITV`.
    public var opcode: Opcode { .futexWaitv }
    /// The futexes (at most 128).
    public var entries: UnsafeBufferPointer<FutexWaitEntry>

    /// A wait on every futex in `entries`.
    @unsafe @inlinable
    public init(_ entries: UnsafeBufferPointer<FutexWaitEntry>) { self.entries = entries }

    /// Writes the array in `addr` and its count in `len`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.address = .address(entries.baseAddress)
        entry.length = UInt32(clamping: entries.count)
    }
}

extension SubmissionQueueEntry {
    /// The layout futex wait and wake share.
    @inlinable
    mutating func setFutex(_ word: UnsafeMutablePointer<UInt32>, value: UInt64, mask: UInt64, futexFlags: UInt32) {
        fd = Int32(bitPattern: futexFlags)
        address = .address(word)
        offset = value
        address3 = mask
    }
}
