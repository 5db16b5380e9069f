import Glibc
import SystemPackage

/// A safe, synchronous io_uring context (pyuring's `UringCtx`): one ring with
/// single-operation wrappers, asynchronous submission whose buffers the
/// context keeps alive, registered files and buffers, and the probe.
///
/// Part of the compatibility layer, for code ported from pyuring. New Swift code
/// uses ``Ring`` for liburing-style control, and `RingExecutor`/`AsyncFile` (UringAsync)
/// for Swift concurrency.
///
/// **Threads.** Not thread-safe. With `singleThreadCheck` (the default) every
/// method called from a thread other than the creator throws `EPERM`.
///
/// **Ownership.** Buffers passed as arrays are copied into memory the context
/// owns until the completion of their operation has been consumed; pointer
/// variants leave that duty to the caller. ``close()`` is idempotent; after it
/// every method throws ``UringError`` with the detail "closed".
///
/// **User data.** Synchronous wrappers use user data values from
/// ``reservedUserData`` up; asynchronous operations whose buffers the context
/// owns must use distinct user data among those in flight.
public final class RingContext {
    var ring: Ring?
    private let owner: pthread_t
    private let singleThreadCheck: Bool
    /// Completions taken off the ring while waiting for a synchronous operation.
    var deferred: [RingContextCompletion] = []
    var deferredStart = 0
    /// Memory of in-flight asynchronous operations, by user data.
    var pinned: [UInt64: PinnedBuffer] = [:]
    /// Buffers registered through ``registerBuffers(count:size:)``.
    var registeredBuffers: BufferPool?
    var nextSyncUserData = RingContext.reservedUserData
    /// Requests handed to the ring whose final completion has not been consumed.
    var inFlight = 0
    /// Memory given to the kernel by ``provideBuffers(count:size:group:firstID:)``.
    var providedBuffers: [PinnedBuffer] = []

    /// User data at and above this value belongs to the synchronous wrappers.
    public static let reservedUserData: UInt64 = 0xFFFF_FF00_0000_0000

    /// Sets up a ring (pyuring's `UringCtx(entries, setup_flags, sq_thread_cpu, sq_thread_idle, single_thread_check)`).
    /// - Parameters:
    ///   - entries: submission slots.
    ///   - setupFlags: any `IORING_SETUP_*` combination the kernel accepts.
    ///   - submissionThreadCPU: the CPU to pin the SQPOLL thread to, or nil.
    ///   - submissionThreadIdle: how long the SQPOLL thread spins before sleeping.
    ///   - singleThreadCheck: throw when called from another thread.
    /// - Throws: ``UringError`` for `io_uring_setup`, whose detail says what to change.
    public init(
        entries: UInt32 = 64, setupFlags: SetupFlags = [], submissionThreadCPU: UInt32? = nil,
        submissionThreadIdle: Duration? = nil, singleThreadCheck: Bool = true
    ) throws(UringError) {
        var options = RingOptions(flags: setupFlags)
        options.submissionThreadCPU = submissionThreadCPU
        options.submissionThreadIdle = submissionThreadIdle
        ring = try Ring(entries: entries, options: options)
        owner = pthread_self()
        self.singleThreadCheck = singleThreadCheck
    }

    /// A context whose kernel thread polls the submission ring (`IORING_SETUP_SQPOLL`).
    public static func submissionPolling(
        entries: UInt32 = 64, idle: Duration = .milliseconds(100), cpu: UInt32? = nil, singleThreadCheck: Bool = true
    ) throws(UringError) -> RingContext {
        try RingContext(
            entries: entries, setupFlags: [.submissionQueuePolling], submissionThreadCPU: cpu,
            submissionThreadIdle: idle, singleThreadCheck: singleThreadCheck)
    }

    /// A context for one thread: `IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN`.
    public static func singleIssuer(entries: UInt32 = 64) throws(UringError) -> RingContext {
        try RingContext(entries: entries, setupFlags: [.singleIssuer, .deferTaskRun])
    }

    /// Whether calls from a thread other than the creator throw (`singleThreadCheck`).
    public var checksThread: Bool { singleThreadCheck }

    /// Whether the calling thread may use the context: always without the thread
    /// check, else only on the thread that created it.
    public var isUsableHere: Bool { !singleThreadCheck || pthread_equal(pthread_self(), owner) != 0 }

    /// The ring descriptor, for poll or epoll (pyuring's `ring_fd`).
    /// - Throws: ``UringError`` "closed" after ``close()``.
    public var ringFD: Int32 {
        get throws { try withRing("ring_fd") { $0.descriptor.rawValue } }
    }

    /// Whether ``close()`` has run.
    public var isClosed: Bool { ring == nil }

    /// Destroys the ring and frees what the context owns; safe to call again.
    ///
    /// Requests still in flight are cancelled (`IORING_OP_ASYNC_CANCEL` with
    /// `IORING_ASYNC_CANCEL_ANY`) and their completions awaited, at most
    /// ``closeTimeout``, before any memory is freed: a duplicate of the ring
    /// descriptor (a forked child, `dup`) keeps the ring alive past this call,
    /// and the kernel must not write into freed memory. Memory of a request that
    /// still has not completed, or that could not be cancelled because `close`
    /// ran on a thread the context does not accept, is leaked rather than freed.
    public func close() {
        guard ring != nil else { return }
        if inFlight > 0 { try? cancelInFlight() }
        let settled = inFlight == 0
        ring = nil
        if settled {
            pinned.values.forEach { $0.release() }
            providedBuffers.forEach { $0.release() }
            registeredBuffers?.close()
        } else if let registeredBuffers {
            _ = Unmanaged.passRetained(registeredBuffers)
        }
        pinned = [:]
        providedBuffers = []
        registeredBuffers = nil
        deferred = []
    }

    /// How long ``close()`` waits for cancelled requests to complete.
    public static let closeTimeout = Duration.seconds(2)

    /// Cancels every request in flight and consumes completions until none is
    /// left or ``closeTimeout`` has passed.
    private func cancelInFlight() throws(UringError) {
        try withRing("close") { ring in
            let cancel = AsyncCancel(.any)
            // SAFETY: a cancel points to no memory.
            if !ring.push(cancel, userData: RingContext.closeCancelUserData) {
                try ring.submit()
                ring.push(cancel, userData: RingContext.closeCancelUserData)
            }
            let deadline = ContinuousClock.now + RingContext.closeTimeout
            while inFlight > 0 {
                let left = ContinuousClock.now.duration(to: deadline)
                guard left > .zero else { return }
                try ring.submit(waitingFor: 1, timeout: left)
                while let completion = try ring.nextCompletion() {
                    if completion.userData != RingContext.closeCancelUserData { _ = deliver(completion) }
                }
            }
        }
    }

    /// The user data of the cancel request ``close()`` sends.
    static let closeCancelUserData: UInt64 = .max

    deinit { close() }

    /// Runs `body` on the ring after ``check(_:)``.
    func withRing<Result>(_ operation: String, _ body: (inout Ring) throws -> Result) throws(UringError) -> Result {
        try UringError.rethrowing {
            try check(operation)
            var taken = ring.take()!
            let outcome = Swift.Result { try body(&taken) }
            ring = consume taken
            return try outcome.get()
        }
    }

    /// Throws unless the context is open and used from its thread.
    func check(_ operation: String) throws(UringError) {
        guard ring != nil else { throw UringError(errno: .badFileDescriptor, operation: operation, detail: "closed") }
        if singleThreadCheck && pthread_equal(pthread_self(), owner) == 0 {
            throw UringError(
                errno: .notPermitted, operation: operation,
                detail: "this RingContext belongs to the thread that created it; create it with "
                    + "singleThreadCheck: false to hand it to another thread, and keep access exclusive")
        }
    }
}

/// One completion as the context reports it (pyuring's `(user_data, result)`).
public struct RingContextCompletion: Sendable, Equatable {
    /// The user data the operation was submitted with.
    public var userData: UInt64
    /// The result: bytes, a descriptor, 0, or a negated errno.
    public var result: Int32
    /// For ``RingContext/readAsync(_:length:offset:userData:)``: the bytes read.
    public var bytes: [UInt8]?
}

/// Memory the context owns for an in-flight operation.
final class PinnedBuffer {
    let memory: UnsafeMutableRawBufferPointer
    let isRead: Bool

    init(count: Int, isRead: Bool) {
        memory = .allocate(byteCount: max(count, 1), alignment: 64)
        self.isRead = isRead
    }

    func release() { memory.deallocate() }
}
