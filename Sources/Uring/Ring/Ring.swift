import CUring
import Glibc
import SystemPackage

/// One io_uring instance: the ring descriptor, its shared memory, and the
/// submission and completion queues in it.
///
/// `Ring` is the liburing level of this package, written in Swift against the
/// kernel ABI: ``nextSubmission()`` and ``push(_:userData:flags:)`` fill
/// entries, ``submit()`` and ``submit(waitingFor:)`` hand them to the kernel,
/// and ``peekCompletion()``, ``waitCompletion()``, ``forEachCompletion(limit:_:)``
/// consume what comes back.
///
/// A ring is not copyable: exactly one value owns the descriptor and the
/// mappings, and its `deinit` unmaps and closes them (the kernel then cancels
/// whatever is still in flight). It is not `Sendable` either: with the
/// ``RingOptions/default`` setup (`SINGLE_ISSUER`, a registered ring
/// descriptor) only the creating thread may use it.
///
/// **Ownership.** The ring never owns the memory that an operation points to
/// (buffers, iovecs, paths, timespecs): the caller keeps it valid until that
/// request's completion has been consumed.
public struct Ring: ~Copyable {
    /// `IORING_MAX_ENTRIES`: the largest submission ring the kernel accepts.
    public static let maximumEntries: UInt32 = 32768
    /// `IORING_MAX_CQ_ENTRIES`: the largest completion ring the kernel accepts.
    public static let maximumCompletionEntries: UInt32 = 2 * 32768

    @usableFromInline var submissionQueue: SubmissionQueue
    @usableFromInline var completionQueue: CompletionQueue
    /// The value passed as io_uring_enter's `fd`: the registered index or the descriptor.
    @usableFromInline let enterDescriptor: Int32
    /// `IORING_ENTER_REGISTERED_RING` when ``enterDescriptor`` is a registered index.
    @usableFromInline let baseEnterFlags: UInt32
    /// The setup flags in force, as raw bits for the hot paths.
    @usableFromInline let setupBits: UInt32
    /// Whether the ring mixes 16- and 32-byte completions (`IORING_SETUP_CQE_MIXED`),
    /// kept apart so the completion loop reads one stored bit.
    @usableFromInline let isMixedSize: Bool
    /// The shared memory the queues point into; replaced by ``resize(entries:completionEntries:clamp:)``.
    var mappings: RingMappings
    /// Provided-buffer rings registered on this ring, kept alive while registered.
    var bufferRings: [UInt16: ProvidedBufferRing] = [:]
    /// The registered wait region, kept alive as long as the ring (the kernel has no unregister).
    var waitRegion: WaitRegion?
    /// ``curing_fork_generation()`` when the ring was made; a different value means
    /// this is a forked child, whose copy of the ring must not be touched.
    @usableFromInline let forkGeneration: UInt
    /// The thread that created the ring, named in errors about the registered descriptor.
    let creatorThread: pthread_t

    /// The ring's descriptor (for `IORING_SETUP_ATTACH_WQ`, `MSG_RING`, poll, …);
    /// -1 for a ring created with ``SetupFlags/registeredFDOnly``, which has only
    /// ``registeredIndex``.
    public let descriptor: FileDescriptor
    /// The parameters the kernel filled in: entries, offsets, features
    /// (refreshed by ``resize(entries:completionEntries:clamp:)``).
    public internal(set) var parameters: RingParameters
    /// Flags of ``RingOptions/relaxableFlags`` this kernel refused and that were dropped.
    public let droppedFlags: SetupFlags
    /// The registered ring index (`IORING_REGISTER_RING_FDS`), or nil.
    public let registeredIndex: UInt32?

    /// The setup flags in force.
    public var flags: SetupFlags { SetupFlags(rawValue: setupBits) }
    /// What the running kernel offers (`IORING_FEAT_*`).
    public var features: RingFeatures { RingFeatures(rawValue: parameters.features) }
    /// The number of submission slots.
    public var submissionCapacity: Int { Int(submissionQueue.capacity) }
    /// The number of completion slots.
    public var completionCapacity: Int { Int(completionQueue.capacity) }

    /// Sets up a ring.
    ///
    /// The kernel rounds `entries` up to a power of two (5 becomes 8); the
    /// completion ring gets twice as many slots unless
    /// ``RingOptions/completionQueueEntries`` says otherwise.
    ///
    /// - Parameters:
    ///   - entries: submission slots, 1 through ``maximumEntries`` (more with `CLAMP`).
    ///   - options: the setup; ``RingOptions/default`` unless told otherwise.
    /// - Throws: ``UringError`` for `io_uring_setup` whose detail says what to change:
    ///   io_uring disabled by sysctl or seccomp, the memlock limit, an invalid size
    ///   or flag combination; for `mmap` when the rings cannot be mapped.
    public init(entries: UInt32 = 128, options: RingOptions = .default) throws(UringError) {
        curing_watch_forks()
        let outcome = try RingSetup.create(entries: entries, options: options)
        let parameters = outcome.parameters
        let setup = SetupFlags(rawValue: parameters.flags)
        let registeredOnly = setup.contains(.registeredFDOnly)
        let mappings: RingMappings
        if let memory = outcome.userMemory {
            mappings = RingMappings(userMemory: memory)
        } else {
            do {
                mappings = try RingMappings(fd: outcome.fd, parameters: parameters)
            } catch {
                Glibc.close(outcome.fd)
                throw error
            }
        }
        let queues = Ring.makeQueues(mappings: mappings, parameters: parameters)
        let registered: UInt32? =
            registeredOnly
            ? UInt32(bitPattern: outcome.fd)
            : options.registerRingFD ? Ring.registerOwnDescriptor(outcome.fd) : nil

        self.submissionQueue = queues.submission
        self.completionQueue = queues.completion
        self.mappings = mappings
        self.descriptor = FileDescriptor(rawValue: registeredOnly ? -1 : outcome.fd)
        self.parameters = parameters
        self.droppedFlags = outcome.dropped
        self.setupBits = parameters.flags
        self.isMixedSize = parameters.flags & SetupFlags.mixedCompletionSize.rawValue != 0
        self.registeredIndex = registered
        self.enterDescriptor = registered.map { Int32(bitPattern: $0) } ?? outcome.fd
        self.baseEnterFlags = registered == nil ? 0 : EnterFlags.registeredRing.rawValue
        self.forkGeneration = curing_fork_generation()
        self.creatorThread = pthread_self()
    }

    deinit {
        // A forked child has neither the mappings (MADV_DONTFORK) nor the registration:
        // it only closes its copy of the descriptor.
        guard !isInherited else {
            if descriptor.rawValue >= 0 { Glibc.close(descriptor.rawValue) }
            return
        }
        if let registeredIndex {
            var update = ResourceUpdate(offset: registeredIndex, data: 0)
            _ = rawRegister(RegisterOpcode.unregisterRingFDs.rawValue, &update, 1)
        }
        mappings.unmap()
        if descriptor.rawValue >= 0 { Glibc.close(descriptor.rawValue) }
    }

    /// io_uring_register(2) through the descriptor, or through the registered
    /// index when the ring has no descriptor (`REGISTERED_FD_ONLY`).
    /// `-EPERM` in a forked child, which must not change its parent's ring.
    func rawRegister(_ opcode: UInt32, _ argument: UnsafeRawPointer?, _ count: UInt32) -> Int32 {
        if isInherited { return -EPERM }
        if descriptor.rawValue >= 0 {
            return curing_register(descriptor.rawValue, opcode, argument, count)
        }
        return curing_register(enterDescriptor, opcode | RegisterOpcode.useRegisteredRing, argument, count)
    }

    /// Whether this process is a fork of the one that made the ring: the ring's
    /// memory is not mapped here and every use fails with `EPERM`, saying the ring belongs to the parent.
    @inlinable
    public var isInherited: Bool { curing_fork_generation() != forkGeneration }

    /// The error for any use of the ring in a forked child.
    @usableFromInline
    func inheritedError(_ operation: String) -> UringError {
        UringError(
            errno: .notPermitted, operation: operation,
            detail: "this ring was inherited through fork(2) and belongs to the parent process; "
                + "create a new ring in the child")
    }

    /// A ``UringError`` for a failed io_uring_register(2) call, saying so when
    /// the ring was inherited through fork.
    func registrationError(_ result: Int32, operation: String, detail: String? = nil) -> UringError {
        if isInherited { return inheritedError(operation) }
        return UringError(negatedErrno: result, operation: operation, detail: detail)
    }

    /// The queue views of freshly set-up (or resized) rings; the counters are
    /// read from the kernel, the index array filled with the identity.
    static func makeQueues(mappings: RingMappings, parameters: RingParameters)
        -> (submission: SubmissionQueue, completion: CompletionQueue)
    {
        let setup = SetupFlags(rawValue: parameters.flags)
        var submission = SubmissionQueue(
            base: mappings.submissionRing, offsets: parameters.submissionOffsets,
            entries: mappings.submissionEntries, entryShift: setup.contains(.sqe128) ? 7 : 6)
        if !setup.contains(.noSubmissionArray) {
            fillIdentityArray(
                mappings.submissionRing + Int(parameters.submissionOffsets.array),
                count: submission.capacity)
        }
        submission.refreshHead()
        let completion = CompletionQueue(
            base: mappings.completionRing, offsets: parameters.completionOffsets,
            entryShift: setup.contains(.cqe32) ? 5 : 4)
        return (submission, completion)
    }

    /// Slot `i` of the index array names entry `i`: entries are used in ring order,
    /// so the array never needs writing again.
    private static func fillIdentityArray(_ array: UnsafeMutableRawPointer, count: UInt32) {
        let slots = array.assumingMemoryBound(to: UInt32.self)
        for index in 0..<count { slots[Int(index)] = index }
    }

    /// Registers `fd` in the calling thread's registered-ring table; nil when refused.
    private static func registerOwnDescriptor(_ fd: Int32) -> UInt32? {
        var update = ResourceUpdate(offset: UInt32.max, data: UInt64(UInt32(bitPattern: fd)))
        let result = curing_register(fd, RegisterOpcode.registerRingFDs.rawValue, &update, 1)
        return result == 1 ? update.offset : nil
    }
}
