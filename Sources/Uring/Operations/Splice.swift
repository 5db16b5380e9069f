/// Moves bytes between two files, one of them a pipe, without copying through
/// user memory: `IORING_OP_SPLICE`, like splice(2) (Linux 5.7).
///
/// Completes with the bytes moved (0 at end of input) or a negated errno.
public struct Splice: RingOperation {
    /// `IORING_OP_SPLICE`.
    public var opcode: Opcode { .splice }
    /// `SPLICE_F_MOVE`.
    public static let move: UInt32 = 1
    /// `SPLICE_F_NONBLOCK`.
    public static let nonBlocking: UInt32 = 2
    /// `SPLICE_F_MORE`: more data follows.
    public static let more: UInt32 = 4
    /// `SPLICE_F_FD_IN_FIXED`: the input is a registered-file slot (set from ``input``).
    public static let inputIsFixed: UInt32 = 1 << 31

    /// The source.
    public var input: FileTarget
    /// The source offset, or ``currentFilePosition`` (required for a pipe).
    public var inputOffset: UInt64
    /// The destination.
    public var output: FileTarget
    /// The destination offset, or ``currentFilePosition`` (required for a pipe).
    public var outputOffset: UInt64
    /// The most bytes to move.
    public var length: UInt32
    /// `SPLICE_F_*` flags.
    public var flags: UInt32

    /// A splice of up to `length` bytes from `input` to `output`.
    @inlinable
    public init(
        from input: FileTarget, inputOffset: UInt64 = currentFilePosition, to output: FileTarget,
        outputOffset: UInt64 = currentFilePosition, length: UInt32, flags: UInt32 = 0
    ) {
        self.input = input
        self.inputOffset = inputOffset
        self.output = output
        self.outputOffset = outputOffset
        self.length = length
        self.flags = flags
    }

    /// Writes the output as `fd`/`off`, the input as `splice_fd_in`/`splice_off_in`, length and flags.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.setSplice(from: input, to: output, length: length, flags: flags)
        entry.address = inputOffset
        entry.offset = outputOffset
    }
}

/// Duplicates bytes from one pipe into another without consuming them:
/// `IORING_OP_TEE`, like tee(2) (Linux 5.8).
public struct Tee: RingOperation {
    /// `IORING_OP_TEE`.
    public var opcode: Opcode { .tee }
    /// The source pipe.
    public var input: FileTarget
    /// The destination pipe.
    public var output: FileTarget
    /// The most bytes to duplicate.
    public var length: UInt32
    /// `SPLICE_F_*` flags.
    public var flags: UInt32

    /// A tee of up to `length` bytes.
    @inlinable
    public init(from input: FileTarget, to output: FileTarget, length: UInt32, flags: UInt32 = 0) {
        self.input = input
        self.output = output
        self.length = length
        self.flags = flags
    }

    /// Writes the output as `fd`, the input as `splice_fd_in`, length and flags.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.setSplice(from: input, to: output, length: length, flags: flags)
    }
}

extension SubmissionQueueEntry {
    /// The fields splice and tee share; a fixed input sets `SPLICE_F_FD_IN_FIXED`.
    @inlinable
    mutating func setSplice(from input: FileTarget, to output: FileTarget, length: UInt32, flags: UInt32) {
        output.apply(to: &self)
        fileIndex = UInt32(bitPattern: input.rawValue)
        self.length = length
        operationFlags = flags | (input.isFixed ? Splice.inputIsFixed : 0)
    }
}
