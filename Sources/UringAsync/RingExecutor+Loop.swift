import Glibc
import SystemPackage
import Uring

/// The ring thread's own state. Only the ring thread reads or writes it.
struct RingLoopState {
    let entries: UInt32
    let options: RingOptions
    /// The ring, owned by ``RingExecutor/runLoop(_:)``'s frame while it runs.
    var ring: UnsafeMutablePointer<Ring>?
    var slots = OperationSlots()
    /// Jobs enqueued from the ring thread itself.
    var localJobs: [UnownedJob] = []
    /// Where the wake pipe's bytes land.
    let wakeBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 16)

    init(entries: UInt32, options: RingOptions) {
        self.entries = entries
        self.options = options
    }
}

extension RingExecutor {
    /// The ring thread's loop: take the inbox, submit, run jobs, dispatch
    /// completions, sleep in `io_uring_enter` when there is nothing to do.
    func runLoop(_ ring: UnsafeMutablePointer<Ring>) {
        loop.ring = ring
        var jobs: [UnownedJob] = []
        var starts: [PendingStart] = []
        var cancels: [Int] = []
        var wakeArmed = false
        var shutdownDeadline: ContinuousClock.Instant?
        while true {
            let (shuttingDown, timeout) = inbox.withLock { inbox -> (Bool, Duration) in
                swap(&inbox.jobs, &jobs)
                swap(&inbox.starts, &starts)
                swap(&inbox.cancels, &cancels)
                return (inbox.shuttingDown, inbox.shutdownTimeout)
            }
            if shuttingDown && shutdownDeadline == nil {
                shutdownDeadline = .now + timeout
                pushEntry(prepared(AsyncCancel(.any, all: true)), userData: OperationSlots.cancelUserData)
            }
            for start in starts {
                if shuttingDown {
                    start.continuation.resume(returning: Self.cancelledCompletion)
                } else {
                    begin(start.entry, continuation: start.continuation, keepAlive: start.keepAlive, task: start.task)
                }
            }
            starts.removeAll(keepingCapacity: true)
            for task in cancels { requestCancel(task: task) }
            cancels.removeAll(keepingCapacity: true)
            jobs.append(contentsOf: loop.localJobs)
            loop.localJobs.removeAll(keepingCapacity: true)
            for job in jobs {
                job.runSynchronously(isolatedTo: asUnownedSerialExecutor(), taskExecutor: asUnownedTaskExecutor())
            }
            jobs.removeAll(keepingCapacity: true)
            dispatchCompletions(wakeArmed: &wakeArmed)
            if !wakeArmed {
                // Posted before any sleep: a waker's byte always finds a read waiting.
                let read = Read(.descriptor(FileDescriptor(rawValue: wakePipe.read)), into: loop.wakeBuffer, at: UInt64.max)
                pushEntry(prepared(read), userData: OperationSlots.wakeUserData)
                wakeArmed = true
            }
            if let deadline = shutdownDeadline {
                if loop.slots.inFlight == 0 || ContinuousClock.now >= deadline { break }
                _ = try? ring.pointee.submit(waitingFor: 1, timeout: .milliseconds(10))
                continue
            }
            let idle = loop.localJobs.isEmpty && inbox.withLock { inbox -> Bool in
                let empty = inbox.jobs.isEmpty && inbox.starts.isEmpty && inbox.cancels.isEmpty && !inbox.shuttingDown
                inbox.sleeping = empty
                return empty
            }
            if idle {
                _ = try? ring.pointee.submit(waitingFor: 1)
                inbox.withLock { $0.sleeping = false }
            } else {
                _ = try? ring.pointee.submit()
            }
        }
        finishShutdown()
    }

    /// A completion standing in for one that never came because the executor
    /// shut down: `-ECANCELED`, with a user data no operation has.
    static var cancelledCompletion: Completion {
        Completion(CompletionQueueEntry(userData: OperationSlots.cancelUserData, result: -ECANCELED, flags: 0))
    }

    /// Resumes waiters whose completions never came, drains the last jobs, and
    /// closes the inbox so later work runs on its caller's thread.
    private func finishShutdown() {
        for userData in loop.slots.allInFlight {
            // The kernel may still own this memory: keep it alive for good rather than free it early.
            if let (continuation, kept) = loop.slots.finish(userData) {
                if let kept { _ = Unmanaged.passRetained(kept) }
                continuation.resume(returning: Self.cancelledCompletion)
            }
        }
        while true {
            let jobs = inbox.withLock { inbox -> [UnownedJob] in
                let jobs = inbox.jobs + loop.localJobs
                inbox.jobs.removeAll()
                loop.localJobs.removeAll()
                for start in inbox.starts { start.continuation.resume(returning: Self.cancelledCompletion) }
                inbox.starts.removeAll()
                if jobs.isEmpty { inbox.exited = true }
                return jobs
            }
            if jobs.isEmpty { break }
            for job in jobs {
                job.runSynchronously(isolatedTo: asUnownedSerialExecutor(), taskExecutor: asUnownedTaskExecutor())
            }
        }
        loop.ring = nil
    }

    /// Takes a slot and pushes the prepared entry. Ring thread only.
    func begin(
        _ entry: SubmissionQueueEntry, continuation: UnsafeContinuation<Completion, Never>,
        keepAlive: AnyObject?, task: Int
    ) {
        let userData = loop.slots.take(continuation, keepAlive: keepAlive, task: task)
        pushEntry(entry, userData: userData)
    }

    /// Asks the kernel to cancel the operation `task` waits on, if it is in flight.
    func requestCancel(task: Int) {
        guard let target = loop.slots.userData(ofTask: task) else { return }
        pushEntry(prepared(AsyncCancel(.userData(target))), userData: OperationSlots.cancelUserData)
    }

    /// Copies `entry` into the submission queue, submitting first when it is full.
    private func pushEntry(_ entry: SubmissionQueueEntry, userData: UInt64) {
        guard let ring = loop.ring else { return }
        var slot = ring.pointee.nextSubmission()
        while slot == nil {
            _ = try? ring.pointee.submit()
            slot = ring.pointee.nextSubmission()
        }
        slot!.pointee = entry
        slot!.pointee.userData = userData
    }

    private func dispatchCompletions(wakeArmed: inout Bool) {
        guard let ring = loop.ring else { return }
        _ = try? ring.pointee.forEachCompletion { completion in
            switch completion.userData {
            case OperationSlots.wakeUserData:
                wakeArmed = false
            case OperationSlots.cancelUserData:
                break
            default:
                if let (continuation, _) = loop.slots.finish(completion.userData) {
                    continuation.resume(returning: completion)
                }
            }
        }
    }
}

/// A zeroed entry prepared for `operation` (opcode and fields; user data and flags left to the caller).
func prepared<Operation: RingOperation>(_ operation: Operation) -> SubmissionQueueEntry {
    var entry = SubmissionQueueEntry()
    entry.opcode = operation.opcode.rawValue
    operation.prepare(&entry)
    return entry
}
